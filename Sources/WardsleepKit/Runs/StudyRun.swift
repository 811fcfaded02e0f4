import Crypto
import Foundation
import Logging

/// What `wardsleep run` is asked to do.
public struct RunOptions: Sendable {
    /// The study folder (holding study.yaml and the exports).
    public var studyFolder: String
    /// Where to write the report; default `<study>/reports`.
    public var outFolder: String?
    /// A file holding the pseudonymisation key.
    public var keyFile: String?
    /// The environment (for `WARDSLEEP_KEY`).
    public var environment: [String: String]
    /// Also write exact counts to `restricted/`.
    public var unsuppressed: Bool
    /// Put the time of the run in the summary and manifest (off by default, so identical inputs give identical bytes).
    public var timestamp: Date?
    /// Ad hoc filters and output formats.
    public var scope = RunScope()
    /// Skip the run when the study and every input are unchanged since the last successful run to the same folder.
    public var ifChanged = false
    /// The run ledger's file; `nil` for the default, `<study>/.wardsleep/ledger.sqlite`.
    public var ledgerPath: String?
    /// Replace the report even when an export is over the quality threshold (otherwise that run's report is written to
    /// `<out>.quality-failed` and the last good report stays).
    public var acceptQualityWarnings = false
    /// Where structured logs go.
    public var logger = Logger(label: "wardsleep")
    /// Called as exports are read: file name, bytes read, file size.
    public var progress: (@Sendable (String, Int, Int) -> Void)?
    /// Threads that parse and normalise (default: every core); any number gives byte-identical outputs.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// The byte grid exports are cut on for those threads (tests use tiny chunks to reach every boundary case).
    public var chunkBytes = ExportIngest.defaultChunkBytes
    /// Also write `restricted/aggregate.json`, the exact aggregates another organisation may pool (`wardsleep pool`).
    public var share = false

    /// Creates options.
    public init(studyFolder: String, outFolder: String? = nil, keyFile: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment, unsuppressed: Bool = false,
                timestamp: Date? = nil) {
        self.timestamp = timestamp
        self.studyFolder = studyFolder
        self.outFolder = outFolder
        self.keyFile = keyFile
        self.environment = environment
        self.unsuppressed = unsuppressed
    }

    /// The report folder: `--out`, or `<study>/reports` (the study folder's real path), never relative to the current
    /// folder.
    public var reportFolder: String {
        outFolder ?? (PathGuard.real(studyFolder) as NSString).appendingPathComponent(StudyRun.defaultReportFolderName)
    }

    /// The run ledger: `--ledger`, or `<study>/.wardsleep/ledger.sqlite`.
    public var ledger: String { ledgerPath ?? RunLedger.defaultPath(forStudy: studyFolder) }
}

/// What a run produced.
public struct RunOutcome: Sendable {
    /// The exit status: success, or data quality when an export is over the threshold.
    public var status: ExitStatus
    /// The report folder written: the destination, or `<out>.quality-failed` for a run over the quality threshold
    /// without `acceptQualityWarnings`.
    public var outFolder: String
    /// The accounting for every export.
    public var ingest: IngestResult
    /// Lines for the person or scheduler running it; the last names the report's absolute path.
    public var messages: [String]
    /// Warnings to show even when only errors are shown (`--quiet`): exports over the quality threshold, findings about
    /// whole files, and a report not replaced because of them.
    public var warnings: [String] = []
    /// True when `--if-changed` found nothing changed and nothing was written.
    public var skipped = false
}

/// The whole pipeline for one study: ingest → normalise → analyse → report, written atomically.
public enum StudyRun {
    /// The report folder's name inside the study folder when `--out` is not given.
    public static let defaultReportFolderName = "reports"

    /// Where a run over the quality threshold writes its report instead of replacing the last good one.
    public static func qualityFailedFolder(_ out: String) -> String {
        var path = (out as NSString).standardizingPath
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path + ".quality-failed"
    }

