import CSystem

/// What the parser established about one record's lines and quoting, for telling a stray quote from a quoted field with
/// line breaks (see `UnbalancedQuote`).
public struct RecordFacts: Sendable {
    /// The 1-based line of the file on which the record starts (records with quoted line breaks span several lines).
    public var line: Int
    /// True when the file ended inside this record's quoted field (an unbalanced quote).
    public var endsInsideQuotes: Bool
    /// The last line the record occupies.
    public var endLine: Int
    /// True when a quote inside a quoted field was not doubled (RFC 4180 requires `""`); libcsv read it as text.
    public var undoubledQuote: Bool
    /// 1 + the field (0-based) whose closing quote was followed by text (`"A1"x`), read as closed with the text after it
    /// (0 when none was).
    public var textAfterQuoteColumn: Int
    /// The line on which the first of the record's fields holding line breaks begins (0 when none does); when the file
    /// ends inside a quoted field, the line that field begins on.
    public var quoteLine: Int
    /// Lines wholly inside quoted fields that hold nothing but spaces and commas.
    public var innerBlankLines: Int
    /// The first line inside a quoted field that reads as a row of its own (0 when there is none), measured against
    /// the file's first record (the header): a line wholly inside the field with exactly its number of delimiters (more
    /// only when nothing but spaces follows them); or the line the field closes on, when the field's text on its first
    /// and last lines holds exactly the delimiters that would complete the row it opens in and begin the one it closes
    /// in (both physical lines then have the header's number).
    public var rowLikeLine: Int
    /// Whether a field holding line breaks holds a delimiter too: text a stray quote swallowed holds the delimiters of
    /// the cells it ran over; prose typed over two lines need not.
    public var lineBreakFieldHoldsDelimiter = false
    /// 1 + the field (0-based) that `quoteLine` is the line of: the first field holding line breaks, or the field the
    /// file ends inside (0 when there is none).
    public var quoteColumn = 0
}

/// A record, owned or lent: its facts, its number of fields and which of them are blank.
public protocol CSVRecordShape {
    /// What the parser established about the record's lines and quoting.
    var facts: RecordFacts { get }
    /// The number of fields in the record.
    var fieldCount: Int { get }
    /// Whether field `i` holds nothing but white space.
    func isBlankField(_ i: Int) -> Bool
    /// Calls `body` with the bytes of field `i` (0-based), valid during the call.
    func withFieldBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R
}

extension CSVRecordShape {
    /// The 1-based line of the file on which the record starts.
    public var line: Int { facts.line }
    /// True when the file ended inside this record's quoted field.
    public var endsInsideQuotes: Bool { facts.endsInsideQuotes }
    /// The last line the record occupies.
    public var endLine: Int { facts.endLine }
    /// True when a quote inside a quoted field was not doubled.
    public var undoubledQuote: Bool { facts.undoubledQuote }
    /// The line the first field holding line breaks begins on (0 when none does).
    public var quoteLine: Int { facts.quoteLine }
    /// Lines wholly inside quoted fields that hold nothing but spaces and commas.
    public var innerBlankLines: Int { facts.innerBlankLines }
    /// The first line inside a quoted field that reads as a row of its own (0 when there is none).
    public var rowLikeLine: Int { facts.rowLikeLine }
}

/// One CSV record as libcsv delivered it, lent by the parser for the length of a call: views into the parser's own
/// buffers, so handing a record on copies and counts nothing. Whatever outlives the call copies (`CSVRecord`).
public struct CSVRecordView: CSVRecordShape {
    public let facts: RecordFacts
    /// The record's bytes, field after field, exactly as in the file after CSV unquoting.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where each field ends in `bytes`.
    let ends: UnsafeBufferPointer<Int>
    /// Whether a byte below 0x20 or 0x7F (a line break, tab or control character) may be in the record: false when the
    /// parser's one pass over the complete record found none (nearly every record), so nothing scans for them again;
    /// true for a record lent from a copy (`CSVRecord`), which is then scanned.
    let mayHoldControlBytes: Bool

    public var fieldCount: Int { ends.count }

