import Testing
@testable import WardsleepKit

/// study.yaml: defaults for what is left out; every error names the key path and line, and exits 2.
@Suite struct StudyLoaderTests {
    func error(_ yaml: String) -> ConfigurationError? {
        do { _ = try StudyLoader.parse(yaml); return nil } catch let e as ConfigurationError { return e } catch { return nil }
    }

    @Test func minimalStudyGetsEveryDefault() throws {
        let s = testStudy()
        #expect(s.study == "Test study" && s.slug == "test-study")
        #expect(s.protectedWindow == .default)
        #expect(s.dateFormat == .dmy)
        #expect(s.disclosure == DisclosurePolicy(suppressAtOrBelow: 7, roundTo: 5))
        #expect(s.quality.maxQuarantinedPercent == 5)
        #expect(s.spc.shift == 7 && s.spc.trend == 7 && s.spc.twoInThree == "mdc2023")
        #expect(s.exports[.incidents].file == "incidents.csv" && !s.exports[.incidents].listed)
        #expect(s.wards.map(\.id) == ["A1", "D1"])
        #expect(s.wards[0].cbti && !s.wards[1].cbti)
    }

    @Test func wardsAnswerToIdNameAndAliasAndHavePeriodOverrides() {
        let s = testStudy()
        #expect(s.wardIndex(matching: "a1") == 0)
        #expect(s.wardIndex(matching: "  ACUTE   male ") == 0)
        #expect(s.wardIndex(matching: "Ward 7 (Dementia)") == 1)
        #expect(s.wardIndex(matching: "Ward 9") == nil)
        #expect(s.periods(forWard: 1).pilot.from == CalendarDay(year: 2019, month: 2, day: 1)!)
        #expect(s.periods(forWard: 0).pilot.from == CalendarDay(year: 2019, month: 1, day: 1)!)
    }

