/// References given again further back than the reader's window (`RecentReferences`, the last 16,384): such a row was
/// accepted and counted a second time, as when an export is appended to itself or two exports with months in common
/// are joined. Counted exactly, in memory that does not grow with the export: each accepted reference's 128-bit key
/// goes to a `PatientTally` (sorted runs on disk past 65,536), and the repeats are the references accepted less the
/// distinct ones. A run with any is a data-quality failure (`StudyRun`), and the summary says so.
public final class RepeatedReferences {
    private let keys: PatientTally
    private var accepted = 0
    private var counted: Int?

    /// An empty count; keys past `memoryEntries` are sorted to disk in `temporaryFolder`.
    init(memoryEntries: Int = PatientTally.defaultMemoryEntries, temporaryFolder: String? = nil) {
        keys = PatientTally(groups: 1, memoryEntries: memoryEntries, temporaryFolder: temporaryFolder)
    }

    /// Counts one accepted row's reference, by its key.
    func add(_ k: ReferenceKey) {
        accepted += 1
        keys.insert(PatientID(high: k.high, low: k.low), group: 0, ward: 0)
    }

    /// Merges what went to disk (on up to `threads` threads); throws when a temporary file failed. Later calls do
    /// nothing.
    public func finish(threads: Int = 1) throws {
        guard counted == nil else { return }
        try keys.finish(threads: threads)
        counted = accepted - keys.patients(group: 0, ward: 0).count
    }

    /// Accepted rows whose reference an earlier accepted row gave (once the count is finished).
    public var repeats: Int {
        do { try finish() } catch { preconditionFailure("repeated references asked for after a temporary file failed: \(error)") }
        return counted ?? 0
    }
}

/// The repeats of both exports with references, as one consumer for `validate` (a run's analyses count them the same
/// way: `StudyAnalyses.incidentRepeats`, `feedbackRepeats`).
public final class ReferenceRepeats: StudyConsumer {
    public var exports: Set<ExportKind> { [.incidents, .feedback] }
    /// Incident references and response ids given again further back than the reader's window.
    public let incidents = RepeatedReferences(), responses = RepeatedReferences()

    public init() {}

    public func incident(_ r: IncidentRecord) { incidents.add(r.referenceKey ?? ReferenceKey(r.id)) }
    public func feedback(_ r: FeedbackRecord) { responses.add(r.referenceKey ?? ReferenceKey(r.id)) }

    /// The repeats of `export` (0 for an export without references).
    public func repeats(_ export: ExportKind) -> Int {
        export == .incidents ? incidents.repeats : (export == .feedback ? responses.repeats : 0)
    }

    /// What the console says of an export with repeats.
    public static func warning(file: String, repeats n: Int) -> String {
        "\(file): \(NumberFormat.grouped(n)) row\(n == 1 ? "" : "s") repeat a reference given further back than the last "
            + "\(NumberFormat.grouped(RecentReferences.defaultCapacity)), counted again"
    }
}