    /// Runs the study; configuration and unreadable inputs throw (`WardsleepFailure`), data problems do not.
    /// Every run is recorded in the ledger, including those that fail and those skipped as unchanged.
    public static func run(_ options: RunOptions) throws -> RunOutcome {
        let log = options.logger
        if options.share && options.scope.isFiltered {
            throw UsageError(option: "--share", value: "", message: "shares the whole study for pooling, so it cannot be combined with "
                             + "--ward, --category, --from, --to, --months or --window")
        }
        let studyFolder = (options.studyFolder as NSString).standardizingPath
        // study.yaml is read (never written) once, for the path checks and the run; a problem with it is reported
        // after the path checks, as before.
        let definition = Result { try StudyLoader.load(folder: studyFolder) }
        try PathGuard.checkRun(options, study: try? definition.get())  // before anything else is opened or written
        try DocumentConversion.checkTools(for: options.scope.formats, path: options.environment["PATH"])
        let ledger = try RunLedger(path: options.ledger)
        let absoluteStudy = URL(fileURLWithPath: studyFolder).standardizedFileURL.path
        let loaded: LoadedStudy, study: StudyDefinition
        do {
            loaded = try LoadedStudy.load(folder: studyFolder, keyFile: options.keyFile, environment: options.environment,
                                          study: try definition.get())
            study = try loaded.study.applying(options.scope)
        } catch let failure as WardsleepFailure {
            let id = try ledger.begin(studyFolder: absoluteStudy, studyHash: "", outputFolder: options.reportFolder, parameters: options.scope.canonical)
            try ledger.finish(id, outcome: outcomeName(failure.exitStatus), exitCode: failure.exitStatus.rawValue, ingest: nil, fingerprint: nil,
                              message: failure.description)
            throw failure
        }
        let out = options.reportFolder
        let absoluteOut = URL(fileURLWithPath: out).standardizedFileURL.path
        let parameters = options.scope.canonical + ";unsuppressed=\(options.unsuppressed);timestamp=\(options.timestamp != nil)"
            + (options.acceptQualityWarnings ? ";accept_quality_warnings=true" : "")
            + (options.share ? ";share=true" : "")
        OutputStaging.recover(destination: out)
        let lock: RunLock
        do { lock = try RunLock(destination: out) } catch let failure as LockError {
            let id = try ledger.begin(studyFolder: absoluteStudy, studyHash: loaded.studyHash, outputFolder: absoluteOut, parameters: parameters)
            try ledger.finish(id, outcome: "locked", exitCode: failure.exitStatus.rawValue, ingest: nil, fingerprint: nil, message: failure.description)
            throw failure
        }
        defer { lock.release() }
        let interrupted = try ledger.markInterrupted()
        if interrupted > 0 { log.warning("earlier runs ended without finishing", metadata: ["runs": "\(interrupted)"]) }

        if options.ifChanged, FileManager.default.fileExists(atPath: out),
           let last = try ledger.lastFingerprint(studyFolder: absoluteStudy, outputFolder: absoluteOut),
           try InputFingerprint.current(folder: studyFolder, loaded: loaded, parameters: parameters) == last {
            let id = try ledger.begin(studyFolder: absoluteStudy, studyHash: loaded.studyHash, outputFolder: absoluteOut, parameters: parameters)
            try ledger.finish(id, outcome: "skipped", exitCode: 0, ingest: nil, fingerprint: last, message: "study and inputs unchanged")
            log.notice("unchanged since the last successful run; nothing to do", metadata: ["out": "\(out)"])
            return RunOutcome(status: .success, outFolder: out, ingest: IngestResult(tallies: [], notSupplied: [], hypnoticsKind: .issues),
                              messages: ["\(absoluteOut): study and inputs unchanged since the last successful run; nothing written"], skipped: true)
        }

        let id = try ledger.begin(studyFolder: absoluteStudy, studyHash: loaded.studyHash, outputFolder: absoluteOut, parameters: parameters)
        log.notice("run started", metadata: ["run": "\(id)", "study": "\(studyFolder)", "out": "\(out)"])
        do {
            let outcome = try produce(options, loaded: loaded, study: study, out: out, log: log)
            let fingerprint = try InputFingerprint.of(outcome.ingest, loaded: loaded, folder: studyFolder, parameters: parameters)
            let name = outcome.status == .dataQuality && !options.acceptQualityWarnings ? "quality-failed" : outcomeName(outcome.status)
            try ledger.finish(id, outcome: name, exitCode: outcome.status.rawValue, ingest: outcome.ingest,
                              fingerprint: fingerprint, message: nil)
            log.notice("run finished", metadata: ["run": "\(id)", "exit": "\(outcome.status.rawValue)"])
            return outcome
        } catch {
            let status = (error as? WardsleepFailure)?.exitStatus
            try? ledger.finish(id, outcome: status.map(outcomeName) ?? "failed", exitCode: status?.rawValue ?? 70, ingest: nil,
                               fingerprint: nil, message: "\(error)")
            throw OutputStaging.explain(error, destination: out)
        }
    }