    /// A study.yaml saved as Windows-1252 or UTF-16 is refused with the line of the first byte UTF-8 does not allow,
    /// or the encoding, and what to do.
    @Test func aStudyFileNotInUTF8SaysWhereAndWhatToDo() throws {
        let dir = TempFolder()
        _ = dir.write("study.yaml", bytes: Array("version: 1\n# S".utf8) + [0xE9] + Array("ance notes\nstudy: x\n".utf8))
        #expect(throws: ConfigurationError(file: "study.yaml", keyPath: "", line: 2,
                                           message: "is not UTF-8 text: this line has 0xE9, which UTF-8 does not allow here "
                                               + "(Windows-1252?); save the file as UTF-8")) { try StudyLoader.load(folder: dir.path) }
        _ = dir.write("study.yaml", bytes: [0xFF, 0xFE] + Array("version: 1\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        #expect(throws: ConfigurationError(file: "study.yaml", keyPath: "", message: "is UTF-16 text; save it as UTF-8")) {
            try StudyLoader.load(folder: dir.path)
        }
    }

    @Test func wrongTypeNamesTheKeyPathAndLine() {
        let yaml = studyYAML().replacingOccurrences(of: "beds: 12", with: "beds: twelve")
        let e = error(yaml)
        #expect(e?.keyPath == "wards[1].beds")
        #expect(e?.line == 8)
        #expect(e?.message == "expected a whole number, found \"twelve\"")
        #expect(e?.exitStatus == .configuration)
        #expect(e?.description == "study.yaml:8: wards[1].beds: expected a whole number, found \"twelve\"")
    }

    @Test func unknownKeyIsAnErrorNotADefault() {
        let e = error(studyYAML("protected_windwo: { start: \"23:00\" }\n"))
        #expect(e?.keyPath == "protected_windwo")
        #expect(e?.message.hasPrefix("unknown key; expected one of version, study, organisation, protected_window") == true)
        // In a ward's own mapping too, among keys it knows.
        let ward = error(studyYAML().replacingOccurrences(of: "beds: 12", with: "beds: 12, cbt1: true"))
        #expect(ward?.keyPath == "wards[1].cbt1")
        #expect(ward?.message.hasPrefix("unknown key; expected one of ") == true)
    }

    @Test func requiredKeysAndValueChecks() {
        #expect(error("version: 1\nperiods: {}\n")?.keyPath == "study")
        #expect(error(studyYAML().replacingOccurrences(of: "to: 2018-08-31", with: "to: 2017-08-31"))?.message
            == "from (2018-01-01) is after to (2017-08-31)")
        #expect(error(studyYAML().replacingOccurrences(of: "from: 2019-01-01", with: "from: 2018-06-01"))?.keyPath == "periods")
        #expect(error(studyYAML("date_format: ydm\n"))?.message == "expected dmy, mdy or iso, found \"ydm\"")
        #expect(error(studyYAML("date_format: mdy\n")) == nil)
        #expect(error(studyYAML("exports: { incidents: { two_digit_years: 1850 } }\n"))?.message
            == "expected the first year two-digit years stand for, such as 2000 (19 is then 2019), found 1850")
        #expect(error(studyYAML("exports: { incidents: { two_digit_years: 1850 } }\n"))?.keyPath == "exports.incidents.two_digit_years")
        let settings = try? StudyLoader.parse(studyYAML("exports: { incidents: { two_digit_years: 2000, header_line: 2 } }\n"))
        #expect(settings?.exports[.incidents].twoDigitYears == 2000 && settings?.exports[.incidents].headerLine == 2)
        #expect(error(studyYAML("disclosure: { round_to: 0 }\n"))?.keyPath == "disclosure.round_to")
        #expect(error(studyYAML("quality: { max_quarantined_percent: 150 }\n"))?.keyPath == "quality.max_quarantined_percent")
        #expect(error(studyYAML("involvement_roles: { Volunteers: helpers }\n"))?.keyPath == "involvement_roles.Volunteers")
    }

    @Test func exportSettingsAreCheckedAgainstTheCanonicalFields() {
        let e = error(studyYAML("exports:\n  incidents: { columns: { severty: \"Harm level\" } }\n"))
        #expect(e?.keyPath == "exports.incidents.columns.severty")
        #expect(e?.message.hasPrefix("is not a field of the incidents export; its fields are id, date, ward, category") == true)
        #expect(error(studyYAML("exports:\n  incident: { file: x.csv }\n"))?.keyPath == "exports.incident")
        #expect(error(studyYAML("exports:\n  hypnotics: { kind: dispensing }\n"))?.message == "expected issues or administrations, found \"dispensing\"")
        #expect(error(studyYAML("exports:\n  occupancy: { categories: { a: b } }\n"))?.keyPath == "exports.occupancy")
        // One column named for two fields (the probe's `ward: Date`): every row would have been quarantined.
        let twice = error(studyYAML("exports:\n  incidents: { columns: { date: Date, ward: \" date \" } }\n"))
        #expect(twice?.keyPath == "exports.incidents.columns.ward")
        #expect(twice?.message == "names the column \" date \", which columns.date names too; each field is read from a column of its own")
    }

    @Test func listedExportsCarryTheirMappings() throws {
        let s = testStudy("""
        exports:
          incidents:
            file: datix.csv
            columns: { id: Ref, date: "Incident date" }
            categories: { "Violence and aggression": violence }
            severities: { "No harm": 0, Death: 4 }
            exclude_status: [REJECTED]
          hypnotics: { kind: administrations }

        """)
        let inc = s.exports[.incidents]
        #expect(inc.listed && inc.file == "datix.csv" && inc.header(for: "id") == "Ref" && inc.header(for: "ward") == "ward")
        #expect(inc.categories == ["Violence and aggression": "violence"])
        #expect(inc.excludeStatus == ["REJECTED"])
        #expect(s.exports[.hypnotics].hypnoticsKind == .administrations)
    }

    @Test func invalidYAMLGivesTheLine() {
        let e = error("study: x\nwards: [\n")
        #expect(e?.message.hasPrefix("is not valid YAML") == true)
        #expect(e?.line != nil)
    }

    @Test func duplicateWardLabelsAreRefused() {
        let e = error(studyYAML().replacingOccurrences(of: "aliases: [\"Ward 7 (Dementia)\"]", with: "aliases: [\"acute male\"]"))
        #expect(e?.keyPath == "wards[1]")
    }

    @Test func templateLoadsAsItIs() throws {
        let s = try StudyLoader.parse(StudyTemplate.text)
        #expect(s.wards.count == 2)
        #expect(s.exports[.incidents].categories?["Self harm"] == "self_harm")
    }
}
