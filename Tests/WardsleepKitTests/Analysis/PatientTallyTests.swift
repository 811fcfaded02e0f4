import Foundation
import Testing
@testable import WardsleepKit

/// Distinct patients counted in flat memory: whatever goes to disk, every count is the one a set of patients gives.
struct PatientTallyTests {
    /// Random patients on random wards in four groups, against sets: each ward's count and the count of any set of
    /// wards (a patient on two of them counted once), with the buffer held in memory, spilled a few times, and
    /// spilled as runs of 8 entries (thousands of runs, merged a block of 64 at a time).
    @Test(arguments: [PatientTally.defaultMemoryEntries, 1_000, 8])
    func countsAgreeWithSetsOfPatients(memory: Int) {
        var random = SampleRandom(seed: UInt64(memory))
        let tally = PatientTally(groups: 4, memoryEntries: memory)
        var model: [[Int: Set<PatientID>]] = Array(repeating: [:], count: 4)
        for step in 0..<60_000 {
            // A pool that grows along the export, patients seen again now and then, a few wards each.
            let pool = 50 + step / 4
            // Numbers spread over 64 bits as HMACs are (so buckets stay small and are sorted by insertion).
            let n = random.chance(0.3) ? random.next() % 40 : random.next() % UInt64(pool)
            let p = PatientID(high: n &* 0x9E37_79B9_7F4A_7C15, low: ~n)
            let ward = Int((p.high &* 31 &+ random.next() % 3) % 9)
            let group = Int(random.next() % 4)
            tally.insert(p, group: group, ward: ward)
            model[group][ward, default: []].insert(p)
        }
        #expect(tally.isSpilled == (memory < 10_000))
        for g in 0..<4 {
            for w in 0..<10 {
                #expect(tally.patients(group: g, ward: w).count == (model[g][w]?.count ?? 0), "group \(g) ward \(w)")
            }
            for _ in 0..<40 {
                let wards = (0..<9).filter { _ in random.chance(0.4) }
                var set = PatientSet()
                var reference = Set<PatientID>()
                for w in wards {
                    set.formUnion(tally.patients(group: g, ward: w))
                    reference.formUnion(model[g][w] ?? [])
                }
                #expect(set.count == reference.count, "group \(g) wards \(wards)")
            }
        }
    }

    /// The runs' partitions merged on several threads give the counts one thread gives, entry for entry: patients
    /// spread over every partition (HMAC-like numbers), a patient on several wards and in several groups, runs of 8
    /// entries (a partition's slice of a run often empty) and of 1,000.
    @Test(arguments: [(8, 4), (1_000, 3), (1_000, 64)])
    func partitionsMergedOnSeveralThreadsCountTheSame(memory: Int, threads: Int) throws {
        var random = SampleRandom(seed: 7)
        let one = PatientTally(groups: 3, memoryEntries: memory), several = PatientTally(groups: 3, memoryEntries: memory)
        var model: [[Int: Set<PatientID>]] = Array(repeating: [:], count: 3)
        for _ in 0..<40_000 {
            let n = random.next() % 9_000
            let p = PatientID(high: n &* 0x9E37_79B9_7F4A_7C15, low: ~n)
            let ward = Int((n &+ random.next() % 2) % 11), group = Int(random.next() % 3)
            one.insert(p, group: group, ward: ward)
            several.insert(p, group: group, ward: ward)
            model[group][ward, default: []].insert(p)
        }
        #expect(one.isSpilled && several.isSpilled)
        try one.finish(threads: 1)
        try several.finish(threads: threads)
        for g in 0..<3 {
            var all = PatientSet(), reference = Set<PatientID>()
            for w in 0..<12 {
                let a = one.patients(group: g, ward: w), b = several.patients(group: g, ward: w)
                #expect(a == b && a.count == (model[g][w]?.count ?? 0), "group \(g) ward \(w)")
                all.formUnion(b)
                reference.formUnion(model[g][w] ?? [])
            }
            #expect(all.count == reference.count && all.count > 1_000)
        }
    }

    /// One patient met in many runs far apart, on the same ward and on others, is still one patient.
    @Test func aPatientInManyRunsIsCountedOnce() {
        let tally = PatientTally(groups: 1, memoryEntries: 16)
        for i in 0..<5_000 {
            tally.insert(PatientID(i % 2 == 0 ? 1 : 10_000 + i), group: 0, ward: i % 500 == 0 ? 1 : 0)
        }
        #expect(tally.isSpilled)
        var both = tally.patients(group: 0, ward: 0)
        #expect(both.count == 2_501)
        both.formUnion(tally.patients(group: 0, ward: 1))
        #expect(tally.patients(group: 0, ward: 1).count == 1 && both.count == 2_501)
    }

