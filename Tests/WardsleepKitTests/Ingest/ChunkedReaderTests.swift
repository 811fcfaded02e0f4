import Foundation
import Testing
@testable import WardsleepKit

/// The chunked, multi-threaded reader against the plain single-threaded one: identical accepted rows, identical
/// quarantine (same problems, same line numbers, same order) and identical tallies, at chunk sizes from 1 to 97 bytes so
/// that every boundary case occurs (a quote, a CRLF pair, a byte-order mark, a line break inside a quoted field, a
/// multi-byte UTF-8 or Windows-1252 character near a grid line), and byte-identical reports for 1 and 4 threads.
@Suite(.serialized) struct ChunkedReaderTests {
    /// Chunk sizes tried with 4 threads (1 thread at the default size is tried too).
    static let tinyChunks = [1, 2, 3, 5, 7, 11, 13, 31, 64, 97]

    /// What one read gave, in comparable form.
    struct Reading: Equatable {
        var tally: ExportTally
        var records: [String]
        var problems: [DataProblem]
    }

    /// A record as text, its patient shown as the pseudonym.
    static func canonical(_ record: Any, _ context: NormaliseContext) -> String {
        Mirror(reflecting: record).children.map { child in
            if child.label == "patient" {
                if let id = child.value as? PatientID { return "patient: \(id.pseudonym)" }
                if let id = child.value as? PatientID? { return "patient: \(id.map { $0.pseudonym } ?? "none")" }
            }
            return "\(child.label ?? ""): \(child.value)"
        }.joined(separator: "; ")
    }

    /// The plain reader: one libcsv pass over the whole file on one thread, each record handled as it comes.
    static func referenceRead<N: RecordNormaliser>(_ path: String, spec: ExportSpec, _ normaliser: N,
                                                   _ context: NormaliseContext) throws -> Reading {
        var n = normaliser
        var tally = ExportTally(export: spec.kind, file: spec.file)
        if n.placesRowsInPeriods { tally.analysedByPeriod = [.baseline: 0, .pilot: 0] }
        var layout: ExportLayout?
        var records: [String] = [], problems: [DataProblem] = []
        var windows1252 = false, swallowed = 0
        let summary = try CSVFileReader(path: path, displayName: spec.file).read { record in
            guard let layout else {
                let labels = (0..<record.fieldCount).map { TextDecoding.decode(record.field($0).trimmingWhitespace()).0 }
                let h = try ExportHeader(labels: labels, spec: spec, file: spec.file)
                try n.prepare(header: h, spec: spec)
                layout = ExportLayout(header: h, spec: spec)
                return
            }
            record.withView { view in ExportRow.withRow(view, layout: layout) { row in
                row.checkShape()
                tally.rowsRead += row.rows
                swallowed += row.swallowedBlankLines
                let result = row.problems.isEmpty ? n.normalise(&row) : nil
                if row.sawWindows1252 { windows1252 = true }
                if let reason = row.setAsideReason {
                    tally.accepted += 1
                    tally.setAside[reason, default: 0] += 1
                    return
                }
                if let result, row.problems.isEmpty {
                    if let refused = n.admit(result) {
                        tally.quarantined += 1
                        let column = layout.header.index[refused.field].map { layout.header.labels[$0] } ?? spec.header(for: refused.field)
                        problems.append(DataProblem(export: spec.kind, file: spec.file, line: row.line, column: column,
                                                    field: refused.field, value: ExportRow.shown(refused.value, field: refused.field),
                                                    reason: refused.reason))
                        return
                    }
                    tally.accepted += 1
                    if let reason = n.setAsideReason(result) {
                        tally.setAside[reason, default: 0] += 1
                    } else if n.placesRowsInPeriods, let p = n.period(of: result) {
                        tally.analysedByPeriod![p]! += 1
                    }
                    records.append(canonical(result, context))
                } else {
                    tally.quarantined += row.rows
                    if row.problems.isEmpty { row.reject("", "row could not be read") }
                    problems += row.problems
                }
            } }
        }
        guard let layout else { throw InputError(file: spec.file, message: "the file has no header row") }
        tally.blankLines = summary.blankLines + swallowed
        tally.bytes = summary.bytes
        tally.sha256 = summary.sha256
        tally.byteOrderMark = summary.hadByteOrderMark
        // The encoding is the file's: any byte sequence that is not UTF-8, in a field or not.
        let fileBytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
        tally.encoding = windows1252 || !UTF8Check.isValid(fileBytes[...]) ? "windows-1252" : "utf-8"
        let lone = fileBytes.indices.filter { fileBytes[$0] == 0x0D && ($0 + 1 == fileBytes.count || fileBytes[$0 + 1] != 0x0A) }.count
        tally.loneCarriageReturns = lone > 0 ? lone : nil
        tally.unusedColumns = layout.header.unused
        tally.patientIdentifiers = layout.header.index["patient"] != nil
        tally.hasStatus = layout.header.index["status"] != nil
        return Reading(tally: tally, records: records, problems: problems)
    }

