import Foundation
import Testing
@testable import WardsleepKit

/// Events on ward-days without a census are left out of counts and rates alike (`CensusCoverage`): a census export
/// missing a month must not leave that month's incidents in a rate whose exposure lacks it.
@Suite(.serialized) struct CensusCoverageTests {
    /// The sample study with no census for March 2018: its March 2018 incidents leave the baseline count, the rate is the
    /// same as over the days with a census, and the report says what was left out.
    @Test func aMonthWithoutACensusLeavesItsIncidentsOut() throws {
        let dir = TempFolder()
        let sample = packageRoot() + "/data/sample"
        let study = dir.path + "/study"
        try FileManager.default.copyItem(atPath: sample, toPath: study)
        let occupancy = try String(contentsOfFile: study + "/occupancy.csv", encoding: .utf8)
        let kept = occupancy.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("/03/2018,") }
        try kept.joined(separator: "\n").write(toFile: study + "/occupancy.csv", atomically: true, encoding: .utf8)

        func studyRow(_ out: String) throws -> [String: String] {
            try #require(try csvRows(out + "/restricted/tables/incidents.csv").first {
                $0["scope"] == "study" && $0["category"] == "all" && $0["window"] == "24h"
            })
        }
        for (folder, args) in [("full", [sample]), ("march", [sample, "--months", "mar"]), ("gap", [study])] {
            let r = try runWardsleep(["run"] + args + ["--out", dir.path + "/" + folder, "--unsuppressed"],
                                     environment: ["WARDSLEEP_KEY": "census-coverage-test-key-0001"])
            #expect(r.status == 0, "\(folder): \(r.err)")
        }
        let full = try studyRow(dir.path + "/full"), march = try studyRow(dir.path + "/march"), gap = try studyRow(dir.path + "/gap")
        let marchBaseline = Int(march["baseline_events"]!)!
        #expect(marchBaseline > 0)
        // The baseline loses exactly March 2018's incidents, and its exposure March 2018's occupied bed days.
        #expect(Int(gap["baseline_events"]!)! == Int(full["baseline_events"]!)! - marchBaseline)
        #expect(Double(gap["baseline_exposure"]!)! == Double(full["baseline_exposure"]!)! - Double(march["baseline_exposure"]!)!)
        #expect(gap["pilot_events"] == full["pilot_events"] && gap["pilot_exposure"] == full["pilot_exposure"])
        let summary = try String(contentsOfFile: dir.path + "/gap/restricted/summary.md", encoding: .utf8)
        #expect(summary.contains("Incidents on ward-days without a census, left out of every count and rate above: baseline \(marchBaseline), pilot 0."),
                "\(summary)")
        #expect(summary.contains("Occupancy: incidents on ward-days without a census on wards A1 (baseline), A2 (baseline),"), "\(summary)")
        // The releasable copy gives the number as published.
        let released = try String(contentsOfFile: dir.path + "/gap/summary.md", encoding: .utf8)
        let shown = CountStyle.published(DisclosurePolicy()).show(marchBaseline)
        #expect(released.contains("left out of every count and rate above: baseline \(shown), pilot 0."))
        // The full sample has a census every day: nothing is left out, and nothing is said.
        #expect(!(try String(contentsOfFile: dir.path + "/full/restricted/summary.md", encoding: .utf8)).contains("without a census"))
    }

    /// A ward without a census in the pilot: its pilot doses are left out, and the study-wide PRN comparison and the
    /// quasi-Poisson model add up only the wards the study-wide lines do, so the model's estimate is the crude rate ratio.
    @Test func aWardWithoutAPilotCensusLeavesEveryStudyWideHypnoticFigure() throws {
        let dir = TempFolder()
        let study = dir.path + "/study", env = ["WARDSLEEP_KEY": "census-coverage-test-key-0002"]
        let made = try runWardsleep(["sample", "--out", study, "--hypnotics", "administrations"], environment: env)
        #expect(made.status == 0, "\(made.err)")
        let occupancy = try String(contentsOfFile: study + "/occupancy.csv", encoding: .utf8)
        let kept = occupancy.split(separator: "\n", omittingEmptySubsequences: false).filter { !($0.contains(",A2,") && $0.contains("/2019,")) }
        try kept.joined(separator: "\n").write(toFile: study + "/occupancy.csv", atomically: true, encoding: .utf8)
        let r = try runWardsleep(["run", study, "--out", dir.path + "/out", "--unsuppressed"], environment: env)
        #expect(r.status == 0, "\(r.err)")
        let prn = try csvRows(dir.path + "/out/restricted/tables/hypnotics_prn.csv")
        let a2 = try #require(prn.first { $0["ward"] == "A2" })
        #expect(a2["pilot_regular_doses"] == "0" && Int(a2["baseline_regular_doses"]!)! > 0)
        let studyRow = try #require(prn.first { $0["scope"] == "study" })
        for column in ["baseline_regular_doses", "pilot_regular_doses", "baseline_prn_doses", "pilot_prn_doses"] {
            let wards = prn.filter { $0["scope"] == "ward" && $0["ward"] != "A2" }.reduce(0) { $0 + Int($1[column]!)! }
            #expect(Int(studyRow[column]!)! == wards, "\(column)")
        }
        let line = try #require(try csvRows(dir.path + "/out/restricted/tables/hypnotics.csv").first {
            $0["scope"] == "study" && $0["group"] == "all" && $0["drug"] == "all"
        })
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/out/restricted/results.json")))
        let model = try #require((json as? [String: Any])?["hypnotics_quasipoisson"] as? [String: Any])
        let estimate = try #require((model["rate_ratio"] as? NSNumber)?.doubleValue)
        #expect(abs(estimate - Double(line["rate_ratio"]!)!) < 1e-6, "model \(estimate), study line \(line["rate_ratio"]!)")
    }
}
