/// Which way is better for a measure.
public enum ImprovementDirection: String, Sendable, Codable {
    /// Lower is better (incidents, hypnotics).
    case decrease
    /// Higher is better.
    case increase
    /// Neither: special causes are shown as neutral.
    case neither
}

/// What a point shows under the Making Data Count rules.
public enum VariationType: String, Sendable, Codable {
    case improvement
    case concern
    case commonCause = "common cause"
    /// Special cause on a measure with no better direction.
    case neutral
}

/// The two-in-three rule: `mdc2023` counts points beyond 2σ including those beyond 3σ; `legacy` only those in the
/// 2σ–3σ band.
public enum TwoInThreeRule: String, Sendable, Codable {
    case mdc2023, legacy
}

/// Parameters of the special-cause rules, echoed in every output.
public struct SPCParameters: Sendable, Equatable, Codable {
    /// Points in a row on one side of the centre line that make a shift (a point on the line breaks it).
    public var shift = 7
    /// Points in a row each strictly higher (or lower) than the one before that make a trend (a tie breaks it).
    public var trend = 7
    /// Which two-in-three rule.
    public var twoInThree = TwoInThreeRule.mdc2023
    /// Screen moving ranges above 3.267 × the mean before computing XmR limits.
    public var screenOutliers = false
    /// Fewer baseline points than this and the limits are trial limits.
    public var minimumBaselinePoints = 12

    /// Defaults (7, 7, mdc2023, no screening).
    public init(shift: Int = 7, trend: Int = 7, twoInThree: TwoInThreeRule = .mdc2023, screenOutliers: Bool = false) {
        self.shift = shift
        self.trend = trend
        self.twoInThree = twoInThree
        self.screenOutliers = screenOutliers
    }

    /// From the study's `spc:` settings.
    public init(_ s: SPCSettings) {
        self.init(shift: s.shift, trend: s.trend, twoInThree: TwoInThreeRule(rawValue: s.twoInThree) ?? .mdc2023,
                  screenOutliers: s.screenOutliers)
    }
}

/// One point of a chart with its limits, the rules that fired and what it shows.
public struct ChartPoint: Sendable, Equatable, Codable {
    /// Label of the interval (`2018-03`, or the Monday of the week).
    public var label: String
    /// First day of the interval.
    public var start: CalendarDay
    /// Baseline or pilot.
    public var phase: StudyPeriod
    /// The plotted value.
    public var value: Double
    /// Numerator and denominator behind it (events and exposure; 0 for XmR).
    public var numerator: Double, denominator: Double
    /// For an XmR measure built from events (DDDs of doses given), the number of events behind the value; `nil` when
    /// the measure counts no people (pharmacy supplies).
    public var events: Double? = nil
    /// Centre line.
    public var centre: Double
    /// Process limits (3σ).
    public var upper: Double, lower: Double
    /// 2σ lines.
    public var upper2: Double, lower2: Double
    /// Rules that fired at this point.
    public var rules: [String] = []
    /// What the point shows.
    public var type: VariationType = .commonCause
    /// Withheld by disclosure control: its count is a small number, so the point has no value, no rule and no type.
    public var withheld = false
}

/// What a control chart counts.
public enum ChartMeasure: String, Sendable, Codable {
    /// Incidents over 24 hours (u-chart).
    case incidents
    /// Incidents inside the protected window (u-chart).
    case protectedWindowIncidents
    /// Hypnotic DDDs (XmR).
    case hypnoticDDD
    /// Protected nights with no routine check, of protected nights (p-chart).
    case protectedNightsWithoutRoutineCheck
    /// Patient-nights with protected sleep, of planned patient-nights (p-chart).
    case protectedSleepUptake
}

/// A control chart: the points, the chart type and the parameters.
public struct ControlChart: Sendable, Codable {
    /// `u`, `p` or `xmr`.
    public var kind: String
    /// The measure's name and unit.
    public var title: String, unit: String
    /// Which way is better.
    public var direction: ImprovementDirection
    /// The points in time order.
    public var points: [ChartPoint]
    /// Baseline points the limits rest on.
    public var baselinePoints: Int
    /// Parameters used.
    public var parameters: SPCParameters
    /// Units of exposure each value is per (1,000 for a u-chart of rates per 1,000 OBD; 100 for a p-chart in percent).
    public var scale = 1.0
    /// The ward charted, or `nil` for a chart of the whole study.
    public var ward: Int? = nil
    /// What the chart counts, so that the release step can tell which published counts its points add up to.
    public var measure: ChartMeasure? = nil

