import Foundation
import Testing
@testable import WardsleepKit

/// Where chunks start: after a line break that ends a record, even where quoted fields run over several lines, so that
/// a chunk is not parsed twice (`ChunkStarts.swift`). Whatever the choice, the chunked reader gives what the plain one
/// does (`ChunkedReaderTests`); these tests are about the choice.
struct ChunkStartTests {
    /// An export whose rows each hold a quoted description, some over several lines (LF or CRLF), some with doubled
    /// quotes, commas and spaces after the closing quote; and the places after each line break that ends a record.
    static func multiLineExport(rows: Int, seed: UInt64) -> (bytes: [UInt8], recordStarts: Set<Int>, header: Int) {
        var random = SampleRandom(seed: seed)
        let phrases = ["Patient distressed", "found in corridor at night", "said the \"\"checks keep waking me up\"\"",
                       "asked for family, then settled", "room search", "\"\"quiet\"\", slept after 02:00"]
        var text = "Ref,Date,Ward,Description,Status\n"
        let header = text.utf8.count
        for r in 0..<rows {
            let lines = 1 + Int(random.next() % 4)
            let breaks = random.next() % 3 == 0 ? "\r\n" : "\n"
            let description = (0..<lines).map { _ in random.pick(phrases) + "." }.joined(separator: breaks)
            let spaces = random.next() % 7 == 0 ? "  " : ""
            text += "W\(r),01/02/2019,A\(r % 3),\"\(description)\"\(spaces),Approved\(breaks)"
        }
        let bytes = Array(text.utf8)
        var starts = Set<Int>(), quotes = 0
        for (i, b) in bytes.enumerated() {
            if b == 0x22 { quotes += 1 }
            if quotes % 2 == 0, b == 0x0A || (b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) { starts.insert(i + 1) }
        }
        return (bytes, starts, header)
    }

    /// `body` given `bytes` as a file read through a `ChunkSource`.
    static func withSource<T>(_ bytes: [UInt8], _ body: (ChunkSource) throws -> T) throws -> T {
        let dir = TempFolder()
        let path = dir.write("export.csv", bytes: bytes)
        let file = try #require(fopen(path, "rb"))
        defer { fclose(file) }
        return try body(ChunkSource(fd: fileno(file), displayName: "export.csv"))
    }

    static func chunkStarts(_ bytes: [UInt8], from first: Int, grid: Int) throws -> [Int] {
        try withSource(bytes) { $0.chunkStarts(from: first, grid: grid) }
    }