    /// Without a usable temporary folder the entries stay in memory: the counts are the same, and the buffer is
    /// sorted again only once it has doubled (100,000 patients through a buffer of 16: about 13 sorts, not 100,000). The
    /// count of sorts is the check; the time limit only stops a run that never ends.
    @Test(.timeLimit(.minutes(10))) func aTemporaryFolderThatCannotBeUsedLeavesTheCountsRight() {
        let tally = PatientTally(groups: 1, memoryEntries: 16, temporaryFolder: "/nonexistent/wardsleep-test")
        for i in 0..<3_000 { tally.insert(PatientID(i % 700), group: 0, ward: 0) }
        #expect(!tally.isSpilled && tally.patients(group: 0, ward: 0).count == 700)
        let many = PatientTally(groups: 1, memoryEntries: 16, temporaryFolder: "/nonexistent/wardsleep-test")
        for i in 0..<100_000 { many.insert(PatientID(i), group: 0, ward: i % 3) }
        #expect(many.compactions <= 16, "\(many.compactions) sorts")
        var all = many.patients(group: 0, ward: 0)
        all.formUnion(many.patients(group: 0, ward: 1))
        all.formUnion(many.patients(group: 0, ward: 2))
        #expect(all.count == 100_000)
    }

    /// Spilling, the buffer is sorted once per buffer's worth of new entries.
    @Test func spillingSortsOncePerBuffer() {
        let tally = PatientTally(groups: 1, memoryEntries: 1_000)
        for i in 0..<100_000 { tally.insert(PatientID(i), group: 0, ward: 0) }
        #expect(tally.isSpilled && tally.compactions == 100)
        #expect(tally.patients(group: 0, ward: 0).count == 100_000)
    }

    /// The runs on disk hold patients' keyed numbers and ward numbers, never the identifier: a run's file, read as
    /// an attacker on the machine would, holds no identifier read, as text or as a number.
    @Test func theRunsHoldNoIdentifier() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wardsleep-tally-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let p = try Pseudonymiser(keyText: testKey, source: .environment)
        let tally = PatientTally(groups: 1, memoryEntries: 16, temporaryFolder: folder)
        let identifiers = (0..<1_000).map { 9_434_760_000 + $0 * 7 }
        for n in identifiers { tally.insert(p.patientID(for: ArraySlice(Array(String(n).utf8))), group: 0, ward: 0) }
        #expect(tally.isSpilled)
        // The file is unlinked at once: nothing is left in the folder, during the run or after.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        // Read through this process's open file, as another holder of the run's rights could: readable by the owner
        // only, and no identifier in it, written out (no run of ten digits) or as a number in either byte order.
        var runs = 0
        for fd in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)"),
                  target.hasPrefix(folder + "/wardsleep-patients.") else { continue }
            runs += 1
            var info = stat()
            #expect(fstat(Int32(fd)!, &info) == 0 && info.st_mode & 0o777 == 0o600 && info.st_nlink == 0)
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "/proc/self/fd/\(fd)")))
            #expect(bytes.count >= 16 * 1024)  // runs written out (the last few may still be in the write buffer)
            var digits = 0, longest = 0
            for b in bytes {
                digits = (0x30...0x39).contains(b) ? digits + 1 : 0
                longest = max(longest, digits)
            }
            #expect(longest < 10)
            var words = Set<UInt64>()
            for i in 0...(bytes.count - 8) {
                let w = bytes[i..<(i + 8)].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
                words.insert(w)
                words.insert(w.byteSwapped)
            }
            #expect(identifiers.allSatisfy { !words.contains(UInt64($0)) })
        }
        #expect(runs == 1)
        #expect(tally.patients(group: 0, ward: 0).count == 1_000)
    }

    /// Hypnotic patients and protected-sleep uptake, counted on disk from the first few entries, give exactly what
    /// they give in memory.
    @Test func analysesGiveTheSameCountsOnDisk() {
        let study = testStudy()
        let formulary = Formulary.builtIn()
        let inMemory = HypnoticUse(formulary: formulary), onDisk = HypnoticUse(formulary: formulary, memoryPatients: 8)
        let plansInMemory = UptakeTally(), plansOnDisk = UptakeTally(memoryPatients: 8)
        var random = SampleRandom(seed: 44)
        let drug = formulary.index(named: "zopiclone")!
        let start = CalendarDay(year: 2018, month: 1, day: 1)!
        for i in 0..<20_000 {
            let day = start.adding(days: Int(random.next() % 600))
            let ward = Int(random.next() % UInt64(study.wards.count))
            let patient = PatientID(random.next() % 3_000)
            let timing = EventTiming(day: day, time: nil, periods: study.periods(forWard: ward), window: study.protectedWindow)
            let r = HypnoticAdministrationRecord(day: day, time: nil, ward: ward, patient: patient, drug: drug, doseMg: 7.5,
                                                 status: random.chance(0.1) ? .refused : .given, prn: random.chance(0.5), timing: timing)
            inMemory.hypnoticAdministration(r)
            onDisk.hypnoticAdministration(r)
            let plan = SleepPlanRecord(night: day, ward: ward, patient: patient, protected: i % 3 != 0, decidedBy: [],
                                       patientInvolved: nil, carerInvolved: nil, period: timing.period)
            plansInMemory.sleepPlan(plan)
            plansOnDisk.sleepPlan(plan)
        }
        #expect(inMemory.doses == onDisk.doses && !inMemory.doses.isEmpty)
        #expect(inMemory.doses.values.contains { $0.values.contains { $0.prnPatients.count > 100 } })
        let a = plansInMemory.uptake, b = plansOnDisk.uptake
        #expect(a.wards == b.wards && a.study == b.study && a.study.patients.count > 1_000)
    }
}
