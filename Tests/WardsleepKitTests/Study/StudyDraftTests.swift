import Foundation
import Testing
@testable import WardsleepKit

/// `init --from-exports`: each export recognised by its headers, US dates detected, and nothing replaced that
/// wardsleep did not write.
@Suite struct StudyDraftTests {
    @Test func exportsAreRecognisedByTheirHeaders() {
        func kind(_ header: String, _ file: String = "export.csv") -> String? {
            StudyDraft.guessKind(header.components(separatedBy: ","), file: file).map { "\($0.0.rawValue)/\($0.1.rawValue)" }
        }
        #expect(kind("Date,Ward,Occupied beds,Leave beds") == "occupancy/issues")
        #expect(kind("Ref,Incident date,Time,Location (exact),Category,Harm level") == "incidents/issues")
        #expect(kind("Issue date,Ward,Product,Qty") == "hypnotics/issues")
        #expect(kind("Administered,Ward,Patient ID,Drug,Dose (mg),Status,PRN,Route") == "hypnotics/administrations")
        #expect(kind("Response ID,Respondent,Stage,Comment,Rating") == "feedback/issues")
        #expect(kind("Night of,Ward,Patient ID,Protected sleep?,Decided by") == "sleep_plans/issues")
        #expect(kind("stage,group,level,activity,evidence") == "involvement/issues")
        // An observation log shares date/time, ward and patient with administrations, and is told by its own fields.
        #expect(kind("Date/time,Ward,Patient ID,Reason,Obs level,Staff") == "observations/issues")
        #expect(kind("Check time,Ward,NHS number,Reason for check") == "observations/issues")
        #expect(kind("Name,Address,Postcode") == nil)
        // Labels a probe's exports used that were not recognised.
        #expect(HeaderNames.field(for: "Admin Status", in: .hypnotics, hypnotics: .administrations) == "status")
        #expect(HeaderNames.field(for: "Admin Date/Time", in: .hypnotics, hypnotics: .administrations) == "datetime")
        #expect(HeaderNames.field(for: "Date and Time of Incident", in: .incidents) == "date")
        #expect(HeaderNames.field(for: "Ward / Department", in: .incidents) == "ward")
        #expect(HeaderNames.field(for: "Survey wave", in: .feedback) == "stage")
        #expect(HeaderNames.field(for: "Score (1-5)", in: .feedback) == "rating")
        #expect(HeaderNames.field(for: "Unit", in: .hypnotics, hypnotics: .administrations) == "dose_unit")
        // The second probe's Datix-style and EPMA headers: a trailing full stop, a format hint in brackets, common names.
        #expect(HeaderNames.field(for: "Incident Ref.", in: .incidents) == "id")
        #expect(HeaderNames.field(for: "Date of Incident (dd/mm/yy)", in: .incidents) == "date")
        #expect(HeaderNames.field(for: "Type of Incident", in: .incidents) == "category")
        #expect(HeaderNames.field(for: "Patient NHS No", in: .hypnotics, hypnotics: .administrations) == "patient")
        #expect(HeaderNames.field(for: "Actual Admin Time", in: .hypnotics, hypnotics: .administrations) == "datetime")
        #expect(HeaderNames.field(for: "Scheduled Time", in: .hypnotics, hypnotics: .administrations) == nil)  // when due, not given
        #expect(HeaderNames.field(for: "Dose (mg)", in: .hypnotics, hypnotics: .administrations) == "dose_mg")
        #expect(kind("Incident Ref.,Date of Incident (dd/mm/yy),Ward,Type of Incident") == "incidents/issues")
    }

    /// An export with title lines above its header (a report name, an export date) is drafted with `header_line` set to
    /// the line its header is on, and the study drafted validates.
    @Test func titleLinesAboveTheHeaderAreSkippedByTheDraft() throws {
        let dir = TempFolder()
        dir.write("raw/incidents.csv", "Incident report,,,,\nExported 01/09/2019,,,,\nRef,Incident date,Time,Location (exact),Category\n"
                  + "I1,05/03/2019,02:10,A1,Self harm\n")
        dir.write("raw/notes.csv", "a,b\n1,2\n")
        let scan = try StudyDraft.scan(folder: dir.path + "/raw")
        #expect(scan.exports.map(\.kind) == [.incidents] && scan.exports.first?.headerLine == 3 && scan.exports.first?.rows == 1)
        #expect(scan.skipped == ["notes.csv"], "\(scan.skipped)")
        let r = try runWardsleep(["init", dir.path + "/study", "--from-exports", dir.path + "/raw"])
        #expect(r.status == 0, "\(r.err)")
        let yaml = try #require(dir.read("study/study.yaml"))
        #expect(yaml.contains("    header_line: 3   # the column names are on line 3: the lines above (a title, an export date) are skipped"), "\(yaml)")
        let v = try runWardsleep(["validate", dir.path + "/study"])
        #expect(v.out.contains("incidents.csv: 1 rows read, 1 accepted, 0 quarantined"), "\(v.out) \(v.err)")
    }

