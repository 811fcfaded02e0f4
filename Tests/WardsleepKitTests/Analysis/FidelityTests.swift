import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import WardsleepKit

/// Fidelity of the protected sleep period from a hand-built observation log. Study: wards A1 and D1 (D1's pilot from
/// 1 February 2019), window 00:00–06:00, checks before 12:00 belong to the previous night.
@Suite struct FidelityTests {
    let dir = TempFolder()

    /// Sleep plans (pilot, night of 4 March 2019): A1 P1 protected, P2 protected, P3 not protected; D1 P4 and P5
    /// protected. P1 has no plan on the night of 5 March.
    static let plans = """
    night,ward,patient,protected
    04/03/2019,A1,P1,Y
    04/03/2019,A1,P2,Y
    04/03/2019,A1,P3,N
    04/03/2019,D1,P4,Y
    04/03/2019,D1,P5,Y

    """

    /// The log, each row with what it counts as:
    static let log = """
    datetime,ward,patient,reason,staff
    05/03/2019 00:00,A1,P1,Routine,Jane Nurse
    05/03/2019 06:00,A1,P2,Routine,Jane Nurse
    04/03/2019 23:59,A1,P2,Routine,Jane Nurse
    05/03/2019 05:59,A1,P2,Clinical need,Jane Nurse
    06/03/2019 02:00,A1,P1,Routine,Jane Nurse
    05/03/2019 03:00,A1,P3,Routine,Jane Nurse
    05/03/2019 01:00,D1,P4,Routine,Jane Nurse
    05/03/2019 02:00,D1,P4,,Jane Nurse
    05/03/2019 00:30,D1,P5,1:1,Jane Nurse
    05/03/2018 01:00,A1,P9,Routine,Jane Nurse
    05/03/2019 02:00,A1,P2,Bedtime,Jane Nurse
    05/03/2019,A1,P2,Routine,Jane Nurse

    """
    // Line 2, 00:00 on the 5th: night of the 4th, inside the window (its start is inside): P1's protected night lapses.
    // Line 3, 06:00: the window's end is outside it: not counted. Line 4, 23:59 on the 4th: night of the 4th, outside.
    // Line 5, 05:59, clinical need on P2's protected night: an override, not a lapse.
    // Line 6, 02:00 on the 6th: night of the 5th, when P1 has no plan: a check with no plan.
    // Line 7: P3 is not protected: only a check in the window.
    // Lines 8–9: two routine checks on P4's protected night (the second has no reason: routine): one lapsed night.
    // Line 10, "1:1": enhanced observation of P5: an override. Line 11: baseline, no plan.
    // Line 12: an unknown reason; line 13: no time — both quarantined.
    //
    // A1 pilot: protected 2 (P1, P2), without a routine check 1 (P2), routine 1, clinical need 1, in window 4 (lines
    // 2, 5, 6, 7), no plan 1. D1 pilot: protected 2, without 1 (P5), routine 2, enhanced 1, in window 3. A1 baseline:
    // in window 1, no plan 1. All wards, pilot: protected 4, without 2 → 50%.

    static let occupancy = "date,ward,occupied_beds\n04/03/2019,A1,10\n04/03/2018,A1,12\n"

    func writeStudy() -> String {
        let folder = dir.path + "/study"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = dir.write("study/study.yaml", studyYAML())
        _ = dir.write("study/sleep_plans.csv", FidelityTests.plans)
        _ = dir.write("study/observations.csv", FidelityTests.log)
        _ = dir.write("study/occupancy.csv", FidelityTests.occupancy)
        return folder
    }

    func results() throws -> (FidelityResults, IngestResult, ProblemLog) {
        let folder = writeStudy()
        let study = try StudyLoader.load(folder: folder)
        let context = NormaliseContext(study: study, pseudonymiser: try Pseudonymiser(keyText: testKey, source: .environment))
        let analyses = try StudyAnalyses(study: study, folder: folder)
        let log = ProblemLog()
        let ingest = try StudyIngest.run(folder: folder, context: context, problems: log, consumer: analyses.consumer)
        return (FidelityResults(analyses.fidelity, study: study, occupancy: analyses.occupancy.totals), ingest, log)
    }

