/// The files of one copy of the report, every one rendered from the released view and nothing else: the summary
/// document written as summary.md and report.html, each chart, results.json and the tables. Adding an output means
/// adding its renderer here; the run only writes what this lists.
public struct ReportFiles {
    /// One file: its path inside the copy, the format it belongs to, and how to render it (only when written).
    public struct File {
        /// Path inside the copy (`tables/incidents.csv`).
        public var path: String
        /// The `--format` it is written for.
        public var format: OutputFormat
        /// Renders the file's text.
        public var render: () -> String
        /// Writes the file's text in pieces through the function it is given, for a file too large to hold whole
        /// (results.json); `nil` when `render` is the way.
        public var stream: ((_ emit: (String) throws -> Void) throws -> Void)? = nil

        /// A file rendered whole.
        public init(path: String, format: OutputFormat, render: @escaping () -> String) {
            self.path = path
            self.format = format
            self.render = render
        }

        /// A file written in pieces; `render` joins them.
        public init(path: String, format: OutputFormat, streaming: @escaping (_ emit: (String) throws -> Void) throws -> Void) {
            self.path = path
            self.format = format
            stream = streaming
            render = {
                var text = ""
                try? streaming { text += $0 }
                return text
            }
        }
    }

    /// The released view the copy shows.
    public let view: ReleasedEvidence
    /// The summary, built once for every format that shows it.
    public let document: ReportDocument

    /// The files of the copy of `view`.
    public init(_ view: ReleasedEvidence) {
        self.view = view
        document = SummaryDocument.build(view)
    }

    /// The page title.
    public var title: String { SummaryDocument.title(view.study) }

    /// summary.md.
    public var markdown: String { MarkdownWriter.render(document) }

    /// report.html with `charts` inline; with a `runningHeader`, the page printed to report.pdf.
    public func html(charts: [String: String], runningHeader: String? = nil) -> String {
        HTMLReport.render(document: document, title: title, charts: charts, runningHeader: runningHeader)
    }

    /// Every chart as SVG by its path in the copy, each drawn once (the same SVG is its own file and is inlined).
    public func charts() -> [String: String] {
        var charts: [String: String] = [:]
        for i in view.charts.indices {
            charts[view.chartPath(i)] = SVGChart.render(view.charts[i], id: "chart\(i)", compact: view.charts[i].ward != nil)
        }
        for (path, svg) in SegmentedChart.files(view.its, study: view.study) { charts[path] = svg }
        if let safety = view.safety {
            for (i, figure) in SafetyForest.figures(safety, study: view.study, style: view.style).enumerated() {
                charts[figure.path] = figure.plot.render(id: "forest\(i)")
            }
        }
        return charts
    }

    /// The files, in the order they are written; `charts` from `charts()` (empty when no format shows them).
    public func files(charts: [String: String]) -> [File] {
        let v = view, study = view.study, style = view.style
        var files = charts.sorted { $0.key < $1.key }.map { chart in File(path: chart.key, format: .html) { chart.value } }
        files.append(File(path: "summary.md", format: .md) { markdown })
        files.append(File(path: "report.html", format: .html) { html(charts: charts) })
        files.append(File(path: "results.json", format: .json, streaming: { emit in try ResultsJSON.stream(v, emit) }))
        func table(_ name: String, _ render: @escaping () -> String) { files.append(File(path: "tables/" + name, format: .csv, render: render)) }
        table("README.md") { SPCTables.notes(style: style) }
        if !v.charts.isEmpty { table("spc.csv") { SPCTables.csv(v.charts) } }
        if let safety = v.safety {
            table("incidents.csv") { SafetyTables.incidentsCSV(safety, study: study, style: style) }
            table("incidents_pooled.csv") { SafetyTables.pooledCSV(safety) }
        }
        if let kind = v.hypnotics {
            let exposure = ExposureWords(fromOccupancy: v.exposureFromOccupancy)
            table("hypnotics.csv") { HypnoticTables.csv(v.hypnoticLines, kind: kind, study: study, style: style, exposure: exposure) }
            if let prn = v.prn { table("hypnotics_prn.csv") { HypnoticTables.prnCSV(prn, study: study, style: style, exposure: exposure) } }
        }
        if let f = v.feedback {
            table("feedback_quotes.csv") { InvolvementTables.quotesCSV(f, study: study) }
            table("feedback.csv") { InvolvementTables.feedbackCSV(f, study: study, style: style) }
            table("feedback_themes.csv") { InvolvementTables.themesCSV(f, style: style) }
        }
        if let u = v.uptake { table("protected_sleep.csv") { InvolvementTables.protectedSleepCSV(u, study: study, style: style) } }
        if let m = v.involvement { table("involvement.csv") { InvolvementTables.involvementCSV(m) } }
        if let f = v.fidelity { table("fidelity.csv") { FidelitySection.csv(f, study: study, style: style) } }
        return files
    }
}
