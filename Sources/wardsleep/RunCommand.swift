import ArgumentParser
import Foundation
import WardsleepKit

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a study's exports and write its evidence summary.",
        discussion: """
        Writes summary.md, report.html, results.json, tables/*.csv, charts/*.svg,
        manifest.json and restricted/quarantine/*.csv into the report folder (default
        DIR/reports, whatever the current folder), built in a temporary folder
        and renamed into place only when complete. The last line printed names
        the report folder's absolute path.

        A run in which an export quarantines more than
        quality.max_quarantined_percent of its rows exits 1 and writes its report
        to <out>.quality-failed beside the report folder, leaving the last good
        report in place, unless --accept-quality-warnings. That warning is
        printed even with --quiet.

        Every run is recorded in the run ledger (DIR/.wardsleep/ledger.sqlite
        unless --ledger). A lock beside the report folder stops two runs writing
        it at once (the second exits 75).

        Examples:
          wardsleep run data/sample --out reports/sample
          wardsleep run data/sample --if-changed --quiet      # scheduled
          wardsleep run data/sample --ward A1 --category "Self harm" \\
            --months jan-aug --window protected
          wardsleep run data/sample --ward A1 --category violence \\
            --from 2019-01-01 --to 2019-03-31 --format md,csv
        """
    )

    @OptionGroup var options: StudyOptions

    @Option(name: .long, help: "The report folder (default: DIR/reports).")
    var out: String?

    @Flag(name: .long, help: "Also write exact, unsuppressed counts to restricted/ (not for release).")
    var unsuppressed = false

    @Flag(name: .long, help: "Also write restricted/aggregate.json: exact per-ward counts another organisation may pool (wardsleep pool).")
    var share = false

    @Flag(name: .long, help: "Put the time of the run in the summary and manifest (otherwise identical inputs give identical files).")
    var timestamp = false

    @Option(name: .long, help: "Only this ward (id, name or alias); repeat for more.")
    var ward: [String] = []

    @Option(name: .long, help: "Only this incident category, by the export's label or the study's id, in any case; repeat for more.")
    var category: [String] = []

    @Option(name: .long, help: "Restrict both periods to start no earlier than this date (yyyy-mm-dd or dd/mm/yyyy).")
    var from: String?

    @Option(name: .long, help: "Restrict both periods to end no later than this date.")
    var to: String?

    @Option(name: .long, help: "Only these calendar months of every year, e.g. jan-aug, 1-8 or nov-feb (compares the same months across years).")
    var months: String?

    @Option(name: .long, help: "Only one window: 24h or protected.")
    var window: String?

    @Option(name: .long, help: "Formats to write, comma-separated: md,html,json,csv,pdf,docx (default md,html,json,csv; pdf needs chromium, docx needs pandoc and rsvg-convert).")
    var format: String?

    @Flag(name: .customLong("if-changed"), help: "Do nothing (exit 0) when the study and every input are unchanged since the last successful run.")
    var ifChanged = false

    @Option(name: .long, help: "The run ledger (SQLite) to record the run in (default: DIR/.wardsleep/ledger.sqlite).")
    var ledger: String?

    @Flag(name: .customLong("accept-quality-warnings"),
          help: "Replace the report even when an export is over the quality threshold (still exits 1).")
    var acceptQualityWarnings = false

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
        if let months {
            do { s.months = try MonthSet(parsing: months) } catch { throw ValidationError(error.description) }
        }
        if let window {
            guard let w = TimeWindow(rawValue: window) else { throw ValidationError("--window must be 24h or protected, not \(window).") }
            s.window = w
        }
        if let format {
            guard format.contains(where: { $0 != "," && !$0.isWhitespace }) else {
                throw ValidationError("--format needs at least one of md, html, json, csv, pdf and docx.")
            }
            var formats = Set<OutputFormat>()
            for part in format.split(separator: ",") {
                guard let f = OutputFormat(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--format takes md, html, json, csv, pdf and docx, not \(part).")
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
            throw ValidationError("--share shares the whole study for pooling, so it cannot be combined with --ward, --category, --from, --to, --months or --window.")
        }
    }

    func run() throws {
        let logger = output.logger()
        try runReporting {
            var o = RunOptions(studyFolder: try StudyFolder.argument(options.study), outFolder: out, keyFile: options.keyFile, unsuppressed: unsuppressed,
                               timestamp: timestamp ? Date() : nil)
            o.scope = try scope()
            o.ifChanged = ifChanged
            o.share = share
            o.ledgerPath = ledger
            o.acceptQualityWarnings = acceptQualityWarnings
            o.logger = logger
            o.progress = output.progress()
            o.threads = threading.threads
            let outcome = try StudyRun.run(o)
            // Warnings are logged; under --quiet, which logs errors only, they are printed all the same.
            if output.quiet { for w in outcome.warnings { FileHandle.standardError.write(Data("wardsleep: warning: \(w)\n".utf8)) } }
            if !output.quiet { printLines(outcome.messages) }
            return outcome.status
        }
    }
}
