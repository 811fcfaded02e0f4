import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one generic reader every export goes through: libcsv records → header matching → typed records or quarantine.
///
/// The file is read in chunks on a fixed byte grid (`chunkBytes`, whatever the number of threads). A chunk starts after
/// a line break past its grid line, the one likeliest to end a record (`ChunkStarts.swift`); each is parsed and
/// normalised by a worker with its own libcsv parser and its own copy of the normaliser, and the results are merged
/// **in chunk order** on the calling thread: cross-row checks (`admit`), the analyses (`consume`), the quarantine and
/// the SHA-256 of the bytes all see the rows in file order. A chunk's boundary is trusted only when the previous
/// chunk's parser ended it between records (libcsv's own state, not a count of quotes); otherwise that chunk is parsed
/// again, continuing the previous chunk's parser. Line numbers are true physical lines: each chunk counts its line
/// breaks before it parses. So the same file gives the same records, the same problems with the same line numbers, and
/// the same report with 1 thread or 16.
public enum ExportIngest {
    /// The byte grid chunks are cut on.
    /// 512 KiB: the chunks in flight (their bytes and their rows) are most of what a read holds, and smaller chunks
    /// read as quickly (measured at 256 KiB, 512 KiB and 1 MiB; 1 MiB held 8 MB more at 5 million rows).
    public static let defaultChunkBytes = 1 << 19

    /// Reads `path` as export `spec`, giving each accepted record to `consume` and each rejected row to `problems`, in
    /// file order. `threads` workers parse and normalise (1: all on the calling thread); `chunkBytes` sets the grid;
    /// `fingerprint` works out the file's SHA-256 as it is read (a run records it; a check that shows none skips it).
    /// An export whose dates can only be read the other way round from the normaliser's `dateOrder` (the study's
    /// `date_format`) is a `ConfigurationError` naming the evidence.
    public static func read<N: RecordNormaliser>(
        path: String, spec: ExportSpec, normaliser: inout N, problems: ProblemSink, progress: ((Int) -> Void)? = nil,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, chunkBytes: Int = defaultChunkBytes, fingerprint: Bool = true,
        consume: (N.Record) throws -> Void
    ) throws -> ExportTally {
        MemoryReuse.configure()
        let file = try InputFile.openRegularFile(path, displayName: spec.file)
        defer { fclose(file) }
        let input = ChunkSource(fd: fileno(file), displayName: spec.file)
        var tally = ExportTally(export: spec.kind, file: spec.file)

        // The header: parsed a line at a time from the start, so where it ends is known exactly.
        let head = try HeaderPass.read(input, spec: spec)
        try normaliser.prepare(header: head.header, spec: spec)
        let layout = ExportLayout(header: head.header, spec: spec)

        let starts = input.chunkStarts(from: head.end, grid: max(1, chunkBytes))
        let bases = LineBases(count: starts.count, first: head.nextLine)
        let prepared = UncheckedBox(normaliser)
        let width = head.header.labels.count
        let work: @Sendable (Int) -> ChunkOutcome<N> = { k in
            let end = k + 1 < starts.count ? starts[k + 1] : input.size
            return ChunkOutcome.parse(input, from: starts[k], to: end, index: k, last: k + 1 == starts.count, bases: bases,
                                      width: width, layout: layout, normaliser: prepared.value)
        }

        var hasher = SHA256()
        if fingerprint { hasher.update(data: head.bytes) }
        var continuation: ChunkOutcome<N>?
        var blankLines = head.blankLines, swallowedBlankLines = 0, windows1252 = !UTF8Check.isValid(head.bytes[...])
        var dates = DateEvidence()
        var setAside = ReasonCounts()
        var loneCarriageReturns = LineBases.breaks(in: head.bytes).loneCarriageReturns
        let placed = normaliser.placesRowsInPeriods
        var analysed = [0, 0]  // baseline, pilot
        try OrderedParallel.run(count: starts.count, threads: threads, work: work) { k, speculative in
            var outcome = speculative
            if let previous = continuation {
                // The previous chunk ended inside a record: this chunk's own start was not a record boundary.
                outcome = previous.continuing(with: speculative.bytes, last: k + 1 == starts.count)
            }
            if fingerprint { hasher.update(data: outcome.bytes) }
            loneCarriageReturns += speculative.loneCarriageReturns  // each chunk's bytes are counted where first read
            progress?(k + 1 < starts.count ? starts[k + 1] : input.size)
            if let error = outcome.error { throw error }
            continuation = outcome.openRecord ? outcome : nil
            blankLines += outcome.blankLines
            swallowedBlankLines += outcome.swallowedBlankLines
            windows1252 = windows1252 || outcome.windows1252
            dates.merge(outcome.dates)
            tally.rowsRead += outcome.rowsRead
            // The chunk's rows in file order: its records, with the rows that gave none placed among them.
            var next = 0, other = 0
            while next < outcome.records.count || other < outcome.others.count {
                if other < outcome.others.count, outcome.others[other].before == next {
                    switch outcome.others[other].event {
                    case .setAside(let reason):
                        tally.accepted += 1
                        setAside.add(reason)
                    case .rejected(let rowProblems, let rows):
                        tally.quarantined += rows
                        try problems.quarantine(rowProblems)
                    }
                    other += 1
                    continue
                }
                let (record, line) = outcome.records[next]
                next += 1
                if let refused = normaliser.admit(record) {
                    tally.quarantined += 1
                    let column = layout.header.index[refused.field].map { layout.header.labels[$0] } ?? spec.header(for: refused.field)
                    try problems.quarantine([DataProblem(export: spec.kind, file: spec.file, line: line, column: column,
                                                         field: refused.field, value: ExportRow.shown(refused.value, field: refused.field),
                                                         reason: refused.reason)])
                    continue
                }
                tally.accepted += 1
                if let reason = normaliser.setAsideReason(record) {
                    setAside.add(reason)
                } else if placed, let p = normaliser.period(of: record) {
                    analysed[p == .baseline ? 0 : 1] += 1
                }
                try consume(record)
            }
        }
        if let error = dates.contradiction(of: normaliser.dateOrder, file: spec.file, header: layout.header, spec: spec) { throw error }
        tally.setAside = setAside.counts
        if placed { tally.analysedByPeriod = [.baseline: analysed[0], .pilot: analysed[1]] }
        tally.blankLines = blankLines + swallowedBlankLines
        tally.loneCarriageReturns = loneCarriageReturns > 0 ? loneCarriageReturns : nil
        tally.titleLines = max(0, head.headerLine - 1 - head.blankLines)
        tally.bytes = input.size
        tally.sha256 = fingerprint ? Digest.hex(hasher.finalize()) : ""
        tally.byteOrderMark = head.byteOrderMark
        tally.encoding = windows1252 ? "windows-1252" : "utf-8"
        tally.unusedColumns = layout.header.unused
        tally.patientIdentifiers = layout.header.index["patient"] != nil
        tally.hasStatus = layout.header.index["status"] != nil
        return tally
    }
}

