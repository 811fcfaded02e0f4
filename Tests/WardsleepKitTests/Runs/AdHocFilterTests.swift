import Foundation
import Testing
@testable import WardsleepKit

/// Ad hoc questions: `--months`, `--category` by label or id, and every command-line problem exiting 64.
@Suite(.serialized) struct AdHocFilterTests {
    @Test func monthsTakeNamesNumbersAndRangesThatWrapTheYearEnd() throws {
        #expect(try MonthSet(parsing: "jan-aug").months == Set(1...8))
        #expect(try MonthSet(parsing: "1-8").months == Set(1...8))
        #expect(try MonthSet(parsing: "Nov-Feb").months == [11, 12, 1, 2])
        #expect(try MonthSet(parsing: "mar,june,sept").months == [3, 6, 9])
        #expect(try MonthSet(parsing: "nov-feb").description == "November to February")
        #expect(try MonthSet(parsing: "jan-mar,jun").description == "January to March and June")
        // Days of a range in the months: 2018-01-01..2018-08-31 is 243 days, all in January to August.
        #expect(try MonthSet(parsing: "jan-aug").days(in: DayRange(from: CalendarDay(year: 2018, month: 1, day: 1)!,
                                                                  to: CalendarDay(year: 2018, month: 8, day: 31)!)) == 243)
        // 15 Nov 2018 to 10 Mar 2019 in November to February: 16 + 31 + 31 + 28 = 106 days.
        #expect(try MonthSet(parsing: "nov-feb").days(in: DayRange(from: CalendarDay(year: 2018, month: 11, day: 15)!,
                                                                  to: CalendarDay(year: 2019, month: 3, day: 10)!)) == 106)
        func message(_ text: String) -> String? {
            do { _ = try MonthSet(parsing: text); return nil } catch { return error.description }
        }
        #expect(message("jan-foo") == "--months jan-foo: \"foo\" is not a month; give months by name or number, e.g. --months jan-aug, "
                + "--months 1-8 or --months nov-feb")
        #expect(message("0-8") == "--months 0-8: 0 is not a month number (1 to 12); give months by name or number, e.g. --months "
                + "jan-aug, --months 1-8 or --months nov-feb")
        #expect(message("ju") != nil && message("1-2-3") != nil && message("") != nil)
    }

    let mapped = """
        exports:
          incidents: { file: incidents.csv, categories: { "Violence and aggression": violence, "Violence": violence, "Self harm": self_harm } }

        """

    @Test func categoriesAreTakenByLabelOrIdInAnyCaseAndShownByTheirLabel() throws {
        var scope = RunScope()
        scope.categories = ["VIOLENCE AND AGGRESSION", "Self_Harm", "violence"]
        let study = try testStudy(mapped).applying(scope)
        #expect(study.scope.categories == ["violence", "self_harm"])
        #expect(study.scope.description == "categories Violence and aggression, Self harm")
        #expect(study.incidentsInScopeName == "Incidents of Violence and aggression, Self harm")
        #expect(study.categoryLabel("violence") == "Violence and aggression" && study.categoryLabel("falls") == "Falls")
        scope.categories = ["falls"]
        #expect(throws: UsageError(option: "--category", value: "falls", message: "is not a category of this study; its categories are "
                                   + "Self harm (self_harm), Violence and aggression (violence) (by label or id, in any case)")) {
            try testStudy(mapped).applying(scope)
        }
        scope = RunScope()
        scope.wards = ["Ward 9"]
        #expect(throws: UsageError(option: "--ward", value: "Ward 9", message: "is not a ward of this study; its wards are A1, D1 "
                                   + "(by id, name or alias)")) {
            try testStudy(mapped).applying(scope)
        }
    }

    /// A study whose incident categories are the export's own labels (no `categories` map).
    func unmappedStudy(_ dir: TempFolder) {
        dir.write("study/study.yaml", studyYAML())
        var csv = "id,date,time,ward,category\n"
        for i in 1...40 {
            csv += "I\(i),\(10 + i % 18)/0\(1 + i % 8)/\(i % 2 == 0 ? 2018 : 2019),02:00,A1,\(i % 4 < 2 ? "Self harm" : "Violence")\n"
        }
        dir.write("study/incidents.csv", csv)
    }

    @Test func withoutACategoryMapTheCategoryIsCheckedAgainstTheExportsLabels() throws {
        let dir = TempFolder()
        unmappedStudy(dir)
        let common = ["run", dir.path + "/study", "--ledger", dir.path + "/ledger.sqlite", "--unsuppressed"]
        let bad = try runWardsleep(common + ["--out", dir.path + "/bad", "--category", "Falls"])
        #expect(bad.status == 64)
        #expect(bad.err.hasSuffix("\nwardsleep: error: --category Falls: is not a category of this study; the incident export's categories are "
                + "Self harm, Violence (in any case)\n"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/bad"))
        let good = try runWardsleep(common + ["--out", dir.path + "/good", "--category", "self HARM"])
        #expect(good.status == 0, "\(good.err)")
        let rows = try String(contentsOfFile: dir.path + "/good/restricted/tables/incidents.csv", encoding: .utf8)
        // Self harm is every fourth incident from the first and every fourth from the fourth: 10 in each period.
        #expect(rows.contains("\nstudy,all,all,24h,10,10,") && rows.contains("\nstudy,all,Self harm,24h,10,10,"))
    }

    /// An attacker's try: without a `categories` map, two labels that differ only in case ("Violence", "violence"),
    /// each a small count the full report suppresses, asked for by `--category violence` (matched in any case). The
    /// full report groups them as `--category` selects them: one category, spelled as first read, in every report. (A
    /// one-category report is restricted in any case: it publishes the category month by month.)
    @Test func labelsDifferingOnlyInCaseAreOneCategoryInEveryReport() throws {
        let dir = TempFolder()
        dir.write("study/study.yaml", studyYAML())
        var csv = "id,date,time,ward,category\n"
        for i in 1...120 { csv += "F\(i),\(10 + i % 18)/0\(1 + i % 8)/\(i % 2 == 0 ? 2018 : 2019),02:00,A1,Falls\n" }
        for i in 1...3 { csv += "V\(i),1\(i)/03/2019,02:00,A1,Violence\nv\(i),1\(i)/04/2019,02:00,A1,  violence \n" }
        dir.write("study/incidents.csv", csv)
        let common = ["run", dir.path + "/study", "--ledger", dir.path + "/ledger.sqlite"]
        let full = try runWardsleep(common + ["--out", dir.path + "/full"])
        let one = try runWardsleep(common + ["--out", dir.path + "/one", "--category", "violence"])
        #expect(full.status == 0 && one.status == 0, "\(full.err)\(one.err)")
        let fullRows = try String(contentsOfFile: dir.path + "/full/tables/incidents.csv", encoding: .utf8)
        // One Violence category of 0 and 6 (suppressed at 7 or below); no second spelling anywhere.
        #expect(fullRows.contains("\nstudy,all,Violence,24h,0,*,") && !fullRows.lowercased().contains(",violence,24h,0,*,\nstudy,all,violence"))
        #expect(fullRows.components(separatedBy: ",Violence,").count == fullRows.lowercased().components(separatedBy: ",violence,").count)
        // The one-category report releases nothing; its exact copy holds the same one category of 6.
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/one/tables"))
        #expect(try studyRow(dir.path + "/one", category: "Violence").prefix(2) == [0, 6])
        // Exact counts, kept in restricted/: the one category holds all 6.
        let exact = try runWardsleep(common + ["--out", dir.path + "/exact", "--unsuppressed"])
        #expect(exact.status == 0)
        #expect(try studyRow(dir.path + "/exact", category: "Violence").prefix(2) == [0, 6])
    }

    @Test func everyCommandLineProblemExits64() throws {
        let dir = TempFolder()
        unmappedStudy(dir)
        let common = ["run", dir.path + "/study", "--out", dir.path + "/out", "--ledger", dir.path + "/ledger.sqlite"]
        let cases: [([String], String)] = [
            (["--ward", "Ward 9"], "wardsleep: error: --ward Ward 9: is not a ward of this study; its wards are A1, D1 (by id, name or alias)"),
            (["--window", "night"], "Error: --window must be 24h or protected, not night."),
            (["--from", "31/02/2019"], "Error: --from 31/02/2019: no such date: February 2019 has 28 days."),
            (["--from", "2019-05-01", "--to", "2019-04-01"], "Error: --from 2019-05-01 is after --to 2019-04-01."),
            (["--from", "2020-01-01"], "wardsleep: error: --from 2020-01-01: the dates leave no baseline days (the baseline is 2018-01-01 to 2018-08-31)"),
            (["--months", "smarch"], "Error: --months smarch: \"smarch\" is not a month; give months by name or number, e.g. --months jan-aug, --months 1-8 or --months nov-feb"),
            (["--months", "oct-dec"], "wardsleep: error: --months oct-dec: the months leave no baseline days for ward A1 (its baseline is 2018-01-01 to 2018-08-31)"),
        ]
        for (extra, message) in cases {
            let r = try runWardsleep(common + extra)
            #expect(r.status == 64, "\(extra)")
            #expect(r.err.hasPrefix(message), "\(extra): \(r.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
    }

    /// Runs the sample study with `extra` filters into `dir/name`, exact counts included.
    func run(_ dir: TempFolder, _ name: String, _ extra: [String]) throws -> String {
        let out = dir.path + "/" + name
        let r = try runWardsleep(["run", dir.path + "/study", "--out", out, "--ledger", dir.path + "/ledger.sqlite", "--unsuppressed"] + extra)
        #expect(r.status == 0, "\(extra): \(r.err)")
        return out
    }

    /// The study row of restricted/tables/incidents.csv for a category and window: events and exposures by period.
    func studyRow(_ out: String, category: String = "all", window: String = "24h") throws -> [Double] {
        let text = try String(contentsOfFile: out + "/restricted/tables/incidents.csv", encoding: .utf8)
        let row = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .first { $0[0] == "study" && $0[2] == category && $0[3] == window }
        return try #require(row).dropFirst(4).prefix(4).map { Double($0)! }
    }

    @Test func monthsSplitTheSamePeriodsWithoutLosingOrCountingTwice() throws {
        let dir = TempFolder()
        try FileManager.default.copyItem(atPath: packageRoot() + "/data/sample", toPath: dir.path + "/study")
        let all = try studyRow(try run(dir, "all", []))
        let early = try run(dir, "early", ["--months", "jan-mar"])
        let late = try studyRow(try run(dir, "late", ["--months", "4-8"]))
        let e = try studyRow(early)
        // Both periods are January to August, so the two halves add up to the whole: events and occupied bed days.
        for i in 0..<4 { #expect(e[i] + late[i] == all[i], "column \(i)") }
        #expect(e[0] > 0 && late[0] > 0 && e[2] < all[2])
        // A report on chosen months is restricted: the report is in restricted/, and the top says why.
        #expect(try String(contentsOfFile: early + "/summary.md", encoding: .utf8).contains("**For use inside the organisation only.**"))
        let summary = try String(contentsOfFile: early + "/restricted/summary.md", encoding: .utf8)
        #expect(summary.hasPrefix("# SleepWell pilot: improvement evaluation (months January to March of each year)\n"))
        #expect(summary.contains("- Filters: months January to March of each year.\n"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: early + "/manifest.json"))) as! [String: Any]
        #expect(manifest["filters"] as? String == "months January to March of each year")
        let history = try runWardsleep(["history", "--ledger", dir.path + "/ledger.sqlite", "--limit", "3"])
        #expect(history.out.contains("filters: months=4-8") && history.out.contains("filters: months=1-3") && history.out.contains("filters: none"))
        // The output settings too, so that an exact run is told from a plain one.
        #expect(history.out.contains(" outputs: csv, html, json, md; exact copy in restricted/ (--unsuppressed)"), "\(history.out)")
    }
}
