import Testing
@testable import WardsleepKit

/// Proportions and their comparison against R (values from R 4.2.2, calls beside them).
@Suite struct ProportionTests {
    func close(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return b == 0 ? abs(a) < 1e-12 : abs(a - b) / abs(b) < 1e-6
    }

    @Test func exactIntervalOfAProportion() {
        // binom.test(12, 80)$conf.int
        let p = Proportion(x: 12, n: 80)
        #expect(p.estimate == 0.15 && close(p.lower, 0.0799815613097138) && close(p.upper, 0.247364111592898))
        // binom.test(30, 30)$conf.int
        let all = Proportion(x: 30, n: 30)
        #expect(close(all.lower, 0.884296691777972) && all.upper == 1)
        #expect(Proportion(x: 0, n: 0).estimate == nil)
    }

    @Test func wilsonIntervalMatchesPropTest() {
        // prop.test(12, 80, correct = FALSE)$conf.int
        let w = ProportionComparison.wilson(x: 12, n: 80)
        #expect(close(w.lower, 0.0879404050616355) && close(w.upper, 0.244132285613233))
    }

    @Test func newcombeDifferenceMatchesTheHandComputation() {
        // w1 <- prop.test(x1, n1, correct = FALSE)$conf.int; w0 <- prop.test(x0, n0, correct = FALSE)$conf.int
        // d - sqrt((p1 - w1[1])^2 + (w0[2] - p0)^2), d + sqrt((w1[2] - p1)^2 + (p0 - w0[1])^2)
        let cases: [(Int, Int, Int, Int, Double, Double, Double)] = [
            (12, 80, 25, 85, -0.144117647058824, -0.265284089085234, -0.0164380294430166),
            (0, 20, 5, 22, -0.227272727272727, -0.434399531752217, -0.0227049271206566),
            (30, 30, 20, 40, 0.5, 0.31347737207194, 0.648004730665346),
            (5, 10, 5, 10, 0, -0.372513623819914, 0.372513623819914),
        ]
        for (x1, n1, x0, n0, d, lo, hi) in cases {
            let r = ProportionComparison.newcombeDifference(x1: x1, n1: n1, x0: x0, n0: n0)!
            #expect(close(r.difference, d) && close(r.lower, lo) && close(r.upper, hi), "\(x1)/\(n1) vs \(x0)/\(n0)")
        }
    }

    @Test func fisherExactMatchesR() {
        // fisher.test(matrix(c(x1, n1 - x1, x0, n0 - x0), 2))$p.value
        #expect(close(ProportionComparison.fisherExactP(a: 12, b: 68, c: 25, d: 60), 0.0391112629780876))
        #expect(close(ProportionComparison.fisherExactP(a: 0, b: 20, c: 5, d: 17), 0.0491825247922809))
        #expect(close(ProportionComparison.fisherExactP(a: 30, b: 0, c: 20, d: 20), 1.28194020085723e-06))
        #expect(close(ProportionComparison.fisherExactP(a: 5, b: 5, c: 5, d: 5), 1))
        // Counts of patients of a large trust, where every table cannot be visited.
        // fisher.test(matrix(c(412345, 587655, 398765, 601235), 2))$p.value
        #expect(close(ProportionComparison.fisherExactP(a: 412_345, b: 587_655, c: 398_765, d: 601_235), 3.66754597132881e-85))
        // fisher.test(matrix(c(5000, 995000, 5100, 994900), 2))$p.value
        #expect(close(ProportionComparison.fisherExactP(a: 5_000, b: 995_000, c: 5_100, d: 994_900), 0.323356708108912))
        // fisher.test(matrix(c(120, 880, 100, 900), 2))$p.value
        #expect(close(ProportionComparison.fisherExactP(a: 120, b: 880, c: 100, d: 900), 0.174407104104337))
    }

    /// The two ends found by bisection give R's sum over every table (its definition, evaluated here table by table)
    /// for small tables of every shape: empty cells, tables at the mode, on either side of it, and lopsided margins.
    @Test func fisherExactSumsWhatEveryTableSums() {
        func everyTable(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
            let m = a + b, n = c + d, k = a + c
            let observed = Distributions.hypergeometricDensity(a, m: m, n: n, k: k) * (1 + 1e-7)
            var p = 0.0
            for x in max(0, k - n)...min(k, m) {
                let px = Distributions.hypergeometricDensity(x, m: m, n: n, k: k)
                if px <= observed { p += px }
            }
            return min(1, p)
        }
        var random = SampleRandom(seed: 1935)
        for _ in 0..<3_000 {
            let a = Int(random.next() % 30), b = Int(random.next() % 30), c = Int(random.next() % 30), d = Int(random.next() % 60)
            guard a + b > 0, c + d > 0, a + c > 0, a + c < a + b + c + d else { continue }
            let p = ProportionComparison.fisherExactP(a: a, b: b, c: c, d: d)!
            let reference = everyTable(a, b, c, d)
            #expect(abs(p - reference) <= 1e-12 * max(reference, 1e-300) + 1e-15, "\(a) \(b) \(c) \(d): \(p) vs \(reference)")
        }
    }
}