    /// Whether the limits are trial limits (too few baseline points).
    public var trialLimits: Bool { baselinePoints < parameters.minimumBaselinePoints }
    /// The chart's variation icon: the type of its last point.
    public var icon: VariationType { points.last { !$0.withheld }?.type ?? .commonCause }
}

/// The Making Data Count special-cause rules and the limit calculations.
public enum SPC {
    /// Applies the rules to `points` (whose limits are set), filling `rules` and `type` of each.
    public static func applyRules(_ points: inout [ChartPoint], parameters p: SPCParameters, direction: ImprovementDirection) {
        var high = [Set<String>](repeating: [], count: points.count), low = high
        // Outside the process limits.
        for (i, x) in points.enumerated() {
            if x.value > x.upper { high[i].insert("outside limits") }
            if x.value < x.lower { low[i].insert("outside limits") }
        }
        // Shift: `shift` or more in a row on one side of the centre line; a point on the line breaks the run.
        var run: [Int] = [], side = 0
        func closeShift() {
            if run.count >= p.shift { for j in run { if side > 0 { high[j].insert("shift") } else { low[j].insert("shift") } } }
        }
        for (i, x) in points.enumerated() {
            let s = x.value > x.centre ? 1 : (x.value < x.centre ? -1 : 0)
            if s != 0 && s == side { run.append(i) } else { closeShift(); run = s == 0 ? [] : [i]; side = s }
        }
        closeShift()
        // Trend: `trend` or more points in a row, each strictly above (or below) the one before; a tie breaks it.
        var trendRun = [0], direction0 = 0
        func closeTrend() {
            if trendRun.count >= p.trend { for j in trendRun { if direction0 > 0 { high[j].insert("trend") } else { low[j].insert("trend") } } }
        }
        if !points.isEmpty {
            for i in 1..<max(points.count, 1) {
                let d = points[i].value > points[i - 1].value ? 1 : (points[i].value < points[i - 1].value ? -1 : 0)
                if d != 0 && d == direction0 { trendRun.append(i) } else { closeTrend(); trendRun = d == 0 ? [i] : [i - 1, i]; direction0 = d }
            }
            closeTrend()
        }
        // Two of three points beyond 2σ on the same side.
        func beyondHigh(_ x: ChartPoint) -> Bool { p.twoInThree == .mdc2023 ? x.value > x.upper2 : (x.value > x.upper2 && x.value <= x.upper) }
        func beyondLow(_ x: ChartPoint) -> Bool { p.twoInThree == .mdc2023 ? x.value < x.lower2 : (x.value < x.lower2 && x.value >= x.lower) }
        if points.count >= 3 {
            for start in 0...(points.count - 3) {
                let w = Array(start..<(start + 3))
                let hi = w.filter { beyondHigh(points[$0]) }, lo = w.filter { beyondLow(points[$0]) }
                if hi.count >= 2 { for j in hi { high[j].insert("two of three beyond 2σ") } }
                if lo.count >= 2 { for j in lo { low[j].insert("two of three beyond 2σ") } }
            }
        }
        let order = ["outside limits", "shift", "trend", "two of three beyond 2σ"]
        for i in points.indices {
            points[i].rules = order.filter { high[i].contains($0) || low[i].contains($0) }
            let isHigh = !high[i].isEmpty, isLow = !low[i].isEmpty
            switch direction {
            case .neither: points[i].type = isHigh || isLow ? .neutral : .commonCause
            case .decrease: points[i].type = isLow ? .improvement : (isHigh ? .concern : .commonCause)
            case .increase: points[i].type = isHigh ? .improvement : (isLow ? .concern : .commonCause)
            }
        }
    }