    @Test func protectedNightsChecksAndOverridesAtTheWindowEdges() throws {
        let (f, ingest, log) = try results()
        let t = try #require(ingest.tally(.observations))
        #expect(t.rowsRead == 12 && t.accepted == 10 && t.quarantined == 2)
        #expect(log.problems.map(\.message) == [
            "observations.csv:12: column \"reason\": \"Bedtime\": " + CodedFields.observationReason.unmappedReason,
            "observations.csv:13: column \"datetime\": \"05/03/2019\": no time: a check needs the time it was made (dd/mm/yyyy HH:MM)",
        ])
        let a1 = try #require(f.cell(ward: 0, period: .pilot))
        #expect(a1.protectedNights == 2 && a1.protectedNightsWithoutRoutineCheck == 1)
        #expect(a1.checks == FidelityTally.Checks(inWindow: 4, routineOnProtected: 1, clinicalNeedOnProtected: 1,
                                                  enhancedOnProtected: 0, withoutPlan: 1))
        #expect(a1.bedNights == 10)
        let d1 = try #require(f.cell(ward: 1, period: .pilot))
        #expect(d1.protectedNights == 2 && d1.protectedNightsWithoutRoutineCheck == 1)
        #expect(d1.checks == FidelityTally.Checks(inWindow: 3, routineOnProtected: 2, clinicalNeedOnProtected: 0,
                                                  enhancedOnProtected: 1, withoutPlan: 0))
        let a1Baseline = try #require(f.cell(ward: 0, period: .baseline))
        #expect(a1Baseline.protectedNights == 0 && a1Baseline.checks.inWindow == 1 && a1Baseline.checks.withoutPlan == 1)
        #expect(a1Baseline.bedNights == 12)
        let all = try #require(f.cell(ward: nil, period: .pilot))
        #expect(all.protectedNights == 4 && all.protectedNightsWithoutRoutineCheck == 2 && all.checks.inWindow == 7)
        // Monthly series for the p-charts: March 2019 only, per ward and for all wards.
        #expect(f.months.map { "\($0.ward) \($0.month.iso) \($0.nights) \($0.withoutRoutine)" }
            == ["-1 2019-03-01 4 2", "0 2019-03-01 2 1", "1 2019-03-01 2 1"])
        #expect(f.charts(study: try StudyLoader.load(folder: dir.path + "/study")).map(\.title) == [
            "Protected nights with no routine check, all wards", "Protected nights with no routine check, ward A1",
            "Protected nights with no routine check, ward D1",
        ])
    }

    @Test func exactStatisticsEqualR() throws {
        let (f, _, _) = try results()
        let shown = ReleasedFidelity(f, study: testStudy(), style: .exact)
        let all = try #require(shown.rows.first { $0.ward == "all" && $0.period == .pilot }?.fidelity)
        // R: binom.test(2, 4)$conf.int → 0.067585986488543 0.932414013511457
        #expect(all.estimate == 0.5)
        #expect(abs(all.lower! - 0.067585986488543) < 1e-9 && abs(all.upper! - 0.932414013511457) < 1e-9)
        // R: poisson.test(c(4, 1), c(10, 12)) → rate ratio 4.8, CI 0.47499993998224 236.38784758718538, p 0.18410938150027
        let a1 = try #require(shown.comparisons.first { $0.ward == "A1" }?.ratio)
        #expect(abs(a1.estimate! - 4.8) < 1e-12)
        #expect(abs(a1.lower! - 0.47499993998224) < 1e-8 && abs(a1.upper! - 236.38784758718538) < 1e-6)
        #expect(abs(a1.pExact! - 0.18410938150027) < 1e-9)
        // R: poisson.test(c(7, 1), c(10, 12)) → 8.4, CI 1.07916041505043 378.58006244253284, p 0.0271518538109928
        let every = try #require(shown.comparisons.first { $0.ward == "all" }?.ratio)
        #expect(abs(every.estimate! - 8.4) < 1e-12)
        #expect(abs(every.lower! - 1.07916041505043) < 1e-8 && abs(every.upper! - 378.58006244253284) < 1e-6)
        #expect(abs(every.pExact! - 0.0271518538109928) < 1e-9)
        // D1 has no census: no bed-nights, no ratio.
        #expect(shown.comparisons.first { $0.ward == "D1" }?.ratio == nil)
    }

    @Test func releasedCopySuppressesSmallCountsAndWithholdsWhatTheyFeed() throws {
        let folder = writeStudy()
        let out = dir.path + "/out"
        var o = RunOptions(studyFolder: folder, outFolder: out, environment: ["WARDSLEEP_KEY": testKey], unsuppressed: true)
        o.ledgerPath = dir.path + "/ledger.sqlite"
        o.acceptQualityWarnings = true  // two of twelve rows are quarantined on purpose
        _ = try StudyRun.run(o)
        let released = try #require(dir.read("out/results.json"))
        let exact = try #require(dir.read("out/restricted/results.json"))
        func fidelity(_ text: String) throws -> [String: Any] {
            let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
            return try #require(json["fidelity"] as? [String: Any])
        }
        let r = try fidelity(released), e = try fidelity(exact)
        let rAll = (r["by_ward_period"] as! [[String: Any]]).first { $0["ward"] as? String == "all" && $0["period"] as? String == "pilot" }!
        let eAll = (e["by_ward_period"] as! [[String: Any]]).first { $0["ward"] as? String == "all" && $0["period"] as? String == "pilot" }!
        #expect(eAll["protected_nights"] as? Int == 4 && eAll["protected_nights_without_routine_check"] as? Int == 2)
        #expect(eAll["fidelity_percent"] as? Double == 50)
        // Released: 4 and 2 are small numbers; the proportion and its interval would give them back, so they are withheld.
        #expect(rAll["protected_nights"] as? String == "*" && rAll["protected_nights_without_routine_check"] as? String == "*")
        #expect(rAll["fidelity_percent"] is NSNull && rAll["ci_lower"] is NSNull)
        let rRatio = (r["checks_rate_ratio"] as! [[String: Any]]).first { $0["ward"] as? String == "all" }!
        #expect(rRatio["pilot_checks"] as? String == "*" && rRatio["rate_ratio"] is NSNull && rRatio["disclosure"] as? String == "suppressed")
        // Staff names are never kept: not in any output, quarantine included.
        for file in try FileManager.default.subpathsOfDirectory(atPath: out) {
            guard let text = dir.read("out/" + file) else { continue }
            #expect(!text.contains("Jane Nurse"), "\(file) names a member of staff")
        }
        #expect(try #require(dir.read("out/summary.md")).contains("## Results: the intervention as delivered"))
        // The key finding follows the released counts: exact in restricted/, withheld when the counts are small.
        #expect(try #require(dir.read("out/restricted/summary.md")).contains(
            "- **Delivery.** 50.0% of protected patient-nights in the pilot had no routine check in the protected window (2 of 4; 95% CI 6.8% to 93.2%)."))
        #expect(try #require(dir.read("out/summary.md")).contains(
            "- **Delivery.** Protected patient-nights are too few to publish how many went without a routine check."))
        #expect(try #require(dir.read("out/tables/fidelity.csv")).hasPrefix(FidelitySection.columns.joined(separator: ",")))
    }

    /// The staff column is never read: a control character in it (a damaged name) leaves the check counted, where the
    /// same byte in the reason column quarantines the row.
    @Test func aControlCharacterInTheStaffColumnLeavesTheCheck() throws {
        let folder = writeStudy()
        _ = dir.write("study/observations.csv", FidelityTests.log.replacingOccurrences(of: "05/03/2019 00:00,A1,P1,Routine,Jane Nurse",
                                                                                      with: "05/03/2019 00:00,A1,P1,Routine,Jane\u{0}Nurse"))
        let study = try StudyLoader.load(folder: folder)
        let context = NormaliseContext(study: study, pseudonymiser: try Pseudonymiser(keyText: testKey, source: .environment))
        let analyses = try StudyAnalyses(study: study, folder: folder)
        let log = ProblemLog()
        let ingest = try StudyIngest.run(folder: folder, context: context, problems: log, consumer: analyses.consumer)
        let t = try #require(ingest.tally(.observations))
        #expect(t.rowsRead == 12 && t.accepted == 10 && t.quarantined == 2)
        #expect(!log.problems.contains { $0.column == "staff" })
        let f = FidelityResults(analyses.fidelity, study: study, occupancy: analyses.occupancy.totals)
        #expect(f.cell(ward: 0, period: .pilot)?.protectedNightsWithoutRoutineCheck == 1)

        _ = dir.write("study/observations.csv", FidelityTests.log.replacingOccurrences(of: "05/03/2019 00:00,A1,P1,Routine,Jane Nurse",
                                                                                      with: "05/03/2019 00:00,A1,P1,Rout\u{0}ine,Jane Nurse"))
        let again = ProblemLog()
        let damaged = try StudyIngest.run(folder: folder, context: context, problems: again,
                                          consumer: try StudyAnalyses(study: study, folder: folder).consumer)
        #expect(damaged.tally(.observations)?.quarantined == 3 && again.problems.contains { $0.line == 2 && $0.column == "reason" })
    }

    @Test func aStudyMapsItsOwnReasonLabels() throws {
        // "Bedtime" (line 12) is this ward's word for a routine check: mapped in study.yaml, the row is read, and P2's
        // protected night of the 4th now has a routine check inside the window.
        let folder = writeStudy()
        _ = dir.write("study/study.yaml", studyYAML("""
        exports:
          observations: { values: { reason: { Bedtime: routine } } }

        """))
        let study = try StudyLoader.load(folder: folder)
        let context = NormaliseContext(study: study, pseudonymiser: try Pseudonymiser(keyText: testKey, source: .environment))
        let analyses = try StudyAnalyses(study: study, folder: folder)
        let log = ProblemLog()
        let ingest = try StudyIngest.run(folder: folder, context: context, problems: log, consumer: analyses.consumer)
        #expect(ingest.tally(.observations)?.quarantined == 1)
        let f = FidelityResults(analyses.fidelity, study: study, occupancy: analyses.occupancy.totals)
        #expect(f.cell(ward: 0, period: .pilot)?.protectedNightsWithoutRoutineCheck == 0)
        #expect(f.cell(ward: 0, period: .pilot)?.checks.routineOnProtected == 2)
    }

    @Test func aWardWithoutALogIsLeftOutAndNamedNotCountedAsNoChecks() throws {
        // The same log without D1's rows: D1 kept no log. Its protected nights must not read as delivered, nor its
        // bed-nights dilute the checks rate: all wards = A1.
        let folder = writeStudy()
        _ = dir.write("study/observations.csv", FidelityTests.log.split(separator: "\n").filter { !$0.contains(",D1,") }
            .joined(separator: "\n") + "\n")
        let study = try StudyLoader.load(folder: folder)
        let context = NormaliseContext(study: study, pseudonymiser: try Pseudonymiser(keyText: testKey, source: .environment))
        let analyses = try StudyAnalyses(study: study, folder: folder)
        _ = try StudyIngest.run(folder: folder, context: context, problems: ProblemLog(), consumer: analyses.consumer)
        let f = FidelityResults(analyses.fidelity, study: study, occupancy: analyses.occupancy.totals)
        #expect(f.wardsWithoutLog == [1])
        #expect(f.cell(ward: 1, period: .pilot) == nil)
        let all = try #require(f.cell(ward: nil, period: .pilot)), a1 = try #require(f.cell(ward: 0, period: .pilot))
        #expect(all.protectedNights == 2 && all.protectedNightsWithoutRoutineCheck == 1 && all.checks == a1.checks)
        #expect(f.charts(study: study).map(\.title) == ["Protected nights with no routine check, ward A1"])
        let md = FidelitySection.render(f, study: study, style: .exact, observationsSupplied: true).markdown
        #expect(md.contains("No observation log for ward D1: left out of every figure below (no log is not the same as no checks)."))
        // R: binom.test(1, 2)$conf.int → 0.01257912 0.98742088
        #expect(md.contains("| Ward A1 | pilot | 2 | 1 | 50.0% (1.3 to 98.7) |"))
        #expect(md.contains("In the pilot, 50.0% of protected patient-nights on ward A1 had no routine check inside the window"))
    }

    @Test func aLogWrittenInUSDatesStopsOrReadsAsItsOwnDateFormatSays() throws {
        // The log's dates as an American system writes them: 03/05/2019 01:00 (5 March) and 03/13/2019 02:00.
        let folder = writeStudy()
        let us = "datetime,ward,patient,reason\n03/05/2019 01:00,A1,P1,Routine\n03/13/2019 02:00,A1,P2,Routine\n"
        _ = dir.write("study/observations.csv", us)
        func read(_ yaml: String) throws -> FidelityResults {
            _ = dir.write("study/study.yaml", studyYAML(yaml))
            let study = try StudyLoader.load(folder: folder)
            let context = NormaliseContext(study: study, pseudonymiser: try Pseudonymiser(keyText: testKey, source: .environment))
            let analyses = try StudyAnalyses(study: study, folder: folder)
            _ = try StudyIngest.run(folder: folder, context: context, problems: ProblemLog(), consumer: analyses.consumer)
            return FidelityResults(analyses.fidelity, study: study, occupancy: analyses.occupancy.totals)
        }
        // Read as dmy, month 13 would be quarantined and 03/05 read as 3 May: the file is refused instead, naming the setting.
        #expect { _ = try read("") } throws: { ($0 as? ConfigurationError)?.message.contains("exports.observations.date_format: mdy") == true }
        // Its own date_format reads it: P1's check falls on the night of 4 March, inside the window, on a protected night.
        let f = try read("exports:\n  observations: { date_format: mdy }\n")
        #expect(f.cell(ward: 0, period: .pilot)?.checks.routineOnProtected == 1)
        #expect(f.cell(ward: 0, period: .pilot)?.checks.inWindow == 2)
    }

    @Test func withoutAnObservationLogTheReportSaysSo() throws {
        let md = FidelitySection.render(nil, study: testStudy(), style: .exact, observationsSupplied: false).markdown
        #expect(md.contains("Fidelity: not supplied (no observations export)"))
    }

    @Test func memoryFollowsThePlansNotTheLog() throws {
        // A million checks on one planned patient-night leave the tally holding one plan and its counters.
        let tally = FidelityTally()
        let night = CalendarDay(year: 2019, month: 3, day: 4)!
        tally.sleepPlan(SleepPlanRecord(night: night, ward: 0, patient: 7, protected: true, decidedBy: [], patientInvolved: nil,
                                        carerInvolved: nil, period: .pilot))
        let check = ObservationRecord(ward: 0, patient: 7, night: night, inProtectedWindow: true, reason: .routine, period: .pilot)
        for _ in 0..<1_000_000 { tally.observation(check) }
        #expect(tally.checks(ward: 0, period: .pilot).routineOnProtected == 1_000_000)
        #expect(tally.protectedNights().values.map(\.nights) == [1])
        #expect(tally.protectedNights().values.map(\.withoutRoutine) == [0])
    }
}

