import Foundation
import Testing
@testable import WardsleepKit

/// Scheduled runs that cannot quietly go wrong: defaults inside the study folder, the last good report kept when a run
/// is over the quality threshold, warnings that --quiet does not hide, and one table of exit codes.
@Suite(.serialized) struct RunDefaultsTests {
    /// A study of 100 incidents on ward A1, `bad` of them with an impossible date; threshold 5%.
    func study(_ dir: TempFolder, bad: Int) {
        dir.write("study/study.yaml", studyYAML("quality: { max_quarantined_percent: 5 }\n"))
        var csv = "id,date,time,ward,category\n"
        for i in 1...100 {
            csv += "I\(i),\(i <= bad ? "31/02/2019" : "\(10 + i % 18)/0\(1 + i % 8)/\(i % 2 == 0 ? 2018 : 2019)"),01:30,A1,Falls\n"
        }
        dir.write("study/incidents.csv", csv)
    }

    @Test func reportAndLedgerLiveInTheStudyFolderWhateverTheCurrentFolder() throws {
        let dir = TempFolder()
        study(dir, bad: 0)
        dir.write("elsewhere/.keep", "")
        let r = try runWardsleep(["run", "../study"], in: dir.path + "/elsewhere")
        #expect(r.status == 0, "\(r.err)")
        let studyFolder = PathGuard.real(dir.path + "/study")
        #expect(r.out.hasSuffix("\nreport written to \(studyFolder)/reports\n"), "\(r.out)")
        #expect(FileManager.default.fileExists(atPath: studyFolder + "/reports/summary.md"))
        #expect(FileManager.default.fileExists(atPath: studyFolder + "/.wardsleep/ledger.sqlite"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/elsewhere") == [".keep"])
        // Neither the report nor the ledger is an input: a second run finds nothing changed and validates cleanly.
        let again = try runWardsleep(["run", dir.path + "/study", "--if-changed"], in: "/")
        #expect(again.status == 0 && again.out == "\(studyFolder)/reports: study and inputs unchanged since the last successful run; nothing written\n")
        #expect(try runWardsleep(["validate", dir.path + "/study"]).status == 0)
        let history = try runWardsleep(["history", "--study", dir.path + "/study"], in: "/")
        #expect(history.out.split(separator: "\n").count == 2 && history.out.contains(" skipped (exit 0) "))
        let nowhere = try runWardsleep(["history"], in: dir.path + "/elsewhere")
        #expect(nowhere.status == 64 && nowhere.err.contains("name the study (--study DIR) or the run ledger (--ledger PATH) whose runs to list."))
    }

