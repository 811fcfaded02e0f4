import Foundation

/// What reading one chunk gave: its rows in order, as records or quarantined problems, and its accounting.
struct ChunkOutcome<N: RecordNormaliser>: @unchecked Sendable {
    /// A row that gave no record.
    enum Event {
        case rejected([DataProblem], rows: Int)
        /// A row kept out of the analysis by design (its ward is in `exclude_wards`).
        case setAside(String)
    }

    var bytes: [UInt8] = []
    /// The records, in file order, each with its line. Kept apart from the rows that gave none, so that a chunk of
    /// plain records is handed over, read and freed without looking at each one.
    var records: [(record: N.Record, line: Int)] = []
    /// The rows that gave no record, in file order, each after the `before` first records.
    var others: [(before: Int, event: Event)] = []
    var rowsRead = 0
    var blankLines = 0
    var swallowedBlankLines = 0
    /// Carriage returns alone among the chunk's own bytes (counted as line breaks).
    var loneCarriageReturns = 0
    var windows1252 = false
    var dates = DateEvidence()
    var error: Error?
    /// Set when the chunk ended inside a record: the parser and rows to continue with the next chunk's bytes.
    var pipeline: ChunkPipeline<N>?
    var openRecord: Bool { pipeline != nil }

    static func parse(_ input: ChunkSource, from start: Int, to end: Int, index: Int, last: Bool, bases: LineBases,
                      width: Int, layout: ExportLayout, normaliser: N) -> ChunkOutcome {
        var outcome = ChunkOutcome()
        do {
            outcome.bytes = try input.bytes(start, end)
        } catch {
            bases.publish(index, breaks: 0)
            outcome.error = error
            return outcome
        }
        let (breaks, loneCarriageReturns) = LineBases.breaks(in: outcome.bytes)
        bases.publish(index, breaks: breaks)
        outcome.loneCarriageReturns = loneCarriageReturns
        outcome.windows1252 = !UTF8Check.isValid(outcome.bytes[...])
        let pipeline = ChunkPipeline(layout: layout, normaliser: normaliser)
        // Room for every record the chunk can hold: each but the last ends at one of its line breaks. Made once at its
        // size, the array is never grown (each growth copies every record so far and leaves the old block as a hole in
        // the heap, chunk after chunk); a record takes at least 16 bytes, so lines mostly blank do not reserve more.
        pipeline.records.reserveCapacity(min(breaks + 1, outcome.bytes.count / 16 + 16))
        do {
            // The pipeline owns the parser, which owns this closure: the closure borrows the pipeline (no reference
            // is taken per record).
            let borrowed = Unmanaged.passUnretained(pipeline)
            pipeline.parser = try CSVChunkParser(displayName: layout.spec.file, line: bases.base(index), width: width,
                                                 columnLabels: layout.header.labels) { record in
                borrowed._withUnsafeGuaranteedRef { $0.handle(record) }
            }
        } catch {
            outcome.error = error
            return outcome
        }
        pipeline.run(outcome.bytes, last: last, into: &outcome)
        return outcome
    }

    /// The next chunk's bytes read by this chunk's parser, which ended inside a record.
    func continuing(with next: [UInt8], last: Bool) -> ChunkOutcome {
        var outcome = ChunkOutcome()
        outcome.bytes = next
        outcome.windows1252 = !UTF8Check.isValid(next[...])
        pipeline!.run(next, last: last, into: &outcome)
        return outcome
    }
}

/// A chunk's parser and normaliser, and the rows they have produced since the last hand-over.
final class ChunkPipeline<N: RecordNormaliser> {
    let layout: ExportLayout
    var normaliser: N
    var parser: CSVChunkParser?
    var records: [(record: N.Record, line: Int)] = []
    var others: [(before: Int, event: ChunkOutcome<N>.Event)] = []
    var rowsRead = 0, swallowedBlankLines = 0
    var windows1252 = false
    var dates = DateEvidence()
    /// The last date read in a common layout, from one row to the next (owned here, lent to each row).
    private let dayMemo = UnsafeMutablePointer<DayMemo>.allocate(capacity: 1)

    init(layout: ExportLayout, normaliser: N) {
        self.layout = layout
        self.normaliser = normaliser
        dayMemo.initialize(to: .empty)
    }

    deinit { dayMemo.deallocate() }

    /// One record, lent by the parser: checked against the header, normalised, and kept as a record or as its problems.
    func handle(_ record: CSVRecordView) {
        ExportRow.withRow(record, layout: layout, examplesWanted: dates.stillWanted, dayMemo: dayMemo) { row in
            handle(&row, line: record.line)
        }
    }

    /// One row, its fields lent from its record for the length of the call.
    private func handle(_ row: inout ExportRow, line: Int) {
        row.checkShape()
        rowsRead += row.rows
        swallowedBlankLines += row.swallowedBlankLines
        let result = row.isClean ? normaliser.normalise(&row) : nil
        if row.sawWindows1252 { windows1252 = true }
        if let reason = row.setAsideReason {
            others.append((records.count, .setAside(reason)))
            return
        }
        dates.merge(row.dateEvidence)
        if let result, row.isClean {
            records.append((result, line))
        } else {
            if row.isClean { row.reject("", "row could not be read") }
            others.append((records.count, .rejected(row.problems, rows: row.rows)))
        }
    }

    /// Parses `bytes`, then hands over what they produced; keeps itself in `outcome` when they end inside a record.
    func run(_ bytes: [UInt8], last: Bool, into outcome: inout ChunkOutcome<N>) {
        let blankBefore = parser?.blankLines ?? 0
        do {
            try bytes.withUnsafeBytes { try parser!.feed($0) }
            if last { try parser!.finish() }
        } catch {
            outcome.error = error
        }
        outcome.records = records
        outcome.others = others
        outcome.rowsRead = rowsRead
        outcome.swallowedBlankLines = swallowedBlankLines
        outcome.windows1252 = outcome.windows1252 || windows1252
        outcome.dates = dates
        outcome.blankLines = (parser?.blankLines ?? 0) - blankBefore
        records = []
        others = []
        rowsRead = 0
        swallowedBlankLines = 0
        windows1252 = false
        dates = DateEvidence()
        if outcome.error == nil, !last, parser?.atRecordBoundary == false { outcome.pipeline = self }
    }
}
