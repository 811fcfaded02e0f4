/// What reading one export established: the accounting (read = accepted + quarantined, always) and the file facts.
public struct ExportTally: Sendable, Equatable, Codable {
    /// Which export.
    public var export: ExportKind
    /// The file name as the study names it.
    public var file: String
    /// Data rows read: records after the header, blank lines not counted, and every line an unbalanced quote swallowed.
    public var rowsRead = 0
    /// Rows that became records.
    public var accepted = 0
    /// Rows sent to quarantine.
    public var quarantined = 0
    /// Lines holding no data.
    public var blankLines = 0
    /// Carriage returns alone (not before a line feed), each counted as a line break; `nil` when there are none.
    public var loneCarriageReturns: Int? = nil
    /// Lines above the header that `header_line` skipped (a report title, an export date): not rows.
    public var titleLines = 0
    /// File size in bytes.
    public var bytes = 0
    /// SHA-256 of the file; empty when the read left it out (`validate`, which shows none).
    public var sha256 = ""
    /// `utf-8`, or `windows-1252` when any byte sequence of the file is not UTF-8 (checked on the bytes, in every field).
    public var encoding = "utf-8"
    /// Whether the file started with a byte-order mark.
    public var byteOrderMark = false
    /// Header columns no field uses.
    public var unusedColumns: [String] = []
    /// Whether the export had a patient identifier column (pseudonymised as it was read).
    public var patientIdentifiers = false
    /// Whether the export has a status column (administrations without one count every dose as given).
    public var hasStatus: Bool? = nil
    /// Accepted rows set aside by a rule (e.g. `excluded by status`, `outside both periods`), counted by reason.
    public var setAside: [String: Int] = [:]
    /// Accepted rows analysed, by the period they fall in, for an export compared across the periods (occupancy,
    /// incidents, hypnotics, observations; `nil` for the others: feedback is placed by stage, and sleep plans may begin
    /// with the pilot): an export with none in one period may stop short of it.
    public var analysedByPeriod: [StudyPeriod: Int]? = nil

    /// In a released copy: the row counts withheld to protect a small count (`SecondarySuppression`), shown as `*`.
    public var withheld: Set<RowCount>? = nil

    /// One of an export's row counts as a report shows them.
    public enum RowCount: Hashable, Sendable, Codable {
        case read, accepted, quarantined, setAside(String)
        /// Incidents only: the accepted rows that fall in a period and are not excluded by status.
        case analysed
    }

    /// Creates an empty tally.
    public init(export: ExportKind, file: String) {
        self.export = export
        self.file = file
    }

    /// What is missing from a dated export that seems to stop short of the study: `holds no rows`, or `has no rows in
    /// the pilot period` when rows were analysed in the other one; `nil` otherwise (and for an export that adds nothing
    /// at all, which `nothingAnalysedWarning` names). Its figures for what is missing are zeros that count nothing.
    public var coverageGap: String? {
        guard let byPeriod = analysedByPeriod else { return nil }
        if rowsRead == 0 { return "holds no rows" }
        let empty = StudyPeriod.allCases.filter { (byPeriod[$0] ?? 0) == 0 }
        guard empty.count == 1 else { return nil }
        return "has no rows in the \(empty[0].rawValue) period"
    }

    /// Percentage of rows read that were quarantined (0 when none were read).
    public var quarantinedPercent: Double { rowsRead == 0 ? 0 : Double(quarantined) * 100 / Double(rowsRead) }
}

/// Turns rows of one export into typed records. Implementations live in the Normalise stage, one per export.
public protocol RecordNormaliser: SendableMetatype {
    /// The typed record produced.
    associatedtype Record
    /// The record for `row`, or `nil` after recording at least one problem on it.
    mutating func normalise(_ row: inout ExportRow) -> Record?
    /// Why an accepted record is kept out of the analysis, if it is (counted in the tally, not quarantined).
    func setAsideReason(_ record: Record) -> String?
    /// Whether the export is compared across the study periods, its rows dated into them (`period(of:)` answers).
    var placesRowsInPeriods: Bool { get }
    /// The period an analysed record falls in (asked only when `placesRowsInPeriods`).
    func period(of record: Record) -> StudyPeriod?
    /// Called once the header is matched, before any row; throws when the export cannot be read as configured.
    func prepare(header: ExportHeader, spec: ExportSpec) throws
    /// A check that needs every earlier row of the file (a duplicate), made in file order after `normalise`, on one
    /// thread: the field, its value as written and the reason when the record must be quarantined after all (the value
    /// is shown as every problem's is: `ExportRow.shown`).
    mutating func admit(_ record: Record) -> (field: String, value: String, reason: String)?
    /// How this export orders slash dates (its `date_format`, or the study's): an export whose dates can only be read
    /// the other way round is a configuration error. No default: a normaliser that parsed one order while the check
    /// assumed another would let swapped dates through.
    var dateOrder: DateOrder { get }
}

extension RecordNormaliser {
    public func setAsideReason(_ record: Record) -> String? { nil }
    public var placesRowsInPeriods: Bool { false }
    public func period(of record: Record) -> StudyPeriod? { nil }
    public func prepare(header: ExportHeader, spec: ExportSpec) throws {}
    public mutating func admit(_ record: Record) -> (field: String, value: String, reason: String)? { nil }
}


/// Rows set aside, counted by reason as they stream in. An export has a handful of reasons, most rows repeat the one
/// before, and reasons are literals: a comparison with the last reason, then a short scan, costs less than hashing
/// the reason on every row.
struct ReasonCounts {
    private var reasons: [String] = []
    private var tallies: [Int] = []
    private var last = -1

    /// Counts one row set aside for `reason`.
    @inline(__always) mutating func add(_ reason: String) {
        if last < 0 || reasons[last] != reason {
            last = reasons.firstIndex(of: reason) ?? -1
            if last < 0 {
                last = reasons.count
                reasons.append(reason)
                tallies.append(0)
            }
        }
        tallies[last] += 1
    }

    /// The counts by reason.
    var counts: [String: Int] { Dictionary(uniqueKeysWithValues: zip(reasons, tallies)) }
}
