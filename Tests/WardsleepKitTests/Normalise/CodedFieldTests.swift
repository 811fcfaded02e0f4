import Testing
import Foundation
@testable import WardsleepKit

/// One value mapping for every coded field: each field's default synonyms, a study's own labels
/// (`exports.<export>.values.<field>`), and the unmapped label quarantined with the key to map it in.
@Suite struct CodedFieldTests {
    let dir = TempFolder()

    func context(_ study: StudyDefinition) -> NormaliseContext {
        NormaliseContext(study: study, pseudonymiser: try! Pseudonymiser(keyText: testKey, source: .environment))
    }

    func sleepPlans(_ yaml: String = "", _ rows: String) throws -> (ExportTally, [SleepPlanRecord], ProblemLog) {
        let study = testStudy(yaml)
        let path = dir.write("sleep_plans.csv", "night,ward,patient,protected,decided_by,patient_involved,carer_involved\n" + rows)
        return try ingest(path, spec: study.exports[.sleepPlans], SleepPlanNormaliser(context: context(study), spec: study.exports[.sleepPlans]))
    }

    func feedback(_ yaml: String = "", _ rows: String) throws -> (ExportTally, [FeedbackRecord], ProblemLog) {
        let study = testStudy(yaml)
        let path = dir.write("feedback.csv", "id,group,stage,text\n" + rows)
        return try ingest(path, spec: study.exports[.feedback], FeedbackNormaliser(context: context(study), spec: study.exports[.feedback]))
    }

    func incidents(_ yaml: String, _ rows: String) throws -> (ExportTally, [IncidentRecord], ProblemLog) {
        let study = testStudy(yaml)
        let path = dir.write("incidents.csv", "id,date,ward,category,severity,status\n" + rows)
        return try ingest(path, spec: study.exports[.incidents], IncidentNormaliser(context: context(study), spec: study.exports[.incidents]))
    }

    func administrations(_ yaml: String, _ rows: String) throws -> (ExportTally, [HypnoticAdministrationRecord], ProblemLog) {
        let study = testStudy("exports:\n  hypnotics:\n    kind: administrations\n" + yaml)
        let path = dir.write("hypnotics.csv", "datetime,ward,patient,drug,dose_mg,status,prn\n" + rows)
        return try ingest(path, spec: study.exports[.hypnotics],
                          HypnoticAdministrationNormaliser(context: context(study), spec: study.exports[.hypnotics]))
    }

