import Foundation
import Testing
@testable import WardsleepKit

/// End-to-end: the real binary on temporary study folders; output files, messages and exit codes.
@Suite(.serialized) struct CommandLineTests {
    /// A study of 1,000 incidents of which 3 are bad, over one ward.
    func thousandIncidents(_ dir: TempFolder, threshold: String = "") {
        dir.write("study.yaml", studyYAML(threshold + """
        exports:
          incidents: { file: incidents.csv, categories: { "Violence and aggression": violence, "Self harm": self_harm } }

        """))
        var csv = "id,date,time,ward,category\n"
        for i in 1...1000 {
            let day = 1 + i % 28, month = 1 + i % 8
            var date = "\(day < 10 ? "0" : "")\(day)/0\(month)/2019"
            var ward = "A1", category = i % 2 == 0 ? "Self harm" : "Violence and aggression"
            if i == 100 { date = "31/02/2019" }
            if i == 500 { ward = "Ward 9" }
            if i == 900 { category = "Slips" }
            csv += "I\(i),\(date),0\(i % 10):15,\(ward),\(category)\n"
        }
        dir.write("incidents.csv", csv)
    }

    @Test func validateReportsEachBadRowAndKeepsEveryRowAccountedFor() throws {
        let dir = TempFolder()
        thousandIncidents(dir)
        let r = try runWardsleep(["validate", dir.path])
        #expect(r.status == 0)
        #expect(r.out.contains("incidents.csv: 1,000 rows read, 997 accepted, 3 quarantined (0.3%)"))
        #expect(r.out.contains("incidents.csv:101: column \"date\": \"31/02/2019\": no such date: February 2019 has 28 days"))
        // Unmapped labels are listed once per distinct value, with their count and first line.
        #expect(r.out.contains("  unknown ward in column \"ward\" (not an id, name or alias of any ward in study.yaml):\n"
                               + "    \"Ward 9\": 1 row, first on line 501"), "\(r.out)")
        #expect(r.out.contains("  unmapped category in column \"category\" (not listed in study.yaml exports.incidents.categories):\n"
                               + "    \"Slips\": 1 row, first on line 901"), "\(r.out)")
        #expect(r.out.contains("occupancy.csv: not supplied"))
    }

    @Test func validateExitsOneOnlyAboveTheStudysThreshold() throws {
        let dir = TempFolder()
        thousandIncidents(dir, threshold: "quality: { max_quarantined_percent: 0.2 }\n")
        let r = try runWardsleep(["validate", dir.path])
        #expect(r.status == 1)
        #expect(r.out.contains("incidents.csv: 0.3% quarantined is above the study's threshold of 0.2% (quality.max_quarantined_percent)"))
    }

    @Test func runWritesSummaryManifestAndQuarantine() throws {
        let dir = TempFolder()
        thousandIncidents(dir)
        let out = dir.path + "/report"
        let r = try runWardsleep(["run", dir.path, "--out", out])
        #expect(r.status == 0, "\(r.err)")
        let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        #expect(summary.contains("# Test study: improvement evaluation"))
        // Row counts in a releasable copy are published like every count: 997 → 995, 3 → * (and so no percentage); the
        // Markdown escapes the star, so it can never start emphasis.
        #expect(summary.contains(#"| Incidents | incidents.csv | 1,000 | 995 | \* | \* |"#))
        let quarantine = try String(contentsOfFile: out + "/restricted/quarantine/incidents.csv", encoding: .utf8)
        #expect(quarantine.split(separator: "\n").count == 4)  // header + 3 rows
        #expect(quarantine.hasPrefix("file,line,column,field,value,reason\nincidents.csv,101,date,date,31/02/2019,"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        let inputs = manifest["inputs"] as! [[String: Any]]
        #expect(inputs.count == 1)
        #expect(inputs[0]["rows_read"] as? Int == 1000 && inputs[0]["rows_accepted"] as? Int == 995 && inputs[0]["rows_quarantined"] as? String == "*")
        // The exact accounting is on the terminal (and in the run ledger), never in a releasable file.
        #expect(r.out.contains("incidents.csv: 1,000 rows read, 997 accepted, 3 quarantined (0.3%)"))
        #expect((inputs[0]["sha256"] as? String)?.count == 64)
        // Without --unsuppressed, restricted/ holds the quarantine files alone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/restricted") == ["quarantine"])
        // No export had a patient column, so no key was used and none is recorded.
        #expect((manifest["pseudonymisation"] as! [String: String])["key_source"] == "none (no patient identifiers read)")
        // Nothing half-written is left beside the report.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func runIsByteIdenticalWhenRepeated() throws {
        // Separate processes hash differently, so anything that depends on dictionary order shows up here.
        let dir = TempFolder()
        let sample = packageRoot() + "/data/sample"
        try runWardsleep(["run", sample, "--out", dir.path + "/a", "--unsuppressed", "--ledger", dir.path + "/ledger.sqlite"])
        try runWardsleep(["run", sample, "--out", dir.path + "/b", "--unsuppressed", "--ledger", dir.path + "/ledger.sqlite"])
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path + "/a").sorted()
        #expect(files.contains("results.json") && files.contains("restricted/tables/hypnotics.csv"))
        for f in files {
            #expect(FileManager.default.contents(atPath: dir.path + "/a/" + f) == FileManager.default.contents(atPath: dir.path + "/b/" + f), "\(f)")
        }
    }

    @Test func configurationErrorsExitTwoAndNameTheKey() throws {
        let dir = TempFolder()
        dir.write("study.yaml", studyYAML().replacingOccurrences(of: "beds: 16", with: "beds: sixteen"))
        let r = try runWardsleep(["run", dir.path, "--out", dir.path + "/out"])
        #expect(r.status == 2)
        #expect(r.err == "wardsleep: error: study.yaml:7: wards[0].beds: expected a whole number, found \"sixteen\"\n")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
    }

    /// The probe's `validate ""` read the current folder; `file: .` was called a link outside the study.
    @Test func anEmptyStudyFolderOrAFileNamingTheFolderItselfIsRefused() throws {
        let dir = TempFolder()
        dir.write("study.yaml", studyYAML("exports:\n  occupancy: { file: . }\n"))
        for command in ["validate", "run"] {
            let r = try runWardsleep([command, ""], in: dir.path)
            #expect(r.status == 64 && r.err.contains("is empty; give the study folder"), "\(r.err)")
        }
        let r = try runWardsleep(["validate", dir.path])
        #expect(r.status == 2 && r.err.contains("exports.occupancy.file: \".\" names the study folder itself; expected the name of the "
                                                + "export's file in it"), "\(r.err)")
    }

    @Test func missingStudyYAMLAndMissingListedExport() throws {
        let dir = TempFolder()
        let r = try runWardsleep(["validate", dir.path])
        #expect(r.status == 2 && r.err.contains("study.yaml: not found in"))
        dir.write("study.yaml", studyYAML("exports:\n  incidents: { file: datix.csv }\n"))
        let r2 = try runWardsleep(["validate", dir.path])
        #expect(r2.status == 3)
        #expect(r2.err == "wardsleep: error: datix.csv: not found in the study folder, but study.yaml lists it at exports.incidents.file\n")
    }

    /// An analyst may name the study's study.yaml instead of its folder: validate, run and history take its folder;
    /// any other file is refused with exit 64, naming the folder wanted, and nothing is written beside it.
    @Test func aStudyYAMLNamedInsteadOfItsFolderIsTakenAsTheFolder() throws {
        let dir = TempFolder()
        dir.write("study.yaml", studyYAML())
        dir.write("sleep_plans.csv", "night,ward,patient,protected\n04/03/2019,A1,9434765919,Y\n")
        let key = ["WARDSLEEP_KEY": testKey]
        let v = try runWardsleep(["validate", dir.path + "/study.yaml"], environment: key)
        #expect(v.status == 0 && v.out.contains("sleep_plans.csv: 1 rows read, 1 accepted"), "\(v.err)")
        let r = try runWardsleep(["run", dir.path + "/study.yaml", "--out", dir.path + "/reports/x", "--quiet"], environment: key)
        #expect(r.status == 0 && dir.exists("reports/x/summary.md") && dir.exists(".wardsleep/ledger.sqlite"), "\(r.err)")
        let h = try runWardsleep(["history", "--study", dir.path + "/study.yaml"])
        #expect(h.status == 0 && h.out.hasPrefix("#1 ") && h.out.contains("success (exit 0)"), "\(h.out) \(h.err)")
        let other = try runWardsleep(["run", dir.path + "/sleep_plans.csv", "--out", dir.path + "/reports/y"], environment: key)
        #expect(other.status == 64, "\(other.err)")
        #expect(other.err.contains("DIR \(dir.path)/sleep_plans.csv: is a file; give the study folder, which holds study.yaml and the exports, such as \(dir.path)"), "\(other.err)")
        #expect(!dir.exists("reports/y") && !dir.exists("sleep_plans.csv/.wardsleep"))
    }

    @Test func exportsOutsideTheStudyFolderAreRefused() throws {
        let dir = TempFolder()
        dir.write("study.yaml", studyYAML("exports:\n  incidents: { file: ../../etc/passwd }\n"))
        let r = try runWardsleep(["validate", dir.path])
        #expect(r.status == 2 && r.err.contains("exports.incidents.file: \"../../etc/passwd\" is outside the study folder"))
        let dir2 = TempFolder()
        dir2.write("study.yaml", studyYAML())
        try FileManager.default.createSymbolicLink(atPath: dir2.path + "/incidents.csv", withDestinationPath: "/etc/hostname")
        let r2 = try runWardsleep(["validate", dir2.path])
        #expect(r2.status == 2 && r2.err.contains("is a link to a file outside the study folder"))
    }

    @Test func patientIdentifiersNeedAKey() throws {
        let dir = TempFolder()
        dir.write("study.yaml", studyYAML())
        dir.write("sleep_plans.csv", "night,ward,patient,protected\n04/03/2019,A1,9434765919,Y\n")
        let r = try runWardsleep(["validate", dir.path])
        #expect(r.status == 2 && r.err.contains("set WARDSLEEP_KEY"))
        let ok = try runWardsleep(["validate", dir.path], environment: ["WARDSLEEP_KEY": testKey])
        #expect(ok.status == 0 && ok.out.contains("sleep_plans.csv: 1 rows read, 1 accepted, 0 quarantined"))
    }

    @Test func initWritesATemplateThatValidates() throws {
        let dir = TempFolder()
        let r = try runWardsleep(["init", dir.path + "/new"])
        #expect(r.status == 0)
        // The template loads; the exports it lists must then be put beside it.
        let v = try runWardsleep(["validate", dir.path + "/new"])
        #expect(v.status == 3)
        #expect(v.err == "wardsleep: error: occupancy.csv: not found in the study folder, but study.yaml lists it at exports.occupancy.file\n")
        let again = try runWardsleep(["init", dir.path + "/new"])
        #expect(again.status == 2 && again.err.contains("already exists; pass --force"))
    }

    @Test func helpShowsExamples() throws {
        for command in ["run", "validate", "init", "sample", "pool"] {
            let r = try runWardsleep([command, "--help"])
            #expect(r.status == 0 && r.out.contains("Example"))
        }
    }
}
