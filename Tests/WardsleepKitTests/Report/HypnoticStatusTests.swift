import Foundation
import Testing
@testable import WardsleepKit

/// What the hypnotics section says about which administrations count.
@Suite(.serialized) struct HypnoticStatusTests {
    /// An administrations export without a status column counts every record as a dose given, and the report says so
    /// (a probe's export whose status column went unmapped counted refused doses as given, while the report said
    /// refused doses were set aside).
    @Test func anAdministrationsExportWithoutAStatusColumnSaysEveryRecordCounts() throws {
        let dir = TempFolder()
        let study = dir.path + "/study", env = ["WARDSLEEP_KEY": "census-coverage-test-key-0003"]
        #expect(try runWardsleep(["sample", "--out", study, "--hypnotics", "administrations"], environment: env).status == 0)
        let yaml = try String(contentsOfFile: study + "/study.yaml", encoding: .utf8)
        try yaml.replacingOccurrences(of: "status: Status, prn: PRN", with: "prn: PRN")
            .write(toFile: study + "/study.yaml", atomically: true, encoding: .utf8)
        let csv = try String(contentsOfFile: study + "/hypnotics.csv", encoding: .utf8)
        try csv.replacingOccurrences(of: ",Status,PRN,", with: ",Admin outcome,PRN,")
            .write(toFile: study + "/hypnotics.csv", atomically: true, encoding: .utf8)
        let r = try runWardsleep(["run", study, "--out", dir.path + "/out"], environment: env)
        #expect(r.status == 0, "\(r.err)")
        let summary = try String(contentsOfFile: dir.path + "/out/summary.md", encoding: .utf8)
        #expect(summary.contains("The export has no status column, so every record counts as a dose given"))
        #expect(!summary.contains("only doses given count (refused and omitted doses are set aside)"))
    }
}
