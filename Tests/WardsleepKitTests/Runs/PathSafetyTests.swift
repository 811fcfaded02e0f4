import Foundation
import GRDB
import Testing
@testable import WardsleepKit
#if canImport(Glibc)
import Glibc
#endif

/// Attacker-style and careless path options: nothing on disk is lost, and everything a study names stays inside it.
/// Each refusal is checked for its exit code, its exact message, and that every file is byte-identical afterwards.
@Suite(.serialized) struct PathSafetyTests {
    /// `root/study` (study.yaml, incidents.csv without patient identifiers, codebook.yaml), a key file in
    /// `root/secret/key`, and room for a ledger at `root/ledger.sqlite`.
    final class Fixture {
        let root = TempFolder()
        var study: String { root.path + "/study" }
        var key: String { root.path + "/secret/key" }
        var ledger: String { root.path + "/ledger.sqlite" }

        init(codebook: Bool = true) {
            root.write("study/study.yaml", studyYAML("exports:\n  incidents: { file: incidents.csv }\n"
                                                     + (codebook ? "feedback: { codebook: codebook.yaml }\n" : "")))
            root.write("study/incidents.csv", "id,date,time,ward,category\nI1,05/03/2019,02:10,A1,Self harm\nI2,05/03/2018,03:10,A1,Self harm\n")
            root.write("study/codebook.yaml", "version: 1\nthemes:\n  noise: { label: Noise, keywords: [noise] }\n")
            root.write("secret/key", testKey + "\n")
        }

        /// Every file, folder and link under the root: contents, "folder", or the link's target.
        func snapshot() -> [String: Data] {
            var all: [String: Data] = [:]
            let fm = FileManager.default
            for sub in (try? fm.subpathsOfDirectory(atPath: root.path)) ?? [] {
                let p = root.path + "/" + sub
                if let target = try? fm.destinationOfSymbolicLink(atPath: p) {
                    all[sub] = Data(("link:" + target).utf8)
                } else {
                    var isFolder: ObjCBool = false
                    _ = fm.fileExists(atPath: p, isDirectory: &isFolder)
                    all[sub] = isFolder.boolValue ? Data("folder".utf8) : fm.contents(atPath: p)
                }
            }
            return all
        }

        /// Runs wardsleep and expects it to refuse with `status` and exactly `message`, touching nothing (but the run
        /// ledger, with `recorded`: a run that started records its failure there, after its log line).
        func expectRefused(_ arguments: [String], status: Int32 = 64, _ message: String, in directory: String? = nil,
                           recorded: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let before = snapshot().filter { !recorded || $0.key != "ledger.sqlite" }
            let r = try runWardsleep(arguments, in: directory)
            #expect(r.status == status, "\(r.err)", sourceLocation: sourceLocation)
            if recorded {
                #expect(r.err.hasSuffix("wardsleep: error: \(message)\n"), "\(r.err)", sourceLocation: sourceLocation)
            } else {
                #expect(r.err == "wardsleep: error: \(message)\n", sourceLocation: sourceLocation)
            }
            #expect(snapshot().filter { !recorded || $0.key != "ledger.sqlite" } == before, "files changed", sourceLocation: sourceLocation)
        }
    }

    // MARK: run --out

    @Test func outOnTheStudyFolderItsParentOrTheRootIsRefused() throws {
        let f = Fixture()
        try f.expectRefused(["run", f.study, "--out", f.study, "--ledger", f.ledger], "--out \(f.study): is the study folder; refusing to write over it")
        try f.expectRefused(["run", f.study, "--out", f.root.path, "--ledger", f.ledger], "--out \(f.root.path): holds the study folder; refusing to replace it")
        try f.expectRefused(["run", f.study, "--out", "/", "--ledger", f.ledger], "--out /: holds the study folder; refusing to replace it")
        try f.expectRefused(["run", "study", "--out", ".", "--ledger", "ledger.sqlite"], "--out .: holds the study folder; refusing to replace it",
                            in: f.root.path)
        try f.expectRefused(["run", ".", "--out", ".", "--ledger", "../ledger.sqlite"], "--out .: is the study folder; refusing to write over it",
                            in: f.study)
        try f.expectRefused(["run", f.study, "--out", f.study + "/..", "--ledger", f.ledger],
                            "--out \(f.study)/..: holds the study folder; refusing to replace it")
        // Somewhere unrelated, `.` still names no folder a rename could replace.
        let elsewhere = TempFolder()
        try f.expectRefused(["run", f.study, "--out", ".", "--ledger", f.ledger], "--out .: does not name a report folder of its own; name a new one",
                            in: elsewhere.path)
    }

