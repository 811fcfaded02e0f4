/// Occupied bed days (sum of the midnight census) per ward and period: the exposure for rates.
///
/// The sums cannot overflow: each census is at most `PlausibleLimits.occupiedBeds` (larger values are quarantined),
/// and a ward-day is counted once (repeats are quarantined), so a ward's total is at most 10,000 × 146,000 days.
public struct OccupancyTotals: Sendable, Codable {
    /// OBD by ward index and period.
    public internal(set) var bedDays: [Int: [StudyPeriod: Int]] = [:]
    /// Census days recorded by ward index and period.
    public internal(set) var censusDays: [Int: [StudyPeriod: Int]] = [:]
    /// Census days in a period with more occupied beds than the ward has (study.yaml `beds`), by ward index.
    public internal(set) var overBeds: [Int: OverBeds] = [:]
    /// Beds per ward index, from study.yaml.
    var beds: [Int]

    /// Days on which a ward's census exceeded its beds, and the largest census seen.
    public struct OverBeds: Sendable, Equatable, Codable {
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

    /// The exposure of a ward (or of the study, the `comparedWards`, when `ward` is nil) in a period: occupied bed days
    /// from this census, or days in each ward's period when `occupancy` is nil (no occupancy export).
    public static func exposure(_ occupancy: OccupancyTotals?, study: StudyDefinition, ward: Int?, period: StudyPeriod) -> Double {
        (ward.map { [$0] } ?? comparedWards(occupancy, study: study)).reduce(0.0) { sum, w in sum + wardExposure(occupancy, study, w, period) }
    }

    /// The wards in scope with exposure in both periods: the only wards study-wide rates add up, events and exposure
    /// alike. A ward whose census is missing from a period would otherwise add its events to a rate without its
    /// exposure (overstating the rate), or change which wards one period holds; it keeps its own line, without a rate.
    public static func comparedWards(_ occupancy: OccupancyTotals?, study: StudyDefinition) -> [Int] {
        study.wardsInScope.filter { w in StudyPeriod.allCases.allSatisfy { wardExposure(occupancy, study, w, $0) > 0 } }
    }

    private static func wardExposure(_ occupancy: OccupancyTotals?, _ study: StudyDefinition, _ w: Int, _ period: StudyPeriod) -> Double {
        occupancy.map { Double($0.total(ward: w, period: period)) } ?? Double(study.daysInScope(study.periods(forWard: w)[period]))
    }

    /// Counts one census row.
    public mutating func add(_ r: OccupancyRecord) {
        guard let p = r.period else { return }
        bedDays[r.ward, default: [:]][p, default: 0] += r.occupiedBeds
        censusDays[r.ward, default: [:]][p, default: 0] += 1
        if r.ward < beds.count, r.occupiedBeds > beds[r.ward] {
            overBeds[r.ward, default: OverBeds()].days += 1
            overBeds[r.ward]!.most = max(overBeds[r.ward]!.most, r.occupiedBeds)
        }
    }
}

/// Accumulates `OccupancyTotals` as census rows stream in: in arrays by ward and period, one load and one addition
/// each per row (a census of thousands of wards hashed its way through dictionaries of dictionaries on every row), the
/// totals worked out from them when asked for.
public final class OccupancyTally: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.occupancy] }
    /// Beds per ward index, from study.yaml.
    private let beds: [Int]
    /// By ward index, then baseline and pilot (`ward * 2 + period`): occupied bed days and census days (a ward and
    /// period with a census day has an entry in the totals). Flat, as a study may have thousands of wards.
    private var bedDays: [Int] = [], censusDays: [Int] = []
    /// By ward index: census days above the ward's beds, and the most occupied beds on one of them.
    private var overDays: [Int] = [], overMost: [Int] = []

    /// The totals so far, exactly as `OccupancyTotals.add` would have made them from the same rows (worked out on each
    /// call: read it once).
    public var totals: OccupancyTotals {
        var t = OccupancyTotals(beds: beds)
        for w in overDays.indices {
            for (p, period) in StudyPeriod.allCases.enumerated() where censusDays[w * 2 + p] > 0 {
                t.bedDays[w, default: [:]][period] = bedDays[w * 2 + p]
                t.censusDays[w, default: [:]][period] = censusDays[w * 2 + p]
            }
            if overDays[w] > 0 { t.overBeds[w] = OccupancyTotals.OverBeds(days: overDays[w], most: overMost[w]) }
        }
        return t
    }

    /// Creates empty totals; `beds` (per ward index) finds census days above a ward's beds.
    public init(beds: [Int] = []) { self.beds = beds }

    public func occupancy(_ r: OccupancyRecord) {
        guard let period = r.period else { return }
        let w = r.ward, p = period == .baseline ? 0 : 1
        if overDays.count <= w {
            let more = w + 1 - overDays.count
            bedDays.append(contentsOf: repeatElement(0, count: 2 * more))
            censusDays.append(contentsOf: repeatElement(0, count: 2 * more))
            overDays.append(contentsOf: repeatElement(0, count: more))
            overMost.append(contentsOf: repeatElement(0, count: more))
        }
        bedDays[w * 2 + p] += r.occupiedBeds
        censusDays[w * 2 + p] += 1
        if w < beds.count, r.occupiedBeds > beds[w] {
            overDays[w] += 1
            overMost[w] = max(overMost[w], r.occupiedBeds)
        }
    }
}
