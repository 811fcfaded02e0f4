import CRmath

/// R's own distribution functions (libRmath), under Swift names. Nothing here is reimplemented.
public enum Distributions {
    /// Binomial probability mass, R's `dbinom(x, n, p)`.
    public static func binomialDensity(_ x: Int, n: Int, p: Double) -> Double { dbinom(Double(x), Double(n), p, 0) }

    /// Binomial distribution function, R's `pbinom(x, n, p, lower.tail)`.
    public static func binomialCDF(_ x: Int, n: Int, p: Double, lowerTail: Bool = true) -> Double {
        pbinom(Double(x), Double(n), p, lowerTail ? 1 : 0, 0)
    }

    /// Beta quantile, R's `qbeta(p, a, b)`.
    public static func betaQuantile(_ p: Double, _ a: Double, _ b: Double) -> Double { qbeta(p, a, b, 1, 0) }

    /// Standard normal quantile, R's `qnorm(p)`.
    public static func normalQuantile(_ p: Double) -> Double { qnorm5(p, 0, 1, 1, 0) }

    /// Hypergeometric probability mass, R's `dhyper(x, m, n, k)`.
    public static func hypergeometricDensity(_ x: Int, m: Int, n: Int, k: Int) -> Double {
        dhyper(Double(x), Double(m), Double(n), Double(k), 0)
    }

    /// Hypergeometric distribution function, R's `phyper(x, m, n, k, lower.tail)`.
    public static func hypergeometricCDF(_ x: Int, m: Int, n: Int, k: Int, lowerTail: Bool = true) -> Double {
        phyper(Double(x), Double(m), Double(n), Double(k), lowerTail ? 1 : 0, 0)
    }

    /// Standard normal distribution function, R's `pnorm(q, lower.tail)`.
    public static func normalCDF(_ q: Double, lowerTail: Bool = true) -> Double { pnorm5(q, 0, 1, lowerTail ? 1 : 0, 0) }

    /// Distribution of the Wilcoxon rank-sum statistic, R's `pwilcox(q, m, n, lower.tail)`.
    public static func wilcoxonCDF(_ q: Double, m: Int, n: Int, lowerTail: Bool = true) -> Double {
        pwilcox(q, Double(m), Double(n), lowerTail ? 1 : 0, 0)
    }

    /// Student t distribution function, R's `pt(q, df, lower.tail)`.
    public static func studentTCDF(_ q: Double, df: Double, lowerTail: Bool = true) -> Double { pt(q, df, lowerTail ? 1 : 0, 0) }

    /// Upper tail of the chi-square distribution, R's `pchisq(q, df, lower.tail = FALSE)`.
    public static func chiSquareUpperTail(_ q: Double, df: Double) -> Double { pchisq(q, df, 0, 0) }
}
