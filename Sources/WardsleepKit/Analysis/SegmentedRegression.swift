import Foundation

/// One row of a segmented regression: a ward's month (the part of it inside one of the ward's periods).
public struct SegmentRow: Sendable, Equatable, Codable {
    /// Ward index.
    public var ward: Int
    /// The calendar month index t, 1 for the study's first baseline month; months between the periods are not rows,
    /// but t keeps counting across them.
    public var month: Int
    /// The first day of the calendar month.
    public var start: CalendarDay
    /// Baseline or pilot (post = 1 in the pilot).
    public var period: StudyPeriod
    /// t0: the month index of the ward's first pilot month.
    public var pilotStart: Int
    /// The amount modelled: events, or DDDs.
    public var amount: Double
    /// The events behind the amount when they are counts of people's events (incidents, doses given) and so under
    /// disclosure control; `nil` for supplies (pharmacy issues).
    public var events: Int?
    /// The exposure: occupied bed days, or ward-days without an occupancy export.
    public var exposure: Double

    /// Creates a row.
    public init(ward: Int, month: Int, start: CalendarDay, period: StudyPeriod, pilotStart: Int, amount: Double, events: Int?,
                exposure: Double) {
        self.ward = ward; self.month = month; self.start = start; self.period = period; self.pilotStart = pilotStart
        self.amount = amount; self.events = events; self.exposure = exposure
    }

    /// post: 1 in the pilot, 0 in the baseline.
    public var post: Double { period == .pilot ? 1 : 0 }
    /// post · (t − t0): months since the ward's pilot began, 0 in the baseline.
    public var monthsIntoPilot: Double { post * Double(month - pilotStart) }
}

/// One parameter of a segmented regression as reported: the log-scale estimate, its rate ratio, the Wald interval of
/// the rate ratio (R's `exp(confint.default(fit))`) and the t-based p-value (R's `summary.glm`).
public struct SegmentParameter: Sendable, Equatable, Codable {
    /// The estimate on the log scale.
    public var estimate: Double
    /// exp(estimate).
    public var rateRatio: Double
    /// exp(estimate − z₀.₉₇₅ · SE).
    public var lower: Double
    /// exp(estimate + z₀.₉₇₅ · SE).
    public var upper: Double
    /// Two-sided p from t with the residual degrees of freedom.
    public var p: Double
}

/// A fitted segmented regression: `events ~ t + post + post·(t − t0) [+ ward] + offset(log exposure)`, quasi-Poisson.
public struct SegmentedModel: Sendable, Equatable, Codable {
    /// The underlying fit (every column, the intercept and ward effects included).
    public var fit: PoissonFit
    /// The monthly trend before the change (exp: the rate ratio per month).
    public var baselineTrend: SegmentParameter?
    /// The step at the ward's first pilot month.
    public var levelChange: SegmentParameter?
    /// The change in the monthly trend in the pilot.
    public var slopeChange: SegmentParameter?
    /// The wards, in the order of their fixed effects (the first is the reference).
    public var wards: [Int]

    /// The log level of a ward (intercept plus its ward effect).
    public func level(ward: Int) -> Double {
        let base = fit.coefficient(SegmentedRegression.intercept)?.estimate ?? 0
        guard ward != wards.first else { return base }
        return base + (fit.coefficient(SegmentedRegression.wardColumn(ward))?.estimate ?? 0)
    }

    /// `level(ward:)` of every ward of the model, each coefficient looked up once: `level(ward:)` searches the
    /// coefficients by name, so asking it for every row of a chart took time in the square of the wards.
    public func levels() -> [Int: Double] {
        var estimates: [String: Double?] = [:]
        for c in fit.coefficients where estimates[c.name] == nil { estimates[c.name] = c.estimate }
        let base = (estimates[SegmentedRegression.intercept] ?? nil) ?? 0
        var out: [Int: Double] = [:]
        for w in wards { out[w] = w == wards.first ? base : base + ((estimates[SegmentedRegression.wardColumn(w)] ?? nil) ?? 0) }
        return out
    }

    /// The part of the linear predictor from the trend and the change for a row (aliased columns count as zero).
    public func trendPart(_ r: SegmentRow, counterfactual: Bool = false) -> Double {
        func b(_ name: String) -> Double { fit.coefficient(name)?.estimate ?? 0 }
        var x = b(SegmentedRegression.trend) * Double(r.month)
        if !counterfactual { x += b(SegmentedRegression.level) * r.post + b(SegmentedRegression.slope) * r.monthsIntoPilot }
        return x
    }
}

