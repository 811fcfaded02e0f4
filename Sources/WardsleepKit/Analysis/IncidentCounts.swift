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

    /// Every counter that was counted, by cell (built from the dense counters when asked for).
    public var counts: [Cell: Int] {
        var out: [Cell: Int] = [:]
        for (slot, row) in cells.enumerated() {
            let category = slot == 0 ? IncidentCounts.allCategories : categories[slot - 1]
            for (i, n) in row.enumerated() where n > 0 {
                let ward = i / 4 == 0 ? nil : i / 4 - 1
                out[Cell(category: category, ward: ward, period: (i / 2) % 2 == 0 ? .baseline : .pilot,
                         window: i % 2 == 0 ? .allDay : .protected)] = n
            }
        }
        return out
    }
    /// Categories seen, in first-seen order.
    public private(set) var categories: [String] = []
    /// Each category's place in `categories` (thousands of distinct labels are possible).
    private var categoryPlace: [String: Int] = [:]
    /// Whether each category is the Death category (`categories` order).
    private var isDeath: [Bool] = []
    /// The last category counted and its place: an export repeats a few categories.
    private var lastCategory: String?
    private var lastPlace = 0
    /// The counters, dense: one row per category slot (0: all categories, then `categories` in order), each
    /// `((ward slot × 2) + period) × 2 + window`, ward slot 0 for the whole study and ward + 1 for a ward.
    private var cells: [[Int]] = [[]]
    /// Incidents in a period without a recorded time (counted in 24 h only).
    public private(set) var withoutTime = 0
    /// Serious incidents (harm level Severe or Death, or the Death category) by period.
    public private(set) var serious: [StudyPeriod: Int] = [:]
    /// Incidents analysed (in a period, not excluded by status).
    public private(set) var analysed = 0

    /// Creates empty counts.
    public init() {}

    /// Where a counter sits in its category's row.
    private static func index(ward: Int?, period: StudyPeriod, window: TimeWindow) -> Int {
        (((ward.map { $0 + 1 } ?? 0) * 2) + (period == .baseline ? 0 : 1)) * 2 + (window == .allDay ? 0 : 1)
    }

    /// The count in one cell (0 when nothing was counted).
    public func count(category: String = allCategories, ward: Int? = nil, period: StudyPeriod, window: TimeWindow) -> Int {
        let slot: Int
        if category == IncidentCounts.allCategories {
            slot = 0
        } else if let place = categoryPlace[category] {
            slot = place + 1
        } else {
            return 0
        }
        let i = IncidentCounts.index(ward: ward, period: period, window: window)
        return i < cells[slot].count ? cells[slot][i] : 0
    }

    public func incident(_ r: IncidentRecord) {
        guard !r.excludedByStatus, let period = r.timing.period else { return }
        analysed += 1
        let place = self.place(of: r.category)
        if r.time == nil { withoutTime += 1 }
        let protected = r.timing.inProtectedWindow == true
        // The category's own counters and the total's, each for the study and for the ward.
        count(slot: 0, ward: r.ward, period: period, protected: protected)
        count(slot: place + 1, ward: r.ward, period: period, protected: protected)
        if (r.severity ?? 0) >= 3 || isDeath[place] { serious[period, default: 0] += 1 }
    }

    @inline(__always) private func count(slot: Int, ward: Int, period: StudyPeriod, protected: Bool) {
        let needed = IncidentCounts.index(ward: ward, period: .pilot, window: .protected) + 1
        if cells[slot].count < needed { cells[slot].append(contentsOf: repeatElement(0, count: needed - cells[slot].count)) }
        let study = IncidentCounts.index(ward: nil, period: period, window: .allDay)
        let own = IncidentCounts.index(ward: ward, period: period, window: .allDay)
        cells[slot][study] += 1
        cells[slot][own] += 1
        if protected {
            cells[slot][study + 1] += 1
            cells[slot][own + 1] += 1
        }
    }

    /// The place of a category in `categories`, added on first sight.
    @inline(__always) private func place(of category: String) -> Int {
        if let last = lastCategory, last == category { return lastPlace }
        let place: Int
        if let known = categoryPlace[category] {
            place = known
        } else {
            place = categories.count
            categories.append(category)
            categoryPlace[category] = place
            isDeath.append(Slug.normaliseLabel(category) == "death")
            cells.append([])
        }
        lastCategory = category
        lastPlace = place
        return place
    }
}
