import Testing
@testable import WardsleepKit

/// The classification on ledgers of four programmes described in the literature on co-production in mental health.
@Suite struct InvolvementClassificationTests {
    func matrix(_ rows: [(InvolvementStage, String, StakeholderRole, InvolvementLevel)], feedback: FeedbackSummary? = nil) -> InvolvementMatrix {
        InvolvementMatrix(records: rows.map { InvolvementRecord(stage: $0.0, group: $0.1, role: $0.2, level: $0.3, activity: nil, evidence: "minutes", day: nil) },
                          feedback: feedback)
    }

    @Test func protectedSleepPilotDesignedByProfessionalsIsEvidenceBasedPractice() {
        let m = matrix([
            (.identify, "Sleep specialist", .professional, .lead),
            (.design, "Sleep specialist", .professional, .lead), (.design, "Ward staff", .professional, .collaborate),
            (.design, "Patients", .serviceUser, .inform),
            (.implement, "Ward staff", .professional, .lead), (.implement, "Patients", .serviceUser, .inform),
            (.deliver, "Ward staff", .professional, .lead), (.deliver, "Patients", .serviceUser, .consult),
            (.evaluate, "Clinicians", .professional, .lead), (.evaluate, "Patients", .serviceUser, .consult),
        ])
        let c = InvolvementRules.programme(m)
        #expect(c.kind == .evidenceBasedPractice && c.label == "evidence-based-practice" && c.alsoNoted.isEmpty)
        #expect(c.reasons.contains("service users and carers: inform at design, inform at implement, consult at deliver, consult at evaluate"))
        #expect(c.reasons.contains("no service-user or carer role at collaborate or above at design or delivery"))
        #expect(c.reasons.contains("professionals: lead at identify, lead at design, lead at implement, lead at deliver, lead at evaluate"))
        #expect(InvolvementRules.stage(.design, m).kind == .evidenceBasedPractice)
        #expect(InvolvementRules.stage(.disseminate, m).kind == .notRecorded)
    }

    @Test func userDesignedSelfManagementCourseIsServiceUserLedWithUserCentredDesign() {
        // Designed at a workshop of service users, tested with course participants, facilitated and delivered by former
        // participants; no mental-health service partner.
        let m = matrix([
            (.identify, "Service users", .serviceUser, .lead),
            (.design, "Service user workshop", .serviceUser, .lead), (.design, "Course participants", .serviceUser, .consult),
            (.implement, "Former participants", .serviceUser, .lead),
            (.deliver, "Peer facilitators", .serviceUser, .lead),
            (.evaluate, "Service users", .serviceUser, .lead),
        ])
        let c = InvolvementRules.programme(m)
        #expect(c.kind == .serviceUserLed)
        #expect(c.alsoNoted == ["user-centred design in development"])
        #expect(c.reasons.contains("professionals: none recorded"))
        #expect(c.reasons.first == "design (design): service users and carers at lead, professionals at none: service users lead design and professionals do not")
    }

    @Test func selfHelpGroupsDesignedTopDownAreMixed() {
        let m = matrix([
            (.design, "Mental health professionals", .professional, .lead), (.design, "Service users", .serviceUser, .inform),
            (.implement, "Mental health professionals", .professional, .lead),
            (.deliver, "Self-help group members", .serviceUser, .lead), (.deliver, "Mental health professionals", .professional, .inform),
        ])
        let c = InvolvementRules.programme(m)
        #expect(c.kind == .mixed)
        #expect(c.label == "mixed: professional design, user-led delivery")
        #expect(c.parts == ["professional design", "user-led delivery"])
    }

    @Test func serviceDesignedAndDeliveredAsEqualPartnersIsCoProduction() {
        let m = matrix([
            (.identify, "Service users", .serviceUser, .collaborate), (.identify, "Clinicians", .professional, .collaborate),
            (.design, "Service users", .serviceUser, .collaborate), (.design, "Clinicians", .professional, .collaborate),
            (.implement, "Service users", .serviceUser, .collaborate), (.implement, "Clinicians", .professional, .collaborate),
            (.deliver, "Peer workers", .serviceUser, .collaborate), (.deliver, "Clinicians", .professional, .collaborate),
            (.evaluate, "Service users", .serviceUser, .collaborate), (.evaluate, "Researchers", .professional, .collaborate),
        ])
        let c = InvolvementRules.programme(m)
        #expect(c.kind == .coProduction && c.label == "co-production")
        #expect(!c.reasons.contains("no service-user or carer role at collaborate or above at design or delivery"))
        #expect(InvolvementStage.allCases.dropLast().allSatisfy { InvolvementRules.stage($0, m).kind == .coProduction })
    }

