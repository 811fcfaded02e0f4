import Foundation
@testable import WardsleepKit

/// A temporary folder removed when the value is released.
final class TempFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "wardsleep-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes text (UTF-8) to a file in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, bytes: Array(text.utf8)) }

    /// Writes bytes to a file in the folder and returns its path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let p = (path as NSString).appendingPathComponent(name)
        try! FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        precondition(FileManager.default.createFile(atPath: p, contents: Data(bytes)), "cannot write test file \(p)")
        return p
    }

    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: (path as NSString).appendingPathComponent(name)).flatMap { String(data: $0, encoding: .utf8) }
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(name)) }
}

/// A minimal valid study.yaml with two wards; `extra` is appended (exports, quality ...).
func studyYAML(_ extra: String = "") -> String {
    """
    version: 1
    study: Test study
    periods:
      baseline: { from: 2018-01-01, to: 2018-08-31 }
      pilot:    { from: 2019-01-01, to: 2019-08-31 }
    wards:
      - { id: A1, name: Acute male, type: acute, beds: 16, cbti: true }
      - { id: D1, name: Dementia service, type: dementia, beds: 12, aliases: ["Ward 7 (Dementia)"],
          periods: { pilot: { from: 2019-02-01, to: 2019-08-31 } } }

    """ + extra
}

/// The study definition of `studyYAML()`.
func testStudy(_ extra: String = "") -> StudyDefinition { try! StudyLoader.parse(studyYAML(extra)) }

/// A key for tests (never a real one).
let testKey = "test-key-0123456789abcdef"

/// Records every problem in memory.
final class ProblemLog: ProblemSink {
    var problems: [DataProblem] = []
    var rows = 0
    func quarantine(_ p: [DataProblem]) {
        problems += p
        rows += 1
    }
}

/// Reads an export file through the generic reader and normaliser, collecting records and problems.
func ingest<N: RecordNormaliser>(_ path: String, spec: ExportSpec, _ normaliser: N) throws -> (ExportTally, [N.Record], ProblemLog) {
    var n = normaliser
    var records: [N.Record] = []
    let log = ProblemLog()
    let tally = try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: log) { records.append($0) }
    return (tally, records, log)
}

/// The path to the built `wardsleep` executable.
func wardsleepBinary() -> String {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wardsleep").path,
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("wardsleep").path,
        packageRoot() + "/.build/debug/wardsleep",
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
}

/// The package's root folder.
func packageRoot() -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
}

/// Runs the wardsleep binary; returns exit status, standard output and standard error.
@discardableResult
/// With `timeout` (seconds), it runs under coreutils `timeout`, so a read that blocks fails the test (status 124)
/// instead of hanging it.
func runWardsleep(_ arguments: [String], environment: [String: String] = [:], in directory: String? = nil,
                  timeout: Int? = nil) throws -> (status: Int32, out: String, err: String)
{
    let process = Process()
    if let timeout {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["-k", "5", String(timeout), wardsleepBinary()] + arguments
    } else {
        process.executableURL = URL(fileURLWithPath: wardsleepBinary())
        process.arguments = arguments
    }
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "WARDSLEEP_KEY")
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

extension ReportDocument {
    /// The document as summary.md writes it.
    var markdown: String { MarkdownWriter.render(self) }
}

/// Patients made up by tests: `PatientID(7)`, or a literal where a patient is expected. Distinct numbers give distinct
/// patients in every 96-bit prefix (as a patient-night keeps).
extension PatientID: ExpressibleByIntegerLiteral {
    init(_ n: some BinaryInteger) {
        let v = UInt64(truncatingIfNeeded: n)
        self.init(high: v, low: v &* 0x9E37_79B9_7F4A_7C15)
    }

    public init(integerLiteral n: UInt64) { self.init(n) }
}