/// Segmented (interrupted time series) regression on ward-months, as SPEC'd in issue 14: a quasi-Poisson model of the
/// monthly amount with the log exposure as offset, t the calendar month index from the first baseline month, post = 1
/// in a ward's pilot and t0 its first pilot month; with several wards, ward fixed effects (so each ward keeps its own
/// level, and a staggered roll-out its own post and t0); with one ward, no ward term.
public enum SegmentedRegression {
    /// The fewest distinct months in each period (Cochrane EPOC's minimum of three points before and after).
    public static let minimumMonths = 3
    /// Column names, as R names them in the tests' formulas.
    static let intercept = "(Intercept)", trend = "t", level = "post", slope = "post:(t - t0)"
    static func wardColumn(_ w: Int) -> String { "ward\(w)" }
    /// From this many wards the ward effects are fitted within the wards (`PoissonRegression.fitWithGroupEffects`);
    /// below it, as columns of the design, exactly as R's `glm` builds it.
    static let groupEffectsFrom = 16

    /// The rows a model uses: those with exposure, of wards with at least one event.
    public static func usable(_ rows: [SegmentRow]) -> [SegmentRow] {
        let withExposure = rows.filter { $0.exposure > 0 }
        let eventful = Set(withExposure.filter { $0.amount > 0 }.map(\.ward))
        return withExposure.filter { eventful.contains($0.ward) }
    }

    /// Fits the model to `rows`; rows without exposure are left out first. Too few months in a period, no events,
    /// a fit that does not converge or a segment with no events give the reason instead of a model.
    public static func fit(_ allRows: [SegmentRow], confidence: Double = 0.95) -> Result<SegmentedModel, ModelFailure> {
        let rows = usable(allRows)
        let baselineMonths = Set(allRows.filter { $0.exposure > 0 && $0.period == .baseline }.map(\.month)).count
        let pilotMonths = Set(allRows.filter { $0.exposure > 0 && $0.period == .pilot }.map(\.month)).count
        guard baselineMonths >= minimumMonths, pilotMonths >= minimumMonths else {
            return .failure(.tooFewPoints(baseline: baselineMonths, pilot: pilotMonths, needed: minimumMonths))
        }
        guard !rows.isEmpty else { return .failure(.noEvents) }
        for period in StudyPeriod.allCases where !rows.contains(where: { $0.period == period && $0.amount > 0 }) {
            return .failure(.periodWithoutEvents(period))
        }
        // A ward without a single event (left out by `usable`) has a level of zero: its fixed effect would run to minus
        // infinity, and it tells the model nothing about the trend or the change.
        let wards = Array(Set(rows.map(\.ward))).sorted()
        let place = Dictionary(uniqueKeysWithValues: wards.enumerated().map { ($1, $0) })
        let y = rows.map(\.amount), offset = rows.map { Foundation.log($0.exposure) }
        let shared: [(name: String, values: [Double])] = [(trend, rows.map { Double($0.month) }), (level, rows.map(\.post)),
                                                          (slope, rows.map(\.monthsIntoPilot))]
        let result: Result<PoissonFit, ModelFailure>
        // Many wards: the ward effects are worked out within the wards rather than as columns (the same fit, at a cost
        // that grows with the rows, not with the rows times the wards squared); the full design decides whenever that
        // way cannot give R's answer.
        if wards.count >= groupEffectsFrom,
           let fit = PoissonRegression.fitWithGroupEffects(
               y: y, intercept: intercept, shared: shared, groups: rows.map { place[$0.ward]! },
               groupColumns: wards.dropFirst().map(wardColumn), offset: offset) {
            result = .success(fit)
        } else {
            var columns = [(name: intercept, values: rows.map { _ in 1.0 })] + shared
            for w in wards.dropFirst() { columns.append((wardColumn(w), rows.map { $0.ward == w ? 1 : 0 })) }
            result = PoissonRegression.fit(y: y, columns: columns, offset: offset)
        }
        return result.map { fit in
            func parameter(_ name: String) -> SegmentParameter? {
                guard let e = fit.coefficient(name)?.estimate, let ci = fit.interval(name, confidence: confidence), let p = fit.pValue(name) else { return nil }
                return SegmentParameter(estimate: e, rateRatio: Foundation.exp(e), lower: Foundation.exp(ci.lower), upper: Foundation.exp(ci.upper), p: p)
            }
            return SegmentedModel(fit: fit, baselineTrend: parameter(trend), levelChange: parameter(level), slopeChange: parameter(slope),
                                  wards: wards)
        }
    }
}

