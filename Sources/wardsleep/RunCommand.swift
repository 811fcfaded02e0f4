import ArgumentParser
import Foundation
import WardsleepKit

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a study's exports and write its evidence summary.",
        discussion: """
        Writes summary.md, report.html, results.json, tables/*.csv, charts/*.svg, manifest.json and quarantine/*.csv
        into the report folder (default reports/<study-slug>), built in a temporary folder and renamed into place only
        when complete.

        Example:
          wardsleep run data/sample --out reports/sample
        """
    )

    @OptionGroup var options: StudyOptions

    @Option(name: .long, help: "The report folder (default: reports/<study-slug>).")
    var out: String?

    @Flag(name: .long, help: "Also write exact, unsuppressed counts to restricted/ (not for release).")
    var unsuppressed = false

    @Flag(name: .long, help: "Put the time of the run in the summary and manifest (otherwise identical inputs give identical files).")
    var timestamp = false

    func run() throws {
        try runReporting {
            let outcome = try StudyRun.run(RunOptions(studyFolder: options.study, outFolder: out, keyFile: options.keyFile,
                                                      unsuppressed: unsuppressed,
                                                      timestamp: timestamp ? Date() : nil))
            printLines(outcome.messages)
            return outcome.status
        }
    }
}
