import Foundation
import Testing
@testable import WardsleepKit

/// An analyst's first evaluation, end to end through the binary: raw exports as a trust gives them (Datix incidents
/// with local harm codes in Windows-1252, an EPMA extract with a dose unit column and a liquid, a bed census, sleep
/// plans with Yes/No flags and `/`-separated roles, a survey, and a forensic ward that is not in the pilot) →
/// `init --from-exports` → a few edits → `validate` → `run` → a report whose numbers are worked out below by hand.
///
/// Wards: Willow (exports: "Willow"; Datix: "Willow Ward (Acute)") and Cedar ("Cedar"; "Cedar Ward (Rehab)"); Oak
/// ("Oak (Forensic)"; "Oak Ward (Forensic)") is outside the evaluation. Baseline 1–20 January 2018, pilot 1–20
/// January 2019.
@Suite struct AnalystJourneyTests {
    let root = TempFolder()
    var exports: String { root.path + "/raw" }
    var study: String { root.path + "/study" }
    let key = ["WARDSLEEP_KEY": testKey]

    /// Writes the raw exports.
    func writeExports() {
        func days(_ year: Int) -> [String] { (1...20).map { String(format: "%02d/01/%d", $0, year) } }

        // Bed census: Willow 10 occupied (1 on leave), Cedar 8, Oak 5, every day of both periods.
        // Occupied bed days per period (leave included, the default): Willow 20 × 10 = 200, Cedar 20 × 8 = 160: 360.
        var census = "Census date,Ward name,Occupied,On leave\n"
        for d in days(2018) + days(2019) {
            census += "\(d),Willow,10,1\n\(d),Cedar,8,0\n\(d),Oak (Forensic),5,0\n"
        }
        root.write("raw/bed_census.csv", census)

        // Datix, saved by Excel as Windows-1252 (0x92 is a curly apostrophe). Harm levels are local codes.
        // Baseline, counted: R1 (02:30, protected window), R2, R3, R4 (03:15, protected window) = 4; R5 is Rejected
        // (set aside by status); R6 is on Oak (excluded by design). Pilot, counted: R7 (04:00, protected window), R8
        // = 2; R9 on Oak. R10 is in June 2018, outside both periods.
        // 24 hours: 4 → 2 over 360 → 360 OBD; rate ratio 2/4 = 0.5. Protected window: 2 → 1.
        let datix = """
        Ref,Incident date,Time,Location (exact),Category,Harm level,Status,Description
        R1,03/01/2018,02:30,Willow Ward (Acute),Violence and aggression,H1 Low,Finally approved,Patient\u{92}s door kicked
        R2,05/01/2018,14:00,Willow Ward (Acute),Self harm,H0 No harm,Finally approved,x
        R3,08/01/2018,23:10,Cedar Ward (Rehab),Violence and aggression,H0 No harm,Finally approved,x
        R4,14/01/2018,03:15,Cedar Ward (Rehab),"Slips, trips and falls",H2 Moderate,Awaiting review,x
        R5,15/01/2018,10:00,Willow Ward (Acute),Self harm,H1 Low,Rejected,x
        R6,16/01/2018,01:00,Oak Ward (Forensic),Violence and aggression,H1 Low,Finally approved,x
        R7,02/01/2019,04:00,Willow Ward (Acute),Violence and aggression,H1 Low,Finally approved,x
        R8,13/01/2019,12:00,Cedar Ward (Rehab),Self harm,H0 No harm,Finally approved,x
        R9,19/01/2019,22:00,Oak Ward (Forensic),Self harm,H0 No harm,Finally approved,x
        R10,10/06/2018,11:00,Willow Ward (Acute),Self harm,H0 No harm,Finally approved,x

        """
        root.write("raw/datix_incidents.csv", bytes: Array(datix.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }))

        // EPMA: zopiclone 7.5 mg every night on Willow in both periods (20 doses × 7.5 mg = 150 mg each period), plus:
        // baseline promethazine 25 ml of 5mg/5ml (25 mg, PRN), melatonin 2000 micrograms (2 mg), a refused dose (set
        // aside), an Oak dose (excluded by design); pilot promethazine 10 ml with no concentration (quarantined: a
        // volume is never read as mg) and melatonin 2 mg (PRN). 46 rows, 1 quarantined (2.2%).
        // Given mg: baseline zopiclone 150, promethazine 25, melatonin 2; pilot zopiclone 150, melatonin 2.
        var epma = "Administered,Ward,Patient ID,Drug,Dose,Unit,Status,PRN\n"
        for d in days(2018) { epma += "\(d) 22:00,Willow,1001,Zopiclone 7.5mg tablets,7.5,mg,Given,Regular\n" }
        for d in days(2019) { epma += "\(d) 22:00,Willow,1004,Zopiclone 7.5mg tablets,7.5,mg,Given,Regular\n" }
        epma += """
        03/01/2018 23:30,Cedar,1002,Promethazine 5mg/5ml oral solution,25,ml,Given,PRN
        05/01/2018 22:00,Cedar,1003,Melatonin 2mg m/r tablets,2000,micrograms,Given,Regular
        06/01/2018 22:00,Cedar,1003,Zopiclone 7.5mg tablets,1,tablet,Refused,Regular
        07/01/2018 22:00,Oak (Forensic),1009,Zopiclone 7.5mg tablets,7.5,mg,Given,Regular
        03/01/2019 23:00,Cedar,1005,Promethazine,10,ml,Given,PRN
        04/01/2019 22:00,Cedar,1006,Melatonin 2mg m/r tablets,2,mg,Given,PRN

        """
        root.write("raw/epma_administrations.csv", epma)

