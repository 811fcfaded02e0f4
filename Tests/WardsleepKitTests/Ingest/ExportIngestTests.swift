import Testing
@testable import WardsleepKit

/// Spec tests for the generic reader: a small CSV in, records and quarantined rows out, and the accounting invariant
/// (rows read = accepted + quarantined) on every file.
@Suite struct ExportIngestTests {
    let dir = TempFolder()
    let study = testStudy("""
    exports:
      incidents:
        columns: { id: Ref, date: "Incident date", time: Time, ward: "Location (exact)", category: Category,
                   severity: "Harm level", patient: "Patient ID", status: Status, description: Description }
        categories: { "Violence and aggression": violence, "Self harm": self_harm }
        exclude_status: [REJECTED]

    """)
    let context: NormaliseContext
    init() { context = NormaliseContext(study: study, pseudonymiser: try! Pseudonymiser(keyText: testKey, source: .environment)) }
    var spec: ExportSpec { study.exports[.incidents] }
    let header = "Ref,Incident date,Time,Location (exact),Category,Harm level,Patient ID,Status,Description\n"

    func incidents(_ body: String) throws -> (ExportTally, [IncidentRecord], ProblemLog) {
        let path = dir.write("incidents.csv", header + body)
        return try ingest(path, spec: spec, IncidentNormaliser(context: context, spec: spec))
    }

    func expectAccounting(_ t: ExportTally) {
        #expect(t.rowsRead == t.accepted + t.quarantined)
    }

