import Foundation
import Testing
@testable import WardsleepKit

/// The attack on feedback: responses to a group at a stage are its wards' responses; a group's ratings at a stage are
/// the counts of each rating; a theme's mentions by a group (the summary's themes table) are its mentions at each stage
/// (`feedback_themes.csv`). Every family is narrowed at once, over and over (`narrowed`), and no `*` may come out as a
/// single value.
extension DisclosureAttackTests {
    func attackFeedbackFamilies(_ out: String) throws {
        guard FileManager.default.fileExists(atPath: out + "/tables/feedback.csv") else { return }
        var shown: [String: String] = [:], exact: [String: Int] = [:]
        var families: [(total: String, parts: [String])] = []
        let levels = (1...5).map { "rating_\($0)" }
        func read(_ rows: [[String: String]], into values: inout [String: String]) {
            for r in rows {
                let cell = "\(r["group"]!)|\(r["stage"]!)"
                values["responses|\(r["ward"]!)|\(cell)"] = r["responses"]!
                guard r["ward"] == "all" else { continue }
                values["rated|\(cell)"] = r["rated"]!
                for l in levels { values["\(l)|\(cell)"] = r[l]! }
            }
        }
        func readThemes(_ rows: [[String: String]], into values: inout [String: String]) {
            for r in rows { values["\(r["kind"]!)|\(r["theme"]!)|\(r["group"]!)|\(r["stage"]!)"] = r["mentions"]! }
        }
        read(try table(out + "/tables/feedback.csv"), into: &shown)
        readThemes(try table(out + "/tables/feedback_themes.csv"), into: &shown)
        var exactText: [String: String] = [:]
        if let rows = try? table(out + "/restricted/tables/feedback.csv") { read(rows, into: &exactText) }
        if let rows = try? table(out + "/restricted/tables/feedback_themes.csv") { readThemes(rows, into: &exactText) }
        exact = exactText.compactMapValues { Int($0) }
        // The summary's themes table: each theme's mentions by group, all stages.
        let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        let themeRows = try table(out + "/tables/feedback_themes.csv").filter { $0["kind"] == "theme" }
        let labels = Dictionary(themeRows.map { ($0["label"]!, $0["theme"]!) }, uniquingKeysWith: { a, _ in a })
        let groups = ["patient", "staff", "carer", "other"], stages = ["before", "during", "after"]
        if let section = summary.components(separatedBy: "### Themes").dropFirst().first {
            for line in section.split(separator: "\n").prefix(while: { !$0.hasPrefix("#") }) where line.hasPrefix("| ") {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\\", with: "") }
                guard let theme = labels[cells[0]], cells.count == 5 else { continue }
                for (g, text) in zip(groups, cells.dropFirst()) {
                    let key = "theme|\(theme)|\(g)|all"
                    shown[key] = text.replacingOccurrences(of: ",", with: "")
                    families.append((key, stages.map { "theme|\(theme)|\(g)|\($0)" }))
                    // Exact: the sum of the exact stages (restricted/ has them).
                    let parts = stages.compactMap { exact["theme|\(theme)|\(g)|\($0)"] }
                    if parts.count == stages.count { exact[key] = parts.reduce(0, +) }
                }
            }
        }
        let wards = Set(shown.keys.filter { $0.hasPrefix("responses|") }.map { $0.split(separator: "|")[1] }).subtracting(["all"])
        for g in groups {
            for s in stages {
                let cell = "\(g)|\(s)"
                families.append(("responses|all|\(cell)", wards.map { "responses|\($0)|\(cell)" }.filter { shown[$0] != nil }))
                families.append(("rated|\(cell)", levels.map { "\($0)|\(cell)" }))
            }
        }
        // A ward's row is absent when it had no response: zero.
        for k in families.flatMap({ [$0.total] + $0.parts }) where shown[k] == nil { shown[k] = "0" }
        // Every accepted row is one response, unless set aside.
        let rows = try rowAccounting(out, export: "feedback", shown: &shown, exact: &exact)
        if shown[rows.accepted] != nil {
            families.append((rows.accepted, rows.aside + groups.flatMap { g in stages.map { "responses|all|\(g)|\($0)" } }))
        }
        attackFamilies(shown, families, exact: exact, "feedback")
    }

    /// Carers before the change: 8 responses on W1 and 1 on each of four other wards (12, published as 10; W1's 8 as 10:
    /// 12 = 8 + 1 + 1 + 1 + 1 gave each `*` back as 1); the same in their ratings (eight 3s and one each of 1, 2, 4 and
    /// 5) and in their mentions of a theme (8 before and 1 at each other stage, against the themes table's total by group).
    @Test func aGroupsFeedbackAndItsSmallPartsGiveNothingBack() throws {
        let dir = TempFolder()
        var yaml = studyYAML().components(separatedBy: "wards:")[0] + "wards:\n"
        for w in 1...5 { yaml += "  - { id: W\(w), name: Ward \(w), type: acute, beds: 20 }\n" }
        dir.write("study/study.yaml", yaml + """
            exports:
              feedback:
                file: feedback.csv
                columns: { id: id, group: group, stage: stage, date: date, ward: ward, rating: rating, text: text }

            """)
        var rows = "id,group,stage,date,ward,rating,text\n", n = 0
        func add(_ group: String, _ stage: String, _ ward: Int, _ rating: Int, _ text: String) {
            n += 1
            rows += "F\(n),\(group),\(stage),\(stage == "before" ? "01/03/2018" : "01/03/2019"),W\(ward),\(rating),\(text)\n"
        }
        let ratings = [3, 3, 3, 3, 3, 3, 3, 3, 1, 2, 4, 5]
        for (i, rating) in ratings.enumerated() {
            add("Carer", "before", i < 8 ? 1 : i - 6, rating, i < 8 ? "The noise at night kept him awake." : "Fine.")
        }
        for stage in ["during", "after"] { add("Carer", stage, 1, 4, "Noise at night again.") }
        for i in 0..<30 { add("Patient", i % 2 == 0 ? "before" : "after", 1 + i % 5, 1 + i % 5, "Slept well.") }
        dir.write("study/feedback.csv", rows)
        let out = dir.path + "/report"
        let run = try runWardsleep(["run", dir.path + "/study", "--out", out, "--unsuppressed", "--ledger", dir.path + "/l.sqlite"])
        #expect(run.status == 0, "\(run.err)")
        let all = try table(out + "/tables/feedback.csv").first { $0["ward"] == "all" && $0["group"] == "carer" && $0["stage"] == "before" }!
        #expect(all["responses"] == "10" || all["responses"] == "*", "\(all)")
        #expect(all["rating_3"] == "*" || all["rated"] == "*", "eight 3s among twelve ratings must not stand beside four * and a total of 10: \(all)")
        try attackFeedbackFamilies(out)
        try attackJSON(out)
        try attackText(out)
    }
}
