/// The Wilcoxon rank-sum (Mann–Whitney) test exactly as R's `wilcox.test(x, y)` does it: the exact distribution when
/// both samples are under 50 and there are no ties, otherwise the normal approximation with tie and continuity
/// corrections.
public struct RankSumTest: Sendable, Equatable, Codable {
    /// W: the rank sum of x minus nx(nx+1)/2.
    public var statistic: Double
    /// Two-sided p-value.
    public var p: Double
    /// Whether the exact distribution was used.
    public var exact: Bool

    /// Tests x against y; `nil` when either sample is empty.
    public init?(_ x: [Double], _ y: [Double]) {
        let nx = x.count, ny = y.count
        guard nx > 0, ny > 0 else { return nil }
        let all = (x.map { ($0, true) } + y.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var ranks = [Double](repeating: 0, count: all.count)
        var tieSizes: [Int] = []
        var i = 0
        while i < all.count {
            var j = i
            while j + 1 < all.count && all[j + 1].0 == all[i].0 { j += 1 }
            let rank = Double(i + j + 2) / 2
            for k in i...j { ranks[k] = rank }
            tieSizes.append(j - i + 1)
            i = j + 1
        }
        let rankSumX = zip(all, ranks).filter { $0.0.1 }.reduce(0.0) { $0 + $1.1 }
        let w = rankSumX - Double(nx * (nx + 1)) / 2
        statistic = w
        let ties = tieSizes.contains { $0 > 1 }
        if nx < 50 && ny < 50 && !ties {
            exact = true
            let half = Double(nx * ny) / 2
            let pOne = w > half ? Distributions.wilcoxonCDF(w - 1, m: nx, n: ny, lowerTail: false)
                : Distributions.wilcoxonCDF(w, m: nx, n: ny)
            p = min(2 * pOne, 1)
        } else {
            exact = false
            let n = Double(nx + ny), m = Double(nx * ny)
            let tieTerm = tieSizes.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) } / (n * (n - 1))
            let sigma = ((m / 12) * ((n + 1) - tieTerm)).squareRoot()
            var z = w - m / 2
            let correction = z > 0 ? 0.5 : (z < 0 ? -0.5 : 0)
            z = (z - correction) / sigma
            p = sigma == 0 ? 1 : 2 * min(Distributions.normalCDF(z), Distributions.normalCDF(z, lowerTail: false))
        }
    }
}

/// Summary of ratings on a 1–5 scale, kept as counts per value (memory flat whatever the number of responses).
public struct RatingDistribution: Sendable, Equatable, Codable {
    /// Responses per rating, index 0 for rating 1.
    public var counts = [Int](repeating: 0, count: 5)
    /// Withheld by disclosure control: a rating's count is suppressed, so no quantile or test is computed from it.
    public var withheld = false

    /// Creates an empty distribution.
    public init() {}

    /// Adds one rating (1–5).
    public mutating func add(_ rating: Int) { counts[rating - 1] += 1 }

    /// Number of ratings.
    public var n: Int { counts.reduce(0, +) }

    /// The ratings in order.
    public var values: [Double] { counts.enumerated().flatMap { Array(repeating: Double($0.offset + 1), count: $0.element) } }

    /// The quantile as R's `quantile(x, p)` (type 7) computes it.
    public func quantile(_ p: Double) -> Double? {
        guard !withheld else { return nil }
        let v = values
        guard !v.isEmpty else { return nil }
        let h = Double(v.count - 1) * p
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, v.count - 1)
        return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
    }
}
