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

    /// The label used for the total over categories (`IncidentCategory.all`).
    public static let allCategories = IncidentCategory.all

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
