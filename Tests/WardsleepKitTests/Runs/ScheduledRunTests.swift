import Foundation
import Testing
@testable import WardsleepKit
#if canImport(Glibc)
import Glibc
#endif

/// Scheduled and ad hoc runs: the ledger, --if-changed, the lock, runs killed at random moments, and the filters.
@Suite(.serialized) struct ScheduledRunTests {
    /// A copy of the sample study in a temporary folder.
    func sampleCopy(scale: Int = 1) throws -> TempFolder {
        let dir = TempFolder()
        if scale == 1 {
            try FileManager.default.copyItem(atPath: packageRoot() + "/data/sample", toPath: dir.path + "/study")
        } else {
            try SampleStudy.write(to: dir.path + "/study", scale: scale)
        }
        return dir
    }

    func ledger(_ dir: TempFolder) throws -> RunLedger { try RunLedger(path: dir.path + "/ledger.sqlite") }

    @Test func ifChangedSkipsUntilOneInputByteChanges() throws {
        let dir = try sampleCopy()
        let args = ["run", dir.path + "/study", "--out", dir.path + "/out", "--ledger", dir.path + "/ledger.sqlite", "--if-changed"]
        let key = ["WARDSLEEP_KEY": testKey]  // an edited export is no longer the sample's, so the demo key is refused
        #expect(try runWardsleep(args, environment: key).status == 0)
        let firstManifest = FileManager.default.contents(atPath: dir.path + "/out/manifest.json")
        let skipped = try runWardsleep(args, environment: key)
        #expect(skipped.status == 0 && skipped.out.contains("unchanged since the last successful run; nothing written"))
        // One byte of one export changes: the next run does the work.
        let path = dir.path + "/study/involvement.csv"
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        let i = bytes.lastIndex(of: UInt8(ascii: "e"))!
        bytes[i] = UInt8(ascii: "E")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let rerun = try runWardsleep(args, environment: key)
        #expect(rerun.status == 0 && rerun.out.contains("report written to"))
        #expect(FileManager.default.contents(atPath: dir.path + "/out/manifest.json") != firstManifest)
        let history = try ledger(dir).history()
        #expect(history.map(\.outcome) == ["success", "skipped", "success"])
        #expect(try ledger(dir).inputs(of: history[0].id).count == 7)
        #expect(history[0].rowsRead == history[0].rowsAccepted! + history[0].rowsQuarantined!)
        let listed = try runWardsleep(["history", "--ledger", dir.path + "/ledger.sqlite", "--study", dir.path + "/study"])
        #expect(listed.status == 0 && listed.out.split(separator: "\n").count == 3 && listed.out.contains("skipped (exit 0)"))
        // Another key makes other pseudonyms (and another aggregate salt): not the same run, so it runs.
        let rekeyed = try runWardsleep(args, environment: ["WARDSLEEP_KEY": testKey + "-rotated"])
        #expect(rekeyed.status == 0 && rekeyed.out.contains("report written to"), "\(rekeyed.out)")
        #expect(try runWardsleep(args, environment: ["WARDSLEEP_KEY": testKey + "-rotated"]).out.contains("nothing written"))
    }

    @Test func aSecondRunIsRefusedWhileTheFirstHoldsTheLockAndAStaleLockIsTakenOver() throws {
        let dir = try sampleCopy()
        let out = dir.path + "/out"
        // A live process (this test) holds the lock.
        #expect(FileManager.default.createFile(atPath: out + ".lock", contents: Data("\(getpid())\n".utf8)))
        let refused = try runWardsleep(["run", dir.path + "/study", "--out", out, "--ledger", dir.path + "/ledger.sqlite"])
        #expect(refused.status == 75)
        #expect(refused.err == "wardsleep: error: \(out) is being written by another wardsleep run (PID \(getpid())); try again when it has finished\n")
        #expect(!FileManager.default.fileExists(atPath: out))
        // A lock left by a process that has gone is taken over.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        #expect(FileManager.default.createFile(atPath: out + ".lock", contents: Data("\(gone.processIdentifier)\n".utf8)))
        let taken = try runWardsleep(["run", dir.path + "/study", "--out", out, "--ledger", dir.path + "/ledger.sqlite"])
        #expect(taken.status == 0)
        #expect(!FileManager.default.fileExists(atPath: out + ".lock"))
        #expect(try ledger(dir).history().map(\.outcome) == ["success", "locked"])
    }

