import Foundation
import Testing
@testable import WardsleepKit

/// Whether a program is on this machine's PATH.
func installed(_ program: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
}

/// Runs a program and returns its exit status and standard output.
func runProgram(_ program: String, _ arguments: [String]) throws -> (status: Int32, out: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [program] + arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// `--format pdf` and `--format docx`: the documents a board reads, made by Chromium and pandoc inside the staging
/// folder; a missing program is named with its Debian package, and a failed conversion leaves nothing half-written.
@Suite(.serialized) struct PrintedFormatsTests {
    @Test(.enabled(if: installed("chromium") && installed("pdftotext") && installed("pdfinfo"),
                   "needs chromium (Debian chromium) and pdftotext/pdfinfo (Debian poppler-utils); .ci/run installs them"))
    func pdfHasItsPagesHeaderAndText() throws {
        let dir = TempFolder()
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", dir.path + "/r", "--format", "pdf", "--timestamp"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/r").sorted() == ["manifest.json", "report.pdf", "restricted"])
        let info = try runProgram("pdfinfo", [dir.path + "/r/report.pdf"]).out
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
        #expect((14...40).contains(pages), "\(pages) pages")
        let text = try runProgram("pdftotext", ["-layout", dir.path + "/r/report.pdf", "-"]).out
        let day = ProseFormat.date(CalendarDay(dayNumber: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down))))
        // The running header on every page, sections on pages of their own, the key findings and the tables' numbers.
        #expect(text.components(separatedBy: "SleepWell pilot — \(day)").count - 1 == pages)
        #expect(text.contains("Page 1 of \(pages)") && text.contains("Page \(pages) of \(pages)"))
        #expect(text.contains("Key findings") && text.contains("No evidence of a change in incidents over 24 hours"))
        #expect(text.contains("Results: variation over time") && text.contains("Incidents, ward A1"))
        let manifest = try String(contentsOfFile: dir.path + "/r/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"report.pdf\""))
    }

    @Test(.enabled(if: installed("pandoc") && installed("rsvg-convert"),
                   "needs pandoc (Debian pandoc) and rsvg-convert (Debian librsvg2-bin); .ci/run installs them"))
    func docxReadsBackWithTheSummarysHeadingsAndCharts() throws {
        let dir = TempFolder()
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", dir.path + "/r", "--format", "md,docx"])
        #expect(r.status == 0, "\(r.err)")
        // The conversion's scratch folder is gone; summary.md's charts are there, as it links to them.
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/r/.convert") && FileManager.default.fileExists(atPath: dir.path + "/r/charts"))
        let back = try runProgram("pandoc", [dir.path + "/r/report.docx", "-t", "markdown"])
        #expect(back.status == 0)
        let headings = back.out.split(separator: "\n").filter { $0.hasPrefix("## ") }.map(String.init)
        let summary = try String(contentsOfFile: dir.path + "/r/summary.md", encoding: .utf8)
        #expect(headings == summary.split(separator: "\n").filter { $0.hasPrefix("## ") }.map(String.init))
        #expect(back.out.contains("# SleepWell pilot: improvement evaluation"))
        // Every chart is in the document (a docx is a zip: its member names are stored as text).
        let zip = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/r/report.docx"))
        let members = String(decoding: zip, as: UTF8.self).components(separatedBy: "word/media/").count - 1
        #expect(members >= 11)
    }

    @Test func theRunningHeaderCannotLeaveItsCSSString() {
        let css = HTMLReport.pageCSS("Ward \"7\" \\ </style><script>alert(1)</script>\u{7}é — 2026")
        #expect(!css.contains("</style") && !css.contains("<script"))
        #expect(css.contains(#"content: "Ward \22 7\22  \5c  \3c /style\3e \3c script\3e alert(1)\3c /script\3e \e9  \2014  2026";"#), "\(css)")
    }

    @Test func aMissingProgramIsNamedWithItsPackageAndNothingIsTouched() throws {
        let dir = TempFolder()
        let out = dir.path + "/r"
        for (format, message) in [
            ("pdf", "wardsleep: error: --format pdf needs chromium, which is not installed (not found on PATH): install the Debian package chromium "
                + "(sudo apt-get install chromium), or leave pdf out of --format. Nothing was read or written.\n"),
            ("md,docx", "wardsleep: error: --format docx needs pandoc, which is not installed (not found on PATH): install the Debian package pandoc "
                + "(sudo apt-get install pandoc), or leave docx out of --format. Nothing was read or written.\n"),
        ] {
            let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", out, "--format", format],
                                     environment: ["PATH": dir.path + "/no-such-folder"])
            #expect(r.status == 64 && r.err == message, "\(r.status) \(r.err)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    @Test func aFailedConversionLeavesThePreviousReportAsItWas() throws {
        let dir = TempFolder()
        let out = dir.path + "/r"
        #expect(try runWardsleep(["run", packageRoot() + "/data/sample", "--out", out, "--format", "md"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/summary.md"))
        // A chromium that fails at once.
        let bin = dir.path + "/bin"
        dir.write("bin/chromium", "#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
        #expect(chmod(bin + "/chromium", 0o755) == 0)
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", out, "--format", "md,pdf"], environment: ["PATH": bin + ":/usr/bin:/bin"])
        #expect(r.status == 70, "\(r.err)")
        #expect(r.err.contains("report.pdf: chromium failed (exit 3): cannot open display; the previous report in \(out) is left as it was"), "\(r.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/summary.md")) == before)
        #expect(!FileManager.default.fileExists(atPath: out + "/report.pdf"))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".r.") }
        #expect(left.isEmpty, "staging left behind: \(left)")
    }
}
