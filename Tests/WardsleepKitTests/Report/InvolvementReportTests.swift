import Foundation
import Testing
@testable import WardsleepKit

/// Issue outputs for feedback, protected sleep and involvement on the sample study.
@Suite(.serialized) struct InvolvementReportTests {
    func rows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func sampleReportsWhoWasInvolved() throws {
        let dir = TempFolder()
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", dir.path + "/r", "--unsuppressed"])
        #expect(r.status == 0, "\(r.err)")
        let summary = try String(contentsOfFile: dir.path + "/r/summary.md", encoding: .utf8)
        for heading in ["## Results: feedback", "### Themes", "### Representative quotes", "## Results: who was involved", "### Protected sleep in the pilot",
                        "### Stage × group (highest level reached)", "**Programme: evidence-based practice**",
                        "### Patient and public involvement (GRIPP2 short form)", "it is not a verdict on quality"] {
            #expect(summary.contains(heading), "summary.md lacks \(heading)")
        }
        #expect(summary.contains("- Asked for protected sleep to stop: 0."))  // a request counted even when none were made

        let ps = try rows(dir.path + "/r/restricted/tables/protected_sleep.csv")
        #expect(ps[0] == InvolvementTables.protectedSleepColumns && ps.last?[0] == "all" && ps.count == 1 + 7 + 1)
        let wards = ps.dropFirst().dropLast()
        let pooled = wards.reduce(0) { $0 + Int($1[2])! }, patients = wards.reduce(0) { $0 + Int($1[1])! }
        // Patients who moved between wards count once study-wide, so the study row can be below the ward sum.
        #expect(Int(ps.last![1])! <= patients && Int(ps.last![2])! <= pooled)
        let mean = wards.map { Double($0[2])! / Double($0[1])! * 100 }.reduce(0, +) / 7
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/r/restricted/results.json"))) as! [String: Any]
        let involvement = json["involvement"] as! [String: Any]
        let protected = involvement["protected_sleep"] as! [String: Any]
        #expect(abs((protected["unweighted_mean_percent"] as! Double) - mean) < 1e-9)
        let classification = involvement["classification"] as! [String: Any]
        #expect((classification["programme"] as! [String: Any])["class"] as? String == "evidence-based-practice")
        #expect(Set(classification.keys) == Set(["programme"] + InvolvementStage.allCases.map(\.rawValue)))

        let inv = try rows(dir.path + "/r/tables/involvement.csv")
        #expect(inv[0] == InvolvementTables.involvementColumns)
        #expect(inv.contains { $0[0] == "evaluate" && $0[1] == "Patients" && $0[2] == "consult" })
        let fb = try rows(dir.path + "/r/tables/feedback.csv")
        #expect(fb[0] == InvolvementTables.feedbackColumns)
        let themes = try rows(dir.path + "/r/tables/feedback_themes.csv")
        #expect(themes[0] == InvolvementTables.themeColumns)
        #expect(themes.contains { $0[0] == "request" && $0[1] == "stop_protected_sleep" && $0[5] == "0" })
        // Published copies never show counts of 1 to 7.
        for row in try rows(dir.path + "/r/tables/protected_sleep.csv").dropFirst() {
            for i in [1, 2] { #expect(!(1...7).contains(Int(row[i]) ?? 0)) }
        }
    }
}
