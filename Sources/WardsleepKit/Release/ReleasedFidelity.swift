/// Fidelity as one copy of the report shows it: exact counts in restricted outputs; in releasable outputs, counts after
/// disclosure control, with the fidelity proportion, its interval and the checks rate ratio recomputed from the
/// published counts, or withheld when a count they need is suppressed.
public struct ReleasedFidelity: Sendable {
    /// One ward (or all wards) in one period, as shown.
    public struct Row: Sendable {
        /// The exact cell (exposures are published as they are; counts only through the fields below).
        let cell: FidelityCell
        /// The ward id, or `all`.
        public var ward: String
        /// Baseline or pilot.
        public var period: StudyPeriod
        /// Published counts (`*` when suppressed).
        public var protectedNights, withoutRoutineCheck, routineChecks, clinicalNeedChecks, enhancedChecks, checksInWindow,
                   checksWithoutPlan: (text: String, value: Int?)
        /// Protected nights with no routine check, of protected nights, from the published counts, with the Clopper–Pearson
        /// interval; `nil` when either count is suppressed or there were no protected nights.
        public var fidelity: Proportion?
        /// Occupied bed-nights.
        public var bedNights: Double { cell.bedNights }
        /// Checks in the window per 100 bed-nights, from the published count.
        public var checksPer100BedNights: Double? {
            checksInWindow.value.flatMap { bedNights > 0 ? Double($0) / bedNights * 100 : nil }
        }
    }

    /// Checks inside the window per bed-night, pilot against baseline, for a ward (or all wards), as shown.
    public struct ChecksComparison: Sendable {
        /// The ward id, or `all`.
        public var ward: String
        /// Published counts of checks inside the window.
        public var baselineChecks, pilotChecks: (text: String, value: Int?)
        /// Bed-nights of each period.
        public var baselineBedNights, pilotBedNights: Double
        /// The exact rate ratio (R `poisson.test`) from the published counts; `nil` when one is suppressed or an exposure
        /// is zero.
        public var ratio: RateRatio?
    }

    /// Rows in the order of `FidelityResults.cells`.
    public var rows: [Row]
    /// One comparison per ward in scope, then all wards.
    public var comparisons: [ChecksComparison]
    /// Whether bed-nights come from an occupancy export.
    public var exposureFromOccupancy: Bool

    /// The results shown in `style`.
    public init(_ f: FidelityResults, study: StudyDefinition, style: CountStyle) {
        exposureFromOccupancy = f.exposureFromOccupancy
        rows = f.cells.map { c in
            let name = c.ward.map { study.wards[$0].id } ?? "all"
            let nights = c.shown(.protectedNights, style: style), without = c.shown(.withoutRoutineCheck, style: style)
            var share: Proportion?
            if let n = nights.value, let x = without.value, n > 0 { share = Proportion(x: min(x, n), n: n) }
            return Row(cell: c, ward: name, period: c.period, protectedNights: nights, withoutRoutineCheck: without,
                       routineChecks: c.shown(.routineChecks, style: style), clinicalNeedChecks: c.shown(.clinicalNeedChecks, style: style),
                       enhancedChecks: c.shown(.enhancedChecks, style: style), checksInWindow: c.shown(.checksInWindow, style: style),
                       checksWithoutPlan: c.shown(.checksWithoutPlan, style: style),
                       fidelity: share)
        }
        var comparisons: [ChecksComparison] = []
        let withoutLog = Set(f.wardsWithoutLog), cells = f.cellsByWard()
        for ward in study.wardsInScope.filter({ !withoutLog.contains($0) }).map(Optional.some) + [nil] {
            guard let b = cells[ward]?[.baseline], let p = cells[ward]?[.pilot] else { continue }
            let x0 = b.shown(.checksInWindow, style: style), x1 = p.shown(.checksInWindow, style: style)
            var ratio: RateRatio?
            if let v0 = x0.value, let v1 = x1.value, b.bedNights > 0, p.bedNights > 0 {
                ratio = exactRateRatio(x1: v1, t1: p.bedNights, x0: v0, t0: b.bedNights)
            }
            comparisons.append(ChecksComparison(ward: ward.map { study.wards[$0].id } ?? "all", baselineChecks: x0,
                                                pilotChecks: x1, baselineBedNights: b.bedNights, pilotBedNights: p.bedNights,
                                                ratio: ratio))
        }
        self.comparisons = comparisons
    }
}
