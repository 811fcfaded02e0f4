import Foundation

/// One study's log rate ratio and its variance, as `metafor::escalc(measure = "IRR")` computes them by default:
/// yi = ln(x1/t1) − ln(x0/t0), vi = 1/x1 + 1/x0, with ½ added to both counts when either is zero (`add = 1/2,
/// to = "only0"`), a study with no events in both periods kept (`drop00 = FALSE`).
public struct LogRateRatio: Sendable, Equatable {
    /// The log rate ratio.
    public var yi: Double
    /// Its sampling variance.
    public var vi: Double

    /// The log rate ratio of x1 events over t1 against x0 over t0; `nil` when an exposure is not positive.
    public init?(x1: Int, t1: Double, x0: Int, t0: Double) {
        guard t1 > 0, t0 > 0 else { return nil }
        let add = x1 == 0 || x0 == 0 ? 0.5 : 0
        let a = Double(x1) + add, b = Double(x0) + add
        yi = log(a / t1) - log(b / t0)
        vi = 1 / a + 1 / b
    }

    /// A given log rate ratio and variance.
    public init(yi: Double, vi: Double) {
        self.yi = yi
        self.vi = vi
    }
}

/// A pooled rate ratio from inverse-variance weights: estimate, Wald interval and two-sided p on the log scale.
public struct InverseVarianceEstimate: Sendable, Equatable {
    /// The pooled rate ratio, exp(μ̂).
    public var rateRatio: Double
    /// Lower confidence bound.
    public var lower: Double
    /// Upper confidence bound.
    public var upper: Double
    /// Two-sided p-value of μ = 0 (normal).
    public var p: Double
    /// μ̂, the pooled log rate ratio.
    public var logEstimate: Double
    /// Its standard error.
    public var standardError: Double
}

/// Fixed-effect and DerSimonian–Laird random-effects pooling with the heterogeneity statistics.
public struct InverseVariancePooling: Sendable, Equatable {
    /// Studies pooled.
    public var k: Int
    /// Inverse-variance fixed effect (`metafor::rma(yi, vi, method = "FE")`).
    public var fixed: InverseVarianceEstimate
    /// DerSimonian–Laird random effects (`method = "DL"`).
    public var random: InverseVarianceEstimate
    /// Between-study variance τ² (DerSimonian–Laird, truncated at 0).
    public var tau2: Double
    /// Cochran's Q.
    public var q: Double
    /// Its p-value on k − 1 degrees of freedom (1 when k = 1, as metafor gives).
    public var qP: Double
    /// I², percent: τ² over τ² plus the typical within-study variance (0 when k = 1).
    public var i2: Double

    /// Pools `studies`; `nil` when there are none.
    ///
    /// Fixed effect: wᵢ = 1/vᵢ, μ̂ = Σwᵢyᵢ/Σwᵢ, SE = 1/√Σwᵢ. Q = Σwᵢ(yᵢ − μ̂)². DerSimonian–Laird:
    /// τ² = max(0, (Q − (k − 1)) / (Σwᵢ − Σwᵢ²/Σwᵢ)), then wᵢ* = 1/(vᵢ + τ²). I² = 100·τ²/(τ² + s²) with
    /// s² = (k − 1)Σwᵢ / ((Σwᵢ)² − Σwᵢ²). Intervals and p-values use the normal distribution (libRmath), Q's p the
    /// chi-square.
    public init?(_ studies: [LogRateRatio], confidence: Double = 0.95) {
        guard !studies.isEmpty, studies.allSatisfy({ $0.vi > 0 && $0.vi.isFinite && $0.yi.isFinite }) else { return nil }
        let z = Distributions.normalQuantile(1 - (1 - confidence) / 2)
        let w = studies.map { 1 / $0.vi }
        let fixed = InverseVariancePooling.estimate(studies, weights: w, z: z)
        let q = zip(w, studies).reduce(0.0) { $0 + $1.0 * ($1.1.yi - fixed.logEstimate) * ($1.1.yi - fixed.logEstimate) }
        let sw = w.reduce(0, +), sw2 = w.reduce(0) { $0 + $1 * $1 }
        let k = studies.count, df = Double(k - 1)
        var tau2 = 0.0, qP = 1.0, i2 = 0.0
        if k > 1 {
            tau2 = max(0, (q - df) / (sw - sw2 / sw))
            qP = Distributions.chiSquareUpperTail(q, df: df)
            i2 = 100 * tau2 / (tau2 + df * sw / (sw * sw - sw2))
        }
        self.k = k
        self.fixed = fixed
        self.q = q
        self.tau2 = tau2
        self.qP = qP
        self.i2 = i2
        random = InverseVariancePooling.estimate(studies, weights: studies.map { 1 / ($0.vi + tau2) }, z: z)
    }

    /// The weighted mean of the log rate ratios with its Wald interval and normal p-value.
    static func estimate(_ studies: [LogRateRatio], weights: [Double], z: Double) -> InverseVarianceEstimate {
        let sw = weights.reduce(0, +)
        let mu = zip(weights, studies).reduce(0.0) { $0 + $1.0 * $1.1.yi } / sw
        let se = (1 / sw).squareRoot()
        return InverseVarianceEstimate(rateRatio: exp(mu), lower: exp(mu - z * se), upper: exp(mu + z * se),
                                       p: 2 * Distributions.normalCDF(-abs(mu / se)), logEstimate: mu, standardError: se)
    }
}