    @Test func outOnAnInputOrAFolderHoldingTheKeyIsRefused() throws {
        let f = Fixture()
        try f.expectRefused(["run", f.study, "--out", f.study + "/incidents.csv", "--ledger", f.ledger],
                            "--out \(f.study)/incidents.csv: is an input of the study (exports.incidents.file: incidents.csv); refusing to overwrite it")
        try f.expectRefused(["run", f.study, "--out", f.study + "/study.yaml", "--ledger", f.ledger],
                            "--out \(f.study)/study.yaml: is an input of the study (study.yaml); refusing to overwrite it")
        try f.expectRefused(["run", f.study, "--out", f.study + "/codebook.yaml", "--ledger", f.ledger],
                            "--out \(f.study)/codebook.yaml: is an input of the study (feedback.codebook: codebook.yaml); refusing to overwrite it")
        try f.expectRefused(["run", f.study, "--out", f.root.path + "/secret", "--ledger", f.ledger, "--key-file", f.key],
                            "--out \(f.root.path)/secret: holds the key file; refusing to replace it")
        try f.expectRefused(["run", f.study, "--out", f.root.path + "/x", "--ledger", f.root.path + "/x/ledger.sqlite"],
                            "--out \(f.root.path)/x: holds the run ledger; refusing to replace it")
    }

    @Test func outOnAFileOrAForeignFolderIsRefusedButAnEmptyFolderOrAnEarlierReportIsReplaced() throws {
        let f = Fixture()
        f.root.write("notes.txt", "my notes\n")
        f.root.write("photos/cat.jpg", "not really a cat\n")
        try f.expectRefused(["run", f.study, "--out", f.root.path + "/notes.txt", "--ledger", f.ledger],
                            "--out \(f.root.path)/notes.txt: is a file, not a folder; refusing to overwrite it")
        try f.expectRefused(["run", f.study, "--out", f.root.path + "/photos", "--ledger", f.ledger],
                            "--out \(f.root.path)/photos: is a folder wardsleep did not write (it is not empty and has no manifest.json from "
                                + "wardsleep); refusing to replace it; name a new or empty folder")
        // A manifest.json that wardsleep did not write does not make a folder a report.
        f.root.write("photos/manifest.json", "{\"tool\": {\"name\": \"something else\"}, \"schema_version\": 1}")
        #expect(try runWardsleep(["run", f.study, "--out", f.root.path + "/photos", "--ledger", f.ledger]).status == 64)
        #expect(f.read("photos/cat.jpg") == "not really a cat\n")
        try FileManager.default.createDirectory(atPath: f.root.path + "/empty", withIntermediateDirectories: true)
        let first = try runWardsleep(["run", f.study, "--out", f.root.path + "/empty", "--ledger", f.ledger])
        #expect(first.status == 0, "\(first.err)")
        let again = try runWardsleep(["run", f.study, "--out", f.root.path + "/empty", "--ledger", f.ledger])
        #expect(again.status == 0 && f.root.exists("empty/manifest.json"), "\(again.err)")
        // A report inside a report would be a folder the outer one's manifest does not list, blocking the next run
        // into it: refused, and the outer report still replaceable.
        try f.expectRefused(["run", f.study, "--out", f.root.path + "/empty/sub", "--ledger", f.ledger],
                            "--out \(f.root.path)/empty/sub: is inside the report folder \(PathGuard.real(f.root.path + "/empty")), "
                                + "which a run into it replaces whole; name a folder outside it")
        #expect(!f.root.exists("empty/sub"))
        #expect(try runWardsleep(["run", f.study, "--out", f.root.path + "/empty", "--ledger", f.ledger]).status == 0)
    }

    @Test func aFileNamedLikeTheReportsLockIsNotRemoved() throws {
        let f = Fixture()
        f.root.write("yarn.lock", "# a package manager's lock file\n")
        try f.expectRefused(["run", f.study, "--out", f.root.path + "/yarn", "--ledger", f.ledger],
                            "--out \(f.root.path)/yarn: \(f.root.path)/yarn.lock exists and is not a wardsleep lock file; refusing to remove it",
                            recorded: true)
        #expect(f.read("yarn.lock") == "# a package manager's lock file\n" && !f.root.exists("yarn"))
    }

