import ArgumentParser
import Foundation
import WardsleepKit

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check study.yaml and every export without writing a report.",
        discussion: """
        Prints, per export, rows read, accepted and quarantined, each problem with its line and column, and counts by
        kind. Exits 1 when an export quarantines more rows than quality.max_quarantined_percent.

        Example:
          wardsleep validate data/sample --quarantine /tmp/quarantine
        """
    )

    @OptionGroup var options: StudyOptions

    @Option(name: .long, help: "How many problems to list per export.")
    var show: Int = 50

    @Option(name: .long, help: "Also write every quarantined row to CSV files in this folder.")
    var quarantine: String?

    @OptionGroup var threading: ThreadOptions

    func run() throws {
        try runReporting {
            let outcome = try StudyValidation.validate(folder: try StudyFolder.argument(options.study), keyFile: options.keyFile,
                                                       environment: ProcessInfo.processInfo.environment,
                                                       showProblems: show, quarantineFolder: quarantine,
                                                       threads: threading.threads)
            printLines(outcome.lines)
            return outcome.status
        }
    }
}
