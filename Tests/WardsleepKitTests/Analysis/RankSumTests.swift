import Testing
@testable import WardsleepKit

/// Wilcoxon rank-sum and quantiles against R 4.2.2.
@Suite struct RankSumTests {
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) / abs(b) < 1e-6 }
    func distribution(_ counts: [Int]) -> RatingDistribution {
        var d = RatingDistribution()
        for (i, c) in counts.enumerated() { for _ in 0..<c { d.add(i + 1) } }
        return d
    }

    @Test func tiedRatingsUseTheCorrectedNormalApproximation() {
        // after <- c(rep(1,2),rep(2,5),rep(3,10),rep(4,12),rep(5,6)); before <- c(rep(1,6),rep(2,9),rep(3,8),rep(4,4),rep(5,1))
        // wilcox.test(after, before): W = 713.5, p-value = 0.00151844933842099
        let after = distribution([2, 5, 10, 12, 6]), before = distribution([6, 9, 8, 4, 1])
        let t = RankSumTest(after, before)!
        #expect(t.statistic == 713.5 && close(t.p, 0.00151844933842099) && !t.exact)
        // The same samples listed one rating at a time give the same test to the last bit.
        func listed(_ d: RatingDistribution) -> [Double] { d.counts.enumerated().flatMap { Array(repeating: Double($0.offset + 1), count: $0.element) } }
        #expect(RankSumTest(listed(after), listed(before)) == t)
        // wilcox.test(c(4,4,4,5,5), c(2,2,3,3,3,4)): W = 28.5, p-value = 0.0137095618559283
        let small = RankSumTest([4, 4, 4, 5, 5], [2, 2, 3, 3, 3, 4])!
        #expect(small.statistic == 28.5 && close(small.p, 0.0137095618559283))
    }

    @Test func untiedSmallSamplesUseTheExactDistribution() {
        // wilcox.test(c(3.1, 4.5, 2.2, 5.0), c(1.0, 2.5, 1.7)): W = 11, p-value = 0.114285714285714
        let t = RankSumTest([3.1, 4.5, 2.2, 5.0], [1.0, 2.5, 1.7])!
        #expect(t.statistic == 11 && close(t.p, 0.114285714285714) && t.exact)
        #expect(RankSumTest([], [1]) == nil)
    }

    @Test func millionsOfRatingsAreTestedFromTheirCounts() {
        // Counts no response list should have to hold: the test reads the five counts, and t^3 - t for a tie of
        // 3 million ratings (beyond Int64) does not overflow.
        // after <- rep(1:5, c(1e6, 2e6, 3e6, 2.5e6, 1.5e6)); before <- rep(1:5, c(2e6, 3e6, 2.5e6, 1.5e6, 1e6))
        // wilcox.test(after, before): W = 61625000000000, p-value = 0 (below the smallest double)
        // median(after) = 3; median(before) = 2.5; wilcox.test(after, after): W = 5e13, p-value = 1
        func counted(_ counts: [Int]) -> RatingDistribution {
            var d = RatingDistribution()
            d.counts = counts
            return d
        }
        let after = counted([1_000_000, 2_000_000, 3_000_000, 2_500_000, 1_500_000])
        let before = counted([2_000_000, 3_000_000, 2_500_000, 1_500_000, 1_000_000])
        let t = RankSumTest(after, before)!
        #expect(t.statistic == 61_625_000_000_000 && t.p == 0 && !t.exact)
        #expect(after.quantile(0.5) == 3 && before.quantile(0.5) == 2.5)
        let same = RankSumTest(after, after)!
        #expect(same.statistic == 50_000_000_000_000 && same.p == 1)
        // after <- rep(1:5, c(100000, 200000, 300000, 250000, 150001)); before <- rep(1:5, c(100500, 200000, 300000, 250000, 149000))
        // wilcox.test(after, before): W = 500400925000, p-value = 0.10110004407132996
        let near = RankSumTest(counted([100_000, 200_000, 300_000, 250_000, 150_001]), counted([100_500, 200_000, 300_000, 250_000, 149_000]))!
        #expect(near.statistic == 500_400_925_000 && close(near.p, 0.10110004407132996))
    }

    @Test func quantilesAreRsTypeSeven() {
        // quantile(after): 1 3 4 4 5; quantile(before): 1 2 2 3 5; quantile(c(1,2,2,5)): 1 1.75 2 2.75 5
        let after = distribution([2, 5, 10, 12, 6]), before = distribution([6, 9, 8, 4, 1])
        #expect([0, 0.25, 0.5, 0.75, 1].map { after.quantile($0)! } == [1, 3, 4, 4, 5])
        #expect([0, 0.25, 0.5, 0.75, 1].map { before.quantile($0)! } == [1, 2, 2, 3, 5])
        let d = distribution([1, 2, 0, 0, 1])
        #expect([0.25, 0.5, 0.75].map { d.quantile($0)! } == [1.75, 2, 2.75])
        #expect(RatingDistribution().quantile(0.5) == nil)
    }
}