    /// The ledger's name for an exit status.
    static func outcomeName(_ s: ExitStatus) -> String {
        switch s {
        case .success: return "success"
        case .dataQuality: return "data-quality"
        case .configuration: return "configuration-error"
        case .unreadableInput: return "input-error"
        case .usage: return "usage-error"
        case .locked: return "locked"
        case .internalError: return "failed"
        }
    }

    /// Reads the exports, analyses them and writes the report atomically.
    static func produce(_ options: RunOptions, loaded: LoadedStudy, study: StudyDefinition, out: String, log: Logger) throws -> RunOutcome {
        let staging = try OutputStaging(destination: out)
        defer { staging.discard() }
        // The analyses end inside this step: the report is rendered from the evidence alone.
        let gathered = try RunEvidence.gather(options, loaded: loaded, study: study, into: staging, log: log)
        let ingest = gathered.ingest, repeated = gathered.repeated
        // Rows counted twice fail the run as quarantine over the threshold does.
        let status: ExitStatus = ingest.exportsOverThreshold(study.quality.maxQuarantinedPercent).isEmpty && repeated.isEmpty
            ? .success : .dataQuality
        var evidence = gathered.evidence
        let stamp = options.timestamp.map(RunClock.utc)
        evidence.generated = stamp.map { "Generated \($0)." }
        var outputs: [Manifest.Output] = []
        let printing = PrintSettings(date: ProseFormat.date(CalendarDay(dayNumber: Int(((options.timestamp ?? Date()).timeIntervalSince1970 / 86_400).rounded(.down)))), path: options.environment["PATH"])
        // The releasable view, worked out once: the report and the manifest's row counts are rendered from it (a report on
        // part of the study releases neither).
        let published = study.reportIsRestricted ? nil : Release.view(evidence, style: .published(study.disclosure))
        if study.reportIsRestricted {
            // Reports on overlapping sums (months, dates, sets of wards or categories) can be subtracted from one another
            // to recover what disclosure control suppresses or rounds: such a report is exact, in restricted/, and says
            // so at the top.
            try writeReport(Release.view(evidence, style: .exact), formats: options.scope.formats, into: staging, under: "restricted/",
                            outputs: &outputs, printing: printing)
            try staging.write("summary.md", restrictedNotice(study))
            outputs.append(.init(path: "summary.md", sensitivity: .releasable))
        } else {
            try writeReport(published!, formats: options.scope.formats, into: staging, under: "", outputs: &outputs, printing: printing)
            if options.unsuppressed {
                try writeReport(Release.view(evidence, style: .exact), formats: options.scope.formats, into: staging, under: "restricted/",
                                outputs: &outputs, printing: printing)
            }
        }
        if options.share {
            var aggregate = TrustAggregate.of(Release.view(evidence, style: .exact))
            aggregate.salt = loaded.pseudonymiser?.pseudonym(for: TrustAggregate.saltPhrase)
            try staging.write(TrustAggregate.fileName, aggregate.rendered())
            outputs.append(.init(path: TrustAggregate.fileName, sensitivity: .restricted))
        }
        for kind in gathered.quarantined {
            outputs.append(.init(path: "restricted/quarantine/\(kind.rawValue).csv", sensitivity: .restricted))
        }
        outputs.append(.init(path: "manifest.json", sensitivity: .releasable))
        // Its row counts as the released view shows them (some withheld to protect a small count).
        try staging.write("manifest.json", Manifest.render(study: study, studyHash: loaded.studyHash, keySource: loaded.keySource(ingest),
                                                           ingest: published?.ingest ?? ingest, outputs: outputs,
                                                           status: status, generated: stamp,
                                                           style: .published(study.disclosure)))
        let keepLastGood = status == .dataQuality && !options.acceptQualityWarnings
        let written = keepLastGood ? qualityFailedFolder(out) : out
        try staging.commit(to: written)

        var warnings = ingest.tallies.compactMap(\.nothingAnalysedWarning)
        for t in ingest.exportsOverThreshold(study.quality.maxQuarantinedPercent) {
            warnings.append("\(t.file): \(NumberFormat.fixed(t.quarantinedPercent, 1))% of rows quarantined, above the study's "
                            + "threshold of \(NumberFormat.json(study.quality.maxQuarantinedPercent))% (quality.max_quarantined_percent)")
        }
        for (file, n) in repeated {
            warnings.append(ReferenceRepeats.warning(file: file, repeats: n))
        }
        warnings += evidence.dataQualityFindings
        let absolute = PathGuard.real(written)
        if keepLastGood {
            warnings.append("the report was not written to \(PathGuard.real(out)), which keeps the last good report; this run's report "
                            + "is in \(absolute) (pass --accept-quality-warnings to replace the report anyway)")
        }
        for w in warnings { log.warning("\(w)") }
        var messages = ingest.tallies.map(\.accountingLine)
        messages.append("report written to \(absolute)")
        var outcome = RunOutcome(status: status, outFolder: written, ingest: ingest, messages: messages)
        outcome.warnings = warnings
        return outcome
    }
}

