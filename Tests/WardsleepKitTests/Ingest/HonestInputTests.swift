import Testing
@testable import WardsleepKit

/// What does not belong is said, not guessed: US dates, doses in ml, the wrong hypnotics kind, wards outside the
/// evaluation, the encoding of the bytes, and leave in occupied bed days.
@Suite struct HonestInputTests {
    let dir = TempFolder()

    func context(_ study: StudyDefinition) -> NormaliseContext {
        NormaliseContext(study: study, pseudonymiser: try! Pseudonymiser(keyText: testKey, source: .environment))
    }

    func incidents(_ study: StudyDefinition, _ csv: String) throws -> (ExportTally, [IncidentRecord], ProblemLog) {
        let path = dir.write("incidents.csv", csv)
        return try ingest(path, spec: study.exports[.incidents], IncidentNormaliser(context: context(study), spec: study.exports[.incidents]))
    }

    // MARK: dates

    @Test func usDatesInADmyExportAreAFileLevelErrorNamingTheEvidence() throws {
        let csv = "id,date,ward,category\nI1,02/13/2019,A1,Falls\nI2,03/05/2019,A1,Falls\nI3,04/20/2019 22:10,A1,Falls\n"
        #expect(throws: ConfigurationError(
            file: "incidents.csv", keyPath: "date_format", line: 2,
            message: "this export writes its dates month first (mm/dd/yyyy), not dd/mm/yyyy as study.yaml says: 2 dates have a "
                + "second part above 12 (the first on line 2, column \"date\": \"02/13/2019\") and none can only be read "
                + "dd/mm/yyyy; set date_format: mdy in study.yaml (or exports.incidents.date_format: mdy for this export alone)")) {
            _ = try incidents(testStudy(), csv)
        }
        // With date_format: mdy the same export reads, 03/05/2019 as 5 March.
        let (t, r, _) = try incidents(testStudy("date_format: mdy\n"), csv)
        #expect(t.accepted == 3 && r.map(\.day.iso) == ["2019-02-13", "2019-03-05", "2019-04-20"])
    }

    @Test func aUKExportUnderMdyIsAFileLevelErrorToo() throws {
        let csv = "id,date,ward,category\nI1,25/03/2019,A1,Falls\nI2,03/05/2019,A1,Falls\n"
        #expect(throws: ConfigurationError(
            file: "incidents.csv", keyPath: "date_format", line: 2,
            message: "this export writes its dates day first (dd/mm/yyyy), not mm/dd/yyyy as study.yaml says: 1 date has a "
                + "first part above 12 (the first on line 2, column \"date\": \"25/03/2019\") and none can only be read "
                + "mm/dd/yyyy; set date_format: dmy in study.yaml (or exports.incidents.date_format: dmy for this export alone)")) {
            _ = try incidents(testStudy("date_format: mdy\n"), csv)
        }
    }

    @Test func anExportWithEvidenceBothWaysKeepsItsRowProblems() throws {
        let (t, _, log) = try incidents(testStudy(), "id,date,ward,category\nI1,25/03/2019,A1,Falls\nI2,02/13/2019,A1,Falls\n")
        #expect(t.accepted == 1 && t.quarantined == 1)
        #expect(log.problems.map(\.reason) == ["US-style date: month 13 does not exist; expected dd/mm/yyyy, not mm/dd/yyyy"])
    }

    @Test func mdyDatesParse() throws {
        func day(_ s: String) throws -> String { try FieldParsing.date(ArraySlice(Array(s.utf8)), order: .mdy).iso }
        #expect(try day("02/13/2019") == "2019-02-13" && day("2019-02-13") == "2019-02-13" && day("2/3/2019") == "2019-02-03")
        #expect(throws: FieldIssue("UK-style date: month 25 does not exist; expected mm/dd/yyyy (date_format: mdy), not dd/mm/yyyy")) {
            _ = try day("25/03/2019")
        }
        #expect(throws: FieldIssue("ambiguous date: a two-digit year could be any century; expected mm/dd/yyyy")) { _ = try day("02/13/19") }
    }

    @Test func oneExportMayOrderItsDatesItsOwnWay() throws {
        // The study is UK; its EPMA-style incident export writes US dates.
        let study = testStudy("exports:\n  incidents: { date_format: mdy }\n")
        let (t, r, _) = try incidents(study, "id,date,ward,category\nI1,02/13/2019,A1,Falls\nI2,03/05/2019,A1,Falls\n")
        #expect(t.accepted == 2 && r.map(\.day.iso) == ["2019-02-13", "2019-03-05"])
        let path = dir.write("occupancy.csv", "date,ward,occupied_beds\n13/02/2019,A1,12\n")
        let (o, _, _) = try ingest(path, spec: study.exports[.occupancy], OccupancyNormaliser(context: context(study)))
        #expect(o.accepted == 1)
    }

    // MARK: doses

    func administrations(_ header: String, _ rows: String) throws -> (ExportTally, [HypnoticAdministrationRecord], ProblemLog) {
        let study = testStudy("exports:\n  hypnotics: { kind: administrations }\n")
        let path = dir.write("hypnotics.csv", header + "\n" + rows)
        return try ingest(path, spec: study.exports[.hypnotics], HypnoticAdministrationNormaliser(context: context(study), spec: study.exports[.hypnotics]))
    }

    @Test func doseUnitsAreConvertedAndMlIsNeverReadAsMg() throws {
        let (t, r, log) = try administrations("datetime,ward,patient,drug,dose_mg,dose_unit", """
        05/03/2019 22:30,A1,P1,Zopiclone,7.5,mg
        05/03/2019 22:30,A1,P1,Zopiclone,0.0075,g
        05/03/2019 22:30,A1,P1,Melatonin,2000,micrograms
        05/03/2019 22:30,A1,P1,Promethazine 5mg/5ml oral solution,10,ml
        05/03/2019 22:30,A1,P1,Zopiclone 7.5mg tablets,2,tablets
        05/03/2019 22:30,A1,P1,Promethazine,10,ml
        05/03/2019 22:30,A1,P1,Zopiclone,1,sachet
        05/03/2019 22:30,A1,P1,Zopiclone,7.5,

        """)
        // 7.5 mg; 0.0075 g = 7.5 mg; 2000 micrograms = 2 mg; 10 ml of 5 mg/5 ml = 10 mg; 2 tablets of 7.5 mg = 15 mg.
        #expect(r.map(\.doseMg) == [7.5, 7.5, 2, 10, 15])
        let formulary = Formulary.forStudy(testStudy("exports:\n  hypnotics: { kind: administrations }\n"))
        #expect(r.map { formulary[$0.drug].name } == ["zopiclone", "zopiclone", "melatonin", "promethazine", "zopiclone"])
        #expect(t.quarantined == 3)
        #expect(log.problems.map(\.reason) == [
            "dose in ml: the drug label gives no concentration (e.g. \"5mg/5ml\"), so the mg cannot be known; a volume is never read as mg",
            "unmapped dose unit: expected mg, g, microgram, ml, tablet or a synonym (map local labels in study.yaml exports.hypnotics.values.dose_unit)",
            "empty dose unit: the dose has no unit, and the export has a dose unit column",
        ])
    }

    @Test func unitsWrittenInTheDoseCell() throws {
        let (_, r, log) = try administrations("datetime,ward,patient,drug,dose_mg", """
        05/03/2019 22:30,A1,P1,Zopiclone,7.5 mg
        05/03/2019 22:30,A1,P1,Zopiclone,7.5
        05/03/2019 22:30,A1,P1,Promethazine,10ml
        05/03/2019 22:30,A1,P1,Melatonin,2000mcg

        """)
        #expect(r.map(\.doseMg) == [7.5, 7.5, 2])
        #expect(log.problems.map(\.value) == ["10ml"] && log.problems[0].reason.hasPrefix("dose in ml"))
    }

    @Test func aLocalProductNameGetsItsConcentrationFromTheStudysFormulary() throws {
        let study = testStudy("""
        exports:
          hypnotics: { kind: administrations }
        formulary:
          products: { "Phenergan elixir": "Promethazine 5mg/5ml oral solution" }

        """)
        let path = dir.write("hypnotics.csv", "datetime,ward,patient,drug,dose_mg\n05/03/2019 22:30,A1,P1,PHENERGAN  elixir,10 ml\n"
                             + "05/03/2019 22:30,A1,P1,Promethazine elixir,10 ml\n")
        let (_, r, log) = try ingest(path, spec: study.exports[.hypnotics],
                                     HypnoticAdministrationNormaliser(context: context(study), spec: study.exports[.hypnotics]))
        // 10 ml of 5 mg/5 ml = 10 mg; the label the study does not define has no concentration.
        #expect(r.map(\.doseMg) == [10] && r.map { Formulary.forStudy(study)[$0.drug].name } == ["promethazine"])
        #expect(log.problems.map(\.value) == ["10 ml"])
        #expect(throws: ConfigurationError.self) {
            _ = try StudyLoader.parse(studyYAML("formulary:\n  products: { \"Phenergan elixir\": \"Phenergan\" }\n"))
        }
    }

    // MARK: hypnotics kind

    @Test func anIssuesExportReadAsAdministrationsIsAConfigurationError() throws {
        let study = testStudy("exports:\n  hypnotics: { kind: administrations }\n")
        let path = dir.write("hypnotics.csv", "Issue date,Ward,Product,Qty\n05/03/2019,A1,Zopiclone 7.5mg tablets,28\n")
        #expect(throws: ConfigurationError(
            file: "hypnotics.csv", keyPath: "exports.hypnotics.kind", line: 1,
            message: "the header looks like pharmacy issues (kind: issues), not EPMA administrations (kind: administrations) as "
                + "study.yaml says: it has \"Product\", \"Qty\"; set exports.hypnotics.kind: issues")) {
            _ = try ingest(path, spec: study.exports[.hypnotics], HypnoticAdministrationNormaliser(context: context(study)))
        }
    }

    @Test func anAdministrationsExportReadAsIssuesIsAConfigurationError() throws {
        let study = testStudy()
        let path = dir.write("hypnotics.csv", "Administered,Ward,Patient ID,Drug,Dose (mg),Status,PRN,Route\n"
                             + "05/03/2019 22:30,A1,P1,Zopiclone,7.5,Given,N,Oral\n")
        #expect(throws: ConfigurationError(
            file: "hypnotics.csv", keyPath: "exports.hypnotics.kind", line: 1,
            message: "the header looks like EPMA administrations (kind: administrations), not pharmacy issues (kind: issues) as "
                + "study.yaml says: it has \"Administered\", \"Patient ID\", \"Dose (mg)\", \"Status\", \"PRN\", \"Route\"; "
                + "set exports.hypnotics.kind: administrations")) {
            _ = try ingest(path, spec: study.exports[.hypnotics], HypnoticIssueNormaliser(context: context(study)))
        }
    }

    // MARK: wards outside the evaluation

    @Test func excludedWardsAreSetAsideNotQuarantined() throws {
        let study = testStudy("exclude_wards: [\"Ward 12 (Forensic)\", F2]\n")
        let (t, r, log) = try incidents(study, """
        id,date,ward,category
        I1,05/03/2019,A1,Falls
        I2,05/03/2019,ward 12  (forensic),Falls
        I3,31/02/2019,F2,Falls
        I4,05/03/2019,Ward 9,Falls

        """)
        // I2 and I3 are excluded by design even though I3's date is impossible; I4's ward is unknown.
        #expect(t.rowsRead == 4 && t.accepted == 3 && t.quarantined == 1 && r.map(\.id) == ["I1"])
        #expect(t.setAside == ["excluded by design": 2])
        #expect(log.problems.map(\.field) == ["ward"])
    }

    @Test func anExcludedWardThatIsAWardOfTheStudyIsRefused() {
        #expect(throws: ConfigurationError.self) { _ = try StudyLoader.parse(studyYAML("exclude_wards: [\"Acute Male\"]\n")) }
        do { _ = try StudyLoader.parse(studyYAML("exclude_wards: [\"Acute Male\"]\n")) } catch {
            #expect("\(error)".hasSuffix("exclude_wards[0]: \"Acute Male\" is ward A1 of the evaluation; a ward cannot be both in it and excluded"))
        }
    }

    // MARK: encoding

    @Test func windows1252IsReportedWhereverItIs() throws {
        // The only non-ASCII byte is in a ward label, which is resolved through the label cache and never decoded as
        // free text: the file is still Windows-1252, and says so.
        let study = testStudy().withWardAlias("Café ward")
        let bytes = Array("id,date,ward,category\nI1,05/03/2019,Caf".utf8) + [0xE9] + Array(" ward,Falls\n".utf8)
        let path = dir.write("incidents.csv", bytes: bytes)
        let (t, r, _) = try ingest(path, spec: study.exports[.incidents], IncidentNormaliser(context: context(study), spec: study.exports[.incidents]))
        #expect(r.map(\.ward) == [0] && t.encoding == "windows-1252")
        let utf8 = dir.write("incidents.csv", "id,date,ward,category\nI1,05/03/2019,Café ward,Falls\n")
        let (u, _, _) = try ingest(utf8, spec: study.exports[.incidents], IncidentNormaliser(context: context(study), spec: study.exports[.incidents]))
        #expect(u.encoding == "utf-8")
    }

    // MARK: leave

    @Test func occupiedBedDaysIncludeLeaveUnlessTheStudySaysNot() throws {
        let csv = "date,ward,occupied_beds,leave_beds\n05/03/2019,A1,15,2\n06/03/2019,A1,3,4\n07/03/2019,A1,12,\n"
        let included = testStudy()
        let path = dir.write("occupancy.csv", csv)
        let (_, a, _) = try ingest(path, spec: included.exports[.occupancy], OccupancyNormaliser(context: context(included)))
        #expect(a.map(\.occupiedBeds) == [15, 3, 12])
        let excluded = testStudy("exports:\n  occupancy: { obd_includes_leave: false }\n")
        let (t, b, log) = try ingest(path, spec: excluded.exports[.occupancy],
                                     OccupancyNormaliser(context: context(excluded), spec: excluded.exports[.occupancy]))
        #expect(b.map(\.occupiedBeds) == [13, 12] && t.quarantined == 1)
        #expect(log.problems.map(\.reason) == ["more beds on leave (4) than occupied (3): occupied beds must include those on leave"])
        let noLeave = dir.write("occupancy.csv", "date,ward,occupied_beds\n05/03/2019,A1,15\n")
        #expect(throws: ConfigurationError.self) {
            _ = try ingest(noLeave, spec: excluded.exports[.occupancy],
                           OccupancyNormaliser(context: context(excluded), spec: excluded.exports[.occupancy]))
        }
    }
}

