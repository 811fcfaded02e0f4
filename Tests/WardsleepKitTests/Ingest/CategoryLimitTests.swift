import Foundation
import Testing
@testable import WardsleepKit

/// A category column with a label per incident (mapped to the wrong column, say) made a report section, a chart and a
/// table row per label: 200,000 of them took 7 GB and two minutes. Past 500 distinct categories the read stops with a
/// configuration error naming the key to fix, and nothing is written.
@Suite struct CategoryLimitTests {
    func study(_ dir: TempFolder, categories: Int, rows: Int) {
        dir.write("study/study.yaml", studyYAML("exports:\n  incidents: { file: incidents.csv }\n"))
        var csv = "id,date,time,ward,category\n"
        for i in 0..<rows { csv += "I\(i),\(1 + i % 28)/0\(1 + i % 8)/\(i % 2 == 0 ? 2018 : 2019),02:00,A1,Category \(i % categories)\n" }
        dir.write("study/incidents.csv", csv)
    }

    @Test func aColumnOfHundredsOfDistinctLabelsIsNotTakenAsTheCategory() throws {
        let dir = TempFolder()
        study(dir, categories: 2_000, rows: 2_000)
        let v = try runWardsleep(["validate", dir.path + "/study"])
        #expect(v.status == 2, "\(v.out)\(v.err)")
        #expect(v.err.contains("incidents.csv: exports.incidents.columns.category: the category column names more than 500 distinct "
                               + "categories"), "\(v.err)")
        let r = try runWardsleep(["run", dir.path + "/study", "--out", dir.path + "/out", "--ledger", dir.path + "/l.sqlite"])
        #expect(r.status == 2 && !dir.exists("out"))
    }

    /// When study.yaml maps the labels itself, the message is about its own mapping, not about mapping one.
    @Test func aStudyMappingItsLabelsToHundredsOfCategoriesIsToldSo() throws {
        let dir = TempFolder()
        let mapping = (0..<600).map { "\"Category \($0)\": cat_\($0)" }.joined(separator: ", ")
        dir.write("study/study.yaml", studyYAML("exports:\n  incidents: { file: incidents.csv, categories: { \(mapping) } }\n"))
        var csv = "id,date,time,ward,category\n"
        for i in 0..<1_200 { csv += "I\(i),\(1 + i % 28)/0\(1 + i % 8)/\(i % 2 == 0 ? 2018 : 2019),02:00,A1,Category \(i % 600)\n" }
        dir.write("study/incidents.csv", csv)
        let v = try runWardsleep(["validate", dir.path + "/study"])
        #expect(v.status == 2, "\(v.out)\(v.err)")
        #expect(v.err.contains("incidents.csv: exports.incidents.categories: the export's categories, as exports.incidents.categories "
                               + "maps them, number more than 500 (\"cat_0\", \"cat_1\", \"cat_10\" ...)"), "\(v.err)")
        #expect(!v.err.contains("does not look like the incident category"))
    }

    @Test func fiveHundredCategoriesAreRead() throws {
        var limit = DistinctCategories(limit: 3)
        let spec = testStudy().exports[.incidents]
        func record(_ c: String) -> IncidentRecord {
            let day = CalendarDay(year: 2019, month: 3, day: 1)!
            return IncidentRecord(id: "I", day: day, time: nil, ward: 0, category: c, subcategory: nil, severity: nil, status: nil,
                                  excludedByStatus: false, timing: EventTiming(day: day, time: nil, periods: testStudy().periods(forWard: 0), window: .default))
        }
        // Labels differing only in case are one category; repeats cost nothing.
        for c in ["Falls", "falls", "FALLS ", "Violence", "Falls", "Self harm"] { try limit.count(record(c), spec: spec) }
        #expect(throws: ConfigurationError.self) { try limit.count(record("Absconding"), spec: spec) }
    }
}