extension StudyRun {
    /// Refuses `--category` values that name no category of the export, when study.yaml has no `categories` map to
    /// check them against before reading: `seen` holds every category read (normalised label → label).
    static func checkCategories(_ asked: [String], seen: [String: String]) throws {
        for c in asked where seen[Slug.normaliseLabel(c)] == nil {
            let present = seen.values.sorted()
            let listed = present.prefix(40).joined(separator: ", ") + (present.count > 40 ? " and \(present.count - 40) more" : "")
            throw UsageError(option: "--category", value: c, message: "is not a category of this study; the incident export's "
                             + "categories are \(present.isEmpty ? "none (no incident rows were read)" : listed) (in any case)")
        }
    }

    /// Writes one copy of the report (summary, tables, results) in `style` under the `prefix` folder: the files
    /// `ReportFiles` lists for the released view (`Release.view`), published for a releasable copy and exact for the
    /// restricted one, each rendered only when its format was asked for and written as soon as it is; then the
    /// printed formats, converted by their tools.
    /// What a report whose filters add up new sums writes at its top instead of a releasable copy.
    static func restrictedNotice(_ study: StudyDefinition) -> String {
        var doc = ReportDocument()
        doc.heading(1, Prose(SummaryDocument.title(study)))
        doc.quote(["\(strong: "For use inside the organisation only.") A report on chosen months or dates (\(code: "--months"), "
                   + "\(code: "--from"), \(code: "--to")), or on some wards or categories but not all, publishes counts the "
                   + "full report does not (a ward's or a category's month by month): with the full report, or with reports on "
                   + "overlapping choices, they could be subtracted from one another to recover the counts that suppression and "
                   + "rounding hide, so this one is written with exact counts, in "
                   + "\(code: "restricted/") only (\(code: "restricted/summary.md"), \(code: "restricted/report.html"), "
                   + "\(code: "restricted/tables/")). For a report that may leave the organisation, run it on the whole study "
                   + "(a \(code: "--window") alone is fine)."],
                  notice: true)
        return MarkdownWriter.render(doc)
    }

