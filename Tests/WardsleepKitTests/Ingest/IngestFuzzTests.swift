import Foundation
import Testing
@testable import WardsleepKit

/// Random mutations of real and hostile exports through the whole ingest layer (libcsv, header matching, typed fields,
/// normalisers): never a crash, never a lost row. Bounded: a fixed seed and a fixed number of cases (a few seconds).
@Suite struct IngestFuzzTests {
    let study = testStudy("""
    exports:
      incidents: { categories: { "Violence and aggression": violence, "Self harm": self_harm } }

    """)

    var corpus: [[UInt8]] {
        let folder = packageRoot() + "/Tests/WardsleepKitTests/Corpus"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted().filter { $0.hasSuffix(".csv") }
            .compactMap { FileManager.default.contents(atPath: folder + "/" + $0).map { [UInt8]($0) } }
    }

    /// Reads `bytes` as an incident export; returns the tally, or nil when the file is refused with a clear error.
    func ingestBytes(_ bytes: [UInt8], in dir: TempFolder) throws -> ExportTally? {
        let path = dir.write("incidents.csv", bytes: bytes)
        let context = NormaliseContext(study: study, pseudonymiser: try Pseudonymiser(keyText: testKey, source: .environment))
        var n = IncidentNormaliser(context: context, spec: study.exports[.incidents])
        let log = ProblemLog()
        do {
            let t = try ExportIngest.read(path: path, spec: study.exports[.incidents], normaliser: &n, problems: log) { _ in }
            #expect(t.rowsRead == t.accepted + t.quarantined)
            // Every quarantined row has its problems recorded; an unbalanced quote's row stands for each line it swallowed.
            #expect(log.rows + log.problems.reduce(0) { $0 + $1.rows - 1 } == t.quarantined)
            return t
        } catch is WardsleepFailure {
            return nil  // a file-level refusal with a message (empty, no header, mapping mismatch)
        }
    }

    @Test func everyCorpusFileIsAccountedFor() throws {
        let dir = TempFolder()
        #expect(corpus.count >= 18)
        for bytes in corpus { _ = try ingestBytes(bytes, in: dir) }
    }

    /// What reading a corpus file gives: `read/accepted/quarantined`, or the error a refused file gives.
    func outcome(_ name: String, in dir: TempFolder) throws -> String {
        let bytes = try #require(FileManager.default.contents(atPath: packageRoot() + "/Tests/WardsleepKitTests/Corpus/" + name))
        let path = dir.write("incidents.csv", bytes: [UInt8](bytes))
        let context = NormaliseContext(study: study, pseudonymiser: nil)
        var n = IncidentNormaliser(context: context, spec: study.exports[.incidents])
        do {
            let t = try ExportIngest.read(path: path, spec: study.exports[.incidents], normaliser: &n, problems: ProblemLog()) { _ in }
            return "\(t.rowsRead)/\(t.accepted)/\(t.quarantined)"
        } catch let e as WardsleepFailure {
            return e.description
        }
    }

    @Test func hostileCorpusFilesGiveTheirExpectedOutcome() throws {
        let dir = TempFolder()
        let binary = "incidents.csv: input unreadable: this is "
        let expected = [
            "stray-quote-first-row.csv": "3/0/3",
            "stray-quote-mid-file.csv": "4/2/2",
            "stray-quote-last-column.csv": "4/1/3",
            "stray-quote-shifted-columns.csv": "3/1/2",
            "stray-quote-closed-by-line-break.csv": "4/1/3",
            "lone-quote-at-end.csv": "2/1/1",
            "unbalanced-quote.csv": "3/1/2",
            "multiline-comments.csv": "3/3/0",
            "text-after-closing-quote.csv": "7/4/3",
            "headerless.csv": "incidents.csv: no header row: the first row does not name the columns study.yaml expects and looks "
                + "like data (its values are not shown: they may identify a patient); expected a header with the columns "
                + "\"id\", \"date\", \"ward\", \"category\"",
            "gzip-compressed.csv": binary + "a gzip-compressed file, not CSV text; decompress it first",
            "excel-workbook.csv": binary + "an Excel workbook (.xlsx), not CSV text; open it in Excel and save it as CSV UTF-8",
            "utf16-le-bom.csv": binary + "UTF-16 text (little-endian), not UTF-8 or Windows-1252; save it as CSV UTF-8",
            "utf16-be-no-bom.csv": binary + "UTF-16 text (big-endian), not UTF-8 or Windows-1252; save it as CSV UTF-8",
            "binary-noise.csv": binary + "binary data, not CSV text (9% of its first 2,048 bytes are NUL or other control characters)",
            "nul-bytes.csv": "2/0/2",
        ]
        for (name, outcome) in expected.sorted(by: { $0.key < $1.key }) {
            let got = try self.outcome(name, in: dir)
            #expect(got == outcome, "\(name): \(got)")
        }
    }

    @Test func randomMutationsNeverCrashOrLoseRows() throws {
        let dir = TempFolder()
        var random = SampleRandom(seed: 20_191_231)
        let alphabet: [UInt8] = Array("\",\r\n\0 ;/:0123456789AIbx\u{7f}".utf8) + [0xE9, 0xFF, 0xC3]
        let seeds = corpus
        var cases = 0, refused = 0
        for _ in 0..<1500 {
            var bytes = random.pick(seeds)
            for _ in 0...(random.next() % 6) {
                let op = random.next() % 5
                let at = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
                switch op {
                case 0 where !bytes.isEmpty: bytes[at] = random.pick(alphabet)
                case 1: bytes.insert(random.pick(alphabet), at: at)
                case 2 where !bytes.isEmpty: bytes.remove(at: at)
                case 3: bytes = Array(bytes.prefix(at))  // truncated
                default: bytes.insert(contentsOf: Array(bytes.prefix(40)), at: at)  // duplicated fragment
                }
            }
            if try ingestBytes(bytes, in: dir) == nil { refused += 1 }
            cases += 1
        }
        #expect(cases == 1500 && refused < cases)
    }