        // Sleep plans in the pilot, Yes/No flags: Willow patient 2001 protected all 20 nights, decided "MDT/patient"
        // on odd days (10) and "Night co-ordinator + NIC" on even days (10); Cedar patient 2002 unprotected on 1–10,
        // protected on 11–20 decided by "MDT" (10). One Oak row (excluded by design).
        // Protected nights 30; the MDT 10 + 10 = 20 of 30 (66.7%); the night coordinator 10 of 30 (33.3%); the patient
        // involved 10 of 30 (33.3%); carer: "N/K" on Cedar's 20th night (not recorded), "No" otherwise: 0 of 29.
        var plans = "Night of,Ward,Patient ID,Protected sleep?,Decided by,Patient involved,Carer involved\n"
        for (i, d) in days(2019).enumerated() {
            let day = i + 1
            plans += day % 2 == 1 ? "\(d),Willow,2001,Yes,MDT/patient,Yes,No\n" : "\(d),Willow,2001,Yes,Night co-ordinator + NIC,No,No\n"
            plans += day <= 10 ? "\(d),Cedar,2002,No,,,\n" : "\(d),Cedar,2002,Yes,MDT,No,\(day == 20 ? "N/K" : "No")\n"
        }
        plans += "05/01/2019,Oak (Forensic),2003,Yes,MDT,Yes,No\n"
        root.write("raw/sleep_plans_export.csv", plans)