    /// The report folder is complete: every file the manifest lists exists, and the summary is there.
    func complete(_ out: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: out + "/manifest.json"),
              let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let outputs = manifest["outputs"] as? [[String: String]] else { return false }
        return outputs.allSatisfy { FileManager.default.fileExists(atPath: out + "/" + $0["path"]!) }
            && FileManager.default.fileExists(atPath: out + "/summary.md")
    }

    @Test func runsKilledAtRandomMomentsLeaveThePreviousReportIntact() throws {
        let dir = try sampleCopy(scale: 3)
        let out = dir.path + "/out", led = dir.path + "/ledger.sqlite"
        let args = ["run", dir.path + "/study", "--out", out, "--ledger", led]
        #expect(try runWardsleep(args).status == 0)
        let before = FileManager.default.contents(atPath: out + "/summary.md")
        var random = SampleRandom(seed: 7)
        var killed = 0
        for _ in 0..<8 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: wardsleepBinary())
            p.arguments = args + ["--timestamp"]  // a different report, should it ever finish
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(useconds_t(random.uniform() * 1_500_000))
            if p.isRunning { kill(p.processIdentifier, SIGKILL); killed += 1 }
            p.waitUntilExit()
            #expect(complete(out), "the report folder is incomplete after a kill")
            let now = FileManager.default.contents(atPath: out + "/summary.md")
            #expect(now == before || (p.terminationReason == .exit && p.terminationStatus == 0))
        }
        #expect(killed > 0)
        // The next run records the killed runs as interrupted, takes over the stale lock and finishes.
        #expect(try runWardsleep(args).status == 0)
        let outcomes = try ledger(dir).history(limit: 100).map(\.outcome)
        // A run killed before it reached the ledger leaves no row; every run that did is now marked interrupted.
        let interrupted = outcomes.filter { $0 == "interrupted" }.count
        #expect(interrupted >= 1 && interrupted <= killed)
        #expect(!outcomes.contains("running"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") || $0.contains(".old-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    func rows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func eachFilterNarrowsTheReportAndIsStated() throws {
        let dir = try sampleCopy()
        func run(_ extra: [String], _ name: String) throws -> String {
            let out = dir.path + "/" + name
            let r = try runWardsleep(["run", dir.path + "/study", "--out", out, "--ledger", dir.path + "/ledger.sqlite", "--unsuppressed"] + extra)
            #expect(r.status == 0, "\(r.err)")
            return out
        }
        let all = try rows(try run([], "all") + "/restricted/tables/incidents.csv")
        let ward = try run(["--ward", "A1", "--ward", "Ward 7 (Dementia)"], "ward")
        let wardRows = try rows(ward + "/restricted/tables/incidents.csv")
        #expect(Set(wardRows.dropFirst().map { $0[1] }) == ["all", "A1", "D1"])
        let a1 = all.first { $0[0] == "ward" && $0[1] == "A1" && $0[2] == "all" && $0[3] == "24h" }!
        let d1 = all.first { $0[0] == "ward" && $0[1] == "D1" && $0[2] == "all" && $0[3] == "24h" }!
        let study = wardRows.first { $0[0] == "study" && $0[2] == "all" && $0[3] == "24h" }!
        #expect(Int(study[4])! == Int(a1[4])! + Int(d1[4])! && Double(study[6])! == Double(a1[6])! + Double(d1[6])!)
        #expect(try String(contentsOfFile: ward + "/summary.md", encoding: .utf8).hasPrefix("# SleepWell pilot: improvement evaluation (wards A1, D1)"))

        let category = try rows(try run(["--category", "violence"], "category") + "/restricted/tables/incidents.csv")
        #expect(Set(category.dropFirst().map { $0[2] }) == ["all", "violence"])
        let violence = all.first { $0[0] == "study" && $0[2] == "violence" && $0[3] == "24h" }!
        #expect(category.first { $0[0] == "study" && $0[2] == "all" && $0[3] == "24h" }![4] == violence[4])

        let dates = try run(["--from", "2018-03-01", "--to", "31/07/2019"], "dates")
        let datesRows = try rows(dates + "/restricted/tables/incidents.csv")
        let d = datesRows.first { $0[0] == "study" && $0[2] == "all" && $0[3] == "24h" }!
        #expect(Int(d[4])! < Int(all.first { $0[0] == "study" && $0[2] == "all" && $0[3] == "24h" }![4])!)
        #expect(try String(contentsOfFile: dates + "/restricted/summary.md", encoding: .utf8).contains("Filters: dates 2018-03-01 to 2019-07-31."))

        let window = try rows(try run(["--window", "protected"], "window") + "/tables/incidents.csv")
        #expect(Set(window.dropFirst().map { $0[3] }) == ["protected"])

        let formats = try run(["--format", "md,json"], "formats")
        let files = try FileManager.default.contentsOfDirectory(atPath: formats).sorted()
        // summary.md comes with the charts and tables it links to (no report.html): no link of it is broken.
        #expect(files == ["charts", "manifest.json", "restricted", "results.json", "summary.md", "tables"])
        let summary = try String(contentsOfFile: formats + "/summary.md", encoding: .utf8)
        func captures(_ pattern: String) -> [String] {
            let re = try! NSRegularExpression(pattern: pattern)
            return re.matches(in: summary, range: NSRange(summary.startIndex..., in: summary)).map { String(summary[Range($0.range(at: 1), in: summary)!]) }
        }
        let links = captures(#"\]\(((?:charts|tables)/[^)]+)\)"#) + captures(#"`((?:charts|tables)/[^`]+)`"#)
        #expect(links.count > 5)
        for link in links { #expect(FileManager.default.fileExists(atPath: formats + "/" + link), "summary.md links to \(link)") }

        let bad = try runWardsleep(["run", dir.path + "/study", "--out", dir.path + "/bad", "--ledger", dir.path + "/ledger.sqlite", "--category", "falls"])
        #expect(bad.status == 64 && bad.err.contains("wardsleep: error: --category falls: is not a category of this study; its categories are "))
        let badWindow = try runWardsleep(["run", dir.path + "/study", "--window", "night"])
        #expect(badWindow.status == 64 && badWindow.err.contains("--window must be 24h or protected, not night."))
    }

    @Test func logsAreStructuredOnStandardError() throws {
        let dir = try sampleCopy()
        let r = try runWardsleep(["run", dir.path + "/study", "--out", dir.path + "/out", "--ledger", dir.path + "/l.sqlite",
                                  "--log-format", "json", "--verbose", "--quiet"])
        #expect(r.status == 64)  // --quiet and --verbose together are a usage error
        let v = try runWardsleep(["run", dir.path + "/study", "--out", dir.path + "/out", "--ledger", dir.path + "/l.sqlite",
                                  "--log-format", "json", "--verbose"])
        #expect(v.status == 0)
        let lines = v.err.split(separator: "\n")
        #expect(lines.count >= 8 && !v.err.contains("reading "))  // no progress bar when not on a terminal
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] != nil && object?["message"] != nil, "\(line)")
        }
        let q = try runWardsleep(["run", dir.path + "/study", "--out", dir.path + "/out", "--ledger", dir.path + "/l.sqlite", "--quiet"])
        #expect(q.status == 0 && q.out.isEmpty && q.err.isEmpty)
    }
}
