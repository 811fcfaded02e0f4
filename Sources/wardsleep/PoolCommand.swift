import ArgumentParser
import Foundation
import WardsleepKit

struct Pool: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pool several trusts' shared aggregates into one report.",
        discussion: """
        Each trust runs its own study with `wardsleep run STUDY --share` and sends restricted/aggregate.json (exact
        counts per ward, no patient data) under its data-sharing agreement. pool checks every file (schema version,
        its SHA-256, each trust once, the same incident categories) and writes summary.md, report.html with a forest
        plot per measure, results.json (key `pooled`), tables/pooled*.csv and manifest.json, disclosure-controlled: each
        trust's counts under its own policy, as its own report shows them. A problem with the aggregates exits 2.

        Example:
          wardsleep pool north/restricted/aggregate.json south/restricted/aggregate.json --out reports/region
        """
    )

    @Argument(help: "The trusts' aggregate files (restricted/aggregate.json from `wardsleep run --share`).")
    var aggregates: [String] = []

    @Option(name: .long, help: "The report folder: new, empty, or a report wardsleep wrote.")
    var out: String

    @Flag(name: .long, help: "Also write exact, unsuppressed counts to restricted/ (not for release).")
    var unsuppressed = false

    @Flag(name: .long, help: "Put the time of the run in the summary and manifest.")
    var timestamp = false

    @Option(name: .long, help: "Formats to write, comma-separated: md,html,json,csv (default all).")
    var format: String?

    func validate() throws {
        guard !aggregates.isEmpty else { throw ValidationError("Name at least one aggregate file to pool.") }
        _ = try formats()
    }

    func formats() throws -> Set<OutputFormat> {
        guard let format else { return Set(OutputFormat.allCases) }
        var formats = Set<OutputFormat>()
        for part in format.split(separator: ",") {
            guard let f = OutputFormat(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--format takes md, html, json and csv, not \(part).")
            }
            formats.insert(f)
        }
        guard !formats.isEmpty else { throw ValidationError("--format needs at least one of md, html, json and csv.") }
        return formats
    }

    func run() throws {
        try runReporting {
            var o = PoolOptions(aggregates: aggregates, outFolder: out)
            o.unsuppressed = unsuppressed
            o.timestamp = timestamp ? Date() : nil
            o.formats = try formats()
            printLines(try PoolRun.run(o))
            return .success
        }
    }
}
