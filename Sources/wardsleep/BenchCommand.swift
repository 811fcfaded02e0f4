import ArgumentParser
import Foundation
import WardsleepKit

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure ingest speed: a parse-only pass through libcsv against the full pipeline, export by export.",
        discussion: """
        Prints rows/s and MB/s for each export. Use a large synthetic study for meaningful numbers.

        Example:
          wardsleep sample --out /tmp/bench --scale 20 && wardsleep bench /tmp/bench
        """
    )

    @OptionGroup var options: StudyOptions

    func run() throws {
        try runReporting {
            let results = try Benchmark.run(folder: options.study, keyFile: options.keyFile, environment: ProcessInfo.processInfo.environment)
            printLines(Benchmark.table(results))
            return .success
        }
    }
}
