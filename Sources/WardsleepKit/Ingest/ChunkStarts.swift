import Foundation

/// Where the chunks of a file start.
///
/// A chunk starts after a line break near its grid line. Any choice is safe: a chunk's start is trusted only when the
/// previous chunk's parser ended exactly there between records, and a chunk that starts inside a quoted field is read
/// again after the previous chunk (`ExportIngest.read`). But such a chunk is parsed twice, the second time on the
/// merging thread while the workers wait. In an incident export whose descriptions run over several lines, about two
/// chunks in five started inside a description when each started after the first line break past its grid line, and
/// `validate` took four times as long as a parse-only pass. So the bytes after a grid line are read both ways, as if they
/// began outside quotes and as if they began inside a quoted field (`QuoteReadings`), until one reading meets what
/// no CSV writer produces; the chunk starts after the first line break the other reading puts between records.
extension ChunkSource {
    /// How many bytes are read at a time while looking for a chunk's start.
    static let startBlock = 16 * 1024
    /// How far past its grid line a chunk's start is decided between the two readings; past it, with neither
    /// reading ruled out (bytes with no quotes in them), the chunk starts at the first line break outside quotes.
    static let decisionReach = 16 * 1024

    /// Where chunks start: `first`, then, for each grid line after it, the byte after a line break at or after the
    /// grid line (`recordStart`): a line feed, or a carriage return with no line feed after it, as libcsv ends records
    /// (so a chunk never splits a CRLF pair or a UTF-8 or Windows-1252 character, and a file of carriage returns
    /// alone, as old Mac software writes, is cut on the grid like any other instead of being read as one chunk).
    func chunkStarts(from first: Int, grid: Int) -> [Int] {
        guard first < size else { return [] }
        var starts = [first]
        var g = first + grid
        while g < size {
            guard let next = recordStart(from: max(g, starts.last! + 1) - 1), next < size else { break }
            if next > starts.last! { starts.append(next) }
            g = max(g + grid, next)
        }
        return starts
    }

    /// The place after the line break, from byte `from` on, likeliest to end a record; `nil` when no line break follows.
    func recordStart(from: Int) -> Int? {
        // The readings begin after a byte other than a quote, before any quotes just before `from`: bytes that begin
        // halfway through a doubled quote (`""`) would rule out both.
        var at = from, before: UInt8 = 0x0A
        if from > 0, let back = try? bytes(max(0, from - 64), from), !back.isEmpty {
            let backStart = from - back.count
            var i = back.count
            while i > 0 && back[i - 1] == 0x22 { i -= 1 }
            if i > 0 {
                at = backStart + i
                before = back[i - 1]
            } else if backStart == 0 {
                at = 0  // quotes from the start of the file, where a line starts
            } else {
                before = 0  // more quotes than looked at: begin at `from`, as if in an unquoted field
            }
        }
        var readings = QuoteReadings(after: before)
        while at < size {
            // One byte more than the block, to see whether a carriage return at its end has a line feed after it.
            guard let block = try? bytes(at, min(size, at + ChunkSource.startBlock + 1)), !block.isEmpty else { break }
            let span = min(ChunkSource.startBlock, block.count)
            if at == from, let first = ChunkSource.firstLineBreakWithoutQuotes(block, span) {
                // No quote in the bytes up to the decision's reach, and a line break among them: neither reading can be
                // ruled out, so at the reach both would still stand and the chunk would start after this line break.
                return at + first + 1
            }
            for i in 0..<span {
                let b = block[i]
                let lineBreak = b == 0x0A || (b == 0x0D && !(i + 1 < block.count && block[i + 1] == 0x0A))
                readings.read(b, lineBreak: lineBreak, endingAt: at + i + 1)
                if let decided = readings.decision { return decided }
                if at + i + 1 - from >= ChunkSource.decisionReach, let fallback = readings.fallback { return fallback }
            }
            at += span
        }
        return readings.fallback
    }