/// One month of a segmented-regression chart: the observed rate over the wards with a row that month, the fitted rate,
/// and in the pilot the counterfactual (the baseline trend continued, no change).
public struct SegmentedPoint: Sendable, Equatable, Codable {
    /// `2019-03`.
    public var label: String
    /// The first day of the month.
    public var start: CalendarDay
    /// Pilot when any ward's row that month is in its pilot.
    public var phase: StudyPeriod
    /// The observed rate, `nil` when withheld (its count is suppressed).
    public var observed: Double?
    /// The fitted rate, `nil` when no model was fitted.
    public var fitted: Double?
    /// The counterfactual rate (pilot months only).
    public var counterfactual: Double?
    /// The exposure that month.
    public var exposure: Double
    /// The amount observed (for tables; `nil` when withheld).
    public var amount: Double?
}

/// One interrupted time series of the report: what is modelled, its rows, the model or why there is none, the chart.
public struct InterruptedSeries: Sendable, Codable {
    /// `incidents` or `hypnotic_ddd`.
    public var measure: String
    /// Category (`all` for every category); `nil` for hypnotics.
    public var category: String?
    /// 24 h or the protected window; `nil` for hypnotics.
    public var window: TimeWindow?
    /// The ward when the series covers one ward, `nil` for all wards in scope (with ward fixed effects).
    public var ward: Int?
    /// The exposure unit.
    public var unit: ExposureUnit
    /// Rates in the chart are per this many units of exposure (1,000 for incidents, 100 for DDDs).
    public var scale: Double
    /// The ward-month rows.
    public var rows: [SegmentRow]
    /// The model, or why there is none.
    public var outcome: Result<SegmentedModel, ModelFailure>
    /// Why a releasable copy does not show this model, or `nil`.
    public var withheld: String?
    /// The chart's months.
    public var points: [SegmentedPoint]

    /// Builds the series, fits it and computes its chart from the exact rows.
    public init(measure: String, category: String?, window: TimeWindow?, ward: Int?, unit: ExposureUnit, scale: Double, rows: [SegmentRow]) {
        self.measure = measure; self.category = category; self.window = window; self.ward = ward; self.unit = unit
        self.scale = scale; self.rows = rows
        outcome = SegmentedRegression.fit(rows)
        withheld = nil
        points = []
        points = chart(amounts: { $0.reduce(0.0) { $0 + $1.amount } })
    }

    /// The rows used by the model (those with exposure).
    public var modelRows: [SegmentRow] { SegmentedRegression.usable(rows) }

    /// The model when it was fitted and is not withheld.
    public var model: SegmentedModel? {
        guard withheld == nil, case .success(let m) = outcome else { return nil }
        return m
    }

    /// The chart's months: observed rates from `amounts` (the total of a month's rows, or `nil` when withheld), fitted
    /// and counterfactual rates from the model with each ward's level from `levels` (or the model's own); no fitted
    /// line when `fitted` is false.
    public func chart(fitted drawFit: Bool = true, amounts: ([SegmentRow]) -> Double?) -> [SegmentedPoint] {
        let used = modelRows
        var months: [Int: [SegmentRow]] = [:]
        for r in used { months[r.month, default: []].append(r) }
        let m: SegmentedModel? = { if case .success(let m) = outcome { return m } else { return nil } }()
        let levels = drawFit ? m?.levels() ?? [:] : [:]
        return months.keys.sorted().map { t in
            let rs = months[t]!
            let exposure = rs.reduce(0.0) { $0 + $1.exposure }
            let phase: StudyPeriod = rs.contains { $0.period == .pilot } ? .pilot : .baseline
            let observed = amounts(rs)
            var fitted: Double?, counterfactual: Double?
            if let m, drawFit {
                func level(_ w: Int) -> Double { levels[w] ?? m.level(ward: w) }
                fitted = rs.reduce(0.0) { $0 + Foundation.exp(level($1.ward) + m.trendPart($1)) * $1.exposure } / exposure * scale
                if phase == .pilot {
                    counterfactual = rs.reduce(0.0) { $0 + Foundation.exp(level($1.ward) + m.trendPart($1, counterfactual: true)) * $1.exposure } / exposure * scale
                }
            }
            let start = rs[0].start
            return SegmentedPoint(label: String(start.iso.prefix(7)), start: start, phase: phase, observed: observed.map { $0 / exposure * scale },
                                  fitted: fitted, counterfactual: counterfactual, exposure: exposure, amount: observed)
        }
    }
}
