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

    /// Reads `path` through `parser`, counting non-blank records. With `threads` above 1 (libcsv only), the file is cut
    /// into that many parts, each from a line start, and each part is parsed by its own libcsv parser on its own thread:
    /// the parse-only floor spread over every core, measured rather than worked out. A part starts at the first line
    /// start after its share of the bytes, so the count is exact unless a quoted field holds a line break across a cut.
    public static func count(path: String, parser: Parser, threads: Int = 1) throws -> Count {
        switch parser {
        case .reader:
            var records = 0
            let summary = try CSVFileReader(path: path, displayName: (path as NSString).lastPathComponent).read { _ in records += 1 }
            return Count(records: records, bytes: summary.bytes)
        case .libcsv:
            return try libcsvCount(path: path, threads: max(1, threads))
        }
    }

    /// The counters libcsv's callbacks update.
    private struct Counters {
        var records = 0
        var fieldsInRecord = 0
    }

    static func libcsvCount(path: String, threads: Int) throws -> Count {
        let name = (path as NSString).lastPathComponent
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError(file: name, message: "cannot open the file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw InputError(file: name, message: "cannot read the file: \(String(cString: strerror(errno)))") }
        let size = Int(st.st_size)
        var cuts = [0]
        for k in 1..<max(1, threads) { cuts.append(max(cuts[k - 1], try lineStart(fd, atOrAfter: size * k / threads, size: size, name: name))) }
        cuts.append(size)
        let parts = cuts.count - 1, bounds = cuts
        let results = PartResults(parts)
        DispatchQueue.concurrentPerform(iterations: parts) { k in
            results.set(k, Result { try parsePart(fd, from: bounds[k], to: bounds[k + 1], name: name) })
        }
        var total = Count(records: 0, bytes: 0)
        for r in results.all {
            let c = try r.get()
            total.records += c.records
            total.bytes += c.bytes
        }
        return total
    }

    /// Each part's outcome, written by its own thread.
    private final class PartResults: @unchecked Sendable {
        private var results: [Result<Count, Error>]
        private let lock = NSLock()
        init(_ n: Int) { results = Array(repeating: .success(Count(records: 0, bytes: 0)), count: n) }
        func set(_ k: Int, _ r: Result<Count, Error>) { lock.withLock { results[k] = r } }
        var all: [Result<Count, Error>] { lock.withLock { results } }
    }

    /// Where the first line after byte `offset` starts (the end of the file when no line break follows).
    private static func lineStart(_ fd: Int32, atOrAfter offset: Int, size: Int, name: String) throws -> Int {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var at = offset
        while at < size {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(at)) }
            guard n >= 0 else { throw InputError(file: name, message: "read error: \(String(cString: strerror(errno)))") }
            if n == 0 { break }  // the file ended sooner than its size said
            if let i = buffer[..<n].firstIndex(of: UInt8(ascii: "\n")) { return at + i + 1 }
            at += n
        }
        return size
    }

    /// The records libcsv finds in bytes `start..<end` of the file, read in 1 MiB pieces.
    private static func parsePart(_ fd: Int32, from start: Int, to end: Int, name: String) throws -> Count {
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
        var at = start
        try withUnsafeMutablePointer(to: &counters) { counters in
            while at < end {
                let n = pread(fd, buffer, min(size, end - at), off_t(at))
                guard n >= 0 else { throw InputError(file: name, message: "read error: \(String(cString: strerror(errno)))") }
                if n == 0 { break }  // the file ended sooner than its size said
                at += n
                guard csv_parse(&parser, buffer, n, field, record, counters) == n else {
                    throw InputError(file: name, message: "the CSV parser stopped: \(String(cString: csv_strerror(csv_error(&parser))))")
                }
            }
            csv_fini(&parser, field, record, counters)
        }
        return Count(records: counters.records, bytes: at - start)
    }
}
