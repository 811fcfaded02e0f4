/// A file that is not CSV text, recognised from its first bytes, so that it is refused (exit 3) with a message saying
/// what it is, instead of being parsed into rows of noise.
///
/// Binary data in general is told apart from text by its share of control characters (NUL and the other C0 codes but
/// tab, line feed and carriage return, and DEL): more than 5% of the first block marks a binary file (compressed or
/// random bytes have about 11%), while a text export with a stray NUL in a row stays readable and that row is
/// quarantined.
public enum ForeignFormat: Equatable, Sendable {
    /// gzip-compressed (`1f 8b`).
    case gzip
    /// A zip archive (`PK\3\4`) that is not a recognised spreadsheet.
    case zip
    /// An Excel workbook (.xlsx: a zip archive with an `xl/` folder).
    case excelWorkbook
    /// An OpenDocument spreadsheet (.ods).
    case openDocumentSpreadsheet
    /// An Excel 97-2003 workbook (.xls: an OLE2 compound file).
    case excel97Workbook
    /// A PDF document.
    case pdf
    /// UTF-16 text, with a byte-order mark or NUL in every other byte.
    case utf16(bigEndian: Bool)
    /// UTF-32 text with a byte-order mark.
    case utf32
    /// Control characters made up `percent` of the first `sampled` bytes.
    case binary(percent: Int, sampled: Int)

    /// The share of control characters above which a block is binary, in percent.
    static let binaryThreshold = 5

    /// Recognises `head`, the first block of a file (up to 64 KiB); `nil` when it may be CSV text.
    public static func sniff(_ head: ArraySlice<UInt8>) -> ForeignFormat? {
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && head.prefix(magic.count).elementsEqual(magic) }
        if starts([0xFF, 0xFE, 0x00, 0x00]) || starts([0x00, 0x00, 0xFE, 0xFF]) { return .utf32 }
        if starts([0xFF, 0xFE]) { return .utf16(bigEndian: false) }
        if starts([0xFE, 0xFF]) { return .utf16(bigEndian: true) }
        if starts([0x1F, 0x8B]) { return .gzip }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) || starts([0x50, 0x4B, 0x07, 0x08]) {
            if contains(head, "opendocument.spreadsheet") { return .openDocumentSpreadsheet }
            if contains(head, "xl/") { return .excelWorkbook }
            return .zip
        }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .excel97Workbook }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        return utf16WithoutMark(head) ?? binary(head)
    }

    /// UTF-16 without a byte-order mark: in mostly ASCII text, every other byte is NUL.
    static func utf16WithoutMark(_ head: ArraySlice<UInt8>) -> ForeignFormat? {
        let pairs = min(head.count, 4096) / 2
        guard pairs >= 2 else { return nil }
        var zeroEven = 0, zeroOdd = 0
        var i = head.startIndex
        for _ in 0..<pairs {
            if head[i] == 0 { zeroEven += 1 }
            if head[i + 1] == 0 { zeroOdd += 1 }
            i += 2
        }
        if zeroOdd * 10 >= pairs * 9 && zeroEven * 10 <= pairs { return .utf16(bigEndian: false) }
        if zeroEven * 10 >= pairs * 9 && zeroOdd * 10 <= pairs { return .utf16(bigEndian: true) }
        return nil
    }

    /// Binary data: control characters above the threshold, and either most of the block or on most of its lines.
    /// Tabs, line breaks, and the form feeds and vertical tabs a report writer puts between pages are text. A text
    /// export with a run of NUL bytes on a line or two (a block a failed copy left) is text whose damaged rows are
    /// quarantined, as they are further into the file; a binary file's control bytes are on nearly every "line".
    static func binary(_ head: ArraySlice<UInt8>) -> ForeignFormat? {
        guard !head.isEmpty else { return nil }
        var controls = 0, lines = 1, linesWithControls = 0, lineHasControl = false
        for b in head {
            if (b < 0x20 && !(0x09...0x0D).contains(b)) || b == 0x7F {
                controls += 1
                lineHasControl = true
            } else if b == 0x0A {
                if lineHasControl { linesWithControls += 1 }
                lineHasControl = false
                lines += 1
            }
        }
        if lineHasControl { linesWithControls += 1 }
        guard controls * 100 > head.count * binaryThreshold, controls * 2 >= head.count || linesWithControls * 2 >= lines else { return nil }
        return .binary(percent: controls * 100 / head.count, sampled: head.count)
    }

    static func contains(_ head: ArraySlice<UInt8>, _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard head.count >= needle.count else { return false }
        var i = head.startIndex
        while i <= head.endIndex - needle.count {
            if head[i] == needle[0] && head[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// The message for people: what the file is and what to do.
    public var message: String {
        let saveAs = "open it in Excel and save it as CSV UTF-8"
        switch self {
        case .gzip: return "input unreadable: this is a gzip-compressed file, not CSV text; decompress it first"
        case .zip: return "input unreadable: this is a zip archive, not CSV text; extract the CSV file from it first"
        case .excelWorkbook: return "input unreadable: this is an Excel workbook (.xlsx), not CSV text; \(saveAs)"
        case .openDocumentSpreadsheet:
            return "input unreadable: this is an OpenDocument spreadsheet (.ods), not CSV text; save it as CSV UTF-8"
        case .excel97Workbook: return "input unreadable: this is an Excel 97-2003 workbook (.xls), not CSV text; \(saveAs)"
        case .pdf: return "input unreadable: this is a PDF document, not CSV text; export the data as CSV"
        case .utf16(let bigEndian):
            return "input unreadable: this is UTF-16 text (\(bigEndian ? "big" : "little")-endian), not UTF-8 or Windows-1252; "
                + "save it as CSV UTF-8"
        case .utf32: return "input unreadable: this is UTF-32 text, not UTF-8 or Windows-1252; save it as CSV UTF-8"
        case .binary(let percent, let sampled):
            return "input unreadable: this is binary data, not CSV text (\(percent)% of its first \(NumberFormat.grouped(sampled)) bytes "
                + "are NUL or other control characters)"
        }
    }
}
