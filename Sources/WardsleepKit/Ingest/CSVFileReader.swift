import CLibcsv
import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One CSV record as libcsv delivered it: the raw bytes of each field and the physical line the record began on.
public struct CSVRecord {
    /// The 1-based line of the file on which the record starts (records with quoted line breaks span several lines).
    public let line: Int
    /// True when the file ended inside this record's quoted field (an unbalanced quote).
    public let endsInsideQuotes: Bool
    /// The last line the record occupies.
    public let endLine: Int
    let bytes: [UInt8]
    let ends: [Int]

    /// The number of fields in the record.
    public var fieldCount: Int { ends.count }

    /// The bytes of field `i` (0-based), exactly as in the file after CSV unquoting.
    public func field(_ i: Int) -> ArraySlice<UInt8> {
        bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]]
    }

    /// Field `i` decoded as text (UTF-8, or Windows-1252 when the bytes are not valid UTF-8).
    public func text(_ i: Int) -> String { TextDecoding.decode(field(i)).0 }
}

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

        var parser = csv_parser()
        guard csv_init(&parser, UInt8(CSV_REPALL_NL)) == 0 else {
            throw InputError(file: displayName, message: "cannot initialise the CSV parser")
        }
        defer { csv_free(&parser) }

        return try withoutActuallyEscaping(body) { body in
            let state = ParseState(body: body)
            let context = Unmanaged.passUnretained(state).toOpaque()
            var hasher = SHA256()
            var buffer = [UInt8](repeating: 0, count: CSVFileReader.chunkSize)
            var total = 0
            var bom = false
            while true {
                let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
                if n == 0 {
                    if ferror(file) != 0 {
                        throw InputError(file: displayName, line: state.line, message: "read error: \(String(cString: strerror(errno)))")
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
                buffer.withUnsafeBytes { raw in
                    hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[0..<n]))
                    let parsed = csv_parse(&parser, raw.baseAddress! + start, n - start, fieldCallback, recordCallback, context)
                    if parsed != n - start { state.fail(InputError(file: displayName, line: state.line,
                                                                   message: "the CSV parser stopped: \(String(cString: csv_strerror(csv_error(&parser))))")) }
                }
                if let error = state.error { throw error }
                if parser.entry_pos + state.bytes.count > maxRecordBytes {
                    throw InputError(file: displayName, line: state.inRecord ? state.recordLine : state.line,
                                     message: "a record starting here is longer than \(maxRecordBytes / 1_048_576) MiB; "
                                         + "this is not a ward export, or a quote is unbalanced")
                }
            }
            if total == 0 { throw InputError(file: displayName, message: "the file is empty: expected a header row") }
            // pstate 2 is libcsv's FIELD_BEGUN: still inside a quoted field when the bytes ran out.
            state.endsInsideQuotes = parser.pstate == 2 && parser.quoted != 0
            csv_fini(&parser, fieldCallback, recordCallback, context)
            if let error = state.error { throw error }
            let digest = Digest.hex(hasher.finalize())
            return CSVFileSummary(bytes: total, sha256: digest, blankLines: state.blankLines, hadByteOrderMark: bom)
        }
    }
}

/// The state libcsv's callbacks share during one read.
private final class ParseState {
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var line = 1
    var recordLine = 1
    var inRecord = false
    var lastWasCR = false
    var blankLines = 0
    var endsInsideQuotes = false
    var error: Error?
    let body: (CSVRecord) throws -> Void

    init(body: @escaping (CSVRecord) throws -> Void) {
        self.body = body
        bytes.reserveCapacity(4096)
        ends.reserveCapacity(64)
    }

    func fail(_ e: Error) { if error == nil { error = e } }

    func addField(_ p: UnsafeRawPointer?, _ count: Int) {
        guard error == nil else { return }
        if !inRecord { inRecord = true; recordLine = line }
        lastWasCR = false
        if let p, count > 0 {
            let field = UnsafeRawBufferPointer(start: p, count: count)
            bytes.append(contentsOf: field)
            // Only quoted fields can hold line breaks; skip the count when there is none (memchr is vectorised).
            guard memchr(p, 0x0A, count) != nil || memchr(p, 0x0D, count) != nil else {
                ends.append(bytes.count)
                return
            }
            // Count line breaks inside quoted fields so later records keep their true line numbers.
            var previousCR = false
            for b in field {
                if b == 0x0A { line += 1; previousCR = false } else {
                    if previousCR { line += 1 }
                    previousCR = b == 0x0D
                }
            }
            if previousCR { line += 1 }
        }
        ends.append(bytes.count)
    }

    func endRecord(_ terminator: Int32) {
        guard error == nil else { return }
        if inRecord {
            let record = CSVRecord(line: recordLine, endsInsideQuotes: terminator == -1 && endsInsideQuotes, endLine: line,
                                   bytes: bytes, ends: ends)
            let blank = (0..<record.fieldCount).allSatisfy { record.field($0).trimmingWhitespace().isEmpty }
            if blank { blankLines += 1 } else {
                do { try body(record) } catch { fail(error) }
            }
            bytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            inRecord = false
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
}

private func fieldCallback(_ p: UnsafeMutableRawPointer?, _ count: Int, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<ParseState>.fromOpaque(context!).takeUnretainedValue().addField(p, count)
}

private func recordCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<ParseState>.fromOpaque(context!).takeUnretainedValue().endRecord(terminator)
}
