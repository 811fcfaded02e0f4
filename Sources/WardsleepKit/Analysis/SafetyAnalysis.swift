/// What exposure the safety rates are per.
public enum ExposureUnit: String, Sendable, Codable {
    /// Occupied bed days: the sum of the midnight census (24-hour rates).
    case occupiedBedDays = "occupied_bed_days"
    /// Occupied bed-nights: the same census, as nights (protected-window rates).
    case occupiedBedNights = "occupied_bed_nights"
    /// Days in the period, when no occupancy export is supplied.
    case days

    /// Words for people: "occupied bed days".
    public var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }
}

/// One line of the safety comparison: events and exposure in each period for a category, ward (or the study) and window.
public struct SafetyCell: Sendable, Equatable, Codable {
    /// Ward index, or `nil` for the whole study.
    public var ward: Int?
    /// Category, or `all`.
    public var category: String
    /// 24 h or the protected window.
    public var window: TimeWindow
    /// Baseline events.
    public var baselineEvents: Int
    /// Pilot events.
    public var pilotEvents: Int
    /// Baseline exposure.
    public var baselineExposure: Double
    /// Pilot exposure.
    public var pilotExposure: Double
    /// The unit of exposure.
    public var unit: ExposureUnit
    /// In a releasable copy, counts withheld though not small (`SecondarySuppression`): shown as `*` so that a small
    /// one cannot be worked out from a total and its parts. `nil` when not withheld.
    public var baselineWithheld: Bool? = nil, pilotWithheld: Bool? = nil
}

/// The safety results: every comparison, pooled estimates, CBTi contrast and serious events, all from exact counts.
public struct SafetyResults: Sendable, Codable {
    /// Whether exposure is occupied bed days from the occupancy export or days in the period.
    public var exposureFromOccupancy: Bool
    /// Study-wide rows first (category `all` first), then each ward in study order.
    public var cells: [SafetyCell]
    /// Mantel–Haenszel rate ratio over wards, by category and window.
    public var pooled: [PooledSafety]
    /// Categories in report order (`all` first).
    public var categories: [String]
    /// Serious incidents (severe harm or death) by period.
    public var serious: [StudyPeriod: Int]
    /// In a released copy: the periods whose serious incidents are withheld to protect a small count
    /// (`SecondarySuppression`), shown as `*`.
    public var seriousWithheld: Set<StudyPeriod>? = nil
    /// Incidents without a recorded time (in 24-hour counts only).
    public var withoutTime: Int
    /// In a released copy: whether `withoutTime` is withheld (`SecondarySuppression`), shown as `*`.
    public var withoutTimeWithheld: Bool? = nil
    /// Wards whose census does not cover every day of a period: (ward index, period, days covered, days in period).
    public var incompleteCensus: [CensusGap]
    /// Incidents on ward-days without a census, left out of counts and rates (`CensusCoverage`), by period, over the
    /// wards in scope; `nil` without an occupancy export.
    public var leftOutForCensus: [StudyPeriod: Int]?

    /// The study-wide cell for a category and window.
    public func studyCell(_ category: String = IncidentCounts.allCategories, _ window: TimeWindow) -> SafetyCell? {
        cells.first { $0.ward == nil && $0.category == category && $0.window == window }
    }
}

/// The pooled comparison over wards for one category and window, with the CBTi contrast.
public struct PooledSafety: Sendable, Codable {
    /// Category, or `all`.
    public var category: String
    /// 24 h or protected window.
    public var window: TimeWindow
    /// Mantel–Haenszel over all wards.
    public var all: PooledRateRatio
    /// Mantel–Haenszel over CBTi wards.
    public var cbti: PooledRateRatio
    /// Mantel–Haenszel over the other wards.
    public var other: PooledRateRatio
    /// CBTi against the rest: ratio of the two pooled rate ratios with its interval.
    public var cbtiRatio: RatioEstimate?
    /// Events summed over the wards pooled, per period (for disclosure of the pooled line).
    public var baselineEvents: Int
    /// Pilot events summed over the wards pooled.
    public var pilotEvents: Int
    /// Why the pooled line is withheld from a releasable output (a ward's count is suppressed), or `nil`.
    public var withheld: String?
}

