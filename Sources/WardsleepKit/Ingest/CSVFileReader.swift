import CLibcsv
import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What reading a whole file established, beyond its records.
public struct CSVFileSummary: Sendable, Equatable {
    /// Size of the file in bytes.
    public var bytes: Int
    /// SHA-256 of the file's bytes, lower-case hex.
    public var sha256: String
    /// Lines that held no data (empty, white space only, or only commas); not counted as rows.
    public var blankLines: Int
    /// Whether the file began with a UTF-8 byte-order mark.
    public var hadByteOrderMark: Bool
}

/// Streams a CSV file through libcsv in fixed-size chunks, handing each record to a closure.
///
/// Memory is bounded by the chunk size plus the longest record; a record longer than `maxRecordBytes` stops the read
/// with an `InputError` (a file like that is not a ward export, or a quote is unbalanced).
public struct CSVFileReader {
    /// Bytes read from the file per call to libcsv.
    public static let chunkSize = 64 * 1024
    /// The longest record accepted, in bytes.
    public var maxRecordBytes = 16 * 1024 * 1024
    /// Where the bytes come from.
    enum Source {
        case path(String)
        case bytes([UInt8])
    }

    let source: Source
    /// Called after each chunk with the bytes read so far (for a progress display).
    public var progress: ((Int) -> Void)?
    /// The name used in messages (usually the file name as the study names it).
    public var displayName: String

    /// Creates a reader for `path`, naming it `displayName` in messages.
    public init(path: String, displayName: String) {
        source = .path(path)
        self.displayName = displayName
    }

    /// Creates a reader over CSV text held in memory (reference tables built into wardsleep).
    public init(text: String, displayName: String) {
        source = .bytes(Array(text.utf8))
        self.displayName = displayName
    }

    /// Reads the file, calling `body` for each non-blank record in order. Errors thrown by `body` stop the read.
    public func read(_ body: (CSVRecord) throws -> Void) throws -> CSVFileSummary {
        switch source {
        case .path(let path):
            let file = try InputFile.openRegularFile(path, displayName: displayName)
            defer { fclose(file) }
            return try read(file, body)
        case .bytes(var bytes):
            return try bytes.withUnsafeMutableBytes { raw in
                guard let file = fmemopen(raw.baseAddress, raw.count, "rb") else {
                    throw InputError(file: displayName, message: "cannot read the built-in table")
                }
                defer { fclose(file) }
                return try read(file, body)
            }
        }
    }

    func read(_ file: UnsafeMutablePointer<FILE>, _ body: (CSVRecord) throws -> Void) throws -> CSVFileSummary {
        try withoutActuallyEscaping(body) { body in
            let parser = try CSVChunkParser(displayName: displayName, maxRecordBytes: maxRecordBytes) { try body(CSVRecord($0)) }
            var hasher = SHA256()
            var buffer = [UInt8](repeating: 0, count: CSVFileReader.chunkSize)
            var total = 0
            var bom = false
            while true {
                let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
                if n == 0 {
                    if ferror(file) != 0 {
                        throw InputError(file: displayName, line: parser.line, message: "read error: \(String(cString: strerror(errno)))")
                    }
                    break
                }
                var start = 0
                if total == 0 {
                    if n >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3; bom = true }
                    if let foreign = ForeignFormat.sniff(buffer[start..<n]) {
                        throw InputError(file: displayName, message: foreign.message)
                    }
                }
                total += n
                progress?(total)
                try buffer.withUnsafeBytes { raw in
                    hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[0..<n]))
                    try parser.feed(UnsafeRawBufferPointer(rebasing: raw[start..<n]))
                }
            }
            if total == 0 { throw InputError(file: displayName, message: "the file is empty: expected a header row") }
            try parser.finish()
            let digest = Digest.hex(hasher.finalize())
            return CSVFileSummary(bytes: total, sha256: digest, blankLines: parser.blankLines, hadByteOrderMark: bom)
        }
    }
}

