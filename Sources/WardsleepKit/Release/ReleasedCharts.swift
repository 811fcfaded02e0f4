/// Control charts as a releasable output may show them: every point, limit and rule is recomputed from released counts.
///
/// A u-chart's numerators (events) are counts and its denominators (occupied bed days) are exposures; a p-chart's
/// numerator and denominator (protected and planned patient-nights) are both counts. Each count is published under the
/// policy; a point whose count is suppressed is withheld (no value, no rule, no type, limits from its exposure only),
/// the centre line is the sum of the published baseline counts over their exposure, and the Making Data Count rules run
/// on the published values alone, so a flag can never show that a suppressed point was above zero. XmR charts of
/// hypnotic DDDs from pharmacy issues are supplies, not counts of people, and are released as they are; those of DDDs
/// of doses given are left out of a releasable copy (`isOfDosesGiven`).
extension ControlChart {
    /// The chart recomputed from released counts under `policy`, the points at `withheld` (`ReleaseFamilies`) shown as
    /// suppressed ones are.
    public func released(_ policy: DisclosurePolicy, withheld held: Set<Int> = []) -> ControlChart {
        func publish(_ x: Double) -> Double? { Disclosure.publish(Int(x.rounded()), policy: policy).number.map(Double.init) }
        // XmR charts are of supplies here (DDDs from pharmacy issues), released as they are: those of doses given never
        // reach a releasable copy (`isOfDosesGiven`, filtered out by `Release.view`).
        guard kind == "u" || kind == "p" else { return self }
        var shown: [ChartPoint] = [], withheld: [(index: Int, point: ChartPoint)] = []
        for (i, p) in points.enumerated() {
            var q = p
            let numerator = held.contains(i) ? nil : publish(p.numerator)
            let denominator = kind == "p" ? publish(p.denominator) : p.denominator
            if let numerator, let denominator, denominator > 0 {
                q.numerator = numerator
                q.denominator = denominator
                shown.append(q)
            } else {
                q.numerator = 0
                q.denominator = denominator ?? 0
                withheld.append((i, q))
            }
        }
        var chart = kind == "u"
            ? SPC.uChart(shown, scale: scale, title: title, unit: unit, direction: direction, parameters: parameters)
            : SPC.pChart(shown, title: title, direction: direction, parameters: parameters)
        // Withheld points keep their place on the time axis; their limits depend on exposure only (u-chart) or are
        // left at the centre line when the denominator itself is suppressed (p-chart).
        let centre = chart.points.first?.centre ?? 0
        var merged = chart.points
        for (index, point) in withheld {
            var q = point
            q.withheld = true
            q.value = .nan
            q.rules = []
            q.type = .commonCause
            q.centre = centre
            if kind == "u", q.denominator > 0 {
                let ubar = centre / scale, sigma = (ubar / q.denominator).squareRoot()
                q.upper = (ubar + 3 * sigma) * scale; q.lower = max(0, ubar - 3 * sigma) * scale
                q.upper2 = (ubar + 2 * sigma) * scale; q.lower2 = max(0, ubar - 2 * sigma) * scale
            } else {
                q.upper = centre; q.lower = centre; q.upper2 = centre; q.lower2 = centre
            }
            merged.insert(q, at: min(index, merged.count))
        }
        chart.points = merged
        chart.ward = ward
        chart.measure = measure
        return chart
    }

    /// Whether a baseline month is published, or the chart has none: limits rest on the baseline, so a released chart
    /// whose baseline months are all suppressed has nothing to draw them from.
    public var hasPublishedBaseline: Bool {
        !points.contains { $0.phase == .baseline } || points.contains { $0.phase == .baseline && !$0.withheld }
    }

    /// Whether the chart is of DDDs of doses given (an XmR chart whose points carry events): a month's DDDs beside its
    /// published doses give the exact mean dose, and with it the exact count, so a releasable copy leaves it out (it is
    /// in restricted/).
    public var isOfDosesGiven: Bool { kind == "xmr" && points.contains { $0.events != nil } }
}