/// Builds the safety comparison from incident counts and occupied bed days (SPEC §3 "Safety").
public enum SafetyAnalysis {
    /// Analyses the counts. Without an occupancy export, exposure is the number of days in each ward's periods.
    public static func analyse(study: StudyDefinition, incidents: IncidentCounts, occupancy: OccupancyTotals?) -> SafetyResults {
        let categories = [IncidentCounts.allCategories] + incidents.categories.sorted()
        func exposure(_ ward: Int?, _ period: StudyPeriod) -> Double {
            OccupancyTotals.exposure(occupancy, study: study, ward: ward, period: period)
        }
        func unit(_ window: TimeWindow) -> ExposureUnit {
            occupancy == nil ? .days : (window == .allDay ? .occupiedBedDays : .occupiedBedNights)
        }
        // The study-wide cells add up the wards with exposure in both periods, events and exposure alike.
        let compared = OccupancyTotals.comparedWards(occupancy, study: study)
        func events(_ category: String, _ ward: Int?, _ period: StudyPeriod, _ window: TimeWindow) -> Int {
            guard ward == nil else { return incidents.count(category: category, ward: ward, period: period, window: window) }
            return compared.reduce(0) { $0 + incidents.count(category: category, ward: $1, period: period, window: window) }
        }
        func cell(_ ward: Int?, _ category: String, _ window: TimeWindow) -> SafetyCell {
            SafetyCell(ward: ward, category: category, window: window,
                       baselineEvents: events(category, ward, .baseline, window), pilotEvents: events(category, ward, .pilot, window),
                       baselineExposure: exposure(ward, .baseline), pilotExposure: exposure(ward, .pilot), unit: unit(window))
        }
        var cells: [SafetyCell] = []
        for ward in [nil] + study.wardsInScope.map(Optional.some) {
            for category in categories {
                for window in study.scope.windows { cells.append(cell(ward, category, window)) }
            }
        }
        let pooled = pooledOverWards(cells, categories: categories, study: study)
        var incomplete: [CensusGap] = []
        if let occupancy {
            for w in study.wardsInScope {
                for period in StudyPeriod.allCases {
                    let days = study.daysInScope(study.periods(forWard: w)[period])
                    let covered = occupancy.censusDays[w]?[period] ?? 0
                    if covered < days { incomplete.append(CensusGap(ward: w, period: period, covered: covered, days: days)) }
                }
            }
        }
        return SafetyResults(exposureFromOccupancy: occupancy != nil, cells: cells, pooled: pooled, categories: categories,
                             serious: incidents.serious, withoutTime: incidents.withoutTime, incompleteCensus: incomplete)
    }

    /// Mantel–Haenszel over the wards' cells for each category and window, with the CBTi contrast; none when the report
    /// covers one ward. The same function pools exact counts (restricted outputs) and released counts (the release step).
    public static func pooledOverWards(_ cells: [SafetyCell], categories: [String], study: StudyDefinition) -> [PooledSafety] {
        // One ward has nothing to pool with: a report filtered to one ward has no pooled estimate.
        guard study.wardsInScope.count > 1 else { return [] }
        // Ward cells by category and window, found once: filtering every cell for each category would take time in the
        // square of the number of categories.
        var byCategory: [String: [TimeWindow: [SafetyCell]]] = [:]
        for c in cells where c.ward != nil { byCategory[c.category, default: [:]][c.window, default: []].append(c) }
        var pooled: [PooledSafety] = []
        for category in categories {
            for window in study.scope.windows {
                let wardCells = byCategory[category]?[window] ?? []
                func strata(_ keep: (Int) -> Bool) -> [RateStratum] {
                    wardCells.filter { keep($0.ward!) }.map {
                        RateStratum(x1: $0.pilotEvents, t1: $0.pilotExposure, x0: $0.baselineEvents, t0: $0.baselineExposure)
                    }
                }
                let all = mantelHaenszelRateRatio(strata: strata { _ in true })
                let cbti = mantelHaenszelRateRatio(strata: strata { study.wards[$0].cbti })
                let other = mantelHaenszelRateRatio(strata: strata { !study.wards[$0].cbti })
                let used = wardCells.filter { $0.baselineExposure > 0 && $0.pilotExposure > 0 }
                pooled.append(PooledSafety(category: category, window: window, all: all, cbti: cbti, other: other,
                                           cbtiRatio: ratioOfRateRatios(cbti, other),
                                           baselineEvents: used.reduce(0) { $0 + $1.baselineEvents },
                                           pilotEvents: used.reduce(0) { $0 + $1.pilotEvents }))
            }
        }
        return pooled
    }
}

/// A ward and period whose occupancy census misses some days.
public struct CensusGap: Sendable, Equatable, Codable {
    /// Ward index.
    public var ward: Int
    /// The period.
    public var period: StudyPeriod
    /// Days with a census.
    public var covered: Int
    /// Days in the period.
    public var days: Int
}
