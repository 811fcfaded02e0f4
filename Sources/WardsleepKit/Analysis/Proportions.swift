import Foundation

/// A proportion x/n with its exact (Clopper–Pearson) interval, as R's `binom.test` gives it.
public struct Proportion: Sendable, Equatable, Codable {
    /// Successes.
    public var x: Int
    /// Trials.
    public var n: Int
    /// x/n; `nil` when n = 0.
    public var estimate: Double?
    /// Lower bound.
    public var lower: Double?
    /// Upper bound.
    public var upper: Double?

    /// x/n with its exact interval.
    public init(x: Int, n: Int, confidence: Double = 0.95) {
        self.x = x
        self.n = n
        guard n > 0 else { return }
        estimate = Double(x) / Double(n)
        (lower, upper) = BinomialTest.clopperPearson(x: x, n: n, confidence: confidence)
    }
}

/// Comparisons of two proportions.
public enum ProportionComparison {
    /// Wilson score interval without continuity correction (R: `prop.test(x, n, correct = FALSE)$conf.int`).
    public static func wilson(x: Int, n: Int, confidence: Double = 0.95) -> (lower: Double, upper: Double) {
        let z = Distributions.normalQuantile(1 - (1 - confidence) / 2)
        let nn = Double(n), p = Double(x) / nn, z2 = z * z
        let centre = (p + z2 / (2 * nn)) / (1 + z2 / nn)
        let half = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot() / (1 + z2 / nn)
        return (max(0, centre - half), min(1, centre + half))
    }

    /// The difference p1 − p0 with Newcombe's hybrid score interval (method 10, from two Wilson intervals).
    public static func newcombeDifference(x1: Int, n1: Int, x0: Int, n0: Int, confidence: Double = 0.95)
        -> (difference: Double, lower: Double, upper: Double)?
    {
        guard n1 > 0, n0 > 0 else { return nil }
        let p1 = Double(x1) / Double(n1), p0 = Double(x0) / Double(n0)
        let w1 = wilson(x: x1, n: n1, confidence: confidence), w0 = wilson(x: x0, n: n0, confidence: confidence)
        let d = p1 - p0
        let lower = d - ((p1 - w1.lower) * (p1 - w1.lower) + (w0.upper - p0) * (w0.upper - p0)).squareRoot()
        let upper = d + ((w1.upper - p1) * (w1.upper - p1) + (p0 - w0.lower) * (p0 - w0.lower)).squareRoot()
        return (d, lower, upper)
    }

    /// Two-sided Fisher's exact p for the 2×2 table [[a, b], [c, d]] (R: `fisher.test(matrix(c(a, b, c, d), 2))`,
    /// the sum of table probabilities no larger than the observed one).
    ///
    /// R evaluates every table with the margins observed, which takes as long as the counts are large (patients of a
    /// trust: hundreds of thousands). The density rises to its mode, ⌊(k+1)(m+1)/(m+n+2)⌋, and falls after it, so the
    /// tables no more likely than the one observed are the two ends of the range; where each end stops is found by
    /// bisection, and each end is summed by the distribution function: the same sum in O(log n) steps.
    public static func fisherExactP(a: Int, b: Int, c: Int, d: Int) -> Double? {
        let m = a + b, n = c + d, k = a + c
        guard m > 0, n > 0, k > 0, k < m + n else { return m + n > 0 ? 1 : nil }
        let lo = max(0, k - n), hi = min(k, m)
        let observed = Distributions.hypergeometricDensity(a, m: m, n: n, k: k) * (1 + 1e-7)
        let unlikely = { (x: Int) in Distributions.hypergeometricDensity(x, m: m, n: n, k: k) <= observed }
        let mode = min(hi, max(lo, Int((Double(k + 1) * Double(m + 1) / Double(m + n + 2)).rounded(.down))))
        // Rising side: unlikely tables are lo..<left. Falling side: right...hi.
        let left = BinomialTest.firstIndex(in: lo, mode, where: { !unlikely($0) })
        let right = BinomialTest.firstIndex(in: mode + 1, hi, where: unlikely)
        let lower = left > lo ? Distributions.hypergeometricCDF(left - 1, m: m, n: n, k: k) : 0
        let upper = right <= hi ? Distributions.hypergeometricCDF(right - 1, m: m, n: n, k: k, lowerTail: false) : 0
        return min(1, lower + upper)
    }
}
