import Foundation
import Testing
@testable import WardsleepKit

/// The table of ward labels as study.yaml writes them (`WardLabels`), which every chunk reads before its own cache,
/// answers exactly as resolving the cell would: for each ward's id, name and aliases as written, in capitals and in
/// lower case, for non-ASCII names, and for wards in `exclude_wards`; any other spelling is not in it and is resolved.
@Suite struct WardLabelsTests {
    static let yaml = studyYAML("""
        exclude_wards: [Forensic F9, "Hafan Cŵl"]

        """).replacingOccurrences(of: "wards:\n", with: """
        wards:
          - { id: TG, name: "Tŷ Gwyn", type: rehabilitation, beds: 10, aliases: ["Ward Élan", "ty gwyn unit"] }

        """)

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func theTableHoldsEveryLabelAsWrittenAndAnswersAsTheResolver() throws {
        let study = try StudyLoader.parse(Self.yaml)
        #expect(study.wards.map(\.id) == ["TG", "A1", "D1"])
        let table = WardLabels(study: study, resolve: NormaliseContext.resolveWard).table
        func resolved(_ b: [UInt8]) -> Int? { b.withUnsafeBufferPointer { NormaliseContext.resolveWard($0[...], in: study) } }

        // Written as study.yaml writes it, in capitals, in lower case: in the table, with the resolver's answer.
        let written = ["TG", "Tŷ Gwyn", "Ward Élan", "ty gwyn unit", "A1", "Acute male", "D1", "Dementia service",
                       "Ward 7 (Dementia)", "forensic f9", "hafan cŵl"]
        for label in written {
            for form in [label, label.uppercased(), label.lowercased()] {
                let b = Self.bytes(form)
                let hit = table.lookup(b[...])
                #expect(hit != nil, "\(form) is in the table")
                #expect(hit.map { $0 } == .some(resolved(b)), "\(form)")
            }
        }
        #expect(table.lookup(Self.bytes("TŶ GWYN")[...]) == .some(0))
        #expect(table.lookup(Self.bytes("WARD ÉLAN")[...]) == .some(0))
        #expect(table.lookup(Self.bytes("Dementia service")[...]) == .some(2))
        #expect(table.lookup(Self.bytes("FORENSIC F9")[...]) == .some(NormaliseContext.excludedWard))
        #expect(table.lookup(Self.bytes("HAFAN CŴL")[...]) == .some(NormaliseContext.excludedWard))

        // Other spellings are left to the resolver (and still resolve), as are labels of no ward, Windows-1252 bytes and
        // a label with a space too many.
        for other: [UInt8] in [Self.bytes("Acute  male"), Self.bytes("aCUTE mALE"), Self.bytes("Ward 8"), [0x57, 0x61, 0x72, 0x64, 0x20, 0xC9, 0x6C, 0x61, 0x6E]] {
            #expect(table.lookup(other[...]) == nil)
        }
        #expect(resolved(Self.bytes("Acute  male")) == 1 && resolved(Self.bytes("aCUTE mALE")) == 1 && resolved(Self.bytes("Ward 8")) == nil)
        // Windows-1252 "Ward Élan" decodes to the alias.
        #expect(resolved([0x57, 0x61, 0x72, 0x64, 0x20, 0xC9, 0x6C, 0x61, 0x6E]) == 0)
        // 3 wards' 9 labels and 2 excluded wards, each in up to three forms ("TG", "A1" and "D1" are already capitals;
        // "ty gwyn unit", "forensic f9" and "hafan cŵl" already lower case).
        #expect(table.count == 3 * 11 - 3 - 3)
    }

    /// A study of thousands of wards: the table is made at its size and keeps every label (a cache of that size would
    /// have emptied itself when full).
    @Test func thousandsOfWardsAreAllHeld() throws {
        var yaml = studyYAML()
        for w in 1...3_000 { yaml += "  - { id: W\(w), name: Ward number \(w), type: acute, beds: 20 }\n" }
        let study = try StudyLoader.parse(yaml)
        let table = WardLabels(study: study, resolve: NormaliseContext.resolveWard).table
        // Each new ward: W1, w1; Ward number 1, WARD NUMBER 1, ward number 1. The two wards of studyYAML: 13 forms
        // (A1, a1, D1, d1, and three each of "Acute male", "Dementia service" and "Ward 7 (Dementia)").
        #expect(table.count == 3_000 * 5 + 13)
        for w in 1...3_000 {
            for form in ["W\(w)", "w\(w)", "Ward number \(w)", "WARD NUMBER \(w)", "ward number \(w)"] {
                #expect(table.lookup(Self.bytes(form)[...]) == .some(w + 1), "\(form)")
            }
        }
    }

    /// Rows naming their wards every way, read on 3 threads in chunks of 7 bytes and in one piece, get the wards the
    /// resolver gives: those in the table, those spelt otherwise, and an unknown and an excluded ward in between.
    @Test func rowsGetTheSameWardsWhetherTheTableOrTheResolverAnswers() throws {
        let study = try StudyLoader.parse(Self.yaml)
        let cells = ["TG", "TŶ GWYN", "tŷ gwyn", "ty gwyn unit", "Ward  Élan", "A1", "acute male", "ACUTE  MALE", "Ward 7 (Dementia)",
                     "d1", "Ward 8", "FORENSIC F9", "Hafan Cŵl"]
        let expected: [Int?] = cells.map { c in Array(c.utf8).withUnsafeBufferPointer { NormaliseContext.resolveWard($0[...], in: study) } }
        #expect(expected == [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, nil, -1, -1])
        var text = "date,ward,occupied_beds\n"
        for (i, c) in cells.enumerated() { text += String(format: "%02d/03/2019,", i + 1) + "\"\(c)\",9\n" }
        let dir = TempFolder()
        let path = dir.write("occupancy.csv", text)
        for (threads, chunk) in [(1, 1 << 20), (3, 7)] {
            let c = NormaliseContext(study: study, pseudonymiser: nil)
            var n = OccupancyNormaliser(context: c)
            let log = ProblemLog()
            var seen: [Int] = []
            let tally = try ExportIngest.read(path: path, spec: study.exports[.occupancy], normaliser: &n, problems: log,
                                              threads: threads, chunkBytes: chunk) { seen.append($0.ward) }
            #expect(seen == expected.compactMap { $0 }.filter { $0 >= 0 }, "\(threads) threads")
            #expect(tally.rowsRead == cells.count && tally.quarantined == 1 && tally.setAside["excluded by design"] == 2)
            #expect(log.problems.map(\.line) == [12] && log.problems.first?.value == "Ward 8")
        }
    }
}
