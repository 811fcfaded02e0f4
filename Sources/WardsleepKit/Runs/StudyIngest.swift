import Foundation

/// Reads every export of a study once, in a fixed order, streaming records to a consumer and problems to a sink.
public enum StudyIngest {
    /// Reads the exports of the study in `folder`; `fingerprint: false` leaves out each file's SHA-256 (`validate`
    /// shows none).
    public static func run(folder: String, context: NormaliseContext, problems: ProblemSink,
                           consumer: StudyConsumer, progress: (@Sendable (String, Int, Int) -> Void)? = nil,
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                           chunkBytes: Int = ExportIngest.defaultChunkBytes, fingerprint: Bool = true) throws -> IngestResult {
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
                                           progress: report, threads: threads, chunkBytes: chunkBytes, fingerprint: fingerprint))
        }
        return result
    }

    static func read(_ kind: ExportKind, spec: ExportSpec, path: String, context: NormaliseContext,
                     problems: ProblemSink, consumer: StudyConsumer, progress: ((Int) -> Void)?,
                     threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                     chunkBytes: Int = ExportIngest.defaultChunkBytes, fingerprint: Bool = true) throws -> ExportTally {
        switch kind {
        case .occupancy:
            var n = OccupancyNormaliser(context: context, spec: spec)
            return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, fingerprint: fingerprint, consume: consumer.occupancy)
        case .incidents:
            var n = IncidentNormaliser(context: context, spec: spec)
            var categories = DistinctCategories()
            return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads,
                                         chunkBytes: chunkBytes, fingerprint: fingerprint) { r in
                try categories.count(r, spec: spec)
                consumer.incident(r)
            }
        case .hypnotics:
            switch spec.hypnoticsKind {
            case .issues:
                var n = HypnoticIssueNormaliser(context: context)
                return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, fingerprint: fingerprint, consume: consumer.hypnoticIssue)
            case .administrations:
                var n = HypnoticAdministrationNormaliser(context: context, spec: spec)
                return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress,
                                             threads: threads, chunkBytes: chunkBytes, fingerprint: fingerprint, consume: consumer.hypnoticAdministration)
            }
        case .feedback:
            var n = FeedbackNormaliser(context: context, spec: spec)
            return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, fingerprint: fingerprint, consume: consumer.feedback)
        case .sleepPlans:
            var n = SleepPlanNormaliser(context: context, spec: spec)
            return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, fingerprint: fingerprint, consume: consumer.sleepPlan)
        case .involvement:
            var n = InvolvementNormaliser(context: context)
            return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, fingerprint: fingerprint, consume: consumer.involvement)
        case .observations:
            var n = ObservationNormaliser(context: context, spec: spec)
            return try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: problems, progress: progress, threads: threads, chunkBytes: chunkBytes, fingerprint: fingerprint, consume: consumer.observation)
        }
    }
}
