import Foundation
import Testing
@testable import WardsleepKit

/// A filtered report is consistent: every title and section of summary.md (and so report.html) either honours each
/// filter or says in one line that it cannot; people read labels, never snake_case ids.
@Suite(.serialized) struct FilteredReportTests {
    /// The sample study's report under `filter`, as summary.md and the chart titles of tables/spc.csv.
    func report(_ dir: TempFolder, _ name: String, _ filter: [String]) throws -> (summary: String, charts: [String], manifest: [String: Any]) {
        let out = dir.path + "/" + name
        let r = try runWardsleep(["run", dir.path + "/study", "--out", out, "--ledger", dir.path + "/ledger.sqlite"] + filter)
        #expect(r.status == 0, "\(filter): \(r.err)")
        // A report on chosen months, dates, wards or categories is restricted: a notice at the top, the report in restricted/.
        let folder = Self.isRestricted(filter) ? out + "/restricted" : out
        if Self.isRestricted(filter) {
            let notice = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
            #expect(notice.contains("**For use inside the organisation only.**") && !notice.contains("Results"), "\(filter)")
            let top = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
            #expect(top == ["manifest.json", "restricted", "summary.md"], "\(filter): \(top)")
        }
        let summary = try String(contentsOfFile: folder + "/summary.md", encoding: .utf8)
        let spc = (try? String(contentsOfFile: folder + "/tables/spc.csv", encoding: .utf8)) ?? ""
        let charts = Set(spc.split(separator: "\n").dropFirst().map { line in
            line.hasPrefix("\"") ? String(line.dropFirst().prefix { $0 != "\"" }) : String(line.prefix { $0 != "," })
        }).sorted()
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        return (summary, charts, manifest)
    }

    /// Whether the filter publishes counts the full report does not (months, dates, wards or categories: all but a
    /// window alone).
    static func isRestricted(_ filter: [String]) -> Bool {
        filter.contains { ["--months", "--from", "--to", "--ward", "--category"].contains($0) }
    }

