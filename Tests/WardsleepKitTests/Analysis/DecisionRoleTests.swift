import Testing
@testable import WardsleepKit

/// Who took protected-sleep decisions: every role a `decided_by` cell names is counted, and a role the export never
/// records is "not recorded", not "0 of N".
@Suite struct DecisionRoleTests {
    let dir = TempFolder()

    func uptake(_ rows: String, header: String = "night,ward,patient,protected,decided_by") throws -> ProtectedSleepUptake {
        let study = testStudy()
        let context = NormaliseContext(study: study, pseudonymiser: try Pseudonymiser(keyText: testKey, source: .environment))
        let path = dir.write("sleep_plans.csv", header + "\n" + rows)
        let (t, records, log) = try ingest(path, spec: study.exports[.sleepPlans], SleepPlanNormaliser(context: context))
        #expect(t.quarantined == 0, "\(log.problems.map(\.message))")
        let u = UptakeTally()
        records.forEach(u.sleepPlan)
        return u.uptake
    }

    @Test func mdtSlashPatientCountsTheMDT() throws {
        // Four protected nights: MDT/patient twice, MDT alone, the patient alone; one unprotected night (not counted).
        // The MDT took part in 3 of 4 decisions: 75.0%. Read as one label "mdt/patient", it was 1 of 4 (25.0%).
        let u = try uptake("""
        04/03/2019,A1,P1,Y,MDT/patient
        04/03/2019,A1,P2,Y,MDT/Patient
        04/03/2019,A1,P3,Y,MDT
        04/03/2019,A1,P4,Y,patient
        04/03/2019,A1,P5,N,MDT/patient

        """)
        let s = u.study
        #expect(s.decidedByRecorded == 4 && s.mdt == 3 && s.nightCoordinator == 0)
        let md = InvolvementSection.uptakePart(u, occupancy: nil, study: testStudy(), style: .exact).markdown
        // No plan names a night coordinator: the export does not record that role.
        #expect(md.contains("the night coordinator not recorded; the MDT 3 of 4 (75.0%)."), "\(md)")
    }

    @Test func flagsTheExportDoesNotHaveAreNotRecorded() throws {
        let u = try uptake("04/03/2019,A1,P1,Y,Night coordinator\n")
        let md = InvolvementSection.uptakePart(u, occupancy: nil, study: testStudy(), style: .exact).markdown
        #expect(md.contains("the patient not recorded; a carer not recorded; the night coordinator 1 of 1 (100.0%); the MDT not recorded."),
                "\(md)")
    }
}