    @Test func aRunOverTheQualityThresholdKeepsTheLastGoodReport() throws {
        let dir = TempFolder()
        study(dir, bad: 0)
        let out = dir.path + "/out", failed = dir.path + "/out.quality-failed"
        let common = ["run", dir.path + "/study", "--out", out, "--ledger", dir.path + "/ledger.sqlite"]
        #expect(try runWardsleep(common).status == 0)
        let good = FileManager.default.contents(atPath: out + "/summary.md")
        study(dir, bad: 10)  // 10% quarantined, over the 5% threshold
        let quiet = try runWardsleep(common + ["--quiet"])
        #expect(quiet.status == 1 && quiet.out.isEmpty)
        #expect(quiet.err == "wardsleep: warning: incidents.csv: 10.0% of rows quarantined, above the study's threshold of 5% "
                + "(quality.max_quarantined_percent)\nwardsleep: warning: the report was not written to \(PathGuard.real(out)), which "
                + "keeps the last good report; this run's report is in \(PathGuard.real(failed)) (pass --accept-quality-warnings to "
                + "replace the report anyway)\n")
        #expect(FileManager.default.contents(atPath: out + "/summary.md") == good)
        #expect(try String(contentsOfFile: failed + "/summary.md", encoding: .utf8).contains("**Above the study's threshold of 5% quarantined:**"))
        let loud = try runWardsleep(common)
        #expect(loud.status == 1 && loud.out.hasSuffix("report written to \(PathGuard.real(failed))\n"))
        #expect(FileManager.default.contents(atPath: out + "/summary.md") == good)
        let history = try runWardsleep(["history", "--ledger", dir.path + "/ledger.sqlite"])
        #expect(history.out.contains(" quality-failed (exit 1) "))
        let accepted = try runWardsleep(common + ["--accept-quality-warnings"])
        #expect(accepted.status == 1 && accepted.out.hasSuffix("report written to \(PathGuard.real(out))\n"))
        #expect(FileManager.default.contents(atPath: out + "/summary.md") != good)
    }

    /// An incident export with 17,000 incidents and then its first 100 again (an export appended to one it overlaps):
    /// the repeats are further back than the reader's window of 16,384, so they are accepted, but the run counts them,
    /// says so, and fails as a run over the quality threshold does; accepted, the report is written with the warning in
    /// its data-quality section.
    @Test func incidentsRepeatedTooFarBackToQuarantineFailTheRun() throws {
        let dir = TempFolder()
        dir.write("study/study.yaml", studyYAML("quality: { max_quarantined_percent: 5 }\n"))
        func row(_ i: Int) -> String { "I\(i),\(10 + i % 18)/0\(1 + i % 8)/\(i % 2 == 0 ? 2018 : 2019),01:30,A1,Falls\n" }
        dir.write("study/incidents.csv", "id,date,time,ward,category\n" + (0..<17_000).map(row).joined() + (0..<100).map(row).joined())
        let out = dir.path + "/out", failed = dir.path + "/out.quality-failed"
        let common = ["run", dir.path + "/study", "--out", out, "--ledger", dir.path + "/ledger.sqlite"]
        let r = try runWardsleep(common + ["--quiet"])
        #expect(r.status == 1)
        #expect(r.err.hasPrefix("wardsleep: warning: incidents.csv: 100 rows repeat a reference given further back than the last 16,384, "
                                + "counted again\n"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: out) && FileManager.default.fileExists(atPath: failed + "/summary.md"))
        let summary = try String(contentsOfFile: failed + "/summary.md", encoding: .utf8)
        #expect(summary.contains("incidents.csv has rows that repeat an incident reference given more than 16,384 incidents before"))
        #expect(!summary.contains("100 rows"))
        let accepted = try runWardsleep(common + ["--accept-quality-warnings"])
        #expect(accepted.status == 1 && accepted.out.hasSuffix("report written to \(PathGuard.real(out))\n"))
        // validate says so too, and exits as the run does.
        let validated = try runWardsleep(["validate", dir.path + "/study"])
        #expect(validated.status == 1 && validated.out.contains("  warning: incidents.csv: 100 rows repeat a reference given further "
                                                                 + "back than the last 16,384, counted again (a run fails on them)\n"))
        // Without the repeats the same export runs clean.
        dir.write("study/incidents.csv", "id,date,time,ward,category\n" + (0..<17_000).map(row).joined())
        #expect(try runWardsleep(common).status == 0)
    }

    @Test func helpListsEveryExitCodeAsTheCodeDefinesIt() throws {
        let help = try runWardsleep(["--help"])
        #expect(help.status == 0)
        // The block after "Exit codes:": an entry starts with its number, wrapped lines continue it.
        let block = try #require(help.out.components(separatedBy: "Exit codes:\n").last)
        var entries: [(Int32, String)] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("SUBCOMMANDS") || trimmed.hasPrefix("See ") { break }
            let number = trimmed.prefix { $0.isNumber }
            if let code = Int32(number), trimmed.dropFirst(number.count).first == " " {
                entries.append((code, trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces)))
            } else if !entries.isEmpty {
                entries[entries.count - 1].1 += " " + trimmed
            }
        }
        #expect(entries.map(\.0) == ExitStatus.allCases.map(\.rawValue))
        for (code, text) in entries {
            #expect(text == ExitStatus(rawValue: code)?.summary, "\(code)")
        }
    }

    @Test func readmeTableListsEveryExitCodeTheCodeDefines() throws {
        let readme = try String(contentsOfFile: packageRoot() + "/README.md", encoding: .utf8)
        let table = try #require(readme.components(separatedBy: "| code | meaning |\n|---:|---|\n").dropFirst().first)
        let codes = table.split(separator: "\n").prefix { $0.hasPrefix("| ") }.compactMap { line in
            Int32(line.dropFirst(2).prefix { $0.isNumber })
        }
        #expect(codes == ExitStatus.allCases.map(\.rawValue))
    }
}
