import Foundation

/// One stratum (a ward) of a pooled rate comparison.
public struct RateStratum: Sendable, Equatable, Codable {
    /// Pilot events.
    public var x1: Int
    /// Pilot exposure.
    public var t1: Double
    /// Baseline events.
    public var x0: Int
    /// Baseline exposure.
    public var t0: Double

    /// Creates a stratum.
    public init(x1: Int, t1: Double, x0: Int, t0: Double) {
        self.x1 = x1
        self.t1 = t1
        self.x0 = x0
        self.t0 = t0
    }
}

/// A rate ratio pooled over strata with its confidence interval.
public struct PooledRateRatio: Sendable, Equatable, Codable {
    /// The pooled estimate; `nil` when it cannot be estimated (no events in one period in every stratum).
    public var estimate: Double?
    /// Lower confidence bound.
    public var lower: Double?
    /// Upper confidence bound.
    public var upper: Double?
    /// Variance of the log estimate (Greenland–Robins).
    public var logVariance: Double?
    /// Chi-square statistic of the test of homogeneity across strata.
    public var homogeneityChiSquare: Double?
    /// Its degrees of freedom (strata with events, minus one).
    public var homogeneityDF: Int?
    /// Its p-value; `nil` with fewer than two strata with events.
    public var homogeneityP: Double?
    /// Strata used (both exposures positive).
    public var strata: Int
}

/// The Mantel–Haenszel rate ratio over strata, RR = Σ(x1ᵢ t0ᵢ / Tᵢ) / Σ(x0ᵢ t1ᵢ / Tᵢ), with the Greenland–Robins
/// variance of its logarithm, Σ(Mᵢ t1ᵢ t0ᵢ / Tᵢ²) / [Σ(x1ᵢ t0ᵢ / Tᵢ) · Σ(x0ᵢ t1ᵢ / Tᵢ)], a Wald interval on the log
/// scale, and a chi-square test of homogeneity Σ (x1ᵢ − Eᵢ)² / Vᵢ on (strata with events − 1) degrees of freedom,
/// where Eᵢ and Vᵢ are the mean and variance of x1ᵢ given Mᵢ = x1ᵢ + x0ᵢ under the pooled ratio.
/// Strata without exposure in both periods are left out.
public func mantelHaenszelRateRatio(strata all: [RateStratum], confidence: Double = 0.95) -> PooledRateRatio {
    let strata = all.filter { $0.t1 > 0 && $0.t0 > 0 }
    var r = PooledRateRatio(strata: strata.count)
    var num = 0.0, den = 0.0, varNum = 0.0
    for s in strata {
        let t = s.t1 + s.t0
        num += Double(s.x1) * s.t0 / t
        den += Double(s.x0) * s.t1 / t
        varNum += Double(s.x1 + s.x0) * s.t1 * s.t0 / (t * t)
    }
    guard num > 0, den > 0 else { return r }
    let rr = num / den
    let v = varNum / (num * den)
    let z = Distributions.normalQuantile(1 - (1 - confidence) / 2)
    r.estimate = rr
    r.logVariance = v
    r.lower = exp(log(rr) - z * v.squareRoot())
    r.upper = exp(log(rr) + z * v.squareRoot())
    var chi = 0.0, informative = 0
    for s in strata where s.x1 + s.x0 > 0 {
        let m = Double(s.x1 + s.x0)
        let e = m * rr * s.t1 / (rr * s.t1 + s.t0)
        let variance = m * rr * s.t1 * s.t0 / ((rr * s.t1 + s.t0) * (rr * s.t1 + s.t0))
        chi += (Double(s.x1) - e) * (Double(s.x1) - e) / variance
        informative += 1
    }
    if informative >= 2 {
        r.homogeneityChiSquare = chi
        r.homogeneityDF = informative - 1
        r.homogeneityP = Distributions.chiSquareUpperTail(chi, df: Double(informative - 1))
    }
    return r
}

/// The ratio of two pooled rate ratios (e.g. CBTi wards against the rest), with a Wald interval from the sum of the
/// two log variances; `nil` when either is not estimable.
public func ratioOfRateRatios(_ a: PooledRateRatio, _ b: PooledRateRatio, confidence: Double = 0.95)
    -> RatioEstimate?
{
    guard let ea = a.estimate, let eb = b.estimate, let va = a.logVariance, let vb = b.logVariance else { return nil }
    let z = Distributions.normalQuantile(1 - (1 - confidence) / 2)
    let logRatio = log(ea) - log(eb), se = (va + vb).squareRoot()
    return RatioEstimate(estimate: exp(logRatio), lower: exp(logRatio - z * se), upper: exp(logRatio + z * se))
}

/// An estimated ratio with its confidence interval.
public struct RatioEstimate: Sendable, Equatable, Codable {
    /// The estimate.
    public var estimate: Double
    /// Lower confidence limit.
    public var lower: Double
    /// Upper confidence limit.
    public var upper: Double
}