extension StudyDefinition {
    /// The study with one more alias on its first ward.
    func withWardAlias(_ alias: String) -> StudyDefinition {
        var wards = self.wards
        wards[0].aliases.append(alias)
        var s = StudyDefinition(study: study, periods: periods, wards: wards, exports: exports)
        s.excludedWards = excludedWards
        return s
    }
}

/// The in-place UTF-8 check agrees with Swift's own validation.
@Suite struct UTF8CheckTests {
    @Test func agreesWithStringValidation() {
        let samples: [[UInt8]] = [
            Array("plain ascii, long enough to take the eight-byte path".utf8), Array("Café ward – “quoted” ✓ 😴".utf8),
            [0x43, 0x61, 0x66, 0xE9], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x92],
            Array("abcdefgh".utf8) + [0xC3, 0xA9] + Array("ijklmnop".utf8), [0xEF, 0xBB, 0xBF, 0x41],
        ]
        for s in samples {
            #expect(UTF8Check.isValid(s[...]) == (String(validating: s, as: UTF8.self) != nil), "\(s)")
        }
        // A stray byte, a whole two-byte character and one cut short, at every place around the 32- and 8-byte blocks.
        let ascii = Array(repeating: UInt8(ascii: "a"), count: 80)
        for place in 0..<80 {
            for insert: [UInt8] in [[0xE9], [0xC3, 0xA9], [0xC3]] {
                var s = ascii
                s.insert(contentsOf: insert, at: place)
                #expect(UTF8Check.isValid(s[...]) == (String(validating: s, as: UTF8.self) != nil), "\(insert) at \(place)")
            }
        }
    }
}
