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
                    // A byte-order mark, or several (an export saved twice by a tool that adds one each time), as
                    // the export reader passes over them.
                    while n >= start + 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
                        start += 3
                        bom = true
                    }
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
