/// The exact binomial test as R's `binom.test` computes it: Clopper–Pearson interval and the two-sided p-value by the
/// `minlike` rule (sum of the probabilities of outcomes no more likely than the one observed).
public enum BinomialTest {
    /// Clopper–Pearson interval for x successes in n trials (R: `binom.test(x, n)$conf.int`).
    public static func clopperPearson(x: Int, n: Int, confidence: Double = 0.95) -> (lower: Double, upper: Double) {
        let alpha = (1 - confidence) / 2
        let lower = x == 0 ? 0 : Distributions.betaQuantile(alpha, Double(x), Double(n - x + 1))
        let upper = x == n ? 1 : Distributions.betaQuantile(1 - alpha, Double(x + 1), Double(n - x))
        return (lower, upper)
    }

    /// Two-sided exact p-value of x successes in n trials under success probability p (R: `binom.test(x, n, p)$p.value`).
    public static func twoSidedP(x: Int, n: Int, p: Double) -> Double {
        if p == 0 { return x == 0 ? 1 : 0 }
        if p == 1 { return x == n ? 1 : 0 }
        let relErr = 1 + 1e-7
        let d = Distributions.binomialDensity(x, n: n, p: p)
        let m = Double(n) * p
        if Double(x) == m { return 1 }
        let pValue: Double
        if Double(x) < m {
            var y = 0
            for i in Int(m.rounded(.up))...n where Distributions.binomialDensity(i, n: n, p: p) <= d * relErr { y += 1 }
            pValue = Distributions.binomialCDF(x, n: n, p: p) + Distributions.binomialCDF(n - y, n: n, p: p, lowerTail: false)
        } else {
            var y = 0
            for i in 0...Int(m.rounded(.down)) where Distributions.binomialDensity(i, n: n, p: p) <= d * relErr { y += 1 }
            pValue = Distributions.binomialCDF(y - 1, n: n, p: p) + Distributions.binomialCDF(x - 1, n: n, p: p, lowerTail: false)
        }
        return min(1, pValue)
    }

    /// Two-sided mid-p: twice the smaller one-sided tail, counting half the probability of the observed outcome.
    public static func twoSidedMidP(x: Int, n: Int, p: Double) -> Double {
        let half = 0.5 * Distributions.binomialDensity(x, n: n, p: p)
        let lower = (x > 0 ? Distributions.binomialCDF(x - 1, n: n, p: p) : 0) + half
        let upper = Distributions.binomialCDF(x, n: n, p: p, lowerTail: false) + half
        return min(1, 2 * min(lower, upper))
    }
}
