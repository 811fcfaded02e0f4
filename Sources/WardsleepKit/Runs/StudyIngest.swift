import Foundation

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

/// The outcome of reading every export of a study.
public struct IngestResult: Sendable {
    /// One tally per export read, in export order.
    public var tallies: [ExportTally]
    /// Exports the study does not supply.
    public var notSupplied: [ExportKind]
    /// The hypnotics export kind used.
    public var hypnoticsKind: HypnoticsExportKind

    /// The tally of one export, if it was read.
    public func tally(_ kind: ExportKind) -> ExportTally? { tallies.first { $0.export == kind } }

    /// Exports whose quarantined share is above `threshold` percent.
    public func exportsOverThreshold(_ threshold: Double) -> [ExportTally] {
        tallies.filter { $0.quarantinedPercent > threshold }
    }
}

/// Reads every export of a study once, in a fixed order, streaming records to a consumer and problems to a sink.
public enum StudyIngest {
    /// Reads the exports of the study in `folder`.
    public static func run(folder: String, context: NormaliseContext, problems: ProblemSink,
                           consumer: StudyConsumer, progress: (@Sendable (String, Int, Int) -> Void)? = nil,
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                           chunkBytes: Int = ExportIngest.defaultChunkBytes) throws -> IngestResult {
        let study = context.study
        var result = IngestResult(tallies: [], notSupplied: [], hypnoticsKind: study.exports[.hypnotics].hypnoticsKind)
        for kind in ExportKind.allCases {
            let spec = study.exports[kind]
            guard let path = try StudyFolder.resolve(spec, folder: folder) else {
                result.notSupplied.append(kind)
                continue
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let report = progress.map { p in { (read: Int) in p(spec.file, read, size) } }
            result.tallies.append(try read(kind, spec: spec, path: path, context: context, problems: problems, consumer: consumer,
                                           progress: report, threads: threads, chunkBytes: chunkBytes))
        }
        return result
    }

    static func read(_ kind: ExportKind, spec: ExportSpec, path: String, context: NormaliseContext,
                     problems: ProblemSink, consumer: StudyConsumer, progress: ((Int) -> Void)?,
                     threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                     chunkBytes: Int = ExportIngest.defaultChunkBytes) throws -> ExportTally {
        switch kind {
        case .occupancy:
            var n = OccupancyNormaliser(context: context, spec: spec)
            return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, consume: consumer.occupancy)
        case .incidents:
            var n = IncidentNormaliser(context: context, spec: spec)
            return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, consume: consumer.incident)
        case .hypnotics:
            switch spec.hypnoticsKind {
            case .issues:
                var n = HypnoticIssueNormaliser(context: context)
                return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, consume: consumer.hypnoticIssue)
            case .administrations:
                var n = HypnoticAdministrationNormaliser(context: context, spec: spec)
                return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress,
                                             threads: threads, chunkBytes: chunkBytes, consume: consumer.hypnoticAdministration)
            }
        case .feedback:
            var n = FeedbackNormaliser(context: context, spec: spec)
            return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, consume: consumer.feedback)
        case .sleepPlans:
            var n = SleepPlanNormaliser(context: context, spec: spec)
            return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, consume: consumer.sleepPlan)
        case .involvement:
            var n = InvolvementNormaliser(context: context)
            return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, consume: consumer.involvement)
        case .observations:
            var n = ObservationNormaliser(context: context, spec: spec)
            return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, consume: consumer.observation)
        }
    }
}