    @Test func outThroughASymlinkToTheStudyIsRefused() throws {
        let f = Fixture()
        try FileManager.default.createSymbolicLink(atPath: f.root.path + "/link", withDestinationPath: "study")
        try FileManager.default.createSymbolicLink(atPath: f.root.path + "/chain", withDestinationPath: f.root.path + "/link")
        try f.expectRefused(["run", f.study, "--out", f.root.path + "/link", "--ledger", f.ledger],
                            "--out \(f.root.path)/link: is the study folder; refusing to write over it")
        try f.expectRefused(["run", f.study, "--out", f.root.path + "/chain", "--ledger", f.ledger],
                            "--out \(f.root.path)/chain: is the study folder; refusing to write over it")
        try f.expectRefused(["run", f.study, "--out", f.root.path + "/link/incidents.csv", "--ledger", f.ledger],
                            "--out \(f.root.path)/link/incidents.csv: is an input of the study (exports.incidents.file: incidents.csv); refusing to overwrite it")
    }

    /// A symbolic link named as `--out` (`reports/latest` → an earlier report) is written through: the report replaces
    /// the folder the link names, and the link stays a link, as does one that names a folder not yet made.
    @Test func outThatIsASymlinkIsWrittenThroughAndStaysALink() throws {
        let f = Fixture()
        let fm = FileManager.default
        let first = try runWardsleep(["run", f.study, "--out", f.root.path + "/r1", "--ledger", f.ledger])
        #expect(first.status == 0, "\(first.err)")
        try fm.createSymbolicLink(atPath: f.root.path + "/latest", withDestinationPath: "r1")
        try fm.createSymbolicLink(atPath: f.root.path + "/next", withDestinationPath: f.root.path + "/r2")
        for (link, target) in [("latest", "r1"), ("next", "r2")] {
            f.root.write("r1/summary.md", "stale\n")
            let r = try runWardsleep(["run", f.study, "--out", f.root.path + "/" + link, "--ledger", f.ledger])
            #expect(r.status == 0, "\(r.err)")
            let kind = try fm.attributesOfItem(atPath: f.root.path + "/" + link)[.type] as? FileAttributeType
            #expect(kind == .typeSymbolicLink, "\(link)")
            #expect(f.root.read(target + "/summary.md")?.hasPrefix("# ") == true && f.root.exists(target + "/manifest.json"))
            #expect(!f.root.exists(link + ".lock") && !f.root.exists(target + ".lock"))
            #expect(try fm.contentsOfDirectory(atPath: f.root.path).allSatisfy { !$0.contains(".tmp-") && !$0.contains(".old-") })
        }
    }

    @Test func aOneCharacterOutOrLedgerWorks() throws {
        // Foundation's deletingLastPathComponent traps on "r"; the run must not.
        let f = Fixture()
        let r = try runWardsleep(["run", "study", "--out", "r", "--ledger", "l"], in: f.root.path)
        #expect(r.status == 0, "\(r.err)")
        #expect(f.root.exists("r/summary.md") && f.root.exists("l"))
        try f.expectRefused(["run", "study", "--out", "", "--ledger", "l"], "--out: is empty; name the report folder", in: f.root.path)
    }

    @Test func outBelowAFileIsAUsageErrorAndARefusedWriteExitsSeventy() throws {
        let f = Fixture()
        f.root.write("notes.txt", "my notes\n")
        try f.expectRefused(["run", f.study, "--out", f.root.path + "/notes.txt/report", "--ledger", f.ledger],
                            "--out \(f.root.path)/notes.txt/report: cannot be created: \(f.root.path)/notes.txt is a file, not a folder")
        // A place the system will not let even root write (sysfs); skipped where it can be written.
        guard mkdir("/sys/wardsleep-probe", 0o755) != 0 else {
            rmdir("/sys/wardsleep-probe")
            return
        }
        let before = f.snapshot()
        let r = try runWardsleep(["run", f.study, "--out", "/sys/wardsleep-report", "--ledger", f.ledger])
        #expect(r.status == 70)
        #expect(r.err.hasPrefix("wardsleep: error: cannot write /sys/wardsleep-report.lock: ") && r.err.hasSuffix("; nothing was written\n"), "\(r.err)")
        #expect(f.snapshot().filter { $0.key != "ledger.sqlite" } == before)
    }

