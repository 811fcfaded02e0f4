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
        let t = RankSumTest(after.values, before.values)!
        #expect(t.statistic == 713.5 && close(t.p, 0.00151844933842099) && !t.exact)
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