    /// An export whose dates have two-digit years is drafted with `two_digit_years: 2000`, its periods guessed from the
    /// dates so read, and the study drafted validates every row.
    @Test func twoDigitYearsAreReadAsThisCenturyByTheDraft() throws {
        let dir = TempFolder()
        var rows = "Ref,Incident date,Time,Location (exact),Category\n"
        for (i, month) in (1...12).enumerated() { rows += "I\(i),05/\(month < 10 ? "0" : "")\(month)/18,02:10,A1,Self harm\n" }
        for (i, month) in (1...8).enumerated() { rows += "J\(i),05/0\(month)/19,02:10,A1,Self harm\n" }
        dir.write("raw/incidents.csv", rows)
        let r = try runWardsleep(["init", dir.path + "/study", "--from-exports", dir.path + "/raw"])
        #expect(r.status == 0, "\(r.err)")
        let yaml = try #require(dir.read("study/study.yaml"))
        #expect(yaml.contains("    two_digit_years: 2000   # CHECK: 20 dates have two-digit years, read as 2000-2099"), "\(yaml)")
        #expect(yaml.contains("2018-") && yaml.contains("2019-"), "\(yaml)")
        let v = try runWardsleep(["validate", dir.path + "/study"])
        #expect(v.out.contains("incidents.csv: 20 rows read, 20 accepted, 0 quarantined"), "\(v.out) \(v.err)")
    }

    /// The sample's observation log, drafted on its own, loads and validates as an observation log.
    @Test func anObservationLogIsDraftedAsOne() throws {
        let dir = TempFolder()
        for f in ["observations.csv", "occupancy.csv"] {
            try FileManager.default.createDirectory(atPath: dir.path + "/raw", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: packageRoot() + "/data/sample/" + f, toPath: dir.path + "/raw/" + f)
        }
        let lines = try StudyDraft.write(studyFolder: dir.path + "/study", exportsFolder: dir.path + "/raw", force: false)
        #expect(lines.contains { $0.hasPrefix("observations.csv: observations, ") }, "\(lines)")
        let r = try runWardsleep(["validate", dir.path + "/study"], environment: ["WARDSLEEP_KEY": testKey])
        #expect(r.status != ExitStatus.configuration.rawValue, "\(r.err)")
        #expect(r.out.contains("observations.csv: 56,419 rows read"), "\(r.out)")
    }

