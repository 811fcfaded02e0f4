import Testing
@testable import WardsleepKit

/// Exact rate ratios against R. Every expected value was computed in R 4.2.2 with the call shown beside it.
@Suite struct RateRatioTests {
    /// Relative agreement to 1e-6 (absolute for values at or near zero; infinities must match exactly).
    func close(_ a: Double?, _ b: Double, tolerance: Double = 1e-6) -> Bool {
        guard let a else { return false }
        if a.isInfinite || b.isInfinite { return a == b }
        if b == 0 { return abs(a) < 1e-12 }
        return abs(a - b) / abs(b) < tolerance
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var x1: Int, t1: Double, x0: Int, t0: Double
        var estimate: Double, lower: Double, upper: Double, p: Double, midp: Double
        var testDescription: String { "(\(x1)/\(t1) vs \(x0)/\(t0))" }
    }

    // estimate, conf.int and p.value: poisson.test(c(x1, x0), c(t1, t0))
    // midp: epitools::rateratio(matrix(c(x0, x1, t0, t1), 2, 2), method = "midp")$p.value[2, "midp.exact"], and the same
    //   by hand: n <- x1 + x0; p <- t1/(t1 + t0); 2 * min(pbinom(x1 - 1, n, p) + dbinom(x1, n, p)/2,
    //   pbinom(x1, n, p, lower.tail = FALSE) + dbinom(x1, n, p)/2)  (epitools loses precision for 781 vs 483)
    static let cases: [Case] = [
        Case(x1: 10, t1: 1000, x0: 5, t0: 1000, estimate: 2, lower: 0.622859554349357, upper: 7.4572959108575,
             p: 0.3017578125, midp: 0.210113525390625),
        Case(x1: 0, t1: 1000, x0: 5, t0: 1000, estimate: 0, lower: 0, upper: 1.09127910518255, p: 0.0625, midp: 0.03125),
        Case(x1: 5, t1: 1000, x0: 0, t0: 1000, estimate: .infinity, lower: 0.91635585731546, upper: .infinity,
             p: 0.0625, midp: 0.03125),
        Case(x1: 781, t1: 1, x0: 483, t0: 1, estimate: 1.61697722567288, lower: 1.44169180123267, upper: 1.81501324702812,
             p: 4.76170690838248e-17, midp: 3.84367617413652e-17),
        Case(x1: 173, t1: 26639, x0: 174, t0: 26880, estimate: 1.00324776610906, lower: 0.808131087712529,
             upper: 1.2454302352613, p: 1, midp: 0.975883577368082),
        Case(x1: 1, t1: 150.5, x0: 1, t0: 150.5, estimate: 1, lower: 0.0127393670836666, upper: 78.4968353162628, p: 1, midp: 1),
        Case(x1: 3, t1: 2000, x0: 12, t0: 1800, estimate: 0.225, lower: 0.0407455772449254, upper: 0.833740374345934,
             p: 0.0170199774883762, midp: 0.0124601711797943),
        Case(x1: 20, t1: 26639, x0: 35, t0: 26880, estimate: 0.576598220653929, lower: 0.315402145823757,
             upper: 1.02683456597928, p: 0.0582034349766411, midp: 0.0476353244856659),
        Case(x1: 0, t1: 500, x0: 1, t0: 700, estimate: 0, lower: 0, upper: 54.6, p: 1, midp: 0.583333333333333),
        Case(x1: 50, t1: 1200, x0: 50, t0: 1200, estimate: 1, lower: 0.662016150200652, upper: 1.51053716695115, p: 1, midp: 1),
        Case(x1: 7, t1: 3000, x0: 2, t0: 1000, estimate: 1.16666666666667, lower: 0.222135593402605, upper: 11.5101076844773,
             p: 1, midp: 0.901016235351562),
        Case(x1: 100, t1: 5000, x0: 130, t0: 5200, estimate: 0.8, lower: 0.610149853688269, upper: 1.04631738357606,
             p: 0.0991771095433486, midp: 0.093086475904828),
        Case(x1: 2, t1: 10, x0: 30, t0: 40, estimate: 0.266666666666667, lower: 0.0308795051331597, upper: 1.05094783684091,
             p: 0.0727795860292464, midp: 0.0388217996319895),
    ]

    @Test(arguments: cases) func agreesWithRsPoissonTest(_ c: Case) {
        let r = exactRateRatio(x1: c.x1, t1: c.t1, x0: c.x0, t0: c.t0)
        #expect(close(r.estimate, c.estimate))
        #expect(close(r.lower, c.lower))
        #expect(close(r.upper, c.upper))
        #expect(close(r.pExact, c.p))
        #expect(close(r.pMidP, c.midp))
    }

