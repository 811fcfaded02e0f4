import Foundation

/// Every analysis of a run, fed by one pass over the exports.
public final class StudyAnalyses {
    /// Incident counts.
    public let incidents = IncidentCounts()
    /// Occupied bed days.
    public let occupancy: OccupancyTally
    /// Hypnotic use.
    public let hypnotics: HypnoticUse
    /// Feedback counts, ratings, themes and quotes.
    public let feedback: FeedbackTally
    /// Protected-sleep uptake and decisions.
    public let uptake = UptakeTally()
    /// The involvement ledger.
    public let ledger = InvolvementLedger()
    /// Sleep plans joined to the observation log: was the protected period delivered.
    public let fidelity = FidelityTally()
    /// Month-by-month (or week-by-week) series for the control charts.
    public let series: TimeSeries
    /// Ward-month totals for the segmented regressions and the quasi-Poisson hypnotic comparison.
    public let months: WardMonthSeries
    /// Incident references, and feedback response ids, given again further back than the reader's window: rows counted
    /// twice (`RepeatedReferences`).
    public let repeats = ReferenceRepeats()

    /// The ward-days with a census, when the study has an occupancy export: events on other days are left out of counts
    /// and rates alike (`CensusCoverage`).
    public let census: CensusCoverage?

    /// Creates the analyses for a study, matching feedback against `codebook`; with `occupancySupplied`, events on
    /// ward-days without a census are left out (`CensusCoverage`).
    public init(study: StudyDefinition, codebook: Codebook, occupancySupplied: Bool = false) {
        census = occupancySupplied ? CensusCoverage(study: study) : nil
        let formulary = Formulary.forStudy(study)
        occupancy = OccupancyTally(beds: study.wards.map(\.beds))
        hypnotics = HypnoticUse(formulary: formulary)
        series = TimeSeries(study: study, formulary: formulary, hypnotics: hypnotics)
        months = WardMonthSeries(study: study, formulary: formulary, charts: series)
        feedback = FeedbackTally(codebook: codebook)
        filter = ScopeFilter(AnalysisFeed(incidents: incidents, occupancy: occupancy, hypnotics: hypnotics, feedback: feedback, uptake: uptake,
                                          ledger: ledger, series: series, months: months, fidelity: fidelity, census: census,
                                          repeats: repeats),
                             scope: study.scope)
    }

    /// Completes what was counted on disk (the fidelity join, the patient counts) once every export is read; throws
    /// when a temporary file failed (the counts would be incomplete). The fidelity join's partitions, and the patient
    /// counts' partitions, are merged on up to `threads` threads. Results asked for first are completed then, and a
    /// failure there stops the program.
    public func finish(threads: Int = 1) throws {
        try fidelity.finish(threads: threads)
        try hypnotics.finish(threads: threads)
        try uptake.finish(threads: threads)
        try repeats.incidents.finish(threads: threads)
        try repeats.responses.finish(threads: threads)
    }

    /// All of them as one consumer, behind the run's filters.
    public var consumer: StudyConsumer { filter }
    let filter: ScopeFilter<AnalysisFeed>

    /// Incident categories read, in scope or not (normalised label → label), when `--category` could only be checked
    /// against the export.
    public var categoriesSeen: [String: String] { filter.categoriesSeen }
}