    @Test func usDatesAreDetectedWithTheirEvidence() throws {
        let dir = TempFolder()
        dir.write("raw/incidents.csv", "id,date,ward,category\nI1,01/02/2019,A1,Falls\nI2,02/13/2019,A1,Falls\n")
        dir.write("raw/notes.csv", "Name,Address\nx,y\n")
        let lines = try StudyDraft.write(studyFolder: dir.path + "/study", exportsFolder: dir.path + "/raw", force: false)
        #expect(lines.contains("notes.csv: not recognised as an export, or a second file of the same export; left out"))
        // A file that is not CSV text at all says why, as validate would.
        dir.write("raw2/incidents.csv", bytes: [0xFF, 0xFE] + Array("id,date\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        dir.write("raw2/occupancy.csv", "date,ward,occupied_beds\n13/02/2019,A1,12\n")
        let utf16 = try StudyDraft.write(studyFolder: dir.path + "/study2", exportsFolder: dir.path + "/raw2", force: false)
        #expect(utf16.contains { $0.hasPrefix("incidents.csv: input unreadable: this is UTF-16 text") && $0.hasSuffix("save it as CSV UTF-8; left out") },
                "\(utf16)")
        let yaml = try #require(dir.read("study/study.yaml"))
        #expect(yaml.contains("date_format: mdy   # detected: 1 dates can only be month first (e.g. \"02/13/2019\" in incidents.csv line 3), none day first"))
        let study = try StudyLoader.parse(yaml)
        #expect(study.dateFormat == .mdy && study.wards.map(\.id) == ["A1"])
        #expect(dir.exists("study/incidents.csv") && !dir.exists("study/notes.csv"))

        // A US export beside one whose dates tell nothing: the study stays day first, the US one gets its own; evidence
        // is quoted as the file writes it (two-digit years and all).
        dir.write("lone/occupancy.csv", "date,ward,occupied_beds\n02/13/19,A1,12\n")
        dir.write("lone/incidents.csv", "Incident Ref.,Date of Incident (dd/mm/yy),Ward,Type of Incident\nI1,05/03/19,A1,Falls\n")
        _ = try StudyDraft.write(studyFolder: dir.path + "/lone", exportsFolder: dir.path + "/lone", force: false)
        let lone = try #require(dir.read("lone/study.yaml"))
        #expect(lone.contains("date_format: dmy   # CHECK: only occupancy.csv has dates that can only be month first"), "\(lone)")
        #expect(lone.contains("    date_format: mdy   # detected: 1 dates can only be month first (e.g. \"02/13/19\" in occupancy.csv line 2)"), "\(lone)")
        #expect(lone.contains("columns: { id: \"Incident Ref.\", date: \"Date of Incident (dd/mm/yy)\""), "\(lone)")

        // A US export among UK ones gets a date_format of its own.
        dir.write("mixed/incidents.csv", "id,date,ward,category\nI1,01/02/2019,A1,Falls\nI2,02/13/2019,A1,Falls\n")
        dir.write("mixed/occupancy.csv", "date,ward,occupied_beds\n13/02/2019,A1,12\n14/02/2019,A1,12\n")
        dir.write("mixed/feedback.csv", "id,group,stage,text,date\n1,patient,before,x,15/02/2019\n")
        _ = try StudyDraft.write(studyFolder: dir.path + "/mixed", exportsFolder: dir.path + "/mixed", force: false)
        let mixed = try #require(dir.read("mixed/study.yaml"))
        #expect(mixed.contains("date_format: dmy   # detected: 2 dates can only be day first (e.g. \"13/02/2019\" in occupancy.csv line 2)"))
        #expect(mixed.contains("    date_format: mdy   # detected: 1 dates can only be month first (e.g. \"02/13/2019\" in incidents.csv line 3), none the other way"))
        #expect(try StudyLoader.parse(mixed).exports[.incidents].dateFormat == .mdy)

        dir.write("iso/incidents.csv", "id,date,ward,category\nI1,2019-02-01,A1,Falls\nI2,2019-02-13 22:10,A1,Falls\n")
        _ = try StudyDraft.write(studyFolder: dir.path + "/iso", exportsFolder: dir.path + "/iso", force: false)
        #expect(dir.read("iso/study.yaml")?.contains("date_format: iso   # detected: all 2 dates are yyyy-mm-dd") == true)

        // Dates that name their month need no order, and rule out `iso` (which would refuse them) beside ISO dates.
        dir.write("named/incidents.csv", "id,date,ward,category\nI1,01-JAN-2019 10:05 PM,A1,Falls\nI2,13-Feb-2019,A1,Falls\n")
        dir.write("named/occupancy.csv", "date,ward,occupied_beds\n2019-02-13,A1,12\n")
        _ = try StudyDraft.write(studyFolder: dir.path + "/named", exportsFolder: dir.path + "/named", force: false)
        let named = try #require(dir.read("named/study.yaml"))
        #expect(named.contains("date_format: dmy   # detected: 2 dates name their month (01-Jan-2019), read the same either way"), "\(named)")
        // Between slashes as well: such a date is not a slash date that could be read either way.
        dir.write("slashes/occupancy.csv", "date,ward,occupied_beds\n13/Feb/2019,A1,12\n")
        _ = try StudyDraft.write(studyFolder: dir.path + "/slashes", exportsFolder: dir.path + "/slashes", force: false)
        let slashes = try #require(dir.read("slashes/study.yaml"))
        #expect(slashes.contains("date_format: dmy   # detected: 1 dates name their month (01-Jan-2019), read the same either way"), "\(slashes)")
    }

    @Test func nothingIsReplacedThatWardsleepDidNotWrite() throws {
        let dir = TempFolder()
        dir.write("raw/incidents.csv", "id,date,ward,category\nI1,21/02/2019,A1,Falls\n")
        dir.write("study/incidents.csv", "a different file\n")
        #expect(throws: UsageError(option: "DIR", value: dir.path + "/study",
                                   message: "already holds a different incidents.csv; wardsleep never replaces a file it did not write")) {
            _ = try StudyDraft.write(studyFolder: dir.path + "/study", exportsFolder: dir.path + "/raw", force: false)
        }
        #expect(dir.read("study/incidents.csv") == "a different file\n" && !dir.exists("study/study.yaml"))
        // The exports folder itself may be the study folder; an existing study.yaml needs --force.
        _ = try StudyDraft.write(studyFolder: dir.path + "/raw", exportsFolder: dir.path + "/raw", force: false)
        #expect(throws: UsageError.self) { _ = try StudyDraft.write(studyFolder: dir.path + "/raw", exportsFolder: dir.path + "/raw", force: false) }
        #expect(throws: Never.self) { _ = try StudyDraft.write(studyFolder: dir.path + "/raw", exportsFolder: dir.path + "/raw", force: true) }
        // A study.yaml that is a link is never written through.
        try FileManager.default.removeItem(atPath: dir.path + "/raw/study.yaml")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/raw/study.yaml", withDestinationPath: dir.path + "/elsewhere.yaml")
        #expect(throws: UsageError.self) { _ = try StudyDraft.write(studyFolder: dir.path + "/raw", exportsFolder: dir.path + "/raw", force: true) }
        #expect(!dir.exists("elsewhere.yaml"))
    }
}