/// libcsv over one stretch of a file: the whole of it, or one chunk of it read by a worker. Records are handed to
/// `body` as they complete, with true line numbers counted from `line`. Strict mode is used only to learn of undoubled
/// quotes: each strict error is noted and the byte re-read leniently.
final class CSVChunkParser {
    private var parser = csv_parser()
    private let state: ParseState
    private let displayName: String
    private let maxRecordBytes: Int
    private static let strict = UInt8(CSV_REPALL_NL | CSV_STRICT), lenient = UInt8(CSV_REPALL_NL)

    /// A parser whose first line is `line`, measuring lines inside quoted fields against `width` header fields (0: the
    /// first record is the header and sets it).
    init(displayName: String, maxRecordBytes: Int = 16 * 1024 * 1024, line: Int = 1, width: Int = 0,
         body: @escaping (CSVRecordView) throws -> Void) throws {
        self.displayName = displayName
        self.maxRecordBytes = maxRecordBytes
        state = ParseState(body: body)
        state.line = line
        state.recordLine = line
        state.width = width
        guard csv_init(&parser, CSVChunkParser.strict) == 0 else {
            throw InputError(file: displayName, message: "cannot initialise the CSV parser")
        }
    }

    deinit { csv_free(&parser) }

    /// The line the parser is on.
    var line: Int { state.line }
    /// Lines that held no data.
    var blankLines: Int { state.blankLines }
    /// Whether the bytes so far ended exactly between records (outside any quoted field): where a chunk boundary can
    /// be trusted. Quote parity alone cannot tell; libcsv's state can.
    var atRecordBoundary: Bool { parser.pstate == 0 && !state.inRecord && state.error == nil }
    /// Whether the last record ended with a carriage return (so a line feed right after it belongs to it).
    var lastWasCR: Bool { state.lastWasCR }

    /// Parses `raw`, calling the body for each record completed; throws the first error met. Long stretches go through
    /// in 64 KiB slices, so an overlong record is stopped before it is held whole.
    func feed(_ raw: UnsafeRawBufferPointer) throws {
        var at = 0
        while at < raw.count {
            let end = min(raw.count, at + CSVFileReader.chunkSize)
            try feedSlice(UnsafeRawBufferPointer(rebasing: raw[at..<end]))
            at = end
        }
    }

    private func feedSlice(_ raw: UnsafeRawBufferPointer) throws {
        guard raw.count > 0 else { return }
        let context = Unmanaged.passUnretained(state).toOpaque()
        let base = raw.baseAddress!, n = raw.count
        var offset = 0
        while offset < n {
            offset += csv_parse(&parser, base + offset, n - offset, fieldCallback, recordCallback, context)
            guard offset < n else { break }
            guard parser.status == CSV_EPARSE else {
                state.fail(InputError(file: displayName, line: state.line,
                                      message: "the CSV parser stopped: \(String(cString: csv_strerror(csv_error(&parser))))"))
                break
            }
            // pstate 3 is libcsv's FIELD_MIGHT_HAVE_ENDED: a quote in a quoted field followed by neither a
            // quote, a delimiter nor a line break. (A quote inside an unquoted field is harmless and not noted.)
            if parser.pstate == 3 { state.undoubledQuote = true }
            parser.status = 0
            csv_set_opts(&parser, CSVChunkParser.lenient)
            let reread = csv_parse(&parser, base + offset, 1, fieldCallback, recordCallback, context)
            csv_set_opts(&parser, CSVChunkParser.strict)
            guard reread == 1 else {
                state.fail(InputError(file: displayName, line: state.line,
                                      message: "the CSV parser stopped: \(String(cString: csv_strerror(csv_error(&parser))))"))
                break
            }
            offset += 1
        }
        if let error = state.error { throw error }
        if parser.entry_pos + state.byteCount > maxRecordBytes {
            throw InputError(file: displayName, line: state.inRecord ? state.recordLine : state.line,
                             message: "a record starting here is longer than \(maxRecordBytes / 1_048_576) MiB; "
                                 + "this is not a ward export, or a quote is unbalanced")
        }
    }

    /// Ends the file: the last record (one still inside a quoted field is marked so), then any error.
    func finish() throws {
        // pstate 2 is libcsv's FIELD_BEGUN: still inside a quoted field when the bytes ran out.
        state.endsInsideQuotes = parser.pstate == 2 && parser.quoted != 0
        let context = Unmanaged.passUnretained(state).toOpaque()
        csv_fini(&parser, fieldCallback, recordCallback, context)
        if let error = state.error { throw error }
    }
}