    @Test func userCentredDesignAndCommunityInvolvement() {
        let m = matrix([
            (.design, "Designers", .professional, .lead), (.design, "Patients", .serviceUser, .consult),
            (.deliver, "Ward staff", .professional, .lead), (.deliver, "Local charity", .community, .involve),
        ])
        let c = InvolvementRules.programme(m)
        #expect(c.kind == .userCentredDesign && c.alsoNoted == ["community involvement at deliver"])
    }

    @Test func feedbackRespondentsCountAsConsultedAtEvaluation() {
        let tally = FeedbackTally(codebook: Codebook.standard())
        var f: FeedbackSummary { tally.summary(redactor: Redactor(names: ["Sarah", "Mr Patel"])) }
        tally.feedback(FeedbackRecord(id: "1", group: .carer, stage: .after, text: "fine", day: nil, ward: nil, rating: nil))
        tally.feedback(FeedbackRecord(id: "2", group: .carer, stage: .after, text: "good", day: nil, ward: nil, rating: nil))
        let m = matrix([(.evaluate, "Carers", .carer, .inform), (.evaluate, "Clinicians", .professional, .lead)], feedback: f)
        let carers = m.groups.firstIndex { $0.label == "Carers" }!
        #expect(m.cells[.evaluate]?[carers]?.level == .consult)
        // Evidence text states no count (a count in free text would escape disclosure control).
        #expect(m.cells[.evaluate]?[carers]?.evidence == ["feedback export (responses counted in the feedback results)"])
        #expect(m.groups.count == 2)
    }

    /// The ledger is read into its matrix entry by entry, holding no entries: the matrix must be the one built from the
    /// whole list (groups in role order, levels, evidence and activities in ledger order, feedback respondents added).
    @Test func aLedgerReadEntryByEntryGivesTheMatrixOfItsEntries() {
        var random = SampleRandom(seed: 1201)
        let groups: [(String, StakeholderRole)] = [("Ward staff", .professional), ("Patients", .serviceUser), ("Patient", .serviceUser),
                                                   ("Carers", .carer), ("Governors", .community), ("Pharmacists", .professional)]
        let records = (0..<3_000).map { i -> InvolvementRecord in
            let g = groups[Int(random.next() % UInt64(groups.count))]
            return InvolvementRecord(stage: InvolvementStage.allCases[Int(random.next() % UInt64(InvolvementStage.allCases.count))],
                                     group: g.0, role: g.1,
                                     level: InvolvementLevel.allCases[Int(random.next() % UInt64(InvolvementLevel.allCases.count))],
                                     activity: random.next() % 3 == 0 ? nil : "activity \(random.next() % 40)",
                                     evidence: random.next() % 4 == 0 ? nil : "minutes \(i % 25)", day: nil)
        }
        let ledger = InvolvementLedger()
        for r in records { ledger.involvement(r) }
        #expect(ledger.count == 3_000)
        let feedback = FeedbackTally(codebook: Codebook.standard())
        for g in [FeedbackGroup.patient, .staff] {
            feedback.feedback(FeedbackRecord(id: "r\(g)", group: g, stage: .after, text: "x", day: nil, ward: nil, rating: 4))
        }
        let summary = feedback.summary(redactor: .standard)
        let read = ledger.matrix.completed(feedback: summary), whole = InvolvementMatrix(records: records, feedback: summary)
        #expect(read.groups == whole.groups && read.groups.count == 6)  // "Patient" is "Patients"; feedback adds "Staff"
        #expect(read.cells == whole.cells)
        #expect(read.groups.map(\.role) == [.serviceUser, .carer, .professional, .professional, .professional, .community])
        #expect(read.cells[.evaluate]?.values.contains { $0.activities.contains("Gave feedback") } == true)
    }
}