/// The fidelity join on disk (`PlanSpill`) against the join in memory: the same counts whatever the budget, the
/// partitions and the order plans and checks arrive in.
@Suite struct FidelitySpillTests {
    struct Outcome: Equatable {
        var checks: [FidelityTally.Checks]
        var nights: [String]
        var repeated: Int
        var logged: [Bool]
    }

    func outcome(_ tally: FidelityTally, wards: Int, threads: Int = 1) throws -> Outcome {
        try tally.finish(threads: threads)
        let checks = (0..<wards).flatMap { w in StudyPeriod.allCases.map { tally.checks(ward: w, period: $0) } }
        let nights = tally.protectedNights().map { "\($0.key.ward) \($0.key.period) \($0.key.month.iso) \($0.value.nights) \($0.value.withoutRoutine)" }.sorted()
        return Outcome(checks: checks, nights: nights, repeated: tally.repeatedPlans, logged: (0..<wards).map(tally.isLogged))
    }

    /// Plans (with repeats, unprotected nights, both periods and none) and checks (in and out of the window, every
    /// reason, nights with and without a plan); with `interleaved`, checks arrive between the plans too.
    func feed(_ tallies: [FidelityTally], seed: UInt64, interleaved: Bool) {
        var random = SampleRandom(seed: seed)
        let start = CalendarDay(year: 2019, month: 1, day: 1)!.dayNumber
        func plan() -> SleepPlanRecord {
            let period: StudyPeriod? = [.baseline, .pilot, nil][Int(random.next() % 3)]
            return SleepPlanRecord(night: CalendarDay(dayNumber: start + Int(random.next() % 90)), ward: Int(random.next() % 4),
                                   patient: PatientID(random.next() % 60), protected: random.next() % 3 != 0, decidedBy: [],
                                   patientInvolved: nil, carerInvolved: nil, period: period)
        }
        func check() -> ObservationRecord {
            let period: StudyPeriod? = [.baseline, .pilot, nil][Int(random.next() % 3)]
            return ObservationRecord(ward: Int(random.next() % 5), patient: PatientID(random.next() % 70),
                                     night: CalendarDay(dayNumber: start + Int(random.next() % 100)), inProtectedWindow: random.next() % 4 != 0,
                                     reason: ObservationReason.allCases[Int(random.next() % 3)], period: period)
        }
        for i in 0..<6_000 {
            let p = plan()
            for t in tallies { t.sleepPlan(p) }
            if interleaved && i % 3 == 0 {
                let c = check()
                for t in tallies { t.observation(c) }
            }
        }
        for _ in 0..<20_000 {
            let c = check()
            for t in tallies { t.observation(c) }
        }
    }