    @Test func goodRowsBecomeRecordsWithTimingAndPseudonyms() throws {
        let (t, records, log) = try incidents("""
        W1,05/03/2019,02:10,A1,Violence and aggression,Low,943 476 5919,Approved,"Hit out, said ""go away""\nthen settled"
        W2,05/03/2018 14:00,,Ward 7 (Dementia),self harm,No harm,,REJECTED,x

        """)
        expectAccounting(t)
        #expect(t.accepted == 2 && t.quarantined == 0 && log.problems.isEmpty)
        let r = records[0]
        #expect(r.id == "W1" && r.ward == 0 && r.category == "violence" && r.severity == 1)
        #expect(r.timing == EventTiming(day: CalendarDay(year: 2019, month: 3, day: 5)!, time: ClockTime(hour: 2, minute: 10),
                                        periods: study.periods(forWard: 0), window: .default))
        #expect(r.timing.period == .pilot && r.timing.inProtectedWindow == true)
        #expect(r.timing.night == CalendarDay(year: 2019, month: 3, day: 4)!)
        // The record holds a number: the keyed HMAC of the identifier, whose first 80 bits are the pseudonym.
        let pseudonym = r.patient.map { $0.pseudonym }
        #expect(pseudonym == context.pseudonymiser!.pseudonym(for: "9434765919"))
        #expect(pseudonym?.contains("943") == false)
        #expect(records[1].time == ClockTime(hour: 14, minute: 0))  // time taken from the date column
        #expect(records[1].excludedByStatus)
        #expect(t.setAside == ["excluded by status": 1])
    }

    @Test func eachKindOfBadRowIsQuarantinedWithLineColumnAndReason() throws {
        let (t, records, log) = try incidents("""
        W1,31/02/2019,02:10,A1,Self harm,Low,,Approved,x
        W2,02/13/2019,02:10,A1,Self harm,Low,,Approved,x
        W3,05/03/19,02:10,A1,Self harm,Low,,Approved,x
        W4,05/03/2019,02:10,Ward 9,Self harm,Low,,Approved,x
        W5,05/03/2019,02:10,A1,Slips and falls,Low,,Approved,x
        W6,05/03/2019,02:10,A1,Self harm
        W7,,02:10,A1,Self harm,Low,,Approved,x
        W8,05/03/2019,25:10,A1,Self harm,Catastrophic-ish,,Approved,x
        W9,05/03/2019,02:10,A1,Self harm,Low,,Approved,x

        """)
        expectAccounting(t)
        #expect(t.rowsRead == 9 && t.accepted == 1 && t.quarantined == 8 && records.map(\.id) == ["W9"])
        let messages = log.problems.map(\.message)
        #expect(messages == [
            "incidents.csv:2: column \"Incident date\": \"31/02/2019\": no such date: February 2019 has 28 days",
            "incidents.csv:3: column \"Incident date\": \"02/13/2019\": US-style date: month 13 does not exist; expected dd/mm/yyyy, not mm/dd/yyyy",
            "incidents.csv:4: column \"Incident date\": \"05/03/19\": ambiguous date: a two-digit year could be any century; expected dd/mm/yyyy, "
                + "or set exports.incidents.two_digit_years in study.yaml (2000: 19 is 2019)",
            "incidents.csv:5: column \"Location (exact)\": \"Ward 9\": unknown ward: not an id, name or alias of any ward in study.yaml",
            "incidents.csv:6: column \"Category\": \"Slips and falls\": unmapped category: not listed in study.yaml exports.incidents.categories",
            "incidents.csv:7: ragged row: 5 fields where the header has 9",
            "incidents.csv:8: column \"Incident date\": empty required field: date must have a value",
            "incidents.csv:9: column \"Time\": \"25:10\": no such time: expected 00:00 to 23:59",
            "incidents.csv:9: column \"Harm level\": \"Catastrophic-ish\": unmapped harm level: expected no harm, low, moderate, severe, death or a synonym (map local labels in study.yaml exports.incidents.values.severity)",
        ])
        #expect(log.rows == 8)
    }

    /// With `two_digit_years`, a date written with a two-digit year is read in the hundred years from that year, with
    /// or without a time; a date with a four-digit year, or none of the form, is read as before.
    @Test func twoDigitYearsAreReadInTheCenturyTheExportSays() throws {
        var spec = self.spec
        spec.twoDigitYears = 2000
        let path = dir.write("incidents.csv", header + """
        W1,05/03/19,02:10,A1,Self harm,Low,,Approved,x
        W2,5-3-19 02:10,02:10,A1,Self harm,Low,,Approved,x
        W3,05/03/2019,02:10,A1,Self harm,Low,,Approved,x
        W4,31/02/19,02:10,A1,Self harm,Low,,Approved,x
        W5,05/03/019,02:10,A1,Self harm,Low,,Approved,x

        """)
        let (t, records, log) = try ingest(path, spec: spec, IncidentNormaliser(context: context, spec: spec))
        #expect(t.accepted == 3 && t.quarantined == 2)
        #expect(records.map(\.day) == Array(repeating: CalendarDay(year: 2019, month: 3, day: 5)!, count: 3))
        #expect(records.allSatisfy { $0.referenceKey == ReferenceKey($0.id) })
        #expect(log.problems.map(\.message) == [
            "incidents.csv:5: column \"Incident date\": \"31/02/19\": no such date: February 2019 has 28 days",
            "incidents.csv:6: column \"Incident date\": \"05/03/019\": not a date: expected dd/mm/yyyy",
        ])
        // The hundred years from 1950: 49 is 2049, 50 is 1950.
        #expect(FieldParsing.withFullYear(Array("01/01/49".utf8)[...], base: 1950) == Array("01/01/2049".utf8))
        #expect(FieldParsing.withFullYear(Array("01/01/50".utf8)[...], base: 1950) == Array("01/01/1950".utf8))
        #expect(FieldParsing.withFullYear(Array("1.1.19T02:10".utf8)[...], base: 2000) == Array("1.1.2019T02:10".utf8))
        for other in ["2019-03-05", "05/03/2019", "05/03", "123/03/19", "05/03-19", "0503/19"] {
            #expect(FieldParsing.withFullYear(Array(other.utf8)[...], base: 2000) == nil, "\(other)")
        }
    }

    @Test func patientIdentifiersAndNarrativesNeverReachTheQuarantine() throws {
        let (_, _, log) = try incidents("W1,05/03/2019,02:10,Ward 9,Self harm,Low,9434765919,Approved,\"Jane Doe's story\"\n")
        #expect(log.problems.count == 1)
        let everything = log.problems.map { "\($0.value) \($0.reason) \($0.message)" }.joined()
        #expect(!everything.contains("9434765919") && !everything.contains("Jane"))
    }

    @Test func missingHeaderNamesTheKeyAndTheHeadersFound() throws {
        let path = dir.write("incidents.csv", "Ref,Date,Location (exact),Category\nW1,05/03/2019,A1,Self harm\n")
        #expect(throws: ConfigurationError(
            file: "incidents.csv", keyPath: "exports.incidents.columns.date", line: 1,
            message: "no column \"Incident date\" for the required field date as study.yaml exports.incidents.columns.date says; "
                + "the header has: \"Ref\", \"Date\", \"Location (exact)\", \"Category\"")) {
            _ = try ingest(path, spec: spec, IncidentNormaliser(context: context, spec: spec))
        }
    }

    @Test func headersMatchIgnoringCaseAndSpacing() throws {
        let path = dir.write("incidents.csv", " REF , incident   DATE,location (EXACT),category\nW1,05/03/2019,A1,Self harm\n")
        let (t, records, _) = try ingest(path, spec: spec, IncidentNormaliser(context: context, spec: spec))
        #expect(t.accepted == 1 && records[0].category == "self_harm")
    }

    @Test func patientColumnWithoutAKeyIsAConfigurationError() throws {
        let path = dir.write("incidents.csv", header + "W1,05/03/2019,02:10,A1,Self harm,Low,1,Approved,x\n")
        let noKey = NormaliseContext(study: study, pseudonymiser: nil)
        #expect(throws: ConfigurationError.self) { _ = try ingest(path, spec: spec, IncidentNormaliser(context: noKey, spec: spec)) }
    }

    @Test func occupancyRowsAndDuplicateCensusDays() throws {
        let spec = study.exports[.occupancy]
        let path = dir.write("occupancy.csv", """
        date,ward,occupied_beds,leave_beds
        01/01/2018,A1,15,1
        01/01/2018,Acute male,14,0
        01/01/2018,D1,-2,0
        02/01/2018,D1,11
        01/10/2018,D1,11,

        """)
        let (t, records, log) = try ingest(path, spec: spec, OccupancyNormaliser(context: context))
        #expect(t.rowsRead == 5 && t.accepted == 2 && t.quarantined == 3)
        #expect(records.map(\.occupiedBeds) == [15, 11])
        #expect(log.problems.map(\.reason) == [
            "duplicate census: ward A1 on 01/01/2018 appears earlier in the file",
            "negative count: expected 0 or more",
            "ragged row: 3 fields where the header has 4",
        ])
        #expect(t.setAside == ["outside both periods": 1])
        #expect(log.problems[0].value == "01/01/2018")
    }

    /// A repeated ward-day is quarantined with its date as the row wrote it, as every other problem shows its cell,
    /// not as the first row's date reads.
    @Test func aDuplicateCensusShowsItsDateAsWritten() throws {
        let path = dir.write("occupancy.csv", "date,ward,occupied_beds,leave_beds\n01/01/2018,A1,15,1\n 2018-01-01 ,A1,14,0\n1/1/2018,A1,13,0\n")
        let (t, _, log) = try ingest(path, spec: study.exports[.occupancy], OccupancyNormaliser(context: context))
        #expect(t.rowsRead == 3 && t.accepted == 1 && t.quarantined == 2)
        #expect(log.problems.map(\.value) == ["2018-01-01", "1/1/2018"])
        #expect(log.problems.map(\.line) == [3, 4] && log.problems.allSatisfy { $0.field == "date" && $0.column == "date" })
    }

    @Test func feedbackSleepPlansAndInvolvementRows() throws {
        // Ratings past any whole number are out of range, as 0 is, not "not a whole number".
        let fb = dir.write("feedback.csv", "id,group,stage,text,rating\n1,Service user,after,Quieter now,4\n2,Cleaner,after,ok,3\n3,carer,pre,x,0\n"
            + "4,carer,pre,x,99999999999999999999\n5,carer,pre,x,9223372036854775807\n6,carer,pre,x,-99999999999999999999\n")
        let (ft, frec, flog) = try ingest(fb, spec: study.exports[.feedback], FeedbackNormaliser(context: context))
        #expect(ft.accepted == 1 && ft.quarantined == 5 && frec[0].group == .patient && frec[0].stage == .after)
        // The reader works out the response id's key, so the merging thread's repeat checks hash nothing.
        #expect(frec[0].referenceKey == ReferenceKey("1"))
        #expect(flog.problems.map(\.reason) == ["unmapped group: expected patient, staff, carer, other or a synonym (map local labels in study.yaml exports.feedback.values.group)",
                                                "rating out of range: expected 1 to 5", "rating out of range: expected 1 to 5",
                                                "rating out of range: expected 1 to 5", "rating out of range: expected 1 to 5"])

        let sp = dir.write("sleep_plans.csv", "night,ward,patient,protected,decided_by\n04/03/2019,A1,P1,Y,MDT; Night coordinator\n04/03/2019,A1,P2,maybe,\n")
        let (st, srec, _) = try ingest(sp, spec: study.exports[.sleepPlans], SleepPlanNormaliser(context: context))
        #expect(st.accepted == 1 && st.quarantined == 1)
        #expect(srec[0].decidedBy == ["mdt", "night coordinator"] && srec[0].protected && srec[0].period == .pilot)

        let inv = dir.write("involvement.csv", "stage,group,level\ndesign,Peer facilitators,lead\ndesign,Sleep specialist,consult\nbuild,Patients,inform\ndesign,Volunteers,involve\n")
        let (it, irec, ilog) = try ingest(inv, spec: study.exports[.involvement], InvolvementNormaliser(context: context))
        #expect(it.rowsRead == 4 && it.accepted == 2 && it.quarantined == 2)
        #expect(irec.map(\.role) == [.serviceUser, .professional] && irec.map(\.level) == [.lead, .consult])
        #expect(ilog.problems.map(\.field) == ["stage", "group"])
        #expect(ilog.problems[1].reason.hasPrefix("unknown stakeholder group: add it to involvement_roles in study.yaml"))
        // A stage written as its noun (the probe's `delivery`, `evaluation`) is that stage.
        let nouns = dir.write("involvement2.csv", "stage,group,level\nDelivery,Peer facilitators,lead\nevaluation,Sleep specialist,consult\n")
        let (_, nrec, nlog) = try ingest(nouns, spec: study.exports[.involvement], InvolvementNormaliser(context: context))
        #expect(nrec.map(\.stage) == [.deliver, .evaluate] && nlog.problems.isEmpty)
    }

    /// A feedback response given twice (two exports appended with weeks in common) counts once: the second row is
    /// quarantined naming the id, and no row is lost from the accounting.
    @Test func aRepeatedFeedbackResponseIsQuarantinedTheSecondTime() throws {
        let body = "FB1,Patient,before,01/06/2018,A1,4,Slept better\nFB2,Carer,before,02/06/2018,A1,2,Worried\n"
        let path = dir.write("feedback-twice.csv", "id,group,stage,date,ward,rating,text\n" + body + body + "FB3,Staff,after,03/06/2018,A1,5,Fine\n")
        let (t, records, log) = try ingest(path, spec: study.exports[.feedback], FeedbackNormaliser(context: context))
        expectAccounting(t)
        #expect(t.rowsRead == 5 && t.accepted == 3 && t.quarantined == 2)
        #expect(records.map(\.id) == ["FB1", "FB2", "FB3"] && records.map(\.rating) == [4, 2, 5])
        #expect(log.problems.map(\.line) == [4, 5] && log.problems.map(\.value) == ["FB1", "FB2"])
        #expect(log.problems.allSatisfy { $0.field == "id" && $0.reason.hasPrefix("repeated response id: an earlier row has the same id") })
    }

    /// Activity and evidence are redacted once per distinct cell: a ledger repeating its wording gives every row the same
    /// redacted text, and a cell that differs by one character is redacted on its own.
    @Test func involvementTextIsRedactedOncePerDistinctCellAndAlike() throws {
        let named = "Workshop with Dr Ahmed, call 07700 900123"
        var csv = "stage,group,level,activity,evidence\n"
        for i in 0..<40 { csv += "design,Peer facilitators,lead,\"\(named)\",\(i % 2 == 0 ? "minutes" : "Minutes by Mrs Khan")\n" }
        csv += "design,Peer facilitators,lead,\"\(named).\",minutes\n"
        let path = dir.write("involvement3.csv", csv)
        let (t, records, log) = try ingest(path, spec: study.exports[.involvement], InvolvementNormaliser(context: context))
        #expect(t.accepted == 41 && log.problems.isEmpty)
        let once = Redactor(names: study.feedback.names).redact(named)
        #expect(once != named && !once.contains("Ahmed") && !once.contains("07700"))
        #expect(records.prefix(40).allSatisfy { $0.activity == once })
        #expect(records[40].activity == Redactor(names: study.feedback.names).redact(named + "."))
        #expect(records.prefix(40).enumerated().allSatisfy { i, r in
            r.evidence == (i % 2 == 0 ? "minutes" : Redactor(names: study.feedback.names).redact("Minutes by Mrs Khan"))
        })
        #expect(!records.contains { ($0.evidence ?? "").contains("Khan") })
    }

    /// A ledger cell of a whole document (200,000 characters, a name and a phone number early and late in it) is shown
    /// as its first 1,000 characters, redacted, ending `...`: redacting it whole held several words of bookkeeping per
    /// character (a 6.4 MB cell took 424 MiB). The row is kept, and a short cell reads as it did.
    @Test func anEnormousLedgerCellIsShownCutAndRedacted() throws {
        let filler = String(repeating: "the ward met and agreed the plan ", count: 6_100)
        let long = "Workshop with Dr Ahmed, call 07700 900123. " + filler + "Chaired by Mrs Khan, 07700 900456."
        #expect(long.count > 200_000)
        let csv = "stage,group,level,activity,evidence\ndesign,Peer facilitators,lead,\"\(long)\",minutes\n"
            + "design,Peer facilitators,lead,\"Workshop with Dr Ahmed\",\"\(long)\"\n"
        let path = dir.write("involvement4.csv", csv)
        let (t, records, log) = try ingest(path, spec: study.exports[.involvement], InvolvementNormaliser(context: context))
        #expect(t.rowsRead == 2 && t.accepted == 2 && log.problems.isEmpty)
        let redactor = Redactor(names: study.feedback.names)
        for shown in [records[0].activity, records[1].evidence].map({ $0 ?? "" }) {
            #expect(shown.count == 1_000 && shown.hasSuffix("..."))
            #expect(!shown.contains("Ahmed") && !shown.contains("07700") && shown.contains("the ward met"))
        }
        #expect(records[1].activity == redactor.redact("Workshop with Dr Ahmed") && records[0].evidence == "minutes")
    }

    /// With no mapping in study.yaml, an incident's category is its own label, redacted: a cell of a narrative's length
    /// is refused before it is redacted, and the row quarantined naming the limit.
    @Test func aCategoryOfANarrativesLengthIsQuarantined() throws {
        let unmapped = testStudy("exports:\n  incidents: { file: incidents.csv }\n")
        let c = NormaliseContext(study: unmapped, pseudonymiser: nil)
        let narrative = String(repeating: "Patient was found on the floor by staff ", count: 50_000)
        let path = dir.write("incidents-long.csv", "id,date,ward,category\nI1,04/03/2019,A1,Falls\nI2,04/03/2019,A1,\"\(narrative)\"\nI3,05/03/2019,A1,Falls\n")
        let s = unmapped.exports[.incidents]
        let (t, records, log) = try ingest(path, spec: s, IncidentNormaliser(context: c, spec: s))
        #expect(t.rowsRead == 3 && t.accepted == 2 && t.quarantined == 1)
        #expect(records.map(\.category) == ["Falls", "Falls"])
        #expect(log.problems.map(\.line) == [3] && log.problems.map(\.column) == ["category"])
        #expect(log.problems.first?.reason.hasPrefix("implausible category: longer than 300 characters") == true)
    }

    /// A second export joined on without its header brings its byte-order mark to the start of a row (Excel writes one
    /// at the start of every file it saves). It is passed over: the reference after it is the reference, so a report
    /// given in both exports counts once, and a date after it is read. It stayed in front of the reference, invisible,
    /// and the same incident counted twice.
    @Test func aByteOrderMarkStartingARowIsPassedOver() throws {
        let bom = "\u{FEFF}"
        let (t, records, log) = try incidents("""
        W1,05/03/2019,02:10,A1,Self harm,Low,,Approved,x
        W2,05/03/2019,02:10,A1,Self harm,Low,,Approved,x
        \(bom)W2,05/03/2019,02:10,A1,Self harm,Low,,Approved,x
        \(bom)W3,06/03/2019,02:10,A1,Self harm,Low,,Approved,x

        """)
        expectAccounting(t)
        #expect(records.map(\.id) == ["W1", "W2", "W3"] && t.quarantined == 1)
        #expect(log.problems.map(\.line) == [4] && log.problems.first?.reason.hasPrefix("repeated incident reference") == true)
        let census = dir.write("occupancy-joined.csv", "date,ward,occupied_beds\n04/03/2019,A1,12\n\(bom)05/03/2019,A1,11\n")
        let (ct, crecords, clog) = try ingest(census, spec: study.exports[.occupancy], OccupancyNormaliser(context: context))
        #expect(ct.accepted == 2 && clog.problems.isEmpty && crecords.map(\.occupiedBeds) == [12, 11])
    }

    @Test func hypnoticIssuesAndAdministrations() throws {
        let iss = dir.write("hypnotics.csv", "date,ward,product,quantity\n05/03/2019,A1,Zopiclone 7.5mg tablets,28\n06/03/2019,A1,Zopiclone 7.5mg tablets,-14\n07/03/2019,A1,,28\n")
        let (it, irec, _) = try ingest(iss, spec: study.exports[.hypnotics], HypnoticIssueNormaliser(context: context))
        #expect(it.accepted == 2 && it.quarantined == 1 && irec.map(\.quantity) == [28, -14])

        var spec = study.exports[.hypnotics]
        spec.hypnoticsKind = .administrations
        let adm = dir.write("adm.csv", "datetime,ward,patient,drug,dose_mg,status,prn\n05/03/2019 22:30,A1,P1,zopiclone,7.5,Given,Y\n05/03/2019 22:30,A1,P1,zopiclone,7.5,Refused,N\n05/03/2019 22:30,A1,P1,zopiclone,0,Given,N\n")
        let (at, arec, alog) = try ingest(adm, spec: spec, HypnoticAdministrationNormaliser(context: context))
        #expect(at.accepted == 2 && at.quarantined == 1)
        #expect(arec.map(\.status) == [.given, .refused] && arec[0].prn == true)
        #expect(at.setAside == ["not given (refused)": 1])
        #expect(alog.problems.first?.reason == "not a positive amount: expected a number above 0")
    }
}