    /// Every chunk starts between records, at every grid size tried, where the first line break past each grid line
    /// is inside a description for a good share of them (the rule this replaced).
    @Test(arguments: [64, 97, 200, 512, 4_096])
    func chunksStartBetweenRecordsWhenFieldsRunOverLines(grid: Int) throws {
        for seed: UInt64 in [1, 2, 3] {
            let export = Self.multiLineExport(rows: 400, seed: seed)
            let starts = try Self.chunkStarts(export.bytes, from: export.header, grid: grid)
            #expect(starts.count >= export.bytes.count / grid / 2, "grid \(grid): \(starts.count) chunks of \(export.bytes.count) bytes")
            for s in starts.dropFirst() where !export.recordStarts.contains(s) {
                let before = String(decoding: export.bytes[max(0, s - 60)..<s], as: UTF8.self)
                Issue.record("grid \(grid), seed \(seed): a chunk starts at byte \(s), inside a record, after \(before.debugDescription)")
            }
            // What the first line break past each grid line would have given.
            var insideRecords = 0, lines = 0
            for g in stride(from: export.header + grid, to: export.bytes.count, by: grid) {
                guard let first = export.bytes[(g - 1)...].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) else { break }
                var after = first + 1
                if export.bytes[first] == 0x0D, after < export.bytes.count, export.bytes[after] == 0x0A { after += 1 }
                lines += 1
                if !export.recordStarts.contains(after) { insideRecords += 1 }
            }
            #expect(insideRecords * 5 > lines, "grid \(grid): the first line break is inside a record at \(insideRecords) of \(lines) grid lines")
        }
    }

    /// From every place of such an export, the place found is where a record starts: whichever byte the reading
    /// begins at (halfway through a doubled quote, on a closing quote, on a CR of a CRLF pair, at a line's start).
    @Test func aRecordStartIsFoundFromEveryPlace() throws {
        let export = Self.multiLineExport(rows: 60, seed: 5)
        let wrong = try Self.withSource(export.bytes) { source in
            (export.header..<(export.bytes.count - 1)).filter { from in
                guard let start = source.recordStart(from: from) else { return false }
                return !export.recordStarts.contains(start) || start <= from
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) of \(export.bytes.count - export.header) places: \(wrong.prefix(10))")
    }

    /// With no quoted field over a line break, a chunk starts after the first line break past its grid line, however
    /// the quotes fall: none at all, stray ones in unquoted fields (`5'10" tall`), or quoted fields on one line.
    @Test func chunksStartAtTheFirstLineBreakWhenNoFieldRunsOverLines() throws {
        let header = "Ref,Ward,Note\n"
        let notes = ["settled", "5'10\" tall, restless", "said \"no\" twice", "\"quiet, slept\"", "\"said \"\"thanks\"\"\"", "a \"b\" c"]
        for (name, pick) in [("no quotes", [0]), ("stray quotes", [0, 1, 2, 5]), ("quoted fields", [0, 3, 4]), ("all", Array(0..<6))] {
            var random = SampleRandom(seed: 9)
            var text = header
            for r in 0..<600 { text += "W\(r),A1,\(notes[random.pick(pick)])\n" }
            let bytes = Array(text.utf8)
            for grid in [50, 128, 1_000] {
                let starts = try Self.chunkStarts(bytes, from: header.utf8.count, grid: grid)
                var expected = [header.utf8.count], g = header.utf8.count + grid
                while g < bytes.count {
                    guard let lf = bytes[(max(g, expected.last! + 1) - 1)...].firstIndex(of: 0x0A), lf + 1 < bytes.count else { break }
                    expected.append(lf + 1)
                    g = max(g + grid, lf + 1)
                }
                #expect(starts == expected, "\(name), grid \(grid)")
            }
        }
    }

    /// Where a block of the decision's reach holds no quote, the line break is found without reading it byte by byte:
    /// the place is the one the two readings give, for line feeds, lone carriage returns and CRLF pairs anywhere in it
    /// (at its last byte, with the line feed past it; none in the block at all).
    @Test func aBlockWithoutQuotesStartsWhereTheReadingsSay() throws {
        func readingsStart(_ bytes: [UInt8], from: Int) -> Int? {
            var readings = QuoteReadings(after: from > 0 ? bytes[from - 1] : 0x0A)
            for i in from..<bytes.count {
                let b = bytes[i]
                readings.read(b, lineBreak: b == 0x0A || (b == 0x0D && !(i + 1 < bytes.count && bytes[i + 1] == 0x0A)), endingAt: i + 1)
                if let decided = readings.decision { return decided }
                if i + 1 - from >= ChunkSource.decisionReach, let fallback = readings.fallback { return fallback }
            }
            return readings.fallback
        }
        var random = SampleRandom(seed: 16)
        let from = 100, reach = ChunkSource.decisionReach
        var places = [0, 1, reach - 2, reach - 1, reach, reach + 1]
        for _ in 0..<40 { places.append(Int(random.next() % UInt64(reach + 200))) }
        for place in places {
            for lineBreak: [UInt8] in [[0x0A], [0x0D], [0x0D, 0x0A], [0x0D, 0x0D, 0x0A]] {
                let filler = Array("W1,A1,settled ".utf8)
                var bytes = (0..<(from + reach + 400)).map { filler[$0 % filler.count] }
                bytes.replaceSubrange((from + place)..<(from + place + lineBreak.count), with: lineBreak)
                if random.next() % 2 == 0 { bytes[from + place + lineBreak.count + 20] = 0x0A }  // a second line after it
                let found = try Self.withSource(bytes) { $0.recordStart(from: from) }
                #expect(found == readingsStart(bytes, from: from), "line break \(lineBreak) at \(place)")
            }
        }
    }

    /// The two readings: bytes from inside a description rule out the reading from outside quotes at the quote that
    /// closes it, and bytes from outside rule out the reading from inside at the quote that opens the next one.
    @Test func aQuoteFollowedByTextRulesAReadingOut() {
        func decide(_ text: String) -> (Int?, outsideRuledOut: Bool, insideRuledOut: Bool) {
            var readings = QuoteReadings(after: 0x20)
            let bytes = Array(text.utf8)
            for (i, b) in bytes.enumerated() {
                readings.read(b, lineBreak: b == 0x0A, endingAt: i + 1)
                if let d = readings.decision { return (d, readings.outside.ruledOut, readings.inside.ruledOut) }
            }
            return (nil, readings.outside.ruledOut, readings.inside.ruledOut)
        }
        // Inside a description: its line break is not between records; the one after its closing quote's row is.
        let inside = "asked for family.\nThen settled.\",Approved\nW2,A1,\"Slept\",Approved\n"
        let a = decide(inside)
        #expect(a.outsideRuledOut && !a.insideRuledOut)
        #expect(a.0 == inside.utf8.count - "W2,A1,\"Slept\",Approved\n".utf8.count)
        // Outside quotes: the first line break ends a record.
        let outside = "d,Approved\nW2,A1,\"Patient \"\"settled\"\"\",Approved\n"
        let b = decide(outside)
        #expect(!b.outsideRuledOut && b.insideRuledOut)
        #expect(b.0 == "d,Approved\n".utf8.count)
        // Neither reading ruled out (no quotes): nothing decided, and the fallback is the first line break.
        var plain = QuoteReadings(after: 0x20)
        for (i, b) in Array("abc\ndef\n".utf8).enumerated() { plain.read(b, lineBreak: b == 0x0A, endingAt: i + 1) }
        #expect(plain.decision == nil && plain.fallback == 4)
        // Both ruled out (not plain CSV): the first line break.
        let both = decide("a\"b\nc,\"d\"e\n")
        #expect(both.outsideRuledOut && both.insideRuledOut && both.0 == 4)
    }
}