    @Test func theJoinOnDiskCountsWhatTheJoinInMemoryCounts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fidelity-spill-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(MemoryLayout<PlanSpill.Record>.size == 24)
        for (seed, interleaved) in [(1 as UInt64, false), (2, true), (3, true)] {
            let memory = FidelityTally(memoryPlans: .max)
            let onDisk = [FidelityTally(memoryPlans: 0, partitions: 1, temporaryFolder: folder),
                          FidelityTally(memoryPlans: 50, partitions: 7, temporaryFolder: folder),
                          FidelityTally(memoryPlans: 2_000, partitions: 64, temporaryFolder: folder)]
            // The same joins, their partitions joined on 4 threads.
            let threaded = [FidelityTally(memoryPlans: 50, partitions: 7, temporaryFolder: folder),
                            FidelityTally(memoryPlans: 2_000, partitions: 64, temporaryFolder: folder)]
            feed([memory] + onDisk + threaded, seed: seed, interleaved: interleaved)
            // The partitions are unnamed: nothing is left in the folder, even while they are in use.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
            let expected = try outcome(memory, wards: 5)
            #expect(!memory.isSpilled && expected.repeated > 0 && expected.nights.count > 10)
            #expect(expected.checks.contains { $0.withoutPlan > 0 } && expected.checks.contains { $0.routineOnProtected > 0 })
            for t in onDisk {
                #expect(t.isSpilled)
                #expect(try outcome(t, wards: 5) == expected, "seed \(seed)")
            }
            for t in threaded { #expect(try outcome(t, wards: 5, threads: 4) == expected, "seed \(seed), 4 threads") }
        }
    }

