/// The safety comparison as a releasable output may show it.
///
/// Each row's counts are published under the policy and its rates, rate ratio, interval and p-values are recomputed from
/// the published counts (`ShownComparison`). The Mantel–Haenszel lines are pooled from the published ward counts, by
/// the same function that pools exact counts; a line any of whose ward counts is suppressed is withheld with that
/// reason, since a pooled estimate from exact counts, read beside the published ward counts and exposures, could be
/// solved for the suppressed one.
extension SafetyResults {
    /// The results recomputed from released counts under `policy`, the counts in `withheld` (`ReleaseFamilies`) shown
    /// as suppressed ones are.
    public func released(_ policy: DisclosurePolicy, study: StudyDefinition, withheld: Set<CountKey> = [],
                         seriousWithheld: Set<StudyPeriod> = [], withoutTimeWithheld: Bool = false) -> SafetyResults {
        let marked = marking(withheld)
        var releasedCells: [SafetyCell] = []
        var suppressedStrata: Set<String> = []
        for cell in marked where cell.ward != nil {
            let b = cell.baselineWithheld == true ? nil : Disclosure.publish(cell.baselineEvents, policy: policy).number
            let p = cell.pilotWithheld == true ? nil : Disclosure.publish(cell.pilotEvents, policy: policy).number
            var shown = cell
            shown.baselineEvents = b ?? 0
            shown.pilotEvents = p ?? 0
            releasedCells.append(shown)
            if (b == nil || p == nil) && cell.baselineExposure > 0 && cell.pilotExposure > 0 {
                suppressedStrata.insert("\(cell.category)|\(cell.window.rawValue)")
            }
        }
        var out = self
        out.cells = marked
        if !seriousWithheld.isEmpty { out.seriousWithheld = seriousWithheld }
        if withoutTimeWithheld { out.withoutTimeWithheld = true }
        out.pooled = SafetyAnalysis.pooledOverWards(releasedCells, categories: categories, study: study).map { line in
            var line = line
            if suppressedStrata.contains("\(line.category)|\(line.window.rawValue)") {
                line.withheld = "a ward's count is a small number (suppressed), so no pooled estimate is published"
            } else if [line.baselineEvents, line.pilotEvents].contains(where: { Disclosure.publish($0, policy: policy) == .suppressed }) {
                line.withheld = "the pooled total is a small number"
            }
            return line
        }
        return out
    }
}

extension SafetyResults {
    /// Serious incidents in a period as a copy of the report shows them, thousands grouped (`*` when withheld).
    public func shownSerious(_ period: StudyPeriod, style: CountStyle) -> String {
        style.show(serious[period] ?? 0, withheld: seriousWithheld?.contains(period) == true)
    }

    /// The same for JSON.
    public func seriousJSON(_ period: StudyPeriod, style: CountStyle) -> JSONValue {
        style.json(serious[period] ?? 0, withheld: seriousWithheld?.contains(period) == true)
    }

    /// Incidents with no recorded time as a copy of the report shows them (`*` when withheld).
    public func shownWithoutTime(style: CountStyle) -> String { style.show(withoutTime, withheld: withoutTimeWithheld == true) }

    /// The same for JSON.
    public func withoutTimeJSON(style: CountStyle) -> JSONValue { style.json(withoutTime, withheld: withoutTimeWithheld == true) }
}

extension SafetyResults {
    /// One published count of the incidents table: a cell's count in a period.
    public struct CountKey: Hashable, Sendable {
        public var ward: Int?
        public var category: String
        public var window: TimeWindow
        public var period: StudyPeriod
    }

    /// Every count of the table, by its key.
    var counts: [CountKey: Int] {
        var counts: [CountKey: Int] = [:]
        for c in cells {
            counts[CountKey(ward: c.ward, category: c.category, window: c.window, period: .baseline)] = c.baselineEvents
            counts[CountKey(ward: c.ward, category: c.category, window: c.window, period: .pilot)] = c.pilotEvents
        }
        return counts
    }

    /// The table's families of a total and the parts that add up to it: for each window and period, each category's
    /// study-wide count is the sum of the compared wards' (`OccupancyTotals.comparedWards`: the wards with exposure in
    /// both periods), and each scope's `all` the sum of its categories'; and each count inside the protected window is at
    /// most the same count over 24 hours.
    var families: [SecondarySuppression.Family<CountKey>] {
        // The wards the study-wide cells add up: those whose exposure is there in both periods.
        let compared = Set(cells.filter { $0.ward != nil && $0.baselineExposure > 0 && $0.pilotExposure > 0 }.compactMap(\.ward))
        let wards = Set(cells.compactMap(\.ward)).sorted()
        let categories = Array(Set(cells.map(\.category))).sorted()
        let windows = Array(Set(cells.map(\.window))).sorted { $0.rawValue < $1.rawValue }
        var families: [SecondarySuppression.Family<CountKey>] = []
        for window in windows {
            for period in StudyPeriod.allCases {
                for category in categories {
                    families.append(.init(total: CountKey(ward: nil, category: category, window: window, period: period),
                                          parts: wards.filter(compared.contains).map { CountKey(ward: $0, category: category, window: window, period: period) }))
                }
                for scope in [nil] + wards.map(Optional.some) {
                    let parts = categories.filter { $0 != IncidentCounts.allCategories }
                    guard !parts.isEmpty else { continue }
                    families.append(.init(total: CountKey(ward: scope, category: IncidentCounts.allCategories, window: window, period: period),
                                          parts: parts.map { CountKey(ward: scope, category: $0, window: window, period: period) }))
                }
            }
        }
        // A count inside the protected window is at most the same count over 24 hours.
        if windows.contains(.allDay) && windows.contains(.protected) {
            for scope in [nil] + wards.map(Optional.some) {
                for category in categories {
                    for period in StudyPeriod.allCases {
                        families.append(.init(total: CountKey(ward: scope, category: category, window: .allDay, period: period),
                                              parts: [CountKey(ward: scope, category: category, window: .protected, period: period)], kind: .bound))
                    }
                }
            }
        }
        return families
    }

    /// The cells with the counts in `withheld` (`SecondarySuppression`) marked.
    func marking(_ withheld: Set<CountKey>) -> [SafetyCell] {
        guard !withheld.isEmpty else { return cells }
        return cells.map { c in
            var c = c
            if withheld.contains(CountKey(ward: c.ward, category: c.category, window: c.window, period: .baseline)) { c.baselineWithheld = true }
            if withheld.contains(CountKey(ward: c.ward, category: c.category, window: c.window, period: .pilot)) { c.pilotWithheld = true }
            return c
        }
    }
}
