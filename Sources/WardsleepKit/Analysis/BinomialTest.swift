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
    ///
    /// R counts the outcomes on the far side of the mean no more likely than x by evaluating every one of them, which
    /// takes as long as n is large (n is a count of tablets here, so one row of 100,000,000 would take minutes). The
    /// binomial density falls steadily away from its mode, which lies within one of the mean, so those outcomes form
    /// one run at the end of the far side, and its length is found by bisection: the same count in O(log n) steps.
    public static func twoSidedP(x: Int, n: Int, p: Double) -> Double {
        if p == 0 { return x == 0 ? 1 : 0 }
        if p == 1 { return x == n ? 1 : 0 }
        let relErr = 1 + 1e-7
        let d = Distributions.binomialDensity(x, n: n, p: p)
        let m = Double(n) * p
        if Double(x) == m { return 1 }
        let pValue: Double
        let unlikely = { (i: Int) in Distributions.binomialDensity(i, n: n, p: p) <= d * relErr }
        if Double(x) < m {
            // Above the mean the density falls as i rises: the unlikely outcomes are i ≥ first.
            let first = firstIndex(in: Int(m.rounded(.up)), n, where: unlikely)
            let y = n + 1 - first
            pValue = Distributions.binomialCDF(x, n: n, p: p) + Distributions.binomialCDF(n - y, n: n, p: p, lowerTail: false)
        } else {
            // Below the mean the density falls as i falls: the unlikely outcomes are i < first likely one.
            let y = firstIndex(in: 0, Int(m.rounded(.down)), where: { !unlikely($0) })
            pValue = Distributions.binomialCDF(y - 1, n: n, p: p) + Distributions.binomialCDF(x - 1, n: n, p: p, lowerTail: false)
        }
        return min(1, pValue)
    }

    /// The first i in lo...hi for which `holds` is true, or hi + 1; `holds` must be false then true along the range.
    static func firstIndex(in lo: Int, _ hi: Int, where holds: (Int) -> Bool) -> Int {
        var lo = lo, hi = hi + 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if holds(mid) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Two-sided mid-p: twice the smaller one-sided tail, counting half the probability of the observed outcome.
    public static func twoSidedMidP(x: Int, n: Int, p: Double) -> Double {
        let half = 0.5 * Distributions.binomialDensity(x, n: n, p: p)
        let lower = (x > 0 ? Distributions.binomialCDF(x - 1, n: n, p: p) : 0) + half
        let upper = Distributions.binomialCDF(x, n: n, p: p, lowerTail: false) + half
        return min(1, 2 * min(lower, upper))
    }
}
