import Foundation

/// Every result of a run, computed once when the exports have been read: plain data, `Codable`, nothing left to
/// compute. The release step turns it into the view a copy of the report is rendered from (`Release.view`), and every
/// format (Markdown, HTML, JSON, CSV, PDF, Word) renders only that view.
public struct Evidence: Sendable, Codable {
    /// The study, narrowed to the run's filters.
    public var study: StudyDefinition
    /// Accounting for every export.
    public var ingest: IngestResult
    /// Quarantined rows by export.
    public var problems: [ExportKind: ProblemSummary]
    /// Incidents analysed: in a period, inside the filters, not excluded by status.
    public var incidentsAnalysed: Int
    /// Occupied bed days (all zero without an occupancy export).
    public var occupancy: OccupancyTotals
    /// The safety comparison, when incidents were supplied.
    public var safety: SafetyResults?
    /// The hypnotics export the figures come from, when hypnotic use is in the report.
    public var hypnotics: HypnoticsExportKind?
    /// Hypnotic-use lines (products, drugs, groups, totals) for the study and each ward.
    public var hypnoticLines: [HypnoticLine] = []
    /// PRN comparisons (administrations only).
    public var prn: [PRNComparison]?
    /// Feedback, when supplied; its candidate quotes are redacted.
    public var feedback: FeedbackSummary?
    /// Protected-sleep uptake, when sleep plans were supplied.
    public var uptake: ProtectedSleepUptake?
    /// The involvement matrix, when the ledger was supplied.
    public var involvement: InvolvementMatrix?
    /// Fidelity of the intervention, when an observation log was supplied.
    public var fidelity: FidelityResults?
    /// Control charts of the measures over time.
    public var charts: [ControlChart] = [] { didSet { chartFiles = ChartFiles.names(charts.map(\.title)) } }
    /// The file name of each chart, never two alike (`ChartFiles`).
    public private(set) var chartFiles: [String] = []
    /// Titles of the control charts a releasable copy leaves out, every baseline month being suppressed (`Release.view`).
    public var chartsWithoutBaseline: [String] = []
    /// Segmented regressions (interrupted time series) of incidents and hypnotic DDDs on ward-months.
    public var its: [InterruptedSeries] = []
    /// The quasi-Poisson comparison of hypnotic units on monthly ward totals.
    public var hypnoticModel: HypnoticRateModel?
    /// Accepted data that looks wrong in aggregate (`DataQualityFindings`).
    public var dataQualityFindings: [String] = []
    /// Hypnotic use on ward-days (issues: ward-months) without a census, left out of every figure (`CensusCoverage`), by
    /// period; `nil` without an occupancy export or a hypnotics export.
    public var hypnoticsLeftOutForCensus: [StudyPeriod: Int]?
    /// A line saying when the report was generated, only when asked for (`--timestamp`).
    public var generated: String?
    /// Parts that were supplied but cannot honour the run's filters, each with the line that says so (and left `nil`).
    public var leftOut: [ReportPart: String] = [:]

    /// Whether exposure comes from an occupancy export.
    public var exposureFromOccupancy: Bool { ingest.tally(.occupancy) != nil }
    /// Occupied bed days when an occupancy export was supplied.
    public var exposure: OccupancyTotals? { exposureFromOccupancy ? occupancy : nil }
    /// The file name of a chart inside the report folder.
    public func chartPath(_ index: Int) -> String { "charts/\(chartFiles[index]).svg" }

    /// Computes every result from a run's analyses; exports not supplied stay `nil`.
    public init(study: StudyDefinition, ingest: IngestResult, analyses a: StudyAnalyses, problems: [ExportKind: ProblemDigest]) {
        self.study = study
        self.ingest = ingest
        self.problems = problems.mapValues(ProblemSummary.init)
        incidentsAnalysed = a.incidents.analysed
        let totals = a.occupancy.totals
        occupancy = totals
        let exposure = ingest.tally(.occupancy) == nil ? nil : totals
        let exports: [ReportPart: ExportKind] = [.hypnotics: .hypnotics, .feedback: .feedback, .uptake: .sleepPlans, .involvement: .involvement,
                                                .fidelity: .observations]
        for (part, kind) in exports where ingest.tally(kind) != nil { leftOut[part] = study.scope.leftOut(part) }
        if ingest.tally(.incidents) != nil {
            safety = SafetyAnalysis.analyse(study: study, incidents: a.incidents, occupancy: exposure)
            if exposure != nil { safety?.leftOutForCensus = a.census?.leftOutByPeriod(.incidents, wards: study.wardsInScope) }
        }
        if ingest.tally(.hypnotics) != nil && leftOut[.hypnotics] == nil {
            hypnotics = ingest.hypnoticsKind
            hypnoticLines = HypnoticAnalysis.lines(a.hypnotics, study: study, occupancy: exposure)
            if exposure != nil { hypnoticsLeftOutForCensus = a.census?.leftOutByPeriod(.hypnotics, wards: study.wardsInScope) }
            if ingest.hypnoticsKind == .administrations {
                prn = PRNComparison.all(a.hypnotics, lines: hypnoticLines, study: study, occupancy: exposure)
            }
        }
        if ingest.tally(.feedback) != nil && leftOut[.feedback] == nil {
            feedback = a.feedback.summary(redactor: Redactor(names: study.feedback.names))
        }
        if ingest.tally(.sleepPlans) != nil && leftOut[.uptake] == nil { uptake = a.uptake.uptake }
        if ingest.tally(.involvement) != nil && leftOut[.involvement] == nil {
            involvement = a.ledger.matrix.completed(feedback: feedback)
        }
        charts = a.series.charts(hasOccupancy: ingest.tally(.occupancy) != nil, hasIncidents: ingest.tally(.incidents) != nil,
                                 hasHypnotics: hypnotics != nil, hasPlans: uptake != nil)
        if ingest.tally(.observations) != nil && leftOut[.fidelity] == nil {
            let f = FidelityResults(a.fidelity, study: study, occupancy: exposure)
            fidelity = f
            charts += f.charts(study: study)
        }
        chartFiles = ChartFiles.names(charts.map(\.title))
        let occupancyGiven = ingest.tally(.occupancy) != nil
        its = a.months.series(categories: safety?.categories ?? [], hasOccupancy: occupancyGiven, hasIncidents: safety != nil,
                              hasHypnotics: hypnotics != nil, withheld: a.hypnotics.withheld)
        if hypnotics != nil {
            // The model's ward-months are those of the wards the study-wide lines add up, so that its estimate is their
            // crude rate ratio (`OccupancyTotals.comparedWards`).
            let compared = Set(OccupancyTotals.comparedWards(exposure, study: study))
            hypnoticModel = HypnoticRateModel(rows: a.months.unitRows(hasOccupancy: occupancyGiven, withheld: a.hypnotics.withheld)
                .filter { compared.contains($0.ward) })
        }
        dataQualityFindings = DataQualityFindings.coverageGaps(ingest)
            + DataQualityFindings.repeatedReferences(ingest, incidents: a.repeats.incidents.repeats,
                                                    feedback: a.repeats.responses.repeats)
            + DataQualityFindings.sentences(study: study, occupancy: exposure, hypnotics: hypnotics == nil ? nil : a.hypnotics,
                                            census: exposure == nil ? nil : a.census)
    }
}

extension Evidence {
    /// The evidence as JSON (keys sorted; a non-finite number as the string `inf`, `-inf` or `nan`), which
    /// `init(encoded:)` reads back to the same value.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Evidence written by `encoded()`.
    public init(encoded data: Data) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        self = try decoder.decode(Evidence.self, from: data)
    }
}