    /// A generated incident export: plain rows, and descriptions quoted with commas, doubled quotes and line breaks
    /// (CRLF too, and blank lines) in their text. Returns its lines and how many rows it has.
    func generatedExport(_ random: inout SampleRandom) -> (lines: [String], rows: Int) {
        let words = ["quiet", "night", "woke", "said", "\"\"no\"\"", "slept", "03:00", "PRN"]
        var lines = ["id,date,time,ward,category,description"]
        let rows = 3 + Int(random.next() % 12)
        for i in 0..<rows {
            var row = "I\(i),0\(1 + random.next() % 9)/03/2019,02:10,\(random.pick(["A1", "D1", "\"A1\""])),"
                + "\(random.pick(["Self harm", "Violence and aggression", "\"Self harm\""])),"
            switch random.next() % 3 {
            case 0: row += random.pick(words.filter { !$0.contains("\"") })
            case 1: row += ""
            default:
                // Up to three commas on a line: fewer than a six-column row has.
                let text = (0...(random.next() % 3)).map { _ in
                    random.next() % 5 == 0 ? "" : "Text " + (0...(random.next() % 3)).map { _ in random.pick(words) }.joined(separator: ", ")
                }
                row += "\"" + text.joined(separator: random.next() % 2 == 0 ? "\n" : "\r\n") + "\""
            }
            lines.append(row)
        }
        return (lines, rows)
    }

    /// Lines of `bytes` holding something other than spaces and commas (CRLF, LF and CR each end a line).
    func nonBlankLines(_ bytes: [UInt8]) -> Int {
        var count = 0, content = false, previousCR = false
        for b in bytes {
            if b == 0x0A && previousCR { previousCR = false; continue }
            if b == 0x0A || b == 0x0D {
                if content { count += 1 }
                content = false
            } else if b != 0x20 && b != 0x09 && b != 0x2C {
                content = true
            }
            previousCR = b == 0x0D
        }
        return count + (content ? 1 : 0)
    }

    /// Counts, for rows that reach the normaliser (never an unbalanced quote), the lines their quoted fields continue on.
    /// Counts the lines inside accepted records' quoted fields. Workers normalise with copies of the normaliser, so
    /// the count lives in one shared, locked box.
    struct ContinuationCounter: RecordNormaliser {
        final class Count: @unchecked Sendable {
            let lock = NSLock()
            var lines = 0
        }
        var inner: IncidentNormaliser
        let count = Count()
        var dateOrder: DateOrder { inner.dateOrder }
        var continuationLines: Int { count.lock.withLock { count.lines } }
        mutating func normalise(_ row: inout ExportRow) -> IncidentRecord? {
            let n = row.record.endLine - row.record.line - row.record.innerBlankLines
            count.lock.withLock { count.lines += n }
            return inner.normalise(&row)
        }
        func prepare(header: ExportHeader, spec: ExportSpec) throws { try inner.prepare(header: header, spec: spec) }
    }

    @Test func strayQuotesAnywhereAreQuarantinedAndEveryLineIsCounted() throws {
        let dir = TempFolder()
        var random = SampleRandom(seed: 20_260_301)
        let context = NormaliseContext(study: study, pseudonymiser: nil)
        for round in 0..<300 {
            let (lines, rows) = generatedExport(&random)
            var text = lines.joined(separator: "\n") + "\n"
            var strayLine: Int?
            if round % 4 != 0 {
                // A stray quote at the start of an unquoted field: any row (first, middle, last), any column.
                var starts: [(offset: Int, line: Int)] = []
                var line = 1, quoted = false, atFieldStart = true
                for (i, c) in text.utf8.enumerated() {
                    if atFieldStart && line > 1 && c != UInt8(ascii: "\"") && !quoted { starts.append((i, line)) }
                    atFieldStart = false
                    if c == UInt8(ascii: "\"") { quoted.toggle() }
                    if c == 0x0A { line += 1 }
                    if !quoted && (c == UInt8(ascii: ",") || c == 0x0A) { atFieldStart = true }
                }
                let at = random.pick(starts)
                var bytes = Array(text.utf8)
                bytes.insert(UInt8(ascii: "\""), at: at.offset)
                text = String(decoding: bytes, as: UTF8.self)
                strayLine = at.line
            }
            let path = dir.write("incidents.csv", text)
            var counter = ContinuationCounter(inner: IncidentNormaliser(context: context, spec: study.exports[.incidents]))
            let log = ProblemLog()
            let t = try ExportIngest.read(path: path, spec: study.exports[.incidents], normaliser: &counter, problems: log) { _ in }
            #expect(t.rowsRead == t.accepted + t.quarantined)
            #expect(log.rows + log.problems.reduce(0) { $0 + $1.rows - 1 } == t.quarantined)
            // Rows read count physical lines: each line after the header is a row read, or continues an accepted
            // row's quoted field.
            #expect(t.rowsRead + counter.continuationLines == nonBlankLines(Array(text.utf8)) - 1, "\(text)")
            if let strayLine {
                #expect(log.problems.contains { $0.line == strayLine }, "the row with the stray quote is quarantined: \(text)")
            } else {
                #expect(t.accepted == rows && t.quarantined == 0, "\(text)")
            }
        }
    }
}