/// The state libcsv's callbacks share during one read. The record being read is assembled in memory the state owns
/// (its bytes, and where each field ends), grown as needed and reused for every record: a record is lent to the body as
/// a view of it, so reading allocates nothing per record and counts no references.
final class ParseState {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var byteCapacity = 4096
    private(set) var byteCount = 0
    private(set) var ends: UnsafeMutablePointer<Int>
    private var endCapacity = 64
    private(set) var fieldCount = 0
    var line = 1
    var recordLine = 1
    var inRecord = false
    var lastWasCR = false
    var blankLines = 0
    var endsInsideQuotes = false
    var error: Error?
    /// Borrows each record for the length of the call.
    let body: (CSVRecordView) throws -> Void
    /// Fields in the first record (the header), against which lines inside quoted fields are measured.
    var width = 0
    // Facts about the record being read, for telling a stray quote from a quoted field with line breaks.
    var undoubledQuote = false
    var quoteLine = 0
    var innerBlankLines = 0
    var rowLikeLine = 0

    init(body: @escaping (CSVRecordView) throws -> Void) {
        self.body = body
        bytes = .allocate(capacity: byteCapacity)
        ends = .allocate(capacity: endCapacity)
    }

    deinit {
        bytes.deallocate()
        ends.deallocate()
    }