/// One file read with `pread`, by any thread.
struct ChunkSource: Sendable {
    let fd: Int32
    let displayName: String
    let size: Int

    init(fd: Int32, displayName: String) {
        self.fd = fd
        self.displayName = displayName
        var st = stat()
        size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    /// The bytes from `start` to `end`.
    /// Read into memory that is not cleared first (clearing it cost as much as a tenth of the parse).
    func bytes(_ start: Int, _ end: Int) throws -> [UInt8] {
        let wanted = max(0, end - start)
        guard wanted > 0 else { return [] }
        return try [UInt8](unsafeUninitializedCapacity: wanted) { buffer, initialized in
            while initialized < wanted {
                let n = pread(fd, buffer.baseAddress! + initialized, wanted - initialized, off_t(start + initialized))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw InputError(file: displayName, message: "read error: \(String(cString: strerror(errno)))")
                }
                if n == 0 { break }
                initialized += n
            }
        }
    }
}

/// The header record, parsed from the start of the file a line at a time so that its end is known exactly.
struct HeaderPass {
    var header: ExportHeader
    /// Bytes before the first data row (byte-order mark, blank lines, the header), for the SHA-256.
    var bytes: [UInt8]
    /// Offset of the first byte after the header record (and its line feed).
    var end: Int
    /// The line the first data row is on.
    var nextLine: Int
    /// The line the header starts on.
    var headerLine: Int
    var blankLines: Int
    var byteOrderMark: Bool

