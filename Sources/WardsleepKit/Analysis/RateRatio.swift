/// A comparison of two event rates: pilot (x1 events over exposure t1) against baseline (x0 over t0).
public struct RateRatio: Sendable, Equatable, Codable {
    /// Pilot events.
    public var x1: Int
    /// Pilot exposure.
    public var t1: Double
    /// Baseline events.
    public var x0: Int
    /// Baseline exposure.
    public var t0: Double
    /// (x1/t1)/(x0/t0); +∞ when x0 = 0 < x1; `nil` when both counts are zero (nothing to compare).
    public var estimate: Double?
    /// Lower bound of the exact confidence interval (0 when x1 = 0).
    public var lower: Double?
    /// Upper bound (+∞ when x0 = 0).
    public var upper: Double?
    /// Two-sided exact p-value (R's `minlike` rule).
    public var pExact: Double?
    /// Two-sided mid-p value.
    public var pMidP: Double?
    /// The confidence level of the interval.
    public var confidence: Double

    /// Whether the interval excludes 1 on the high side, the low side, or not at all.
    public var direction: ChangeDirection {
        guard let lower, let upper else { return .notEstimable }
        if lower > 1 { return .increase }
        if upper < 1 { return .decrease }
        return .noEvidence
    }
}

/// What a confidence interval says about a change.
public enum ChangeDirection: String, Sendable, Codable {
    case increase, decrease
    case noEvidence = "no evidence of a change"
    case notEstimable = "not estimable"
}

/// The exact comparison of two Poisson rates by conditioning on the total: x1 ~ Binomial(x1 + x0, π) with
/// π = t1/(t1 + t0) under no change; the Clopper–Pearson interval for π maps to the rate ratio by
/// RR = π/(1 − π) · t0/t1. Gives the same numbers as R's `poisson.test(c(x1, x0), c(t1, t0))`.
public func exactRateRatio(x1: Int, t1: Double, x0: Int, t0: Double, confidence: Double = 0.95) -> RateRatio {
    var r = RateRatio(x1: x1, t1: t1, x0: x0, t0: t0, confidence: confidence)
    let n = x1 + x0
    guard n > 0, t1 > 0, t0 > 0 else { return r }
    r.estimate = x0 == 0 ? .infinity : (Double(x1) / t1) / (Double(x0) / t0)
    let (pl, pu) = BinomialTest.clopperPearson(x: x1, n: n, confidence: confidence)
    r.lower = pl / (1 - pl) * t0 / t1
    r.upper = pu == 1 ? .infinity : pu / (1 - pu) * t0 / t1
    let p = t1 / (t1 + t0)
    r.pExact = BinomialTest.twoSidedP(x: x1, n: n, p: p)
    r.pMidP = BinomialTest.twoSidedMidP(x: x1, n: n, p: p)
    return r
}
