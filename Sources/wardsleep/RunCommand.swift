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

        Every run is recorded in the run ledger (reports/.wardsleep/ledger.sqlite unless --ledger). A lock beside the
        report folder stops two runs writing it at once (the second exits 75).

        Examples:
          wardsleep run data/sample --out reports/sample
          wardsleep run data/sample --if-changed --quiet                 # a scheduled run: nothing to do if unchanged
          wardsleep run data/sample --ward A1 --category violence --from 2019-01-01 --to 2019-03-31 --format md,csv
        """
    )

    @OptionGroup var options: StudyOptions

    @Option(name: .long, help: "The report folder (default: reports/<study-slug>).")
    var out: String?

    @Flag(name: .long, help: "Also write exact, unsuppressed counts to restricted/ (not for release).")
    var unsuppressed = false

    @Flag(name: .long, help: "Also write restricted/aggregate.json: exact per-ward counts another organisation may pool (wardsleep pool).")
    var share = false

    @Flag(name: .long, help: "Put the time of the run in the summary and manifest (otherwise identical inputs give identical files).")
    var timestamp = false

    @Option(name: .long, help: "Only this ward (id, name or alias); repeat for more.")
    var ward: [String] = []

    @Option(name: .long, help: "Only this incident category; repeat for more.")
    var category: [String] = []

    @Option(name: .long, help: "Restrict both periods to start no earlier than this date (yyyy-mm-dd or dd/mm/yyyy).")
    var from: String?

    @Option(name: .long, help: "Restrict both periods to end no later than this date.")
    var to: String?

    @Option(name: .long, help: "Only one window: 24h or protected.")
    var window: String?

    @Option(name: .long, help: "Formats to write, comma-separated: md,html,json,csv (default all).")
    var format: String?

    @Flag(name: .customLong("if-changed"), help: "Do nothing (exit 0) when the study and every input are unchanged since the last successful run.")
    var ifChanged = false

    @Option(name: .long, help: "The run ledger (SQLite) to record the run in.")
    var ledger: String?

    @OptionGroup var threading: ThreadOptions

    @OptionGroup var output: OutputOptions

    func scope() throws -> RunScope {
        var s = RunScope()
        s.wards = ward
        s.categories = category
        func day(_ text: String?, _ flag: String) throws -> CalendarDay? {
            guard let text else { return nil }
            do { return try FieldParsing.date(ArraySlice(Array(text.utf8)), order: .dmy) } catch {
                throw ValidationError("\(flag) \(text): \(error.reason).")
            }
        }
        s.from = try day(from, "--from")
        s.to = try day(to, "--to")
        if let f = s.from, let t = s.to, f > t { throw ValidationError("--from \(from!) is after --to \(to!).") }
        if let window {
            guard let w = TimeWindow(rawValue: window) else { throw ValidationError("--window must be 24h or protected, not \(window).") }
            s.window = w
        }
        if let format {
            guard format.contains(where: { $0 != "," && !$0.isWhitespace }) else {
                throw ValidationError("--format needs at least one of md, html, json and csv.")
            }
            var formats = Set<OutputFormat>()
            for part in format.split(separator: ",") {
                guard let f = OutputFormat(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--format takes md, html, json and csv, not \(part).")
                }
                formats.insert(f)
            }
            s.formats = formats
        }
        return s
    }

    func validate() throws {
        let s = try scope()
        if share && s.isFiltered {
            throw ValidationError("--share shares the whole study for pooling, so it cannot be combined with --ward, --category, --from, --to or --window.")
        }
    }

    func run() throws {
        let logger = output.logger()
        try runReporting {
            var o = RunOptions(studyFolder: options.study, outFolder: out, keyFile: options.keyFile, unsuppressed: unsuppressed,
                               timestamp: timestamp ? Date() : nil)
            o.scope = try scope()
            o.ifChanged = ifChanged
            o.share = share
            o.ledgerPath = ledger
            o.logger = logger
            o.progress = output.progress()
            o.threads = threading.threads
            let outcome = try StudyRun.run(o)
            if !output.quiet { printLines(outcome.messages) }
            return outcome.status
        }
    }
}
