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
        let all = (x.map { ($0, true) } + y.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var levels: [(x: Int, y: Int)] = []
        var i = 0
        while i < all.count {
            var level = (x: 0, y: 0)
            let value = all[i].0
            while i < all.count && all[i].0 == value {
                if all[i].1 { level.x += 1 } else { level.y += 1 }
                i += 1
            }
            levels.append(level)
        }
        self.init(levels: levels)
    }

    /// Tests ratings `x` against ratings `y` from their counts: memory and time do not grow with the responses.
    public init?(_ x: RatingDistribution, _ y: RatingDistribution) {
        self.init(levels: zip(x.counts, y.counts).map { (x: $0, y: $1) }.filter { $0.x + $0.y > 0 })
    }

    /// The test from the distinct values in ascending order, each with how many of x and of y hold it. Every rank is a
    /// multiple of one half and every sum below 2^53, so the rank sum is exact whichever way it is added up.
    init?(levels: [(x: Int, y: Int)]) {
        let nx = levels.reduce(0) { $0 + $1.x }, ny = levels.reduce(0) { $0 + $1.y }
        guard nx > 0, ny > 0 else { return nil }
        var below = 0.0, rankSumX = 0.0, tieTerm = 0.0, ties = false
        for level in levels {
            let t = Double(level.x + level.y)
            // The values at this level take ranks below + 1 … below + t, each the average of them.
            rankSumX += Double(level.x) * (below + (t + 1) / 2)
            below += t
            tieTerm += t * t * t - t
            if t > 1 { ties = true }
        }
        let mx = Double(nx), my = Double(ny)
        let w = rankSumX - mx * (mx + 1) / 2
        statistic = w
        if nx < 50 && ny < 50 && !ties {
            exact = true
            let half = mx * my / 2
            let pOne = w > half ? Distributions.wilcoxonCDF(w - 1, m: nx, n: ny, lowerTail: false)
                : Distributions.wilcoxonCDF(w, m: nx, n: ny)
            p = min(2 * pOne, 1)
        } else {
            exact = false
            let n = mx + my, m = mx * my
            let sigma = ((m / 12) * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
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
    /// In a released copy: which ratings' counts are suppressed (their `counts` are then 0), and the number of ratings
    /// as published (`*` when suppressed; `nil`: not a released copy). Not encoded.
    public var suppressed = [Bool](repeating: false, count: 5)
    public var publishedTotal: String?

    private enum CodingKeys: String, CodingKey { case counts, withheld }

    /// Creates an empty distribution.
    public init() {}

    /// Adds one rating (1–5).
    public mutating func add(_ rating: Int) { counts[rating - 1] += 1 }

    /// Number of ratings.
    public var n: Int { counts.reduce(0, +) }

    /// The quantile as R's `quantile(x, p)` (type 7) computes it, read from the counts: the ratings are never listed.
    public func quantile(_ p: Double) -> Double? {
        guard !withheld else { return nil }
        let total = n
        guard total > 0 else { return nil }
        let h = Double(total - 1) * p
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, total - 1)
        let a = rating(at: lo), b = rating(at: hi)
        return a + (h - Double(lo)) * (b - a)
    }

    /// The rating at place `k` (from 0) of the ratings in order.
    func rating(at k: Int) -> Double {
        var seen = 0
        for (i, c) in counts.enumerated() {
            seen += c
            if k < seen { return Double(i + 1) }
        }
        return Double(counts.count)
    }
}
