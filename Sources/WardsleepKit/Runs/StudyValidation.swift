import Foundation

/// `wardsleep validate`: reads study.yaml and every export without writing a report, and says what it found.
public enum StudyValidation {
    /// The result of a validation.
    public struct Outcome: Sendable {
        /// Success, or data quality when an export is over the threshold.
        public var status: ExitStatus
        /// The report for people, one line each.
        public var lines: [String]
        /// The accounting for every export.
        public var ingest: IngestResult
    }

    /// Validates the study in `folder`; `showProblems` rows are listed per export, then counts by kind.
    /// With `quarantineFolder`, every quarantined row is also written there; it is refused (`UsageError`) inside the
    /// study folder, or when it holds files that are not quarantine files.
    public static func validate(folder: String, keyFile: String?, environment: [String: String],
                                showProblems: Int = 50, quarantineFolder: String? = nil,
                                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Outcome {
        let definition = Result { try StudyLoader.load(folder: folder) }  // read once; a problem with it is reported below
        if let quarantineFolder {
            try PathGuard.checkQuarantineFolder(quarantineFolder, studyFolder: folder,
                                                protected: PathGuard.studyInputs(folder: folder, keyFile: keyFile, study: try? definition.get()))
        }
        let loaded = try LoadedStudy.load(folder: folder, keyFile: keyFile, environment: environment, study: definition.get())
        let study = loaded.study
        let digests = Dictionary(uniqueKeysWithValues: ExportKind.allCases.map { ($0, ProblemDigest(keep: showProblems)) })
        let writer = quarantineFolder.map { QuarantineWriter(folder: $0, redactor: Redactor(names: study.feedback.names)) }
        let unthemed = UnthemedComments(codebook: try StudyAnalyses.codebook(study, folder: folder),
                                        redactor: Redactor(names: study.feedback.names))
        // Nothing here counts patients: the cells are checked, the identifiers are not hashed. Comments are coded by the
        // threads that read them.
        let context = NormaliseContext(study: study, pseudonymiser: loaded.pseudonymiser, identifiesPatients: false,
                                       commentCodebook: unthemed.compiledCodebook)
        let repeats = ReferenceRepeats()
        let ingest = try StudyIngest.run(folder: folder, context: context,
                                         problems: ProblemRouter(digests: digests, quarantine: writer),
                                         consumer: ConsumerGroup([unthemed, repeats]), threads: threads, fingerprint: false)
        try writer?.close()
        try unthemed.checkPatterns()
        var lines = ["study.yaml: \(study.study), \(study.wards.count) wards, baseline \(study.periods.baseline), pilot \(study.periods.pilot): OK"]
        for t in ingest.tallies {
            lines.append(t.accountingLine)
            if !t.setAside.isEmpty {
                lines.append("  set aside (accepted, not analysed): "
                             + t.setAside.sorted { $0.key < $1.key }.map { "\($0.key): \(NumberFormat.grouped($0.value))" }.joined(separator: "; "))
            }
            if let warning = t.nothingAnalysedWarning { lines.append("  warning: " + warning) }
            if let gap = t.coverageGap {
                lines.append("  warning: \(t.file) \(gap); its figures there would be zeros, not counts of none: check that the "
                             + "export covers both of study.yaml's periods")
            }
            if t.blankLines > 0 {
                lines.append("  blank lines skipped: \(NumberFormat.grouped(t.blankLines)) (lines with no value in any field; not rows)")
            }
            if let lone = t.loneCarriageReturns {
                lines.append("  line numbers count a carriage return without a line feed as a line break (\(NumberFormat.grouped(lone)) "
                             + "in this file), as most text editors do; grep -n and sed count only line feeds, so they number the lines "
                             + "after one lower")
            }
            if t.encoding != "utf-8" { lines.append("  encoding: \(t.encoding) (the file is not UTF-8)") }
            if t.export == .feedback { lines += unthemed.lines }
            let repeated = repeats.repeats(t.export)
            if repeated > 0 { lines.append("  warning: " + ReferenceRepeats.warning(file: t.file, repeats: repeated) + " (a run fails on them)") }
            if !t.unusedColumns.isEmpty {
                lines.append("  columns not used: " + t.unusedColumns.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            guard let digest = digests[t.export], digest.total > 0 else { continue }
            for p in digest.first { lines.append("  " + p.message) }
            let listed = digest.total - digest.unmappedTotal
            if listed > digest.first.count {
                lines.append("  ... and \(NumberFormat.grouped(listed - digest.first.count)) more problems")
            }
            lines += digest.unmappedLines(show: showProblems)
            for (kind, count) in digest.topKinds { lines.append("  \(NumberFormat.grouped(count)) × \(kind)") }
        }
        for kind in ingest.notSupplied { lines.append("\(kind.defaultFileName): not supplied") }
        let over = ingest.exportsOverThreshold(study.quality.maxQuarantinedPercent)
        for t in over {
            lines.append("\(t.file): \(NumberFormat.fixed(t.quarantinedPercent, 1))% quarantined is above the study's threshold of "
                         + "\(NumberFormat.json(study.quality.maxQuarantinedPercent))% (quality.max_quarantined_percent)")
        }
        let anyRepeated = ingest.tallies.contains { repeats.repeats($0.export) > 0 }
        // Labels from the files are echoed: no control character (a terminal escape sequence) reaches the terminal.
        return Outcome(status: over.isEmpty && !anyRepeated ? .success : .dataQuality, lines: lines.map { PlainText.removingControls($0, keeping: []) },
                       ingest: ingest)
    }
}
