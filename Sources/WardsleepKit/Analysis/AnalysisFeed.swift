/// The analyses of a run as one consumer that calls each of them directly.
///
/// It routes as `ConsumerGroup` would (each record to the analyses whose `exports` include its export, in the same
/// order), but with calls fixed at compile time: a record costs no dynamic dispatch and no reference counting of the
/// analyses. That matters because one thread feeds every row of every export through here, in file order, while the
/// workers wait on it. A test checks each analysis's `exports` against the routing below.
final class AnalysisFeed: StudyConsumer {
    let incidentCounts: IncidentCounts
    let occupancyTally: OccupancyTally
    let hypnoticUse: HypnoticUse
    let feedbackTally: FeedbackTally
    let uptakeTally: UptakeTally
    let ledger: InvolvementLedger
    let series: TimeSeries
    let months: WardMonthSeries
    let fidelity: FidelityTally
    /// The ward-days with a census, with an occupancy export: events on other days are left out (`CensusCoverage`).
    let census: CensusCoverage?
    /// Incident references and feedback response ids given again further back than the reader looks.
    let repeats: ReferenceRepeats

    init(incidents: IncidentCounts, occupancy: OccupancyTally, hypnotics: HypnoticUse, feedback: FeedbackTally, uptake: UptakeTally,
         ledger: InvolvementLedger, series: TimeSeries, months: WardMonthSeries, fidelity: FidelityTally, census: CensusCoverage?,
         repeats: ReferenceRepeats) {
        self.census = census
        self.repeats = repeats
        incidentCounts = incidents
        occupancyTally = occupancy
        hypnoticUse = hypnotics
        feedbackTally = feedback
        uptakeTally = uptake
        self.ledger = ledger
        self.series = series
        self.months = months
        self.fidelity = fidelity
    }

    /// Which analyses take each export, by type name, in the order they are called: what a test compares with the
    /// analyses' own `exports`.
    static let routes: [ExportKind: [String]] = [
        .occupancy: ["OccupancyTally", "TimeSeries", "WardMonthSeries"],
        .incidents: ["IncidentCounts", "TimeSeries", "WardMonthSeries"],
        .hypnotics: ["HypnoticUse", "TimeSeries", "WardMonthSeries"],
        .feedback: ["FeedbackTally"],
        .sleepPlans: ["UptakeTally", "TimeSeries", "FidelityTally"],
        .involvement: ["InvolvementLedger"],
        .observations: ["FidelityTally"],
    ]

    func occupancy(_ r: OccupancyRecord) {
        census?.add(ward: r.ward, day: r.day)
        occupancyTally.occupancy(r)
        series.occupancy(r)
        months.occupancy(r)
    }

    func incident(_ r: IncidentRecord) {
        repeats.incident(r)
        if let census, !r.excludedByStatus, !census.covers(ward: r.ward, day: r.day) {
            census.leaveOut(.incidents, ward: r.ward, period: r.timing.period)
            return
        }
        incidentCounts.incident(r)
        series.incident(r)
        months.incident(r)
    }

    func hypnoticIssue(_ r: HypnoticIssueRecord) {
        if let census, !census.coversMonth(ward: r.ward, day: r.day) {
            census.leaveOut(.hypnotics, ward: r.ward, period: r.period)
            return
        }
        hypnoticUse.hypnoticIssue(r)
        series.hypnoticIssue(r)
        months.hypnoticIssue(r)
    }

    func hypnoticAdministration(_ r: HypnoticAdministrationRecord) {
        if let census, !census.covers(ward: r.ward, day: r.day) {
            if r.status == .given { census.leaveOut(.hypnotics, ward: r.ward, period: r.timing.period) }
            return
        }
        hypnoticUse.hypnoticAdministration(r)
        series.hypnoticAdministration(r)
        months.hypnoticAdministration(r)
    }

    func feedback(_ r: FeedbackRecord) {
        repeats.feedback(r)
        feedbackTally.feedback(r)
    }

    func sleepPlan(_ r: SleepPlanRecord) {
        uptakeTally.sleepPlan(r)
        series.sleepPlan(r)
        fidelity.sleepPlan(r)
    }

    func involvement(_ r: InvolvementRecord) { ledger.involvement(r) }

    func observation(_ r: ObservationRecord) { fidelity.observation(r) }
}
