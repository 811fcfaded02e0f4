import ArgumentParser
import Foundation
import WardsleepKit

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the runs recorded in the run ledger, newest first.",
        discussion: """
        Each run: when it started and finished, its outcome and exit code, the study and report folders, its filters,
        and the rows read, accepted and quarantined. A run killed before it finished shows as interrupted; a run over
        the quality threshold that kept the last good report shows as quality-failed. The ledger is the study's
        (--study DIR: DIR/.wardsleep/ledger.sqlite) or the one named by --ledger.

        Example:
          wardsleep history --study data/sample --limit 10
        """
    )

    @Option(name: .long, help: "Only runs of this study folder.")
    var study: String?

    @Option(name: .long, help: "The run ledger (default: DIR/.wardsleep/ledger.sqlite of --study DIR).")
    var ledger: String?

    @Option(name: .long, help: "How many runs to list.")
    var limit: Int = 20

    func validate() throws {
        if study == nil && ledger == nil {
            throw ValidationError("name the study (--study DIR) or the run ledger (--ledger PATH) whose runs to list.")
        }
    }

    func run() throws {
        try runReporting {
            let study = try self.study.map(StudyFolder.argument)
            guard let path = ledger ?? study.map(RunLedger.defaultPath(forStudy:)) else { return .usage }
            // A ledger named that is not there is a mistyped path, not a study never run.
            if let named = ledger, !FileManager.default.fileExists(atPath: named) {
                throw InputError(file: named, message: "no such run ledger; name the file runs wrote (by default "
                                 + "<study>/.wardsleep/ledger.sqlite), or give the study with --study")
            }
            guard FileManager.default.fileExists(atPath: path) else {
                print("no runs recorded yet (\(path) does not exist)")
                return .success
            }
            let l = try RunLedger(path: path, reading: true)
            let folder = study.map { URL(fileURLWithPath: ($0 as NSString).standardizingPath).standardizedFileURL.path }
            let entries = try l.history(studyFolder: folder, limit: limit)
            if entries.isEmpty { print("no runs recorded\(study.map { " for \($0)" } ?? "")") }
            for e in entries {
                var line = "#\(e.id) \(e.startedAt) \(e.outcome)"
                if let code = e.exitCode { line += " (exit \(code))" }
                line += " \(e.studyFolder) -> \(e.outputFolder)"
                let filters = RunScope.filters(inCanonical: e.parameters)
                line += " filters: \(filters.isEmpty ? "none" : filters)"
                let outputs = RunScope.outputs(inCanonical: e.parameters)
                if !outputs.isEmpty { line += " outputs: \(outputs)" }
                if let r = e.rowsRead { line += " rows \(r) read, \(e.rowsAccepted ?? 0) accepted, \(e.rowsQuarantined ?? 0) quarantined" }
                if let m = e.message { line += " — \(m)" }
                print(line)
            }
            return .success
        }
    }
}