    /// A partition with more plans than memory may hold is split again before it is joined (at up to
    /// `FidelityTally.maximumLevel` levels), so no join holds more than `memoryPlans` plans, whatever the count of plans
    /// against partitions; and the counts stay those of the join in memory.
    @Test func aPartitionTooLargeForMemoryIsSplitAgain() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fidelity-split-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // About 4,000 plans (some repeated): 64 partitions hold ~60 each; 4 hold ~1,000, split once for joins of ~250;
        // 2 hold ~2,000, split at each level to the last (32 partitions of ~125, joined whatever their size).
        for (seed, interleaved) in [(5 as UInt64, false), (6, true)] {
            let tallies = [FidelityTally(memoryPlans: .max),
                           FidelityTally(memoryPlans: 2_000, partitions: 64, temporaryFolder: folder),
                           FidelityTally(memoryPlans: 500, partitions: 4, temporaryFolder: folder),
                           FidelityTally(memoryPlans: 10, partitions: 2, temporaryFolder: folder)]
            // Split and joined on 3 threads: the same counts, the same splits, no join larger.
            let threaded = [FidelityTally(memoryPlans: 500, partitions: 4, temporaryFolder: folder),
                            FidelityTally(memoryPlans: 10, partitions: 2, temporaryFolder: folder)]
            feed(tallies + threaded, seed: seed, interleaved: interleaved)
            let expected = try outcome(tallies[0], wards: 5)
            for t in tallies.dropFirst() { #expect(try outcome(t, wards: 5) == expected, "seed \(seed)") }
            for t in threaded { #expect(try outcome(t, wards: 5, threads: 3) == expected, "seed \(seed), 3 threads") }
            #expect(threaded[0].partitionsSplit == 4 && threaded[0].largestJoin <= 500)
            #expect(threaded[1].partitionsSplit == 2 + 4 + 8 + 16)
            #expect(tallies[1].partitionsSplit == 0 && tallies[1].largestJoin <= 2_000)
            #expect(tallies[2].partitionsSplit == 4 && tallies[2].largestJoin <= 500, "\(tallies[2].largestJoin)")
            #expect(tallies[3].partitionsSplit == 2 + 4 + 8 + 16 && tallies[3].largestJoin > 10, "\(tallies[3].partitionsSplit)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        }
    }

    /// Plans that all name one patient-night cannot be spread by any hash: the splitting stops at the last level and
    /// the join holds the one plan kept.
    @Test func plansOfOnePatientNightStopSplittingAtTheLastLevel() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fidelity-one-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let t = FidelityTally(memoryPlans: 10, partitions: 4, temporaryFolder: folder)
        let night = CalendarDay(dayNumber: 17_900)
        // Twenty patient-nights move the join to disk (repeats of one are kept once in memory, so they never would).
        for i in 0..<20 {
            t.sleepPlan(SleepPlanRecord(night: night.adding(days: i + 1), ward: 0, patient: PatientID(UInt64(100 + i)), protected: true,
                                        decidedBy: [], patientInvolved: nil, carerInvolved: nil, period: .pilot))
        }
        #expect(t.isSpilled)
        for i in 0..<1_000 {
            t.sleepPlan(SleepPlanRecord(night: night, ward: 0, patient: 7, protected: i % 2 == 0, decidedBy: [], patientInvolved: nil,
                                        carerInvolved: nil, period: .pilot))
        }
        t.observation(ObservationRecord(ward: 0, patient: 7, night: night, inProtectedWindow: true, reason: .routine, period: .pilot))
        #expect(t.repeatedPlans == 999)
        #expect(t.partitionsSplit == FidelityTally.maximumLevel && t.largestJoin <= 10, "\(t.partitionsSplit) \(t.largestJoin)")
        #expect(t.checks(ward: 0, period: .pilot).routineOnProtected == 1)
    }

    @Test func withoutATemporaryFolderThePlansStayInMemory() throws {
        let memory = FidelityTally(memoryPlans: .max)
        let nowhere = FidelityTally(memoryPlans: 10, partitions: 4, temporaryFolder: "/nonexistent/wardsleep-\(UUID().uuidString)")
        feed([memory, nowhere], seed: 4, interleaved: false)
        #expect(!nowhere.isSpilled)
        #expect(try outcome(nowhere, wards: 5) == outcome(memory, wards: 5))
    }
}

/// The partitions on disk as another user of the machine would try them: nothing to open by name, and the open files
/// themselves readable by the owner only.
@Suite struct PlanSpillExposureTests {
    @Test func thePartitionsHaveNoNameAndOnlyTheirOwnerMayReadThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spill-exposure-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spill = try PlanSpill(partitions: 3, folder: folder)
        let key = PlanJoin.key(42, CalendarDay(dayNumber: 17_900))
        spill.write(.plan(key, PlanJoin.Plan(ward: 0, night: 17_900, period: .pilot, protected: true), routineChecked: false))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        // This process's open files that were made in the folder: every one unlinked, every one mode 0600.
        var found = 0
        for fd in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)"),
                  target.hasPrefix(folder + "/wardsleep-fidelity.") else { continue }
            found += 1
            #expect(target.hasSuffix(" (deleted)"), "\(target)")
            var info = stat()
            #expect(fstat(Int32(fd)!, &info) == 0)  // the file itself, not the /proc link to it
            #expect(info.st_mode & 0o777 == 0o600 && info.st_nlink == 0, "\(target)")
        }
        #expect(found == 3)
        var read = 0
        for p in 0..<spill.partitions { try spill.read(p) { r in read += r.key == key ? 1 : 0 } }
        #expect(read == 1)
    }

    /// Runs `run` on the study `write` makes, with a 64 KiB file-size limit (as a full disk would refuse writes) and
    /// its temporary files in a folder of their own; checks that it stopped with exit 70 saying `failure`, wrote no
    /// report and left no temporary file behind.
    func expectRefusedWrite(_ name: String, failure: String, write: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let study = folder + "/study", temporary = folder + "/tmp", out = folder + "/report"
        for f in [temporary, study] { try FileManager.default.createDirectory(atPath: f, withIntermediateDirectories: true) }
        try write(study)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // SIGXFSZ ignored (inherited through exec), so a write past the limit fails with EFBIG instead of killing the run.
        process.arguments = ["-c", "trap '' XFSZ; ulimit -f 128; exec \"$0\" \"$@\"", wardsleepBinary(), "run", study,
                             "--out", out, "--ledger", folder + "/ledger.sqlite"]
        var environment = ProcessInfo.processInfo.environment
        environment["WARDSLEEP_KEY"] = "wardsleep-test-key-synthetic-data-only"
        environment["TMPDIR"] = temporary
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == ExitStatus.internalError.rawValue, "\(message)")
        #expect(message.contains("cannot write \(failure): File too large; no report was written"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
    }

    /// A partition the system refuses to write stops the run with exit 70 and says what failed; no report is written
    /// from incomplete counts, and no partition is left behind.
    @Test func aRefusedWriteStopsTheRunAndWritesNoReport() throws {
        // 450,000 plans: beyond the 65,536 held in memory, about 160 KiB reaches each of the 64 partitions, over the
        // 64 KiB limit; the run ledger (about 28 KiB) stays under it.
        try expectRefusedWrite("spill-refused", failure: "a temporary file of the fidelity join") { study in
            _ = try BenchmarkSleepPlans.write(to: study, rows: 450_000, seed: 7)
        }
    }

    /// The same for the patient counts' runs.
    @Test func aRefusedWriteOfThePatientCountsStopsTheRunAndWritesNoReport() throws {
        // 200,000 doses, each to one of a million patients: the first run of 65,536 entries (1.5 MiB) is over the limit.
        try expectRefusedWrite("tally-refused", failure: "a temporary file of the patient counts") { study in
            _ = try BenchmarkStudy.write(to: study, rows: 200_000, seed: 7, export: .administrations, patients: 1_000_000)
        }
    }
}