    static func read(_ input: ChunkSource, spec: ExportSpec) throws -> HeaderPass {
        guard input.size > 0 else { throw InputError(file: spec.file, message: "the file is empty: expected a header row") }
        var block = try input.bytes(0, min(input.size, 64 * 1024))
        var start = 0, bom = false
        // A byte-order mark, or several (an export saved twice by a tool that adds one each time).
        while block.count >= start + 3, block[start] == 0xEF, block[start + 1] == 0xBB, block[start + 2] == 0xBF { start += 3; bom = true }
        if let foreign = ForeignFormat.sniff(block[start...]) { throw InputError(file: spec.file, message: foreign.message) }
        var record: CSVRecord?
        // Records before `header_line` (a report title, an export date) are read and passed over.
        let parser = try CSVChunkParser(displayName: spec.file) { r in if record == nil && r.line >= spec.headerLine { record = CSVRecord(r) } }
        var at = start, blockStart = 0
        while record == nil {
            if at - blockStart >= block.count {
                blockStart += block.count
                guard blockStart < input.size else { break }
                block = try input.bytes(blockStart, min(input.size, blockStart + 64 * 1024))
                if block.isEmpty { break }
            }
            // A record can only end at a line break (or the end of the file): feed a line at a time, so the header's
            // end is known exactly without parsing anything after it.
            let from = at - blockStart
            let upTo = block[from...].firstIndex { $0 == 0x0A || $0 == 0x0D }.map { $0 + 1 } ?? block.count
            try block.withUnsafeBytes { raw in try parser.feed(UnsafeRawBufferPointer(rebasing: raw[from..<upTo])) }
            at = blockStart + upTo
        }
        if record == nil { try parser.finish() }
        guard let record else {
            throw InputError(file: spec.file, message: spec.headerLine == 1 ? "the file has no header row"
                                 : "the file has no header row on line \(spec.headerLine) (header_line) or after")
        }
        if parser.lastWasCR, at < input.size, try input.bytes(at, at + 1) == [0x0A] { at += 1 }
        if let stray = record.unbalancedQuote(headerFields: record.fieldCount) {
            let runsOn = stray.endLine > stray.openLine ? "runs on to line \(stray.endLine) (\(stray.evidence))" : "never closes"
            throw InputError(file: spec.file, line: stray.openLine,
                             message: "the header row has an unbalanced quote: a quoted label opens on this line and "
                                 + "\(runsOn); fix the quote in the header")
        }
        let labels = (0..<record.fieldCount).map { TextDecoding.decode(record.field($0).trimmingWhitespace()).0 }
        let header: ExportHeader
        do {
            header = try ExportHeader(labels: labels, spec: spec, file: spec.file)
        } catch var error as ConfigurationError {
            // Title lines above the header (a report name, an export date): say which line has the columns.
            if let line = try laterHeaderLine(input, spec: spec) {
                error.message += "; line \(line) has the columns study.yaml names: set exports.\(spec.kind.rawValue).header_line: \(line) "
                    + "in study.yaml, or delete the line\(line == 2 ? "" : "s") above it (a title or an export date is not part of the table)"
            }
            throw error
        }
        return HeaderPass(header: header, bytes: try input.bytes(0, at), end: at, nextLine: parser.line, headerLine: record.line,
                          blankLines: parser.blankLines, byteOrderMark: bom)
    }
}

extension HeaderPass {
    /// The line, among the first six records of the file, whose labels match the columns study.yaml names, when the
    /// record on `header_line` does not; `nil` when none does.
    static func laterHeaderLine(_ input: ChunkSource, spec: ExportSpec) throws -> Int? {
        var records: [CSVRecord] = []
        let parser = try CSVChunkParser(displayName: spec.file) { r in if records.count < 6 { records.append(CSVRecord(r)) } }
        let block = try input.bytes(0, min(input.size, 64 * 1024))
        try? block.withUnsafeBytes { try parser.feed($0) }
        for r in records where r.line != spec.headerLine {
            let labels = (0..<r.fieldCount).map { TextDecoding.decode(r.field($0).trimmingWhitespace()).0 }
            if (try? ExportHeader(labels: labels, spec: spec, file: spec.file)) != nil { return r.line }
        }
        return nil
    }
}

/// The first line of each chunk: each chunk counts its line breaks as soon as its bytes are read, and a chunk's first
/// line is known once every chunk before it has counted (counting is far quicker than parsing, so the wait is short).
final class LineBases: @unchecked Sendable {
    private let condition = NSCondition()
    private var breaks: [Int?]
    /// The first line of chunks 0, 1, ... as far as they have been added up: each chunk's breaks are added once, not
    /// once for every chunk after it (a file of 20,000 chunks would add 200 million).
    private var starts: [Int]

    init(count: Int, first: Int) {
        breaks = Array(repeating: nil, count: count)
        starts = [first]
    }

    func publish(_ k: Int, breaks n: Int) {
        condition.lock()
        breaks[k] = n
        condition.broadcast()
        condition.unlock()
    }

    /// The line chunk `k` starts on, waiting for the chunks before it to count theirs.
    func base(_ k: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        while starts.count <= k {
            // Another thread may add to `starts` while this one waits: look again at where it ends after each wait.
            let j = starts.count - 1
            if let n = breaks[j] { starts.append(starts[j] + n) } else { condition.wait() }
        }
        return starts[k]
    }

    /// Line breaks as the parser counts them: a line feed, a carriage return, or the two together as one; and how many
    /// of them are carriage returns alone (which tools that count only line feeds, `grep -n` and `sed`, do not count).
    static func breaks(in bytes: [UInt8]) -> (all: Int, loneCarriageReturns: Int) {
        bytes.withUnsafeBytes { raw -> (all: Int, loneCarriageReturns: Int) in
            var n = 0, lone = 0
            var p = raw.baseAddress!, remaining = raw.count
            guard remaining > 0 else { return (0, 0) }
            while remaining > 0, let hit = memchr(p, 0x0A, remaining) {
                n += 1
                let skip = p.distance(to: UnsafeRawPointer(hit)) + 1
                p += skip
                remaining -= skip
            }
            // Carriage returns not followed by a line feed (rare: old Mac files, or stray ones) are line breaks too.
            if memchr(raw.baseAddress!, 0x0D, raw.count) != nil {
                for i in 0..<raw.count where raw[i] == 0x0D && (i + 1 == raw.count || raw[i + 1] != 0x0A) { lone += 1 }
            }
            return (n + lone, lone)
        }
    }
}

/// Hands a value to worker threads that only copy it (normalisers hold caches that are not `Sendable`).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