    /// The bytes of field `i` (0-based), as a view valid during the call the record is lent to.
    @inline(__always) public func field(_ i: Int) -> FieldBytes {
        bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]]
    }

    /// Field `i` without leading and trailing white space (space, tab, CR, LF); `nil` when nothing is left.
    @inline(__always) func trimmedField(_ i: Int) -> FieldBytes? {
        var lo = i == 0 ? 0 : ends[i - 1], hi = ends[i]
        while lo < hi, CSVRecordView.isSpace(bytes[lo]) { lo += 1 }
        if i == 0, CSVRecordView.startsWithByteOrderMark(bytes, lo, hi) { lo += 3 }
        while hi > lo, CSVRecordView.isSpace(bytes[hi - 1]) { hi -= 1 }
        return lo < hi ? bytes[lo..<hi] : nil
    }

    /// Whether `bytes[lo..<hi]` starts with a UTF-8 byte-order mark. One at the start of a row is the mark of a second
    /// export joined on without its header (Excel writes one at the start of every file it saves): passed over like
    /// white space, so that `W1` after it is the reference `W1`, not one with an invisible character in front of it.
    @inline(__always) static func startsWithByteOrderMark<B: RandomAccessCollection<UInt8>>(_ bytes: B, _ lo: B.Index, _ hi: B.Index) -> Bool
        where B.Index == Int {
        hi - lo >= 3 && bytes[lo] == 0xEF && bytes[lo + 1] == 0xBB && bytes[lo + 2] == 0xBF
    }

    @inline(__always) static func isSpace(_ x: UInt8) -> Bool { x == 0x20 || x == 0x09 || x == 0x0D || x == 0x0A }

    /// White space on a line that holds nothing else (a blank line): `isSpace`, and the form feeds and vertical tabs
    /// that report writers put between pages. Inside a row they are control characters, as before.
    @inline(__always) static func isBlankLineSpace(_ x: UInt8) -> Bool { isSpace(x) || x == 0x0C || x == 0x0B }

    /// Whether field `i`, trimmed as `trimmedField` trims (a first field after a second export's byte-order mark
    /// included) and with ASCII capitals lowered, is `lowered`: compared in place (every row asks this of its first
    /// field, to find a repeated header).
    func trimmedField(_ i: Int, lowercasedEquals lowered: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        guard let field = trimmedField(i) else { return false }
        guard field.count == lowered.count else { return false }
        return zip(field, lowered).allSatisfy { b, l in (b >= 0x41 && b <= 0x5A ? b + 0x20 : b) == l }
    }

    public func isBlankField(_ i: Int) -> Bool { trimmedField(i) == nil }

    public func withFieldBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(rebasing: field(i)))
    }

    /// Field `i` decoded as text (UTF-8, or Windows-1252 when the bytes are not valid UTF-8).
    public func text(_ i: Int) -> String { TextDecoding.decode(field(i)).0 }

    /// The first control character other than tab, line feed and carriage return (NUL, the other C0 codes, DEL) in
    /// the record, whatever its column; `nil` when there is none.
    func firstControlByte() -> UInt8? {
        guard mayHoldControlBytes, let base = bytes.baseAddress else { return nil }
        let at = ws_first_control(base, UInt(bytes.count))
        return at >= 0 ? bytes[Int(at)] : nil
    }

    /// The first control character other than tab, line feed and carriage return (NUL, the other C0 codes, DEL) in a
    /// field whose column is `checked`: the field (0-based) and the byte; `nil` when there is none, as in any text an
    /// export writes. A record the parser found no byte below 0x20 in (nor 0x7F) is not looked at again; any other is
    /// scanned at once, eight bytes at a time (one call costs less than one a field); only when one is found is its
    /// field looked up, and the scan goes on after a field not checked.
    func firstControlCharacter(checked: UnsafeBufferPointer<Bool>) -> (field: Int, byte: UInt8)? {
        guard mayHoldControlBytes else { return nil }
        var from = 0
        while from < bytes.count {
            let at = ws_first_control(bytes.baseAddress! + from, UInt(bytes.count - from))
            guard at >= 0 else { return nil }
            let i = from + Int(at)
            guard let field = ends.firstIndex(where: { $0 > i }) else { return nil }
            if field < checked.count && checked[field] { return (field, bytes[i]) }
            from = ends[field]
        }
        return nil
    }
}

/// One CSV record, owning its bytes: a lent `CSVRecordView` copied, for a caller that keeps records (the header, a
/// reference table, a test).
public struct CSVRecord: CSVRecordShape {
    public let facts: RecordFacts
    let bytes: [UInt8]
    let ends: [Int]

    /// Copies a lent record.
    public init(_ view: CSVRecordView) {
        facts = view.facts
        bytes = Array(view.bytes)
        ends = Array(view.ends)
    }

    public var fieldCount: Int { ends.count }

    /// Lends the record as a view, valid during the call (to read it as a row of an export).
    public func withView<R>(_ body: (CSVRecordView) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in
            try ends.withUnsafeBufferPointer { e in try body(CSVRecordView(facts: facts, bytes: b, ends: e, mayHoldControlBytes: true)) }
        }
    }

    /// The bytes of field `i` (0-based), exactly as in the file after CSV unquoting.
    public func field(_ i: Int) -> ArraySlice<UInt8> {
        bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]]
    }

    /// Field `i` without leading and trailing white space (space, tab, CR, LF), as one slice; `nil` when nothing is left.
    func trimmedField(_ i: Int) -> ArraySlice<UInt8>? {
        var lo = i == 0 ? 0 : ends[i - 1], hi = ends[i]
        while lo < hi, CSVRecordView.isSpace(bytes[lo]) { lo += 1 }
        if i == 0, CSVRecordView.startsWithByteOrderMark(bytes, lo, hi) { lo += 3 }
        while hi > lo, CSVRecordView.isSpace(bytes[hi - 1]) { hi -= 1 }
        return lo < hi ? bytes[lo..<hi] : nil
    }

    public func isBlankField(_ i: Int) -> Bool { trimmedField(i) == nil }

    public func withFieldBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[(i == 0 ? 0 : ends[i - 1])..<ends[i]])) }
    }

    /// Field `i` decoded as text (UTF-8, or Windows-1252 when the bytes are not valid UTF-8).
    public func text(_ i: Int) -> String { TextDecoding.decode(field(i)).0 }
}