    /// A report folder is replaced whole, so one holding anything its manifest does not list (the analyst's notes, or a
    /// folder that merely carries a copied manifest) is refused, and left as it was.
    @Test func aReportFolderHoldingOtherFilesIsNotReplaced() throws {
        let f = Fixture(codebook: false)
        let sample = packageRoot() + "/data/sample"
        let out = f.root.path + "/report"
        #expect(try runWardsleep(["run", sample, "--out", out, "--ledger", f.ledger]).status == 0)
        f.root.write("report/NOTES.txt", "my notes\n")
        f.root.write("report/mine/a.txt", "a\n")
        try f.expectRefused(["run", sample, "--out", out, "--ledger", f.ledger],
                            "--out \(out): holds files wardsleep did not write (NOTES.txt, mine/); refusing to replace it; move them out, "
                                + "or name a new or empty folder")
        // A manifest copied into someone's folder does not make it a report.
        f.root.write("victim/docs/thesis.txt", "thesis\n")
        try FileManager.default.copyItem(atPath: out + "/manifest.json", toPath: f.root.path + "/victim/manifest.json")
        try f.expectRefused(["run", sample, "--out", f.root.path + "/victim", "--ledger", f.ledger],
                            "--out \(f.root.path)/victim: holds files wardsleep did not write (docs/); refusing to replace it; move them out, "
                                + "or name a new or empty folder")
        // Once they are moved out, the report is replaced as before.
        try FileManager.default.removeItem(atPath: out + "/NOTES.txt")
        try FileManager.default.removeItem(atPath: out + "/mine")
        #expect(try runWardsleep(["run", sample, "--out", out, "--ledger", f.ledger]).status == 0)
    }

    /// Tidying after killed runs touches only what this program wrote: a folder named like a staging folder of a dead
    /// process but holding the analyst's files stays; a marked staging folder goes.
    @Test func tidyingAfterAKilledRunLeavesOtherFoldersAlone() throws {
        let f = Fixture(codebook: false)
        let sample = packageRoot() + "/data/sample"
        let out = f.root.path + "/report"
        f.root.write(".report.tmp-999999/thesis.txt", "thesis\n")
        f.root.write(".report.old-999998/thesis.txt", "thesis\n")
        f.root.write(".report.tmp-999997/\(OutputStaging.marker)", "")
        f.root.write(".report.tmp-999997/summary.md", "partial\n")
        #expect(try runWardsleep(["run", sample, "--out", out, "--ledger", f.ledger]).status == 0)
        #expect(FileManager.default.fileExists(atPath: f.root.path + "/.report.tmp-999999/thesis.txt"))
        #expect(FileManager.default.fileExists(atPath: f.root.path + "/.report.old-999998/thesis.txt"))
        #expect(!FileManager.default.fileExists(atPath: f.root.path + "/.report.tmp-999997"))
        #expect(!FileManager.default.fileExists(atPath: out + "/\(OutputStaging.marker)"))
    }

    /// A folder already bearing this process's staging name is reused only when it is this program's: one holding
    /// someone's files stops the run before anything is written, and they stay.
    @Test func aStagingNameHoldingOtherFilesIsNotRemoved() throws {
        let f = Fixture(codebook: false)
        let out = f.root.path + "/report"
        let staging = f.root.path + "/.report.tmp-\(ProcessInfo.processInfo.processIdentifier)"
        f.root.write(".report.tmp-\(ProcessInfo.processInfo.processIdentifier)/thesis.docx", "thesis\n")
        #expect(throws: UsageError.self) { _ = try OutputStaging(destination: out) }
        #expect(FileManager.default.fileExists(atPath: staging + "/thesis.docx"))
        // Marked as staging (a run of this process that was cut short), it is taken over.
        f.root.write(".report.tmp-\(ProcessInfo.processInfo.processIdentifier)/\(OutputStaging.marker)", "")
        let taken = try OutputStaging(destination: out)
        #expect(!FileManager.default.fileExists(atPath: staging + "/thesis.docx"))
        taken.discard()
    }

