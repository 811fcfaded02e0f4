/// Receives the records of a study as they stream in. Each analysis implements the methods it needs.
public protocol StudyConsumer: AnyObject {
    /// An occupancy census row.
    func occupancy(_ r: OccupancyRecord)
    /// An incident.
    func incident(_ r: IncidentRecord)
    /// A pharmacy issue of a hypnotic.
    func hypnoticIssue(_ r: HypnoticIssueRecord)
    /// A hypnotic administration.
    func hypnoticAdministration(_ r: HypnoticAdministrationRecord)
    /// A piece of feedback.
    func feedback(_ r: FeedbackRecord)
    /// A sleep plan for a patient-night.
    func sleepPlan(_ r: SleepPlanRecord)
    /// An involvement-ledger entry.
    func involvement(_ r: InvolvementRecord)
    /// An overnight observation check (read after every sleep plan).
    func observation(_ r: ObservationRecord)
    /// The exports whose records it uses (a group calls it with those only).
    var exports: Set<ExportKind> { get }
}

extension StudyConsumer {
    public func occupancy(_ r: OccupancyRecord) {}
    public func incident(_ r: IncidentRecord) {}
    public func hypnoticIssue(_ r: HypnoticIssueRecord) {}
    public func hypnoticAdministration(_ r: HypnoticAdministrationRecord) {}
    public func feedback(_ r: FeedbackRecord) {}
    public func sleepPlan(_ r: SleepPlanRecord) {}
    public func involvement(_ r: InvolvementRecord) {}
    public func observation(_ r: ObservationRecord) {}
    public var exports: Set<ExportKind> { Set(ExportKind.allCases) }
}

/// Several consumers fed from one pass over the exports. Each record goes only to the members that use its export.
public final class ConsumerGroup: StudyConsumer {
    let occupancyMembers, incidentMembers, hypnoticMembers, feedbackMembers, planMembers, involvementMembers: [StudyConsumer]
    let observationMembers: [StudyConsumer]
    /// Creates a group.
    public init(_ members: [StudyConsumer]) {
        func taking(_ kind: ExportKind) -> [StudyConsumer] { members.filter { $0.exports.contains(kind) } }
        occupancyMembers = taking(.occupancy)
        incidentMembers = taking(.incidents)
        hypnoticMembers = taking(.hypnotics)
        feedbackMembers = taking(.feedback)
        planMembers = taking(.sleepPlans)
        involvementMembers = taking(.involvement)
        observationMembers = taking(.observations)
    }
    public func occupancy(_ r: OccupancyRecord) { for m in occupancyMembers { m.occupancy(r) } }
    public func incident(_ r: IncidentRecord) { for m in incidentMembers { m.incident(r) } }
    public func hypnoticIssue(_ r: HypnoticIssueRecord) { for m in hypnoticMembers { m.hypnoticIssue(r) } }
    public func hypnoticAdministration(_ r: HypnoticAdministrationRecord) { for m in hypnoticMembers { m.hypnoticAdministration(r) } }
    public func feedback(_ r: FeedbackRecord) { for m in feedbackMembers { m.feedback(r) } }
    public func sleepPlan(_ r: SleepPlanRecord) { for m in planMembers { m.sleepPlan(r) } }
    public func involvement(_ r: InvolvementRecord) { for m in involvementMembers { m.involvement(r) } }
    public func observation(_ r: ObservationRecord) { for m in observationMembers { m.observation(r) } }
}
