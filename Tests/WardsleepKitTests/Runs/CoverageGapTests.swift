import Foundation
import Testing
@testable import WardsleepKit

/// The probe's misleading findings: an incident export holding only its header ("No incidents in either period"), and
/// one pulled before the pilot ("Evidence of a decrease … 80.6 → 0.0"). Both are now said to stop short, in the key
/// finding itself, in Data quality, and by `validate`; an export with rows in both periods says nothing of the kind.
@Suite(.serialized) struct CoverageGapTests {
    func study(_ dir: TempFolder, incidents: String) {
        dir.write("study/study.yaml", studyYAML("exports:\n  incidents: { file: incidents.csv }\n"))
        dir.write("study/incidents.csv", "id,date,time,ward,category\n" + incidents)
    }

    func rows(years: [Int], count: Int = 30) -> String {
        var csv = ""
        for y in years { for i in 1...count { csv += "I\(y)-\(i),\(10 + i % 18)/0\(3 + i % 5)/\(y),02:00,A1,Self harm\n" } }
        return csv
    }

    func run(_ dir: TempFolder) throws -> (summary: String, validate: String, err: String) {
        let v = try runWardsleep(["validate", dir.path + "/study"])
        let r = try runWardsleep(["run", dir.path + "/study", "--out", dir.path + "/out", "--ledger", dir.path + "/l.sqlite"])
        #expect(r.status == 0, "\(r.err)")
        return (try String(contentsOfFile: dir.path + "/out/summary.md", encoding: .utf8), v.out, r.err)
    }

    @Test func aHeaderOnlyExportIsNotReadAsNoIncidents() throws {
        let dir = TempFolder()
        study(dir, incidents: "")
        let (summary, validate, err) = try run(dir)
        #expect(summary.contains("No incidents over 24 hours in either period (but incidents.csv holds no rows: see Data quality)."), "\(summary)")
        #expect(summary.contains("incidents.csv holds no rows, so every figure from it is zero, not a count of none"))
        #expect(validate.contains("  warning: incidents.csv holds no rows;"), "\(validate)")
        #expect(err.contains("incidents.csv holds no rows"), "\(err)")
    }

    @Test func anExportThatStopsBeforeThePilotIsNotReadAsAFall() throws {
        let dir = TempFolder()
        study(dir, incidents: rows(years: [2018]))
        let (summary, validate, _) = try run(dir)
        #expect(summary.contains("(but incidents.csv has no rows in the pilot period: see Data quality)."), "\(summary)")
        #expect(summary.contains("incidents.csv has no rows in the pilot period though it has rows in the other"))
        #expect(validate.contains("  warning: incidents.csv has no rows in the pilot period;"), "\(validate)")
    }

    @Test func rowsInBothPeriodsRaiseNoSuchWarning() throws {
        let dir = TempFolder()
        study(dir, incidents: rows(years: [2018, 2019]))
        let (summary, validate, err) = try run(dir)
        #expect(!summary.contains("see Data quality)") && !summary.contains("not counts of none"), "\(summary)")
        #expect(!validate.contains("warning") && !err.contains("counts of none"), "\(validate)")
        // Counted by period as they were analysed (sleep plans, occupancy, observations and hypnotics are dated too).
        let t = ExportTally(export: .incidents, file: "x.csv")
        #expect(t.coverageGap == nil)
    }
}
