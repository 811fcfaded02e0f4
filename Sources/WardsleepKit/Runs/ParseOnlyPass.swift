import CLibcsv
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A parse-only pass over a CSV file, counting records: the floor any ingest is measured against.
///
/// `libcsv` hands the file straight to libcsv in 1 MiB reads with callbacks that only count, so it stays the same
/// reference whatever the ingest engine does; `reader` goes through wardsleep's own `CSVFileReader` (records assembled
/// field by field, the file hashed), to show what reading costs before any field is typed.
public enum ParseOnlyPass {
    /// Which parser the pass goes through.
    public enum Parser: String, Sendable, CaseIterable {
        /// libcsv alone.
        case libcsv
        /// wardsleep's streaming reader (libcsv underneath).
        case reader
    }

    /// What the pass counted.
    public struct Count: Sendable, Equatable {
        /// Non-blank records, the header included.
        public var records: Int
        /// Bytes read.
        public var bytes: Int
    }

    /// Reads `path` through `parser`, counting non-blank records.
    public static func count(path: String, parser: Parser) throws -> Count {
        switch parser {
        case .reader:
            var records = 0
            let summary = try CSVFileReader(path: path, displayName: (path as NSString).lastPathComponent).read { _ in records += 1 }
            return Count(records: records, bytes: summary.bytes)
        case .libcsv:
            return try libcsvCount(path: path)
        }
    }

    /// The counters libcsv's callbacks update.
    private struct Counters {
        var records = 0
        var fieldsInRecord = 0
    }

    static func libcsvCount(path: String) throws -> Count {
        let name = (path as NSString).lastPathComponent
        guard let file = fopen(path, "rb") else {
            throw InputError(file: name, message: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var parser = csv_parser()
        guard csv_init(&parser, UInt8(CSV_REPALL_NL)) == 0 else { throw InputError(file: name, message: "cannot initialise the CSV parser") }
        defer { csv_free(&parser) }
        var counters = Counters()
        let field: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { _, _, context in
            context?.assumingMemoryBound(to: Counters.self).pointee.fieldsInRecord += 1
        }
        let record: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
            guard let c = context?.assumingMemoryBound(to: Counters.self) else { return }
            if c.pointee.fieldsInRecord > 0 { c.pointee.records += 1 }
            c.pointee.fieldsInRecord = 0
        }
        let size = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var bytes = 0
        try withUnsafeMutablePointer(to: &counters) { counters in
            while true {
                let n = fread(buffer, 1, size, file)
                if n == 0 {
                    if ferror(file) != 0 { throw InputError(file: name, message: "read error: \(String(cString: strerror(errno)))") }
                    break
                }
                bytes += n
                guard csv_parse(&parser, buffer, n, field, record, counters) == n else {
                    throw InputError(file: name, message: "the CSV parser stopped: \(String(cString: csv_strerror(csv_error(&parser))))")
                }
            }
            csv_fini(&parser, field, record, counters)
        }
        return Count(records: counters.records, bytes: bytes)
    }
}
