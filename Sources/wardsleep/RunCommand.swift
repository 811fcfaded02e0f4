import ArgumentParser
import Foundation
import WardsleepKit

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a study's exports and write its evidence summary.",
        discussion: """
        Writes summary.md, manifest.json and quarantine/*.csv into the report folder (default reports/<study-slug>),
        built in a temporary folder and renamed into place only when complete.

        Example:
          wardsleep run data/sample --out reports/sample
        """
    )

    @OptionGroup var options: StudyOptions

    @Option(name: .long, help: "The report folder (default: reports/<study-slug>).")
    var out: String?

    @Flag(name: .long, help: "Also write exact, unsuppressed counts to restricted/ (not for release).")
    var unsuppressed = false

    func run() throws {
        try runReporting {
            let outcome = try StudyRun.run(RunOptions(studyFolder: options.study, outFolder: out, keyFile: options.keyFile,
                                                      unsuppressed: unsuppressed))
            printLines(outcome.messages)
            return outcome.status
        }
    }
}
