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
            #expect(log.rows == t.quarantined, "every quarantined row has its problems recorded")
            return t
        } catch is WardsleepFailure {
            return nil  // a file-level refusal with a message (empty, no header, mapping mismatch)
        }
    }

    @Test func everyCorpusFileIsAccountedFor() throws {
        let dir = TempFolder()
        #expect(corpus.count >= 8)
        for bytes in corpus { _ = try ingestBytes(bytes, in: dir) }
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
}