    /// When the first `span` bytes of `block` (a whole `startBlock`, as far as the decision reaches) hold no quote, the
    /// place of the first line break among them (a line feed, or a carriage return with no line feed after it in
    /// `block`), found with `memchr` instead of byte by byte; `nil` when they hold a quote or no line break. Exports
    /// with no quoted fields (observation logs, censuses, sleep plans) meet no quote at any grid line.
    static func firstLineBreakWithoutQuotes(_ block: [UInt8], _ span: Int) -> Int? {
        guard span == startBlock, startBlock == decisionReach else { return nil }
        return block.withUnsafeBufferPointer { b -> Int? in
            let base = b.baseAddress!
            guard memchr(base, 0x22, span) == nil else { return nil }
            let lf = memchr(base, 0x0A, span).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? span
            // A lone carriage return before that line feed (one right before it is the CR of a CRLF pair), as the
            // parser finds them.
            let searched = min(b.count, lf + 1)
            let lone = CSVChunkParser.loneCarriageReturnEnd(UnsafeRawPointer(base), from: 0, count: searched)
            let first = lone < searched ? lone - 1 : lf
            return first < span ? first : nil
        }
    }
}

/// Two readings of CSV bytes from a place whose quote state is not known: one as if the place were outside quotes (in
/// an unquoted field), one as if it were inside a quoted field, both from after a byte other than a quote. Each follows
/// the quotes as a strict CSV reader does and is ruled out by what no CSV writer produces: a quote closing a quoted
/// field followed by text (`"a"b`), or a quote inside an unquoted field (`ab"c`). Bytes read from the wrong place meet
/// one soon: a quote that opens a field (`,"Patient`) is, read the other way, a quote closing one followed by text.
/// Each reading notes the first line break it reads outside quotes, where a record would end.
struct QuoteReadings {
    enum State { case fieldStart, unquoted, quoted, closingQuote }

    struct Reading {
        var state: State
        var ruledOut = false
        /// The place after the first line break this reading puts between records.
        var recordStart: Int?

        mutating func read(_ b: UInt8, lineBreak: Bool, endingAt end: Int) {
            guard !ruledOut else { return }
            switch state {
            case .fieldStart, .unquoted:
                switch b {
                case 0x22: if state == .fieldStart { state = .quoted } else { ruledOut = true }
                case 0x2C, 0x0A, 0x0D: endField(lineBreak: lineBreak, endingAt: end)
                case 0x20, 0x09: if state != .fieldStart { state = .unquoted }  // spaces before a quote still open it
                default: state = .unquoted
                }
            case .quoted:
                if b == 0x22 { state = .closingQuote }
            case .closingQuote:
                switch b {
                case 0x22: state = .quoted  // a doubled quote
                case 0x2C, 0x0A, 0x0D: endField(lineBreak: lineBreak, endingAt: end)
                case 0x20, 0x09: break  // spaces after a closing quote are passed over
                default: ruledOut = true
                }
            }
        }

        private mutating func endField(lineBreak: Bool, endingAt end: Int) {
            if lineBreak && recordStart == nil { recordStart = end }
            state = .fieldStart
        }
    }

    private(set) var outside = Reading(state: .unquoted), inside = Reading(state: .quoted)
    /// The place after the first line break of any kind.
    private(set) var firstBreak: Int?

    /// Readings of bytes after `before`: outside quotes, a field starts after a comma or a line break; inside, after a
    /// byte other than a quote, the field is simply quoted (after a quote, it might have just closed).
    init(after before: UInt8) {
        if before == 0x2C || before == 0x0A || before == 0x0D { outside.state = .fieldStart }
    }

    mutating func read(_ b: UInt8, lineBreak: Bool, endingAt end: Int) {
        if lineBreak && firstBreak == nil { firstBreak = end }
        outside.read(b, lineBreak: lineBreak, endingAt: end)
        inside.read(b, lineBreak: lineBreak, endingAt: end)
    }

    /// Where a record starts, once the bytes read rule one reading out and the other has put a line break between
    /// records (with both ruled out, the bytes are not plain CSV: after the first line break); `nil` until then.
    var decision: Int? {
        switch (outside.ruledOut, inside.ruledOut) {
        case (false, true): return outside.recordStart
        case (true, false): return inside.recordStart
        case (true, true): return firstBreak
        case (false, false): return nil
        }
    }

    /// Where a record starts with nothing decided: by the reading not ruled out, or with both standing, by the reading
    /// from outside quotes (right unless a quoted field runs over a line break here); else after the first line break.
    var fallback: Int? {
        if let decision { return decision }
        return (outside.ruledOut && !inside.ruledOut ? inside.recordStart : outside.recordStart) ?? firstBreak
    }
}
