import Logging

/// What a run reads and works out before anything is rendered: every export read (its quarantine written into the
/// staging folder), analysed, and the evidence computed from the analyses. The analyses end with this step, so the
/// report is rendered without them in memory: their state grows with the wards, periods and categories (dense cells by
/// ward and month, census coverage, the ward label table), and the evidence holds everything a renderer needs.
struct RunEvidence {
    var ingest: IngestResult
    var evidence: Evidence
    /// Exports with rows counted twice (a reference given again further back than the reader looks), and how many.
    var repeated: [(file: String, count: Int)]
    /// The exports with a quarantine file, in order.
    var quarantined: [ExportKind]

    static func gather(_ options: RunOptions, loaded: LoadedStudy, study: StudyDefinition, into staging: OutputStaging,
                       log: Logger) throws -> RunEvidence {
        let analyses = try StudyAnalyses(study: study, folder: options.studyFolder)
        // Comments are coded against the analyses' codebook by the threads that read them.
        let context = NormaliseContext(study: study, pseudonymiser: loaded.pseudonymiser, commentCodebook: analyses.feedback.compiledCodebook)
        let quarantine = QuarantineWriter(folder: staging.location("restricted/quarantine"), redactor: Redactor(names: study.feedback.names))
        let digests = Dictionary(uniqueKeysWithValues: ExportKind.allCases.map { ($0, ProblemDigest(keep: 200)) })
        let sink = ProblemRouter(digests: digests, quarantine: quarantine)
        let ingest = try StudyIngest.run(folder: options.studyFolder, context: context, problems: sink, consumer: analyses.consumer,
                                         progress: options.progress, threads: options.threads, chunkBytes: options.chunkBytes)
        try quarantine.close()
        try analyses.finish(threads: options.threads)
        try analyses.feedback.checkPatterns()
        for t in ingest.tallies {
            log.info("export read", metadata: ["file": "\(t.file)", "read": "\(t.rowsRead)", "accepted": "\(t.accepted)",
                                               "quarantined": "\(t.quarantined)", "sha256": "\(t.sha256)"])
        }
        try StudyRun.checkCategories(study.scope.uncheckedCategories, seen: analyses.categoriesSeen)
        let repeated = ingest.tallies.compactMap { t -> (file: String, count: Int)? in
            let n = analyses.repeats.repeats(t.export)
            return n > 0 ? (t.file, n) : nil
        }
        return RunEvidence(ingest: ingest, evidence: Evidence(study: study, ingest: ingest, analyses: analyses, problems: digests),
                           repeated: repeated, quarantined: quarantine.files.keys.sorted())
    }
}
