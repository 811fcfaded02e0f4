/// Whether a figure covers the whole day or only the protected sleep window.
public enum TimeWindow: String, Sendable, Codable, CaseIterable {
    /// All 24 hours.
    case allDay = "24h"
    /// Inside the protected window only (events with a recorded time).
    case protected
}

/// Incident counts by category × period × window, for the study and per ward. Flat memory: one counter per cell.
public final class IncidentCounts: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.incidents] }

    /// Key of one counter.
    public struct Cell: Hashable, Sendable {
        /// Category, or `all`.
        public var category: String
        /// Ward index, or `nil` for the whole study.
        public var ward: Int?
        /// Baseline or pilot.
        public var period: StudyPeriod
        /// 24 h or protected window.
        public var window: TimeWindow
    }

    /// The label used for the total over categories.
    public static let allCategories = "all"

    /// The counters.
    public private(set) var counts: [Cell: Int] = [:]
    /// Categories seen, in first-seen order.
    public private(set) var categories: [String] = []
    /// The same, for lookups in constant time (thousands of distinct labels are possible).
    var seenCategories: Set<String> = []
    /// Incidents in a period without a recorded time (counted in 24 h only).
    public private(set) var withoutTime = 0
    /// Serious incidents (harm level Severe or Death, or the Death category) by period.
    public private(set) var serious: [StudyPeriod: Int] = [:]
    /// Incidents analysed (in a period, not excluded by status).
    public private(set) var analysed = 0

    /// Creates empty counts.
    public init() {}

    /// The count in one cell (0 when nothing was counted).
    public func count(category: String = allCategories, ward: Int? = nil, period: StudyPeriod, window: TimeWindow) -> Int {
        counts[Cell(category: category, ward: ward, period: period, window: window)] ?? 0
    }

    public func incident(_ r: IncidentRecord) {
        guard !r.excludedByStatus, let period = r.timing.period else { return }
        analysed += 1
        if seenCategories.insert(r.category).inserted { categories.append(r.category) }
        var windows: [TimeWindow] = [.allDay]
        if r.timing.inProtectedWindow == true { windows.append(.protected) }
        if r.time == nil { withoutTime += 1 }
        for window in windows {
            for category in [r.category, IncidentCounts.allCategories] {
                for ward in [nil, r.ward] {
                    counts[Cell(category: category, ward: ward, period: period, window: window), default: 0] += 1
                }
            }
        }
        if (r.severity ?? 0) >= 3 || Slug.normaliseLabel(r.category) == "death" { serious[period, default: 0] += 1 }
    }
}

/// Occupied bed days (sum of the midnight census) per ward and period: the exposure for rates.
///
/// The sums cannot overflow: each census is at most `PlausibleLimits.occupiedBeds` (larger values are quarantined),
/// and a ward-day is counted once (repeats are quarantined), so a ward's total is at most 10,000 × 146,000 days.
public final class OccupancyTotals: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.occupancy] }

    /// OBD by ward index and period.
    public private(set) var bedDays: [Int: [StudyPeriod: Int]] = [:]
    /// Census days recorded by ward index and period.
    public private(set) var censusDays: [Int: [StudyPeriod: Int]] = [:]
    /// Census days in a period with more occupied beds than the ward has (study.yaml `beds`), by ward index.
    public private(set) var overBeds: [Int: OverBeds] = [:]
    /// Beds per ward index, from study.yaml.
    let beds: [Int]

    /// Days on which a ward's census exceeded its beds, and the largest census seen.
    public struct OverBeds: Sendable, Equatable {
        /// Census days above the ward's beds.
        public var days = 0
        /// The most occupied beds on any one of them.
        public var most = 0
    }

    /// Creates empty totals; `beds` (per ward index) finds census days above a ward's beds.
    public init(beds: [Int] = []) { self.beds = beds }

    /// OBD for a ward (or the study when `ward` is nil) in a period.
    public func total(ward: Int? = nil, period: StudyPeriod) -> Int {
        if let ward { return bedDays[ward]?[period] ?? 0 }
        return bedDays.values.reduce(0) { $0 + ($1[period] ?? 0) }
    }

    /// The exposure of a ward (or the wards in scope, when `ward` is nil) in a period: occupied bed days from this
    /// census, or days in each ward's period when `occupancy` is nil (no occupancy export).
    public static func exposure(_ occupancy: OccupancyTotals?, study: StudyDefinition, ward: Int?, period: StudyPeriod) -> Double {
        (ward.map { [$0] } ?? study.wardsInScope).reduce(0.0) { sum, w in
            sum + (occupancy.map { Double($0.total(ward: w, period: period)) } ?? Double(study.daysInScope(study.periods(forWard: w)[period])))
        }
    }

    public func occupancy(_ r: OccupancyRecord) {
        guard let p = r.period else { return }
        bedDays[r.ward, default: [:]][p, default: 0] += r.occupiedBeds
        censusDays[r.ward, default: [:]][p, default: 0] += 1
        if r.ward < beds.count, r.occupiedBeds > beds[r.ward] {
            overBeds[r.ward, default: OverBeds()].days += 1
            overBeds[r.ward]!.most = max(overBeds[r.ward]!.most, r.occupiedBeds)
        }
    }
}