    /// The chunked reader with `threads` and `chunkBytes`.
    static func chunkedRead<N: RecordNormaliser>(_ path: String, spec: ExportSpec, _ normaliser: N, _ context: NormaliseContext,
                                                 threads: Int, chunkBytes: Int) throws -> Reading {
        var n = normaliser
        let log = ProblemLog()
        var records: [String] = []
        let tally = try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: log, threads: threads,
                                          chunkBytes: chunkBytes) { records.append(canonical($0, context)) }
        return Reading(tally: tally, records: records, problems: log.problems)
    }

    /// Reads `path` every way and expects one result (or the same refusal every way).
    func expectSameEveryWay<N: RecordNormaliser>(_ path: String, spec: ExportSpec, _ make: (NormaliseContext) -> N,
                                                 study: StudyDefinition, _ what: String, chunks: [Int] = tinyChunks) throws {
        func context() throws -> NormaliseContext {
            NormaliseContext(study: study, pseudonymiser: try Pseudonymiser(keyText: testKey, source: .environment))
        }
        /// The reading, or the refusal's message.
        func outcome(_ body: () throws -> Reading) -> Either {
            do { return .read(try body()) } catch { return .refused("\(error)") }
        }
        let c0 = try context()
        let reference = outcome { try Self.referenceRead(path, spec: spec, make(c0), c0) }
        var configurations = [(1, ExportIngest.defaultChunkBytes), (4, ExportIngest.defaultChunkBytes)]
        configurations += chunks.map { (4, $0) } + [(1, chunks[chunks.count / 2])]
        for (threads, chunk) in configurations {
            let c = try context()
            let chunked = outcome { try Self.chunkedRead(path, spec: spec, make(c), c, threads: threads, chunkBytes: chunk) }
            #expect(chunked == reference, "\(what): \(threads) threads, \(chunk)-byte chunks")
        }
    }

    enum Either: Equatable {
        case read(Reading)
        case refused(String)
    }

    let incidentStudy = testStudy("""
    exports:
      incidents: { categories: { "Violence and aggression": violence, "Self harm": self_harm } }

    """)

    @Test func corpusFilesReadTheSameInChunks() throws {
        let dir = TempFolder()
        let folder = packageRoot() + "/Tests/WardsleepKitTests/Corpus"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(files.count >= 18)
        for file in files {
            let path = dir.write("incidents.csv", bytes: [UInt8](FileManager.default.contents(atPath: folder + "/" + file)!))
            let spec = incidentStudy.exports[.incidents]
            try expectSameEveryWay(path, spec: spec, { IncidentNormaliser(context: $0, spec: spec) }, study: incidentStudy, file)
        }
    }

    @Test func everySampleExportReadsTheSameInChunks() throws {
        let dir = TempFolder()
        for hypnotics in ["issues", "administrations"] {
            let folder = dir.path + "/" + hypnotics
            #expect(try runWardsleep(["sample", "--out", folder, "--hypnotics", hypnotics]).status == 0)
            let study = try StudyLoader.load(folder: folder)
            func path(_ kind: ExportKind) -> String { folder + "/" + study.exports[kind].file }
            // Thousands of lines each: a few grids (tiny ones on the small exports), not every size.
            func same<N: RecordNormaliser>(_ kind: ExportKind, _ make: (NormaliseContext) -> N) throws {
                let small = (try? FileManager.default.attributesOfItem(atPath: path(kind))[.size] as? Int).flatMap { $0 } ?? 0 < 100_000
                try expectSameEveryWay(path(kind), spec: study.exports[kind], make, study: study, "\(hypnotics) \(kind)",
                                       chunks: small ? [1, 13, 97] : [97, 4_099, 65_537])
            }
            let s = study.exports
            try same(.occupancy) { OccupancyNormaliser(context: $0) }
            try same(.incidents) { IncidentNormaliser(context: $0, spec: s[.incidents]) }
            if hypnotics == "issues" {
                try same(.hypnotics) { HypnoticIssueNormaliser(context: $0) }
            } else {
                try same(.hypnotics) { HypnoticAdministrationNormaliser(context: $0) }
            }
            try same(.feedback) { FeedbackNormaliser(context: $0) }
            try same(.sleepPlans) { SleepPlanNormaliser(context: $0) }
            try same(.involvement) { InvolvementNormaliser(context: $0) }
            try same(.observations) { ObservationNormaliser(context: $0, spec: s[.observations]) }
        }
    }

    @Test func duplicateCensusDaysAreFoundAcrossChunks() throws {
        let dir = TempFolder()
        let study = testStudy()
        var text = "date,ward,occupied_beds\n"
        for d in 1...20 { text += String(format: "%02d/03/2019,A1,%d\n", d, 10 + d % 3) }
        text += "05/03/2019,A1,12\n2019-03-07,A1,9\n"  // both seen earlier, far from the first sighting
        let path = dir.write("occupancy.csv", text)
        try expectSameEveryWay(path, spec: study.exports[.occupancy], { OccupancyNormaliser(context: $0) }, study: study, "duplicates")
        let c = NormaliseContext(study: study, pseudonymiser: nil)
        let r = try Self.chunkedRead(path, spec: study.exports[.occupancy], OccupancyNormaliser(context: c), c, threads: 4, chunkBytes: 5)
        #expect(r.tally.accepted == 20 && r.tally.quarantined == 2)
        #expect(r.problems.map(\.line) == [22, 23] && r.problems.allSatisfy { $0.reason.hasPrefix("duplicate census: ward A1") })
    }

    /// A chunk starts after a line break of any kind libcsv ends a record on: a line feed, or a carriage return with no
    /// line feed after it, never between the two of a CRLF pair. A file of carriage returns alone was one chunk, held
    /// whole and read on one thread (an administrations export of 1,000,000 such rows ran in 209 MiB, against 48 MiB
    /// with line feeds).
    @Test func chunksStartAfterEveryKindOfLineBreak() throws {
        let dir = TempFolder()
        let study = testStudy()
        var rows: [String] = []
        for d in 1...28 { for w in ["A1", "D1"] { rows.append(String(format: "%02d/02/2019,%@,%d", d, w, 10 + d % 5)) } }
        rows.insert("31/02/2019,A1,9", at: 40)  // quarantined: its line number is the same however the file is cut
        let header = "date,ward,occupied_beds"
        for (name, breaks) in [("CR", ["\r"]), ("CRLF", ["\r\n"]), ("LF", ["\n"]), ("mixed", ["\r", "\n", "\r\n", "\r"])] {
            var text = header + breaks[0]
            for (i, row) in rows.enumerated() { text += row + breaks[(i + 1) % breaks.count] }
            let path = dir.write("occupancy.csv", text)
            let bytes = [UInt8](text.utf8)
            let file = try #require(fopen(path, "rb"))
            defer { fclose(file) }
            let starts = ChunkSource(fd: fileno(file), displayName: "occupancy.csv").chunkStarts(from: header.utf8.count + breaks[0].utf8.count, grid: 64)
            #expect(starts.count >= bytes.count / 64 - 1, "\(name): \(starts.count) chunks of \(bytes.count) bytes")
            for s in starts.dropFirst() {
                #expect(bytes[s - 1] == 0x0A || (bytes[s - 1] == 0x0D && bytes[s] != 0x0A), "\(name): a chunk starts at byte \(s)")
            }
            try expectSameEveryWay(path, spec: study.exports[.occupancy], { OccupancyNormaliser(context: $0) }, study: study, name)
            let c = NormaliseContext(study: study, pseudonymiser: nil)
            let r = try Self.chunkedRead(path, spec: study.exports[.occupancy], OccupancyNormaliser(context: c), c, threads: 4, chunkBytes: 64)
            #expect(r.tally.rowsRead == 57 && r.tally.accepted == 56 && r.tally.quarantined == 1, "\(name)")
            #expect(r.problems.map(\.line) == [42], "\(name)")
        }
    }

    /// A carriage return alone, then a line of white space ending with a line feed (`\r  \n`): two lines, however the
    /// file is cut. The parser once took that line feed for the second half of a CRLF pair and counted one line too
    /// few for each, while the chunks' line counts did not, so a quarantined row's line depended on where chunks began.
    @Test func whiteSpaceAfterALoneCarriageReturnIsALineOfItsOwnWhereverChunksStart() throws {
        let dir = TempFolder()
        let study = testStudy()
        var text = "date,ward,occupied_beds\n", line = 2, badLine = 0
        for d in 1...28 {
            for w in ["A1", "D1"] {
                let bad = d == 20 && w == "D1"
                if bad { badLine = line }
                text += bad ? "31/02/2019,D1,9" : String(format: "%02d/02/2019,%@,%d", d, w, 10 + d % 5)
                if d % 3 == 0 { text += "\r \t\n"; line += 2 } else { text += "\n"; line += 1 }
            }
        }
        let path = dir.write("occupancy.csv", text)
        try expectSameEveryWay(path, spec: study.exports[.occupancy], { OccupancyNormaliser(context: $0) }, study: study, "CR then white space")
        let c = NormaliseContext(study: study, pseudonymiser: nil)
        for chunk in [7, 64, 1 << 19] {
            let r = try Self.chunkedRead(path, spec: study.exports[.occupancy], OccupancyNormaliser(context: c), c, threads: 4, chunkBytes: chunk)
            #expect(r.problems.map(\.line) == [badLine], "chunks of \(chunk)")
            #expect(r.tally.blankLines == 18, "chunks of \(chunk)")
        }
    }

    /// The first line of every chunk is the sum of the breaks of the chunks before it, whatever order the chunks count
    /// theirs in and however many threads ask at once (each sum is kept, so a chunk's breaks are added once; a thread
    /// that waited must look again at how far the sums go, since another may have gone further meanwhile).
    @Test func chunkFirstLinesAreTheBreaksBeforeThemWhateverTheOrder() {
        let count = 2_000
        var random = SampleRandom(seed: 12)
        let breaks = (0..<count).map { _ in Int(random.next() % 50) }
        var expected = [7]
        for b in breaks.dropLast() { expected.append(expected.last! + b) }
        for round in 0..<4 {
            let bases = LineBases(count: count, first: 7)
            let order = (0..<count).shuffled(using: &random)
            let got = UncheckedBox(NSMutableArray(array: Array(repeating: -1, count: count)))
            let lock = NSLock()
            // Four threads count (publish, in a random order, never waiting); four ask, each for chunks in its own order.
            let asks = (0..<4).map { _ in (0..<count).shuffled(using: &random).prefix(300) }
            // Threads of their own (a pool of two could run the askers first and wait for ever).
            let done = DispatchGroup()
            for t in 0..<8 {
                done.enter()
                Thread {
                    if t < 4 {
                        for (i, k) in order.enumerated() where i % 4 == t { bases.publish(k, breaks: breaks[k]) }
                    } else {
                        for k in asks[t - 4] {
                            let line = bases.base(k)
                            lock.lock(); got.value[k] = line; lock.unlock()
                        }
                    }
                    done.leave()
                }.start()
            }
            done.wait()
            var asked = 0
            for k in 0..<count where (got.value[k] as! Int) != -1 {
                #expect(got.value[k] as! Int == expected[k], "round \(round): chunk \(k)")
                asked += 1
            }
            #expect(asked > 900 && bases.base(count - 1) == expected[count - 1], "\(asked)")
        }
    }

    /// A census of more wards than a chunk's label cache usually holds (4,096): every chunk meets every ward, written
    /// three ways (id, name, name in capitals). Each ward cell resolves to its ward whatever the chunking, an unknown
    /// ward is quarantined and a ward in `exclude_wards` set aside, as one plain pass gives; and a chunk's cache of ward
    /// cells holds every label of the study twice over, so it is not emptied part way through a chunk.
    @Test func aCensusOfThousandsOfWardsReadsTheSameInChunks() throws {
        let wards = 5_000
        var yaml = """
        version: 1
        study: Many wards
        periods:
          baseline: { from: 2018-01-01, to: 2018-08-31 }
          pilot:    { from: 2019-01-01, to: 2019-08-31 }
        exclude_wards: [Forensic F9]
        wards:

        """
        for w in 1...wards { yaml += "  - { id: W\(w), name: Ward number \(w), type: acute, beds: 20 }\n" }
        let study = try StudyLoader.parse(yaml)
        var text = "date,ward,occupied_beds\n"
        for day in 1...3 {
            for w in 1...wards {
                let label = [String(format: "W%d", w), "Ward number \(w)", "WARD  NUMBER \(w)"][(w + day) % 3]
                text += String(format: "%02d/03/2019,", day) + label + ",\(10 + w % 7)\n"
            }
            text += String(format: "%02d/03/2019,Ward number 5001,12\n", day) + String(format: "%02d/03/2019,FORENSIC  F9,3\n", day)
        }
        let dir = TempFolder()
        let path = dir.write("occupancy.csv", text)
        let spec = study.exports[.occupancy]
        try expectSameEveryWay(path, spec: spec, { OccupancyNormaliser(context: $0) }, study: study, "5,000 wards", chunks: [4_099, 65_537])
        let c = NormaliseContext(study: study, pseudonymiser: nil)
        #expect(c.wardCacheLimit == 2 * (2 * wards + 1))  // ids and names, and the excluded ward
        var n = OccupancyNormaliser(context: c)
        let log = ProblemLog()
        var seen: [Int] = []
        let tally = try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: log, threads: 2, chunkBytes: 65_537) {
            seen.append($0.ward)
        }
        #expect(tally.rowsRead == 3 * (wards + 2) && tally.accepted == 3 * (wards + 1) && tally.quarantined == 3)
        #expect(tally.setAside["excluded by design"] == 3)
        #expect(seen == Array(repeating: Array(0..<wards), count: 3).flatMap { $0 })
        #expect(log.problems.allSatisfy { $0.reason.hasPrefix("unknown ward") && $0.value == "Ward number 5001" })
    }

    /// A read that leaves the file's SHA-256 out (`validate`) reads every row the same; a run's read has the hash of the
    /// file's bytes (`sha256sum`).
    @Test func aReadWithoutTheFingerprintReadsTheSame() throws {
        let path = packageRoot() + "/data/sample/incidents.csv"
        let study = try StudyLoader.load(folder: packageRoot() + "/data/sample")
        let spec = study.exports[.incidents]
        func read(_ fingerprint: Bool) throws -> (ExportTally, [String], [DataProblem]) {
            let c = NormaliseContext(study: study, pseudonymiser: try Pseudonymiser(keyText: testKey, source: .environment))
            var n = IncidentNormaliser(context: c, spec: spec)
            let log = ProblemLog()
            var records: [String] = []
            let tally = try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: log, threads: 2, chunkBytes: 4_096,
                                              fingerprint: fingerprint) { records.append(Self.canonical($0, c)) }
            return (tally, records, log.problems)
        }
        let (withHash, records, problems) = try read(true)
        var (without, otherRecords, otherProblems) = try read(false)
        #expect(withHash.sha256 == Digest.sha256(try Data(contentsOf: URL(fileURLWithPath: path))) && without.sha256 == "")
        without.sha256 = withHash.sha256
        #expect(without == withHash && otherRecords == records && otherProblems == problems && records.count > 2_000)
    }

    /// Random damage to the first lines of an export: quotes, line breaks of every kind, commas, multi-byte UTF-8, a
    /// Windows-1252 byte and byte-order marks inserted anywhere; one file in five starting with a byte-order mark; a
    /// third of the files with CRLF line breaks and a third with carriage returns alone (old Mac software).
    static func mutated(_ base: [UInt8], round: Int, _ random: inout SampleRandom) -> [UInt8] {
        let inserts: [[UInt8]] = [[0x22], [0x0D], [0x0A], [0x0D, 0x0A], [0x2C], [0xC3, 0xA9], [0xE9], [0x22, 0x22], [0xEF, 0xBB, 0xBF]]
        var bytes = base
        for _ in 0..<(1 + round % 6) {
            let at = random.pick(Array(bytes.indices))
            bytes.insert(contentsOf: random.pick(inserts), at: at)
        }
        if round % 5 == 0 { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        let text = String(decoding: bytes, as: UTF8.self)
        if round % 3 == 0 { bytes = Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8) }
        if round % 3 == 1 { bytes = Array(text.replacingOccurrences(of: "\n", with: "\r").utf8) }
        return bytes
    }

    /// The first `count` lines of one of the sample's exports.
    static func sampleLines(_ file: String, _ count: Int) throws -> [UInt8] {
        let sample = [UInt8](try Data(contentsOf: URL(fileURLWithPath: packageRoot() + "/data/sample/" + file)))
        return Array(sample.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(count).joined(separator: [0x0A]))
    }

    @Test func mutatedExportsReadTheSameInChunks() throws {
        let dir = TempFolder()
        let base = try Self.sampleLines("incidents.csv", 120)
        let study = try StudyLoader.load(folder: packageRoot() + "/data/sample")
        let spec = study.exports[.incidents]
        var random = SampleRandom(seed: 77)
        for round in 0..<40 {
            let path = dir.write("incidents.csv", bytes: Self.mutated(base, round: round, &random))
            try expectSameEveryWay(path, spec: spec, { IncidentNormaliser(context: $0, spec: spec) }, study: study, "mutation \(round)")
        }
    }

    /// The same damage to every other kind of export: each reads the same whatever the chunks and threads.
    @Test func everyKindOfMutatedExportReadsTheSameInChunks() throws {
        let dir = TempFolder()
        let study = try StudyLoader.load(folder: packageRoot() + "/data/sample")
        let s = study.exports
        var random = SampleRandom(seed: 1_303)
        func same<N: RecordNormaliser>(_ kind: ExportKind, _ make: (NormaliseContext) -> N) throws {
            let base = try Self.sampleLines(s[kind].file, 60)
            for round in 0..<12 {
                let path = dir.write(s[kind].file, bytes: Self.mutated(base, round: round, &random))
                try expectSameEveryWay(path, spec: s[kind], make, study: study, "\(kind) mutation \(round)", chunks: [1, 2, 5, 13, 97])
            }
        }
        try same(.occupancy) { OccupancyNormaliser(context: $0) }
        try same(.hypnotics) { HypnoticIssueNormaliser(context: $0) }
        try same(.feedback) { FeedbackNormaliser(context: $0) }
        try same(.sleepPlans) { SleepPlanNormaliser(context: $0, spec: s[.sleepPlans]) }
        try same(.involvement) { InvolvementNormaliser(context: $0) }
        try same(.observations) { ObservationNormaliser(context: $0, spec: s[.observations]) }
    }

    /// A sample study with every export damaged: its reports, quarantine files included, are byte-identical whatever
    /// the threads and chunks.
    @Test func aMutatedStudyReportsTheSameWhateverTheThreads() throws {
        let dir = TempFolder()
        let study = dir.path + "/study"
        #expect(try runWardsleep(["sample", "--out", study, "--hypnotics", "administrations"]).status == 0)
        let definition = try StudyLoader.load(folder: study)
        var random = SampleRandom(seed: 4_211)
        for (round, kind) in ExportKind.allCases.enumerated() {
            let path = study + "/" + definition.exports[kind].file
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            try Data(Self.mutated([UInt8](data), round: round, &random)).write(to: URL(fileURLWithPath: path))
        }
        var outs: [String] = []
        for (threads, chunk) in [(1, ExportIngest.defaultChunkBytes), (4, 97), (2, 65_537)] {
            var o = RunOptions(studyFolder: study, outFolder: dir.path + "/out-\(threads)-\(chunk)",
                                   environment: ["WARDSLEEP_KEY": testKey], unsuppressed: true)
            o.threads = threads
            o.chunkBytes = chunk
            o.ledgerPath = dir.path + "/ledger.sqlite"
            o.acceptQualityWarnings = true
            _ = try StudyRun.run(o)
            outs.append(o.outFolder!)
        }
        let quarantined = (try? FileManager.default.contentsOfDirectory(atPath: outs[0] + "/restricted/quarantine")) ?? []
        #expect(quarantined.count == ExportKind.allCases.count)  // every export has rows to quarantine
        try expectSameReports(outs[0], outs[1])
        try expectSameReports(outs[0], outs[2])
    }

    /// Every file of two reports, byte for byte.
    func expectSameReports(_ a: String, _ b: String) throws {
        let files = (FileManager.default.subpaths(atPath: a) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        #expect(files == (FileManager.default.subpaths(atPath: b) ?? []).filter { !$0.hasPrefix(".") }.sorted())
        #expect(files.count > 20)
        for f in files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: a + "/" + f, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            #expect(FileManager.default.contents(atPath: a + "/" + f) == FileManager.default.contents(atPath: b + "/" + f), "\(f) differs")
        }
    }

    @Test func reportsAreByteIdenticalWhateverTheThreads() throws {
        let dir = TempFolder()
        let study = dir.path + "/study"
        #expect(try runWardsleep(["sample", "--out", study, "--hypnotics", "administrations"]).status == 0)
        var outs: [String] = []
        for (threads, chunk) in [(1, ExportIngest.defaultChunkBytes), (4, 97), (2, 4096)] {
            var o = RunOptions(studyFolder: study, outFolder: dir.path + "/out-\(threads)-\(chunk)", environment: [:], unsuppressed: true)
            o.threads = threads
            o.chunkBytes = chunk
            o.ledgerPath = dir.path + "/ledger.sqlite"
            _ = try StudyRun.run(o)
            outs.append(o.outFolder!)
        }
        try expectSameReports(outs[0], outs[1])
        try expectSameReports(outs[0], outs[2])
        // And through the command line: --threads 1 against every core.
        let one = try runWardsleep(["run", study, "--out", dir.path + "/cli-1", "--threads", "1", "--ledger", dir.path + "/l.sqlite"])
        let all = try runWardsleep(["run", study, "--out", dir.path + "/cli-n", "--ledger", dir.path + "/l.sqlite"])
        #expect(one.status == 0 && all.status == 0)
        try expectSameReports(dir.path + "/cli-1", dir.path + "/cli-n")
    }
}