    /// The record's bytes so far.
    private var recordBytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: bytes, count: byteCount) }

    func fail(_ e: Error) { if error == nil { error = e } }

    func addField(_ p: UnsafeRawPointer?, _ count: Int) {
        guard error == nil else { return }
        if !inRecord { inRecord = true; recordLine = line }
        lastWasCR = false
        if let p, count > 0 {
            if byteCount + count > byteCapacity { growBytes(to: byteCount + count) }
            (bytes + byteCount).update(from: p.assumingMemoryBound(to: UInt8.self), count: count)
            byteCount += count
        }
        if fieldCount == endCapacity { growEnds() }
        ends[fieldCount] = byteCount
        fieldCount += 1
    }

    private func growBytes(to needed: Int) {
        var capacity = byteCapacity * 2
        while capacity < needed { capacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        bigger.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = bigger
        byteCapacity = capacity
    }

    private func growEnds() {
        let bigger = UnsafeMutablePointer<Int>.allocate(capacity: endCapacity * 2)
        bigger.update(from: ends, count: fieldCount)
        ends.deallocate()
        ends = bigger
        endCapacity *= 2
    }

    /// Whether a field holds a line feed or carriage return: a short field (most are) is scanned in place, a long one
    /// with memchr (vectorised, but two calls cost more than a scan of a few bytes).
    @inline(__always) static func hasLineBreak(_ field: UnsafeRawBufferPointer) -> Bool {
        guard field.count > 32 else { return field.contains { $0 == 0x0A || $0 == 0x0D } }
        return memchr(field.baseAddress!, 0x0A, field.count) != nil || memchr(field.baseAddress!, 0x0D, field.count) != nil
    }

    /// Counts the line breaks inside a quoted field (CRLF, LF or CR) so later records keep their true line numbers,
    /// and looks at each line wholly inside the field: blank, or shaped like a row of its own.
    func countLines(_ field: UnsafeRawBufferPointer, column: Int) {
        var previousCR = false
        var inner = false  // the current line began at a break inside this field
        var commas = 0, lastContentColumn = -1, firstLineCommas = 0
        for b in field {
            if b == 0x0A || b == 0x0D {
                if b == 0x0A && previousCR { previousCR = false; continue }
                previousCR = b == 0x0D
                if inner {
                    if lastContentColumn < 0 {
                        innerBlankLines += 1
                    } else if rowLikeLine == 0, width >= 2, commas >= width - 1, lastContentColumn <= width - 1 {
                        rowLikeLine = line
                    }
                } else {
                    firstLineCommas = commas
                }
                line += 1
                inner = true
                commas = 0
                lastContentColumn = -1
            } else {
                previousCR = false
                if b == 0x2C { commas += 1 } else if b != 0x20 && b != 0x09 { lastContentColumn = commas }
            }
        }
        if rowLikeLine == 0, width >= 2, column < width, firstLineCommas == width - 1 - column, commas == column {
            rowLikeLine = line
        }
    }

    /// Counts the line breaks inside the record's fields, field by field in order, once the record is complete: one
    /// scan of the whole record finds whether there are any (only quoted fields can hold them, and few do).
    private func countInnerLineBreaks() {
        guard ParseState.hasLineBreak(UnsafeRawBufferPointer(recordBytes)) else { return }
        for i in 0..<fieldCount {
            let start = i == 0 ? 0 : ends[i - 1]
            let field = UnsafeRawBufferPointer(start: bytes + start, count: ends[i] - start)
            guard ParseState.hasLineBreak(field) else { continue }
            if quoteLine == 0 { quoteLine = line }
            countLines(field, column: i)
        }
    }

    func endRecord(_ terminator: Int32) {
        guard error == nil else { return }
        if inRecord {
            countInnerLineBreaks()
            let atEnd = terminator == -1 && endsInsideQuotes
            var endLine = line
            let openLine = atEnd ? unterminatedField(endLine: &endLine) : quoteLine
            let record = CSVRecordView(
                facts: RecordFacts(line: recordLine, endsInsideQuotes: atEnd, endLine: endLine, undoubledQuote: undoubledQuote,
                                   quoteLine: openLine, innerBlankLines: innerBlankLines, rowLikeLine: rowLikeLine),
                bytes: recordBytes, ends: UnsafeBufferPointer(start: ends, count: fieldCount))
            // A quote left open at the end of the file is never a blank line, even with nothing inside it.
            // Blank when every field trims to nothing, that is when every byte of every field is white space: one scan
            // of the record's bytes, which stops at the first byte of a real row.
            let blank = !atEnd && !recordBytes.contains { !CSVRecordView.isSpace($0) }
            if blank { blankLines += 1 } else {
                if width == 0 { width = record.fieldCount }
                do { try body(record) } catch { fail(error) }
            }
            byteCount = 0
            fieldCount = 0
            inRecord = false
            if quoteLine != 0 || undoubledQuote {  // set only on records with quoted line breaks or broken quoting
                undoubledQuote = false
                quoteLine = 0
                innerBlankLines = 0
                rowLikeLine = 0
            }
            if terminator == 0x0D || terminator == 0x0A { line += 1 }
            lastWasCR = terminator == 0x0D
        } else if terminator == 0x0A && lastWasCR {
            lastWasCR = false  // the LF of a CRLF pair
        } else if terminator == 0x0A || terminator == 0x0D {
            blankLines += 1
            line += 1
            lastWasCR = terminator == 0x0D
        }
    }

    /// When the file ends inside a quoted field (the record's last), that field is the one whose quote never closed:
    /// returns the line it opens on. The text after its last line break is the file's last line: none at all when
    /// empty (the file ended with a line break), a blank line when only spaces.
    func unterminatedField(endLine: inout Int) -> Int {
        let start = fieldCount > 1 ? ends[fieldCount - 2] : 0
        guard fieldCount > 0, case let end = ends[fieldCount - 1], end > start else { return line }
        var breaks = 0
        var previousCR = false
        for b in UnsafeBufferPointer(start: bytes + start, count: end - start) {
            if b == 0x0A { breaks += previousCR ? 0 : 1 } else if b == 0x0D { breaks += 1 }
            previousCR = b == 0x0D
        }
        var i = end - 1
        while i > start, bytes[i] == 0x20 || bytes[i] == 0x09 { i -= 1 }
        if bytes[i] == 0x0A || bytes[i] == 0x0D {
            if i == end - 1 { endLine -= 1 } else { innerBlankLines += 1 }
        }
        return line - breaks
    }
}

// The parse state outlives every call libcsv makes (the parser holds it only while `feed` or `finish` runs), so the
// callbacks borrow it without retaining it: a retain and a release per field would be a tenth of the reading time.
private func fieldCallback(_ p: UnsafeMutableRawPointer?, _ count: Int, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<ParseState>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.addField(p, count) }
}

private func recordCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<ParseState>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.endRecord(terminator) }
}