    static func writeReport(_ view: ReleasedEvidence, formats: Set<OutputFormat>, into staging: OutputStaging,
                            under prefix: String, outputs: inout [Manifest.Output], printing: PrintSettings = PrintSettings()) throws {
        let style = view.style
        let report = ReportFiles(view)
        // Charts are drawn only for the formats that show them.
        let charts = OutputFormat.drawsCharts(formats) ? report.charts() : [:]
        for file in report.files(charts: charts) where OutputFormat.writes(file.format, path: file.path, for: formats) {
            if let stream = file.stream {
                try staging.write(prefix + file.path, streaming: stream)
            } else {
                try staging.write(prefix + file.path, file.render())
            }
            outputs.append(.init(path: prefix + file.path, sensitivity: style.sensitivity))
        }
        guard formats.contains(.pdf) || formats.contains(.docx) else { return }
        // Converters work in a scratch folder inside the staging folder, removed before the report is committed.
        let scratch = try staging.path(".convert/\(prefix)x")
        let folder = (scratch as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: (staging.location(".convert"))) }
        if formats.contains(.pdf) {
            let html = report.html(charts: charts, runningHeader: "\(view.study.study) — \(printing.date)")
            try DocumentConversion.pdf(html: html, to: try staging.path(prefix + "report.pdf"), scratch: folder, path: printing.path)
            outputs.append(.init(path: prefix + "report.pdf", sensitivity: style.sensitivity))
        }
        if formats.contains(.docx) {
            for (path, svg) in charts { try staging.write(".convert/\(prefix)" + path, svg) }
            try DocumentConversion.docx(markdown: report.markdown, to: try staging.path(prefix + "report.docx"), resources: folder,
                                        scratch: folder, path: printing.path)
            outputs.append(.init(path: prefix + "report.docx", sensitivity: style.sensitivity))
        }
    }
}

/// What the printed formats need: the date in the PDF's running header, and the `PATH` the converters are found on.
struct PrintSettings {
    /// `29 November 2026`: the day of the run (or of `--timestamp`), shown only in report.pdf.
    var date = ""
    /// The `PATH` to find chromium and pandoc on.
    var path: String? = nil
}

/// Formats a moment as UTC text without depending on the locale or time zone of the machine.
public enum RunClock {
    /// `2026-11-23 01:02:03 UTC`.
    public static func utc(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = CalendarDay(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let rest = seconds - day.dayNumber * 86_400
        return "\(day.iso) \(pad2(rest / 3600)):\(pad2(rest / 60 % 60)):\(pad2(rest % 60)) UTC"
    }
}

/// Sends each problem to its export's digest and to the quarantine files.
final class ProblemRouter: ProblemSink {
    let digests: [ExportKind: ProblemDigest]
    let quarantine: ProblemSink?

    init(digests: [ExportKind: ProblemDigest], quarantine: ProblemSink?) {
        self.digests = digests
        self.quarantine = quarantine
    }

    func quarantine(_ problems: [DataProblem]) throws {
        guard let export = problems.first?.export else { return }
        digests[export]?.quarantine(problems)
        try quarantine?.quarantine(problems)
    }
}

extension ExportTally {
    /// `incidents.csv: 1,000 rows read, 997 accepted, 3 quarantined (0.3%)`, and the lines above the header skipped,
    /// when there were any (`header_line`), so that no line of the file goes unaccounted.
    public var accountingLine: String {
        "\(file): \(NumberFormat.grouped(rowsRead)) rows read, \(NumberFormat.grouped(accepted)) accepted, "
            + "\(NumberFormat.grouped(quarantined)) quarantined (\(NumberFormat.fixed(quarantinedPercent, 1))%)"
            + (titleLines > 0 ? "; \(titleLines) line\(titleLines == 1 ? "" : "s") above the header skipped (header_line)" : "")
    }

    /// A warning when rows were accepted but every one was set aside, so the export adds nothing to the report (most
    /// often an export of the wrong dates); `nil` otherwise.
    public var nothingAnalysedWarning: String? {
        guard accepted > 0, setAside.values.reduce(0, +) >= accepted else { return nil }
        let n = NumberFormat.grouped(accepted)
        if setAside["outside both periods"] == accepted {
            return "\(file): none of its \(n) accepted rows falls in the baseline or pilot period, so it adds nothing to the report; "
                + "check its dates against study.yaml's periods"
        }
        return "\(file): every one of its \(n) accepted rows was set aside (see above), so it adds nothing to the report"
    }
}