    /// u-chart: centre ū = Σc/Σn over the baseline points; limits ū ± 3√(ū/nᵢ), 2σ lines ū ± 2√(ū/nᵢ), lower ones floored
    /// at 0; frozen into the pilot. Values are shown per `scale` units of exposure (1,000 for rates per 1,000 OBD).
    public static func uChart(_ points: [ChartPoint], scale: Double, title: String, unit: String, direction: ImprovementDirection,
                              parameters: SPCParameters) -> ControlChart {
        let base = points.filter { $0.phase == .baseline && $0.denominator > 0 }
        let reference = base.isEmpty ? points.filter { $0.denominator > 0 } : base
        let ubar = reference.reduce(0) { $0 + $1.numerator } / max(reference.reduce(0) { $0 + $1.denominator }, .leastNonzeroMagnitude)
        var out = points.filter { $0.denominator > 0 }.map { x -> ChartPoint in
            var y = x
            let sigma = (ubar / x.denominator).squareRoot()
            y.value = x.numerator / x.denominator * scale
            y.centre = ubar * scale
            y.upper = (ubar + 3 * sigma) * scale; y.lower = max(0, ubar - 3 * sigma) * scale
            y.upper2 = (ubar + 2 * sigma) * scale; y.lower2 = max(0, ubar - 2 * sigma) * scale
            return y
        }
        applyRules(&out, parameters: parameters, direction: direction)
        return ControlChart(kind: "u", title: title, unit: unit, direction: direction, points: out, baselinePoints: reference.count,
                            parameters: parameters, scale: scale)
    }

    /// p-chart: p̄ = Σx/Σn over the baseline points (all points when there is no baseline); limits p̄ ± 3√(p̄(1−p̄)/nᵢ)
    /// clamped to 0–1; shown as percentages.
    public static func pChart(_ points: [ChartPoint], title: String, direction: ImprovementDirection, parameters: SPCParameters) -> ControlChart {
        let base = points.filter { $0.phase == .baseline && $0.denominator > 0 }
        let reference = base.isEmpty ? points.filter { $0.denominator > 0 } : base
        let pbar = reference.reduce(0) { $0 + $1.numerator } / max(reference.reduce(0) { $0 + $1.denominator }, .leastNonzeroMagnitude)
        var out = points.filter { $0.denominator > 0 }.map { x -> ChartPoint in
            var y = x
            let sigma = (pbar * (1 - pbar) / x.denominator).squareRoot()
            y.value = x.numerator / x.denominator * 100
            y.centre = pbar * 100
            y.upper = min(1, pbar + 3 * sigma) * 100; y.lower = max(0, pbar - 3 * sigma) * 100
            y.upper2 = min(1, pbar + 2 * sigma) * 100; y.lower2 = max(0, pbar - 2 * sigma) * 100
            return y
        }
        applyRules(&out, parameters: parameters, direction: direction)
        return ControlChart(kind: "p", title: title, unit: "%", direction: direction, points: out, baselinePoints: reference.count,
                            parameters: parameters, scale: 100)
    }

    /// XmR chart: mean x̄ and mean moving range MR̄ of the baseline points (optionally screening moving ranges above
    /// 3.267 × MR̄ first); limits x̄ ± 2.66·MR̄, 2σ lines x̄ ± (2/3)·2.66·MR̄.
    public static func xmr(_ points: [ChartPoint], title: String, unit: String, direction: ImprovementDirection,
                           parameters: SPCParameters) -> ControlChart {
        let base = points.filter { $0.phase == .baseline }
        let reference = base.count >= 2 ? base : points
        let mean = reference.reduce(0) { $0 + $1.value } / Double(max(reference.count, 1))
        var ranges = zip(reference.dropFirst(), reference).map { abs($0.value - $1.value) }
        var mr = ranges.reduce(0, +) / Double(max(ranges.count, 1))
        if parameters.screenOutliers && !ranges.isEmpty {
            ranges = ranges.filter { $0 <= 3.267 * mr }
            mr = ranges.reduce(0, +) / Double(max(ranges.count, 1))
        }
        var out = points.map { x -> ChartPoint in
            var y = x
            y.centre = mean
            y.upper = mean + 2.66 * mr; y.lower = mean - 2.66 * mr
            y.upper2 = mean + 2.66 * mr * 2 / 3; y.lower2 = mean - 2.66 * mr * 2 / 3
            return y
        }
        applyRules(&out, parameters: parameters, direction: direction)
        return ControlChart(kind: "xmr", title: title, unit: unit, direction: direction, points: out, baselinePoints: reference.count,
                            parameters: parameters)
    }
}
