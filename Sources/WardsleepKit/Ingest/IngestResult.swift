/// The outcome of reading every export of a study.
public struct IngestResult: Sendable, Codable {
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
