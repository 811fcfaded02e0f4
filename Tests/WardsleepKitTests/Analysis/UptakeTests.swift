import Testing
@testable import WardsleepKit

/// Protected-sleep uptake: pooled proportion and unweighted mean of ward percentages, each what it says.
@Suite struct UptakeTests {
    @Test func pooledAndUnweightedMeanDiffer() {
        // Wards 35/79, 12/20, 56/125, 5/10, 8/16: pooled 116/250 = 46.4%;
        // mean(c(35/79, 12/20, 56/125, 5/10, 8/16)) * 100 = 49.8207594936709 (R)
        let u = UptakeSummary([(35, 79), (12, 20), (56, 125), (5, 10), (8, 16)])
        #expect(u.pooled.x == 116 && u.pooled.n == 250 && u.pooled.estimate == 0.464)
        #expect(abs(u.unweightedMeanPercent! - 49.8207594936709) < 1e-9)
        #expect(NumberFormat.fixed(u.pooled.estimate! * 100, 1) == "46.4" && NumberFormat.fixed(u.unweightedMeanPercent!, 1) == "49.8")
        // binom.test(116, 250)$conf.int: 0.400933709095239 0.527929916499317
        #expect(abs(u.pooled.lower! - 0.400933709095239) < 1e-9 && abs(u.pooled.upper! - 0.527929916499317) < 1e-9)
    }

    @Test func patientsAreCountedOnceAndOnlyInThePilot() {
        let tally = UptakeTally()
        let night = CalendarDay(year: 2019, month: 3, day: 4)!
        func plan(_ p: PatientID, _ prot: Bool, ward: Int = 0, period: StudyPeriod? = .pilot, decided: DecisionRoles = ["mdt", "night coordinator"],
                  patient: Bool? = true) -> SleepPlanRecord {
            SleepPlanRecord(night: night, ward: ward, patient: p, protected: prot, decidedBy: decided, patientInvolved: patient,
                            carerInvolved: false, period: period)
        }
        for r in [plan(1, true), plan(1, true), plan(2, false), plan(3, true, decided: ["mdt"], patient: nil),
                  plan(1, true, ward: 1), plan(4, true, period: nil)] { tally.sleepPlan(r) }
        let u = tally.uptake
        let w = u.wards[0]!
        #expect(w.patients.count == 3 && w.protectedPatients.count == 2 && w.nights == 4 && w.protectedNights == 3)
        #expect(w.mdt == 3 && w.nightCoordinator == 2 && w.patientInvolved == 2 && w.patientRecorded == 2)
        #expect(u.study.patients.count == 3 && u.study.nights == 5 && u.outsidePilot == 1)
    }
}