    /// The text of each `## ` section, by heading.
    func sections(_ md: String) -> [String: String] {
        var out: [String: String] = [:], heading = ""
        for line in md.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { heading = String(line.dropFirst(3)); out[heading] = ""; continue }
            out[heading, default: ""] += line + "\n"
        }
        return out
    }

    let leftOutPrefix = "left out of this filtered report, because it cannot be limited "

    @Test func everyTitleAndSectionHonoursEachFilterOrSaysItCannot() throws {
        let dir = TempFolder()
        try FileManager.default.copyItem(atPath: packageRoot() + "/data/sample", toPath: dir.path + "/study")
        struct Case {
            var filter: [String]
            var words: String
            /// Sections replaced by one line, and the filter words the line names.
            var leftOut: [String: String]
        }
        let cases = [
            Case(filter: ["--ward", "A1"], words: "ward A1",
                 leftOut: ["The involvement ledger": "to wards (--ward)."]),
            Case(filter: ["--ward", "A1", "--ward", "Ward 7 (Dementia)"], words: "wards A1, D1",
                 leftOut: ["The involvement ledger": "to wards (--ward)."]),
            Case(filter: ["--category", "Self harm"], words: "category Self harm",
                 leftOut: ["Hypnotic use": "to incident categories (--category).", "Feedback": "to incident categories (--category).",
                           "Protected-sleep uptake": "to incident categories (--category).",
                           "Fidelity (the intervention as delivered)": "to incident categories (--category).",
                           "The involvement ledger": "to incident categories (--category)."]),
            Case(filter: ["--from", "2018-03-01", "--to", "2019-06-30"], words: "dates 2018-03-01 to 2019-06-30",
                 leftOut: ["Feedback": "to dates (--from, --to).", "The involvement ledger": "to dates (--from, --to)."]),
            Case(filter: ["--months", "feb-jun"], words: "months February to June of each year",
                 leftOut: ["Feedback": "to calendar months (--months).", "The involvement ledger": "to calendar months (--months)."]),
            Case(filter: ["--window", "protected"], words: "protected window only",
                 leftOut: ["Hypnotic use": "to the protected window (--window protected).",
                           "Feedback": "to the protected window (--window protected).",
                           "Protected-sleep uptake": "to the protected window (--window protected).",
                           "The involvement ledger": "to the protected window (--window protected)."]),
            Case(filter: ["--window", "24h"], words: "24 hours only",
                 leftOut: ["Fidelity (the intervention as delivered)": "to 24 hours (--window 24h): it is about the protected window."]),
        ]
        for (i, c) in cases.enumerated() {
            let (md, charts, manifest) = try report(dir, "r\(i)", c.filter)
            let s = sections(md)
            // The filter is stated in the title, the methods and the manifest.
            #expect(md.hasPrefix("# SleepWell pilot: improvement evaluation (\(c.words))\n"), "\(c.filter)")
            #expect(s["Analysis"]?.contains("- Filters: \(c.words).\n") == true, "\(c.filter)")
            #expect(manifest["filters"] as? String == c.words, "\(c.filter)")
            #expect(md.contains(" accepted incident rows fall in a period, are inside this report's filters and are not excluded by status;"))
            let html = try String(contentsOfFile: dir.path + "/r\(i)" + (Self.isRestricted(c.filter) ? "/restricted" : "") + "/report.html",
                                  encoding: .utf8)
            #expect(html.contains("<title>SleepWell pilot: improvement evaluation (\(XMLText.escape(c.words)))</title>"), "\(c.filter)")
            // A part the filter leaves out is never said to be "not supplied" (the key findings said so).
            #expect(!md.contains("was not supplied"), "\(c.filter)")
            // Each part that cannot honour the filter says so in one line, and shows nothing else.
            for (part, reason) in c.leftOut {
                #expect(md.contains("\(part): \(leftOutPrefix)\(reason)\n"), "\(c.filter): \(part)")
            }
            // Feedback is named again under Unintended; feedback and hypnotic use again in the key findings.
            let expectedLines = c.leftOut.count + (c.leftOut["Feedback"] == nil ? 0 : 2) + (c.leftOut["Hypnotic use"] == nil ? 0 : 1)
            #expect(md.components(separatedBy: leftOutPrefix).count - 1 == expectedLines, "\(c.filter)")
            if c.leftOut["Hypnotic use"] != nil {
                #expect(s["Results: hypnotic use"] == "\nHypnotic use: \(leftOutPrefix)\(c.leftOut["Hypnotic use"]!)\n\n")
                #expect(!charts.contains { $0.hasPrefix("Hypnotic use") })
            } else {
                #expect(s["Results: hypnotic use"]?.contains("### By drug") == true, "\(c.filter)")
            }
            if c.leftOut["Feedback"] != nil {
                #expect(s["Results: feedback"] == "\nFeedback: \(leftOutPrefix)\(c.leftOut["Feedback"]!)\n\n", "\(c.filter)")
            } else {
                #expect(s["Results: feedback"]?.contains("### Themes") == true, "\(c.filter)")
            }
            if c.leftOut["Protected-sleep uptake"] != nil {
                #expect(!md.contains("### Protected sleep in the pilot") && !charts.contains { $0.hasPrefix("Patient-nights") })
            } else {
                #expect(md.contains("### Protected sleep in the pilot"), "\(c.filter)")
            }
            #expect(md.contains("### Stage × group") == (c.leftOut["The involvement ledger"] == nil), "\(c.filter)")

            // Titles name what the report covers.
            let wardFilter = c.filter.contains("--ward")
            if wardFilter {
                #expect(!md.contains("all wards") && !md.contains("All wards") && !md.contains("whole study"), "\(c.filter)")
                #expect(!charts.contains { $0.contains("all wards") }, "\(charts)")
            }
            #expect(!md.contains("Pooled over 1 ward"), "\(c.filter)")
            if c.filter == ["--ward", "A1"] {
                #expect(!md.contains("Pooled over"))
                // A one-ward report is restricted (exact, in restricted/): every chart of the ward is drawn.
                let pooled = try String(contentsOfFile: dir.path + "/r\(i)/restricted/tables/incidents_pooled.csv", encoding: .utf8)
                #expect(pooled.split(separator: "\n").count == 1, "\(pooled)")  // the header alone
                #expect(charts == ["Hypnotic use, ward A1", "Incidents in the protected window, ward A1", "Incidents, ward A1",
                                   "Patient-nights with protected sleep, ward A1", "Protected nights with no routine check, ward A1"],
                        "\(charts)")
                #expect(md.contains("### By category (ward A1)") && md.contains("1 ward with 16 beds (of the study's 7)"))
            }
            if c.filter.contains("--category") {
                #expect(md.contains("- Incidents of Self harm over 24 hours: ") && !md.contains("All incidents"), "\(c.filter)")
            }
            // A window filter leaves out the other window's sections, serious incidents (counted over 24 hours) included.
            if c.filter == ["--window", "protected"] {
                #expect(!md.contains("over 24 hours:") && !md.contains("| 24 h |") && !md.contains("Serious incidents (severe harm"))
                #expect(md.contains("### By ward (all incidents, protected window)"))
                #expect(charts.filter { !$0.hasPrefix("Protected nights with no routine check") }
                    == ["Incidents in the protected window, all wards"], "\(charts)")
                #expect(md.contains("## Results: the intervention as delivered\n\nEach overnight check"))  // fidelity is about the window
                let results = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/r\(i)/results.json"))) as! [String: Any]
                #expect(((results["safety"] as? [String: Any])?["serious_incidents"] as? String)?.hasPrefix("left out: ") == true)
            }
            if c.filter == ["--window", "24h"] {
                #expect(!md.contains("in the protected window (00:00–06:00):") && !md.contains("| 00:00–06:00 |"))
                #expect(!md.contains("during the protected window") && !charts.contains { $0.contains("protected window") })
                #expect(md.contains("Serious incidents (severe harm or death), counted and never described"))
            }
            // People read labels: no snake_case id in any table of the report.
            for line in md.split(separator: "\n") where line.hasPrefix("|") {
                #expect(line.range(of: #"\b[a-z]+_[a-z_]+\b(?!\.csv)"#, options: .regularExpression) == nil, "\(c.filter): \(line)")
            }
        }
    }

    @Test func studyYamlLabelsNameCategoriesForPeople() throws {
        let dir = TempFolder()
        try FileManager.default.copyItem(atPath: packageRoot() + "/data/sample", toPath: dir.path + "/study")
        let yamlPath = dir.path + "/study/study.yaml"
        var yaml = try String(contentsOfFile: yamlPath, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "    severities: {", with: "    labels: { self_harm: \"Self-harm (any)\" }\n    severities: {")
        try yaml.write(toFile: yamlPath, atomically: true, encoding: .utf8)
        let r = try runWardsleep(["run", dir.path + "/study", "--out", dir.path + "/r", "--ledger", dir.path + "/ledger.sqlite"])
        #expect(r.status == 0, "\(r.err)")
        let md = try String(contentsOfFile: dir.path + "/r/summary.md", encoding: .utf8)
        #expect(md.contains("| Self-harm (any) | 24 h |") && !md.contains("| Self harm | 24 h |"))
        let csv = try String(contentsOfFile: dir.path + "/r/tables/incidents.csv", encoding: .utf8)
        #expect(csv.contains("\nstudy,all,self_harm,24h,"))  // ids stay in the CSV
        // A label for a category the study does not have is a configuration error naming the key.
        try yaml.replacingOccurrences(of: "labels: { self_harm:", with: "labels: { self_hram:").write(toFile: yamlPath, atomically: true, encoding: .utf8)
        let bad = try runWardsleep(["validate", dir.path + "/study"])
        #expect(bad.status == 2 && bad.err.contains("exports.incidents.labels.self_hram"), "\(bad.err)")
    }

    @Test func tablesForPeopleShowLabelsAndTheCSVKeepsIds() throws {
        let dir = TempFolder()
        try FileManager.default.copyItem(atPath: packageRoot() + "/data/sample", toPath: dir.path + "/study")
        let out = dir.path + "/r"
        let r = try runWardsleep(["run", dir.path + "/study", "--out", out, "--ledger", dir.path + "/ledger.sqlite"])
        #expect(r.status == 0, "\(r.err)")
        let md = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        for label in ["| Self harm | 24 h |", "| Inappropriate patient behaviour | 24 h |", "| Absent without leave (AWOL) | 24 h |",
                      "| Sleep plans | sleep_plans.csv |", "| Patient | ", "**Programme: evidence-based practice**",
                      "By stage: identify evidence-based practice;"] {
            #expect(md.contains(label), "\(label)")
        }
        #expect(html.contains("<th scope=\"row\">Inappropriate patient behaviour</th>") && !html.contains(">inappropriate_behaviour<"))
        let csv = try String(contentsOfFile: out + "/tables/incidents.csv", encoding: .utf8)
        #expect(csv.contains("\nstudy,all,inappropriate_behaviour,24h,") && !csv.contains("Inappropriate patient behaviour"))
    }
}