    @Test(arguments: cases) func intervalContainsTheEstimateAndPValuesAreProbabilities(_ c: Case) {
        let r = exactRateRatio(x1: c.x1, t1: c.t1, x0: c.x0, t0: c.t0)
        #expect(r.lower! <= r.estimate! && r.estimate! <= r.upper!)
        #expect((0...1).contains(r.pExact!) && (0...1).contains(r.pMidP!))
        #expect(r.pMidP! <= r.pExact! + 1e-12)
    }

    @Test func bothCountsZeroIsNotEstimableNeverNaN() {
        let r = exactRateRatio(x1: 0, t1: 100, x0: 0, t0: 100)
        #expect(r.estimate == nil && r.lower == nil && r.upper == nil && r.pExact == nil)
        #expect(r.direction == .notEstimable)
    }

    @Test func directionFollowsTheIntervalNotTheRawCounts() {
        // 173 -> 174 over similar exposure: no evidence of a change, although the count rose.
        #expect(exactRateRatio(x1: 174, t1: 26880, x0: 173, t0: 26639).direction == .noEvidence)
        #expect(exactRateRatio(x1: 781, t1: 1, x0: 483, t0: 1).direction == .increase)
        #expect(exactRateRatio(x1: 3, t1: 2000, x0: 12, t0: 1800).direction == .decrease)
    }

    @Test func clopperPearsonAndBinomialTestMatchR() {
        // binom.test(3, 10)$conf.int; binom.test(3, 10, p = 0.6)$p.value
        let (lo, hi) = BinomialTest.clopperPearson(x: 3, n: 10)
        #expect(close(lo, 0.0667395111777345) && close(hi, 0.652452850059997))
        #expect(close(BinomialTest.twoSidedP(x: 3, n: 10, p: 0.6), 0.1011192832))
    }

    // Four wards: pilot events a, pilot exposure T1, baseline events b, baseline exposure T0.
    static let strata = [
        RateStratum(x1: 30, t1: 3800, x0: 41, t0: 3900), RateStratum(x1: 12, t1: 2900, x0: 15, t0: 3000),
        RateStratum(x1: 45, t1: 4100, x0: 44, t0: 4000), RateStratum(x1: 8, t1: 2500, x0: 16, t0: 2600),
    ]

    @Test func mantelHaenszelMatchesEpiRAndTheHandComputation() {
        // tab[, , i] <- matrix(c(a[i], b[i], T1[i], T0[i]), 2, 2)
        // epiR::epi.2by2(as.table(tab), method = "cohort.time")$massoc.detail$IRR.mh.wald
        //   est 0.824601657788816, lower 0.628506353130383, upper 1.08187911011777
        let r = mantelHaenszelRateRatio(strata: RateRatioTests.strata)
        #expect(close(r.estimate, 0.824601657788816))
        #expect(close(r.lower, 0.628506353130383))
        #expect(close(r.upper, 1.08187911011777))
        #expect(r.strata == 4)
        // Homogeneity, by hand in R: M <- a + b; E <- M*rr*T1/(rr*T1 + T0); V <- M*rr*T1*T0/(rr*T1 + T0)^2
        //   chi <- sum((a - E)^2/V) = 2.11677093762414; pchisq(chi, 3, lower.tail = FALSE) = 0.548527346825112
        #expect(close(r.homogeneityChiSquare, 2.11677093762414))
        #expect(r.homogeneityDF == 3)
        #expect(close(r.homogeneityP, 0.548527346825112))
    }

    @Test func ratioOfRateRatiosMatchesTheHandComputation() {
        // mh() on wards 1-2 and on wards 3-4 as above; l <- log(rr1) - log(rr2); se <- sqrt(v1 + v2)
        // exp(l) = 0.883297851171672; exp(l -/+ qnorm(0.975)*se) = 0.512167548697506, 1.523359095805
        let a = mantelHaenszelRateRatio(strata: Array(RateRatioTests.strata[0..<2]))
        let b = mantelHaenszelRateRatio(strata: Array(RateRatioTests.strata[2..<4]))
        let r = ratioOfRateRatios(a, b)!
        #expect(close(r.estimate, 0.883297851171672) && close(r.lower, 0.512167548697506) && close(r.upper, 1.523359095805))
    }

    @Test func pooledRatioIgnoresStrataWithoutExposureAndNeedsEventsInBothPeriods() {
        let r = mantelHaenszelRateRatio(strata: RateRatioTests.strata + [RateStratum(x1: 5, t1: 100, x0: 0, t0: 0)])
        #expect(r.strata == 4 && close(r.estimate, 0.824601657788816))
        #expect(mantelHaenszelRateRatio(strata: [RateStratum(x1: 0, t1: 10, x0: 0, t0: 10)]).estimate == nil)
        #expect(mantelHaenszelRateRatio(strata: [RateStratum(x1: 4, t1: 10, x0: 3, t0: 10)]).homogeneityP == nil)
    }
}