    @Test func protectedFlagDefaultsAndStudyLabels() throws {
        let (t, r, log) = try sleepPlans("exports:\n  sleep_plans:\n    values: { protected: { PS: yes, Obs: no } }\n", """
        04/03/2019,A1,P1,Y,,,
        04/03/2019,A1,P2,✓,,,
        04/03/2019,A1,P3,TRUE,,,
        04/03/2019,A1,P4,1,,,
        04/03/2019,A1,P5,No,,,
        04/03/2019,A1,P6,ps,,,
        04/03/2019,A1,P7,OBS,,,
        04/03/2019,A1,P8,maybe,,,
        04/03/2019,A1,P9,unknown,,,

        """)
        #expect(r.map(\.protected) == [true, true, true, true, false, true, false])
        #expect(t.quarantined == 2)
        #expect(log.problems.map(\.reason) == [
            "unmapped yes/no flag: expected yes, no, unknown or a synonym (map local labels in study.yaml exports.sleep_plans.values.protected)",
            "not recorded: protected must say whether the night was protected (Y or N)",
        ])
    }

    @Test func patientAndCarerInvolvedFlags() throws {
        let (_, r, log) = try sleepPlans("exports:\n  sleep_plans:\n    values: { carer_involved: { Family present: yes } }\n", """
        04/03/2019,A1,P1,Y,,Yes,Family present
        04/03/2019,A1,P2,Y,,n,False
        04/03/2019,A1,P3,Y,,not recorded,✗
        04/03/2019,A1,P4,Y,,Sometimes,

        """)
        #expect(r.map(\.patientInvolved) == [true, false, nil])
        #expect(r.map(\.carerInvolved) == [true, false, false])
        #expect(log.problems.map(\.field) == ["patient_involved"] && log.problems[0].value == "Sometimes")
    }

    @Test func decidedByRolesAreSplitAndMapped() throws {
        let (_, r, log) = try sleepPlans("exports:\n  sleep_plans:\n    values: { decided_by: { Bleep: night coordinator } }\n", """
        04/03/2019,A1,P1,Y,MDT/patient,,
        04/03/2019,A1,P2,Y,NIC + Consultant,,
        04/03/2019,A1,P3,Y,"Named nurse, carer and patient",,
        04/03/2019,A1,P4,Y,Bleep; Multi-disciplinary team,,
        04/03/2019,A1,P5,Y,MDT/Chaplain,,

        """)
        #expect(r.map(\.decidedBy) == [["mdt", "patient"], ["nurse in charge", "doctor"], ["nurse", "carer", "patient"],
                                       ["night coordinator", "mdt"]])
        // Held as a set of the canonical roles: named in canonical order, whatever the cell's order.
        #expect(r.map(\.decidedBy.names) == [["patient", "mdt"], ["nurse in charge", "doctor"], ["patient", "carer", "nurse"],
                                             ["night coordinator", "mdt"]])
        // The unknown role is a listed problem showing that role, never silently dropped.
        #expect(log.problems.map(\.value) == ["Chaplain"])
        #expect(log.problems[0].reason.hasPrefix("unmapped role: expected patient, carer, night coordinator, nurse in charge, mdt"))
    }

    @Test func splittingOnEverySeparator() {
        #expect(CodedField.split("MDT/patient") == ["MDT", "patient"])
        #expect(CodedField.split("a;b,c+d&e and f") == ["a", "b", "c", "d", "e", "f"])
        #expect(CodedField.split("Nurse in charge") == ["Nurse in charge"])
        #expect(CodedField.split(" ; ") == [])
    }

    @Test func feedbackGroupAndStage() throws {
        let (_, r, log) = try feedback("exports:\n  feedback:\n    values: { group: { HCP: staff }, stage: { Wave 1: before, Wave 2: after } }\n", """
        1,Service user,Pre,a
        2,Relatives,post-pilot,b
        3,HCP,Wave 1,c
        4,NOK,Wave 2,d
        5,Alien,during,e
        6,patient,Wave 3,f

        """)
        #expect(r.map(\.group) == [.patient, .carer, .staff, .carer])
        #expect(r.map(\.stage) == [.before, .after, .before, .after])
        #expect(log.problems.map(\.field) == ["group", "stage"])
        #expect(log.problems[1].reason == "unmapped stage: expected before, during, after or a synonym "
                + "(map local labels in study.yaml exports.feedback.values.stage)")
    }

    @Test func incidentSeverityAndStatus() throws {
        let (t, r, log) = try incidents("""
        exports:
          incidents:
            exclude_status: [rejected]
            values: { severity: { Grade 3: severe }, status: { Logged: reported, Binned: rejected } }

        """, """
        I1,05/03/2019,A1,Falls,Grade 3,Logged
        I2,05/03/2019,A1,Falls,Near miss,Finally approved
        I3,05/03/2019,A1,Falls,4,Binned
        I4,05/03/2019,A1,Falls,Low,Deleted
        I5,05/03/2019,A1,Falls,Grade 9,Approved
        I6,05/03/2019,A1,Falls,Low,Parked

        """)
        #expect(r.map(\.severity) == [3, 0, 4, 1])
        // A status mapping to rejected (by a synonym or the study's own label) is excluded like the label itself.
        #expect(r.map(\.excludedByStatus) == [false, false, true, true])
        #expect(t.setAside == ["excluded by status": 2])
        #expect(log.problems.map(\.field) == ["severity", "status"])
        #expect(log.problems[1].reason.hasPrefix("unmapped incident status: expected reported, under review, approved, closed"))
    }

    @Test func administrationStatusAndPRN() throws {
        let (_, r, log) = try administrations("    values: { status: { Pt asleep: omitted }, prn: { When needed: yes } }\n", """
        05/03/2019 22:30,A1,P1,zopiclone,7.5,Administered,PRN
        05/03/2019 22:30,A1,P1,zopiclone,7.5,Pt asleep,Regular
        05/03/2019 22:30,A1,P1,zopiclone,7.5,Patient refused,When needed
        05/03/2019 22:30,A1,P1,zopiclone,7.5,Lost,Y
        05/03/2019 22:30,A1,P1,zopiclone,7.5,Given,Often

        """)
        #expect(r.map(\.status) == [.given, .omitted, .refused])
        #expect(r.map(\.prn) == [true, false, true])
        #expect(log.problems.map(\.field) == ["status", "prn"])
    }

    @Test func categoriesAreTheIncidentCategoryMapping() throws {
        let (_, r, log) = try incidents("exports:\n  incidents:\n    categories: { \"Slips and falls\": falls }\n",
                                        "I1,05/03/2019,A1,SLIPS  AND falls,,\nI2,05/03/2019,A1,Slips,,\n")
        #expect(r.map(\.category) == ["falls"])
        #expect(log.problems.map(\.reason) == ["unmapped category: not listed in study.yaml exports.incidents.categories"])
    }

    @Test func studyMappingsAreCheckedWhenStudyYamlLoads() {
        func error(_ extra: String) -> String? {
            do { _ = try StudyLoader.parse(studyYAML(extra)); return nil } catch { return "\(error)" }
        }
        #expect(error("exports:\n  sleep_plans:\n    values: { decided_by: { Bleep: porter } }\n")?.hasSuffix(
                "exports.sleep_plans.values.decided_by.Bleep: expected one of patient, carer, night coordinator, "
                + "nurse in charge, mdt, doctor, nurse, healthcare assistant, pharmacist, psychologist, occupational therapist, "
                + "ward manager, sleep lead, other, found \"porter\"") == true)
        #expect(error("exports:\n  feedback:\n    values: { rating: { Good: 4 } }\n")?.hasSuffix(
            "exports.feedback.values.rating: is not a coded field of the feedback export; its coded fields are group, stage") == true)
        #expect(error("exports:\n  hypnotics:\n    values: { prn: { X: yes } }\n")?.contains("the hypnotics export has no coded fields") == true)
        #expect(error("exports:\n  sleep_plans:\n    values: { protected: { Yes please: yes, YES  please: no } }\n")?
            .contains("are the same label (case and spacing are ignored) but map to different values") == true)
    }

    @Test func everyCodedFieldHasDefaultsThatMapToItsOwnValues() {
        for c in CodedFields.all {
            #expect(!c.synonyms.isEmpty, "\(c.field)")
            for (label, value) in c.defaults {
                #expect(c.canonical.contains(value), "\(c.export.rawValue).\(c.field): \(label) → \(value)")
                #expect(label == Slug.normaliseLabel(label))
            }
        }
    }
}