    @Test func aFullDiskLeavesThePreviousReportIntactAndExitsSeventy() throws {
        let f = Fixture(codebook: false)
        let sample = packageRoot() + "/data/sample"
        let out = f.root.path + "/report"
        #expect(try runWardsleep(["run", sample, "--out", out, "--ledger", f.ledger]).status == 0)
        let before = f.snapshot()
        // A file-size limit makes writes past 60-120 KB fail as a full disk would (EFBIG instead of ENOSPC): the ledger
        // stays under it, results.json (200 KB) does not. SIGXFSZ is ignored so the write fails instead of the process.
        let command = "trap '' XFSZ; ulimit -f 120; exec \"$0\" run \"$1\" --out \"$2\" --ledger \"$3\" --timestamp"
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", command, wardsleepBinary(), sample, out, f.ledger]
        let err = Pipe()
        shell.standardOutput = FileHandle.nullDevice
        shell.standardError = err
        try shell.run()
        let r = (status: { shell.waitUntilExit(); return shell.terminationStatus }(),
                 err: String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        #expect(r.status == 70, "\(r.err)")
        #expect(r.err.contains("wardsleep: error: cannot write the new report's "))
        #expect(r.err.hasSuffix(": File too large; the previous report in \(out) is left as it was\n"), "\(r.err)")
        let after = f.snapshot()
        #expect(after.filter { $0.key.hasPrefix("report") } == before.filter { $0.key.hasPrefix("report") })
        #expect(!after.keys.contains { $0.contains(".tmp-") })
    }

    // MARK: --ledger, --key-file, --quarantine, sample --out, --format

    @Test func ledgerOnAnInputOrAForeignFileIsRefused() throws {
        let f = Fixture()
        f.root.write("notes.txt", "my notes\n")
        let out = f.root.path + "/report"
        try f.expectRefused(["run", f.study, "--out", out, "--ledger", f.study + "/study.yaml"],
                            "--ledger \(f.study)/study.yaml: is an input of the study (study.yaml); refusing to overwrite it")
        try f.expectRefused(["run", f.study, "--out", out, "--ledger", f.study + "/incidents.csv"],
                            "--ledger \(f.study)/incidents.csv: is an input of the study (exports.incidents.file: incidents.csv); refusing to overwrite it")
        try f.expectRefused(["run", f.study, "--out", out, "--ledger", f.key, "--key-file", f.key],
                            "--ledger \(f.key): is the key file; refusing to overwrite it")
        try f.expectRefused(["run", f.study, "--out", out, "--ledger", f.study],
                            "--ledger \(f.study): is the study folder; refusing to write over it")
        try f.expectRefused(["run", f.study, "--out", out, "--ledger", f.root.path + "/notes.txt"],
                            "--ledger \(f.root.path)/notes.txt: is not a wardsleep run ledger (not an SQLite database); refusing to write to it")
        // The folder a run without --out writes its report to: every such run would find the ledger in its way.
        let study = PathGuard.real(f.study)
        try f.expectRefused(["run", f.study, "--out", out, "--ledger", f.study + "/reports"],
                            "--ledger \(f.study)/reports: is the folder a run of this study without --out writes its report to "
                                + "(\(study)/reports); name a file elsewhere, e.g. \(RunLedger.defaultPath)")
        #expect(!f.root.exists("study/reports"))
        // `history` only reads, and says so.
        try f.expectRefused(["history", "--ledger", f.root.path + "/notes.txt"],
                            "--ledger \(f.root.path)/notes.txt: is not a wardsleep run ledger (not an SQLite database); refusing to read it")
        // A ledger named that is not there is a mistyped path (exit 3), not "no runs yet".
        let typo = try runWardsleep(["history", "--ledger", f.root.path + "/ledgr.sqlite"])
        #expect(typo.status == 3 && typo.err.contains("ledgr.sqlite: no such run ledger; name the file runs wrote"), "\(typo.err)")
        #expect(!f.root.exists("ledgr.sqlite"))
    }

    /// Someone else's SQLite database, even one with a table called `runs`, is refused before anything is written to it.
    @Test func aForeignDatabaseIsRefusedUntouched() throws {
        let f = Fixture()
        let path = f.root.path + "/runs.sqlite"
        let db = try DatabaseQueue(path: path)
        try db.write { try $0.execute(sql: "CREATE TABLE runs (id INTEGER, x TEXT); INSERT INTO runs VALUES (1, 'mine')") }
        try db.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let message = "--ledger \(path): is an SQLite database but not a wardsleep run ledger; refusing to write to it"
        try f.expectRefused(["run", f.study, "--out", f.root.path + "/report", "--ledger", path], message)
        try f.expectRefused(["history", "--ledger", path], message.replacingOccurrences(of: "refusing to write to it", with: "refusing to read it"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-journal") && !FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func aKeyFileInsideTheStudyFolderIsRefused() throws {
        let f = Fixture()
        f.root.write("study/key.txt", testKey + "\n")
        f.root.write("study/keys/key.txt", testKey + "\n")
        for key in [f.study + "/key.txt", f.study + "/keys/key.txt", f.study + "/../study/key.txt"] {
            let message = "--key-file \(key): is inside the study folder; keep the key outside it, where the exports and reports that are shared never carry it"
            try f.expectRefused(["validate", f.study, "--key-file", key], message)
            try f.expectRefused(["run", f.study, "--out", f.root.path + "/report", "--ledger", f.ledger, "--key-file", key], message)
        }
        // A link outside the study folder that leads to a key inside it is inside too.
        try FileManager.default.createSymbolicLink(atPath: f.root.path + "/key-link", withDestinationPath: f.study + "/key.txt")
        try f.expectRefused(["validate", f.study, "--key-file", f.root.path + "/key-link"],
                            "--key-file \(f.root.path)/key-link: is inside the study folder; keep the key outside it, where the exports and reports that are shared never carry it")
        #expect(try runWardsleep(["validate", f.study, "--key-file", f.key]).status == 0)
        // A key file that is not there cannot be read (exit 3); one that is no ordinary file is a key problem (exit 2).
        let missing = try runWardsleep(["validate", f.study, "--key-file", f.root.path + "/secret/kye"])
        #expect(missing.status == 3 && missing.err.contains("kye: no such key file"), "\(missing.err)")
        let device = try runWardsleep(["validate", f.study, "--key-file", "/dev/null"])
        #expect(device.status == 2 && device.err.contains("is not an ordinary file"), "\(device.err)")
    }

    @Test func quarantineInsideTheStudyOrIntoAForeignFolderIsRefused() throws {
        let f = Fixture()
        f.root.write("study/incidents.csv", "id,date,time,ward,category\nI1,31/02/2019,02:10,A1,Self harm\n")
        f.root.write("photos/cat.jpg", "not really a cat\n")
        let inside = "is inside the study folder, where quarantine files would overwrite the exports; name a folder outside it"
        try f.expectRefused(["validate", f.study, "--quarantine", f.study], "--quarantine \(f.study): \(inside)")
        try f.expectRefused(["validate", f.study, "--quarantine", f.study + "/q"], "--quarantine \(f.study)/q: \(inside)")
        try f.expectRefused(["validate", "study", "--quarantine", "study/../study"], "--quarantine study/../study: \(inside)", in: f.root.path)
        try f.expectRefused(["validate", f.study, "--quarantine", f.root.path + "/photos"],
                            "--quarantine \(f.root.path)/photos: holds cat.jpg, which is not a quarantine file wardsleep wrote; refusing to write "
                                + "into it; name a new or empty folder")
        // Its own quarantine folder can be written again.
        for _ in 0..<2 {
            let r = try runWardsleep(["validate", f.study, "--quarantine", f.root.path + "/q"])
            #expect(r.status == 1 && f.root.read("q/incidents.csv")?.hasPrefix("file,line,column,field,value,reason\n") == true, "\(r.err)")
        }
    }

    @Test func sampleRefusesANonEmptyFolderWithoutForce() throws {
        let f = Fixture()
        try f.expectRefused(["sample", "--out", f.study],
                            "--out \(f.study): is not empty; pass --force to write the sample into it (replacing its study.yaml and any exports of the same names)")
        f.root.write("notes.txt", "my notes\n")
        try f.expectRefused(["sample", "--out", f.root.path + "/notes.txt"], "--out \(f.root.path)/notes.txt: is a file, not a folder; refusing to overwrite it")
        let forced = try runWardsleep(["sample", "--out", f.study, "--force"])
        #expect(forced.status == 0 && f.root.read("study/codebook.yaml") != nil, "\(forced.err)")
    }

    @Test func benchKeepNeverOverwritesAStudy() throws {
        let f = Fixture()
        // A study folder named like a bench folder: refused, untouched.
        let keep = f.root.path + "/keep"
        try FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: keep + "/rows-100", withDestinationPath: f.study)
        try f.expectRefused(["bench", "--rows", "100", "--keep", keep],
                            "--keep \(keep)/rows-100: holds files an earlier bench did not write; choose a new or empty folder "
                                + "(its study.yaml and hypnotics.csv would be replaced)")
        // A folder an earlier bench wrote is reused.
        let fresh = f.root.path + "/bench"
        #expect(try runWardsleep(["bench", "--rows", "100", "--keep", fresh]).status == 0)
        let again = try runWardsleep(["bench", "--rows", "100", "--keep", fresh])
        #expect(again.status == 0, "\(again.err)")
    }

    @Test func anEmptyFormatIsAUsageError() throws {
        let f = Fixture()
        for format in ["", ","] {
            let before = f.snapshot()
            let r = try runWardsleep(["run", f.study, "--out", f.root.path + "/report", "--ledger", f.ledger, "--format", format])
            #expect(r.status == 64)
            #expect(r.err.hasPrefix("Error: --format needs at least one of md, html, json, csv, pdf and docx.\n"), "\(r.err)")
            #expect(f.snapshot() == before)
        }
        // Every command-line problem is 64, and the help says so.
        #expect(try runWardsleep(["run", f.study, "--no-such-option"]).status == 64)
        #expect(try runWardsleep(["sample", "--out", f.root.path + "/s", "--scale", "0"]).status == 64)
        #expect(try runWardsleep(["--help"]).out.contains("64 command-line usage"))
    }

    // MARK: paths the study names

    @Test func exportAndCodebookLinksLeadingOutAreRefused() throws {
        let f = Fixture()
        f.root.write("outside/incidents.csv", "id,date,time,ward,category\nI1,05/03/2019,02:10,A1,Self harm\n")
        f.root.write("outside/codebook.yaml", "version: 1\nthemes:\n  noise: { label: Noise, keywords: [noise] }\n")
        let fm = FileManager.default
        let out = ["--out", f.root.path + "/report", "--ledger", f.ledger]
        let exportOut = "study.yaml: exports.incidents.file: \"incidents.csv\" is a link to a file outside the study folder; copy the export into the folder"
        let codebookOut = "study.yaml: feedback.codebook: \"codebook.yaml\" is a link to a file outside the study folder; copy the codebook into the folder"
        // A relative chain: incidents.csv -> hop -> ../outside/incidents.csv.
        try fm.removeItem(atPath: f.study + "/incidents.csv")
        try fm.createSymbolicLink(atPath: f.study + "/hop", withDestinationPath: "../outside/incidents.csv")
        try fm.createSymbolicLink(atPath: f.study + "/incidents.csv", withDestinationPath: "hop")
        try f.expectRefused(["validate", f.study], status: 2, exportOut)
        try f.expectRefused(["run", f.study] + out, status: 2, exportOut, recorded: true)
        // An absolute link to a folder on the way: data -> /…/outside, export data/incidents.csv.
        try fm.removeItem(atPath: f.study + "/incidents.csv")
        try fm.createSymbolicLink(atPath: f.study + "/data", withDestinationPath: f.root.path + "/outside")
        f.root.write("study/study.yaml", studyYAML("exports:\n  incidents: { file: data/incidents.csv }\n"))
        try f.expectRefused(["validate", f.study], status: 2,
                            "study.yaml: exports.incidents.file: \"data/incidents.csv\" is a link to a file outside the study folder; copy the export into the folder")
        // A link that goes out and comes back in is inside.
        try fm.createSymbolicLink(atPath: f.study + "/incidents.csv", withDestinationPath: "../study/hop-back")
        f.root.write("study/hop-back", "id,date,time,ward,category\nI1,05/03/2019,02:10,A1,Self harm\n")
        f.root.write("study/study.yaml", studyYAML("exports:\n  incidents: { file: incidents.csv }\nfeedback: { codebook: codebook.yaml }\n"))
        // The codebook through a chain leading out (absolute, then relative).
        try fm.removeItem(atPath: f.study + "/codebook.yaml")
        try fm.createSymbolicLink(atPath: f.root.path + "/cb", withDestinationPath: "outside/codebook.yaml")
        try fm.createSymbolicLink(atPath: f.study + "/codebook.yaml", withDestinationPath: f.root.path + "/cb")
        try f.expectRefused(["run", f.study] + out, status: 2, codebookOut, recorded: true)
        // study.yaml itself must not lead out either.
        try fm.removeItem(atPath: f.study + "/study.yaml")
        f.root.write("outside/study.yaml", studyYAML())
        try fm.createSymbolicLink(atPath: f.study + "/study.yaml", withDestinationPath: "../outside/study.yaml")
        try f.expectRefused(["validate", f.study], status: 2, "study.yaml: is a link to a file outside the study folder; copy it into the folder")
    }

    @Test func theDemoKeyIsOnlyForExportsSampleGenerated() throws {
        let dir = TempFolder()
        let study = dir.path + "/study"
        try SampleStudy.write(to: study)
        #expect(try runWardsleep(["validate", study]).status == 0)
        let advice = "so the public demo key cannot be used; set WARDSLEEP_KEY or pass --key-file"
        func refused(_ message: String) throws {
            let before = FileManager.default.contents(atPath: study + "/sleep_plans.csv")
            let r = try runWardsleep(["run", study, "--out", dir.path + "/report", "--ledger", dir.path + "/ledger.sqlite"])
            #expect(r.status == 2)
            #expect(r.err == "wardsleep: error: study.yaml: synthetic: \(message)\n")
            #expect(!FileManager.default.fileExists(atPath: dir.path + "/report"))
            #expect(FileManager.default.contents(atPath: study + "/sleep_plans.csv") == before)
        }
        // Real patient numbers put in place of the synthetic ones.
        let plans = try String(contentsOfFile: study + "/sleep_plans.csv", encoding: .utf8)
        #expect(FileManager.default.createFile(atPath: study + "/sleep_plans.csv", contents: Data(plans.replacingOccurrences(of: ",999", with: ",943").utf8)))
        try refused("is true, but sleep_plans.csv has changed since `wardsleep sample` generated it (its SHA-256 differs from synthetic-files.sha256), \(advice)")
        // An export the sample never wrote.
        let yaml = try String(contentsOfFile: study + "/study.yaml", encoding: .utf8)
        try FileManager.default.moveItem(atPath: study + "/sleep_plans.csv", toPath: study + "/plans-2024.csv")
        #expect(FileManager.default.createFile(atPath: study + "/study.yaml", contents: Data(yaml.replacingOccurrences(
            of: "file: sleep_plans.csv", with: "file: plans-2024.csv").utf8)))
        #expect(try String(contentsOfFile: study + "/study.yaml", encoding: .utf8).contains("file: plans-2024.csv"))
        try refused("is true, but plans-2024.csv is not a file `wardsleep sample` generated (synthetic-files.sha256 does not list it), \(advice)")
        // No record at all: `synthetic: true` alone unlocks nothing.
        try FileManager.default.removeItem(atPath: study + "/synthetic-files.sha256")
        try refused("is true, but the folder has no synthetic-files.sha256 from `wardsleep sample` to show its exports are synthetic, \(advice)")
        // With a real key it runs.
        let keyed = try runWardsleep(["run", study, "--out", dir.path + "/report", "--ledger", dir.path + "/ledger.sqlite"],
                                     environment: ["WARDSLEEP_KEY": testKey])
        #expect(keyed.status == 0, "\(keyed.err)")
    }

    @Test func initDoesNotWriteThroughALinkedStudyYaml() throws {
        let f = Fixture()
        let target = f.root.path + "/precious.txt"
        try FileManager.default.createDirectory(atPath: f.root.path + "/new", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: f.root.path + "/new/study.yaml", withDestinationPath: target)
        let r = try runWardsleep(["init", f.root.path + "/new", "--force"])
        #expect(r.status == 2 && r.err == "wardsleep: error: \(f.root.path)/new/study.yaml: is a symbolic link; refusing to write through it\n")
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}

extension PathSafetyTests.Fixture {
    func read(_ name: String) -> String? { root.read(name) }
}