        // Survey with a Yes/No consent column wardsleep does not use. One comment matches no theme ("Nice garden");
        // one asks for the checks back.
        root.write("raw/survey.csv", """
        Response ID,Respondent,Stage,Comment,Rating,Happy to be quoted (Yes/No)
        S1,Service user,Pre,The checks wake me every hour,2,Yes
        S2,Relative,Post,Please bring the checks back,3,No
        S3,Staff,Post,Much quieter nights,4,Yes
        S4,Service user,Post,Slept well,5,Yes
        S5,Visitor,Mid,Nice garden,,No

        """)
    }

    /// The analyst's edits to the draft: the periods, the two wards with their Datix names as aliases, Oak excluded,
    /// the local harm codes and the rejected status.
    func edit(_ draft: String) throws -> String {
        var lines = draft.components(separatedBy: "\n")
        func replace(_ prefix: String, with new: String) throws {
            let i = try #require(lines.firstIndex { $0.hasPrefix(prefix) }, "no line starting \(prefix)")
            lines[i] = new
        }
        try replace("  baseline:", with: "  baseline: { from: 2018-01-01, to: 2018-01-20 }")
        try replace("  pilot:", with: "  pilot:    { from: 2019-01-01, to: 2019-01-20 }")
        let w = try #require(lines.firstIndex(of: "wards:")), x = try #require(lines.firstIndex { $0.hasPrefix("exclude_wards:") })
        lines.replaceSubrange(w...x, with: [
            "wards:",
            "  - { id: W1, name: Willow, type: acute, beds: 12, aliases: [\"Willow Ward (Acute)\"] }",
            "  - { id: C1, name: Cedar, type: rehabilitation, beds: 10, aliases: [\"Cedar Ward (Rehab)\"] }",
            "exclude_wards: [\"Oak (Forensic)\", \"Oak Ward (Forensic)\"]",
        ])
        let file = try #require(lines.firstIndex { $0.hasPrefix("    file: \"datix_incidents.csv\"") })
        lines.insert(contentsOf: [
            "    values: { severity: { \"H0 No harm\": no harm, \"H1 Low\": low, \"H2 Moderate\": moderate } }",
            "    exclude_status: [rejected]",
        ], at: file + 1)
        return lines.joined(separator: "\n")
    }

    @Test func rawExportsToACorrectReport() throws {
        writeExports()
        // 1. Draft.
        let initialised = try runWardsleep(["init", study, "--from-exports", exports])
        #expect(initialised.status == 0, "\(initialised.err)")
        #expect(initialised.out.contains("datix_incidents.csv: incidents, 10 rows, 8 columns mapped, encoding windows-1252"))
        #expect(initialised.out.contains("epma_administrations.csv: hypnotics (administrations), 46 rows, 8 columns mapped"))
        #expect(initialised.out.contains("  severity: 3 unmapped values (stubs in study.yaml)"))
        let draft = try #require(root.read("study/study.yaml"))
        #expect(draft.contains("date_format: dmy   # detected: "))
        #expect(draft.contains("columns: { date: \"Census date\", ward: \"Ward name\", occupied_beds: \"Occupied\", leave_beds: \"On leave\" }"))
        #expect(draft.contains("    kind: administrations   # from the headers"))
        #expect(draft.contains("dose_mg: \"Dose\", dose_unit: \"Unit\""))
        #expect(draft.contains("  - { id: \"Oak (Forensic)\", name: \"Oak (Forensic)\", type: unspecified, beds: 5 }"))
        #expect(draft.contains("  - { id: \"Willow Ward (Acute)\", name: \"Willow Ward (Acute)\", type: unspecified, beds: 1 }"))
        #expect(draft.contains("    #     \"H2 Moderate\": \"\"   # 1 row; UNMAPPED"))
        #expect(draft.contains("    #     \"Night co-ordinator\": \"night coordinator\"   # 10 rows (default)"))
        #expect(draft.contains("    # headers not used: \"Happy to be quoted (Yes/No)\""))
        // The draft loads as it is: the analyst can validate straight away.
        #expect(throws: Never.self) { _ = try StudyLoader.parse(draft) }

        // 2. Edit and validate.
        try Data(try edit(draft).utf8).write(to: URL(fileURLWithPath: study + "/study.yaml"))
        let validated = try runWardsleep(["validate", study], environment: key)
        #expect(validated.status == 0, "\(validated.out)\n\(validated.err)")
        let v = validated.out
        #expect(v.contains("datix_incidents.csv: 10 rows read, 10 accepted, 0 quarantined (0.0%)"))
        #expect(v.contains("  set aside (accepted, not analysed): excluded by design: 2; excluded by status: 1; outside both periods: 1"))
        #expect(v.contains("  encoding: windows-1252 (the file is not UTF-8)"))
        #expect(v.contains("bed_census.csv: 120 rows read, 120 accepted, 0 quarantined (0.0%)"))
        #expect(v.contains("epma_administrations.csv: 46 rows read, 45 accepted, 1 quarantined (2.2%)"))
        #expect(v.contains("  set aside (accepted, not analysed): excluded by design: 1; not given (refused): 1"))
        #expect(v.contains("epma_administrations.csv:46: column \"Dose\": \"10\": dose in ml"))
        #expect(v.contains("sleep_plans_export.csv: 41 rows read, 41 accepted, 0 quarantined (0.0%)"))
        #expect(v.contains("  1 of 5 comments matched no codebook theme or request"))
        #expect(!v.contains("unmapped"))

        // 3. Run, with exact counts in restricted/ to check against the hand counts.
        let out = root.path + "/report"
        let run = try runWardsleep(["run", study, "--out", out, "--unsuppressed", "--ledger", root.path + "/ledger.sqlite"], environment: key)
        #expect(run.status == 0, "\(run.err)")
        let incidents = try String(contentsOfFile: out + "/restricted/tables/incidents.csv", encoding: .utf8)
        // scope,ward,category,window,baseline_events,pilot_events,baseline_exposure,pilot_exposure,exposure_unit,...
        #expect(incidents.contains("\nstudy,all,all,24h,4,2,360,360,occupied_bed_days,"), "\(incidents)")
        #expect(incidents.contains("\nstudy,all,all,protected,2,1,360,360,occupied_bed_nights,"), "\(incidents)")
        let hypnotics = try String(contentsOfFile: out + "/restricted/tables/hypnotics.csv", encoding: .utf8)
        let rows = hypnotics.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(rows.first)
        func column(_ name: String, drug: String) throws -> String {
            let row = try #require(rows.first { $0.count == header.count && $0[0] == "study" && $0[header.firstIndex(of: "drug")!] == drug
                && $0[header.firstIndex(of: "product")!] == "all" }, "no study row for \(drug): \(hypnotics)")
            return row[try #require(header.firstIndex(of: name))]
        }
        #expect(try column("baseline_mg", drug: "zopiclone") == "150" && column("pilot_mg", drug: "zopiclone") == "150")
        #expect(try column("baseline_mg", drug: "promethazine") == "25")
        #expect(try column("baseline_mg", drug: "melatonin") == "2" && column("pilot_mg", drug: "melatonin") == "2")
        let summary = try String(contentsOfFile: out + "/restricted/summary.md", encoding: .utf8)
        #expect(summary.contains("the patient 10 of 30 (33.3%); a carer 0 of 29 (0.0%); the night coordinator 10 of 30 (33.3%); "
                                 + "the MDT 20 of 30 (66.7%)."), "\(summary)")
        #expect(summary.contains("Rates per 1,000 occupied bed days (the midnight census, patients on leave included)."))
        #expect(summary.contains("windows-1252"))
        #expect(summary.contains("excluded by design"))
    }
}