/// `DecisionRoles`, the set of canonical roles a sleep plan's `decided_by` names.
@Suite struct DecisionRolesTests {
    @Test func everyCanonicalRoleFitsAndIsFoundAlone() {
        #expect(CodedFields.decidedBy.canonical.count <= 32)
        for role in CodedFields.decidedBy.canonical {
            let r = DecisionRoles([role])
            #expect(r.names == [role] && r.contains(role) && !r.isEmpty)
            #expect(CodedFields.decidedBy.canonical.filter { r.contains($0) } == [role])
        }
        #expect(DecisionRoles().isEmpty && DecisionRoles().names.isEmpty)
        #expect(!DecisionRoles(["mdt"]).contains(DecisionRoles()))
    }

    @Test func aUnionAndItsEncodingAreThoseOfASetOfNames() throws {
        var named = DecisionRoles()
        named.formUnion(["mdt", "patient"])
        named.formUnion(["patient", "night coordinator"])
        #expect(named.names == ["patient", "night coordinator", "mdt"])
        #expect(named.contains(DecisionRoles(["mdt", "patient"])) && !named.contains(DecisionRoles(["doctor"])))
        let json = try JSONEncoder().encode(named)
        #expect(String(decoding: json, as: UTF8.self) == #"["patient","night coordinator","mdt"]"#)
        #expect(try JSONDecoder().decode(DecisionRoles.self, from: json) == named)
    }
}
