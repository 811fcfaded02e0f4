import Testing
@testable import WardsleepKit

/// The Making Data Count rules on hand-worked series. Limits are fixed at centre 10, 2σ lines 6 and 14, process limits
/// 4 and 16, so each expectation can be checked by eye.
@Suite struct ControlChartTests {
    let day = CalendarDay(year: 2018, month: 1, day: 1)!

    func series(_ values: [Double]) -> [ChartPoint] {
        values.enumerated().map { i, v in
            ChartPoint(label: "\(i)", start: day.adding(days: i), phase: .baseline, value: v, numerator: 0, denominator: 0,
                       centre: 10, upper: 16, lower: 4, upper2: 14, lower2: 6)
        }
    }

    func evaluate(_ values: [Double], _ p: SPCParameters = SPCParameters(), direction: ImprovementDirection = .decrease) -> [ChartPoint] {
        var points = series(values)
        SPC.applyRules(&points, parameters: p, direction: direction)
        return points
    }

    @Test func pointsOutsideTheLimits() {
        let r = evaluate([10, 10, 17, 10, 3])
        #expect(r.map(\.rules) == [[], [], ["outside limits"], [], ["outside limits"]])
        #expect(r.map(\.type) == [.commonCause, .commonCause, .concern, .commonCause, .improvement])  // lower is better
        #expect(evaluate([17], direction: .increase)[0].type == .improvement)
        #expect(evaluate([17], direction: .neither)[0].type == .neutral)
    }

    @Test func shiftNeedsSevenOnOneSideAndAPointOnTheCentreBreaksIt() {
        #expect(evaluate([11, 11, 11, 11, 11, 11, 11]).allSatisfy { $0.rules == ["shift"] && $0.type == .concern })
        #expect(evaluate([9, 11, 11, 11, 11, 11, 11]).allSatisfy { $0.rules.isEmpty })              // only six above
        #expect(evaluate([11, 11, 11, 10, 11, 11, 11, 11]).allSatisfy { $0.rules.isEmpty })         // 10 is on the line
        #expect(evaluate([9, 9, 9, 9, 9, 9, 9, 9]).allSatisfy { $0.rules == ["shift"] && $0.type == .improvement })
        // The six-point option.
        let six = evaluate([9, 11, 11, 11, 11, 11, 11], SPCParameters(shift: 6))
        #expect(six.map { $0.rules.contains("shift") } == [false, true, true, true, true, true, true])
    }

    @Test func trendNeedsSevenStrictStepsAndATieBreaksIt() {
        let up = evaluate([5, 6, 7, 8, 9, 10.5, 11])  // crosses the centre, so no shift either
        #expect(up.allSatisfy { $0.rules == ["trend"] && $0.type == .concern })
        #expect(evaluate([5, 6, 7, 7, 8, 9, 10.5]).allSatisfy { $0.rules.isEmpty })  // the tie at 7 breaks it
        #expect(evaluate([5, 6, 7, 8, 9, 10.5]).allSatisfy { $0.rules.isEmpty })     // only six points
        let down = evaluate([12, 11, 10.5, 9, 8, 7, 6.5, 12])
        #expect(down.prefix(7).allSatisfy { $0.rules == ["trend"] && $0.type == .improvement } && down[7].rules.isEmpty)
        let six = evaluate([5, 6, 7, 8, 9, 10.5], SPCParameters(trend: 6))
        #expect(six.allSatisfy { $0.rules == ["trend"] })
    }

    @Test func twoOfThreeBeyondTwoSigmaInBothModes() {
        // 15 lies in the 2σ–3σ band; 17 is beyond 3σ.
        let mdc = evaluate([10, 15, 17, 10])
        #expect(mdc[1].rules == ["two of three beyond 2σ"] && mdc[2].rules == ["outside limits", "two of three beyond 2σ"])
        let legacy = evaluate([10, 15, 17, 10], SPCParameters(twoInThree: .legacy))
        #expect(legacy[1].rules.isEmpty && legacy[2].rules == ["outside limits"])
        for mode in [TwoInThreeRule.mdc2023, .legacy] {
            let both = evaluate([10, 15, 10, 14.5, 10], SPCParameters(twoInThree: mode))
            #expect(both.map { $0.rules.isEmpty } == [true, false, true, false, true])
            #expect(evaluate([5, 10, 5.5], SPCParameters(twoInThree: mode)).map(\.type) == [.improvement, .commonCause, .improvement])
            #expect(evaluate([15, 10, 10, 15], SPCParameters(twoInThree: mode)).allSatisfy { $0.rules.isEmpty })  // not within three
        }
    }

    @Test func improvementWinsWhenBothFire() {
        // Seven points above the centre (a shift up: concern) that fall steadily (a trend down: improvement).
        let r = evaluate([15.5, 15, 14.5, 13, 12, 11, 10.5])
        #expect(r[3].rules == ["shift", "trend"])
        #expect(r.allSatisfy { $0.type == .improvement })
    }

    func counted(_ counts: [Double], _ exposures: [Double], phases: [StudyPeriod]) -> [ChartPoint] {
        zip(zip(counts, exposures), phases).enumerated().map { i, x in
            ChartPoint(label: "\(i)", start: day.adding(days: 30 * i), phase: x.1, value: 0, numerator: x.0.0, denominator: x.0.1,
                       centre: 0, upper: 0, lower: 0, upper2: 0, lower2: 0)
        }
    }

    @Test func uChartLimitsFromTheBaselineFrozenIntoThePilot() {
        // ū = (2 + 4 + 6) / 300 = 0.04; at n = 100: 0.04 ± 3·√(0.04/100) = 0.04 ± 0.06 → 0 (floored) to 0.1; per 1,000: 40, 0–100.
        // Pilot point at n = 400: 0.04 ± 3·√(0.0001) = 0.04 ± 0.03 → 10 to 70 per 1,000; its own value 5/400 = 12.5.
        let chart = SPC.uChart(counts([2, 4, 6, 5], [100, 100, 100, 400], [.baseline, .baseline, .baseline, .pilot]), scale: 1000,
                               title: "Incidents", unit: "per 1,000 OBD", direction: .decrease, parameters: SPCParameters())
        #expect(chart.points.map(\.centre).allSatisfy { abs($0 - 40) < 1e-9 })
        #expect(abs(chart.points[0].upper - 100) < 1e-9 && chart.points[0].lower == 0 && abs(chart.points[0].upper2 - 80) < 1e-9)
        #expect(abs(chart.points[3].upper - 70) < 1e-9 && abs(chart.points[3].lower - 10) < 1e-9 && chart.points[3].value == 12.5)
        #expect(chart.trialLimits && chart.baselinePoints == 3 && chart.icon == .commonCause)
    }

    func counts(_ c: [Double], _ e: [Double], _ p: [StudyPeriod]) -> [ChartPoint] { counted(c, e, phases: p) }

    @Test func pAndXmRLimits() {
        // p̄ = 30/200 = 0.15; σ at n = 100 = √(0.15·0.85/100) = 0.0357071; limits 4.2879% to 25.7121%.
        let p = SPC.pChart(counts([10, 20], [100, 100], [.baseline, .baseline]), title: "Share", direction: .increase,
                           parameters: SPCParameters())
        #expect(abs(p.points[0].upper - 25.71214) < 1e-4 && abs(p.points[0].lower - 4.28786) < 1e-4 && p.points[1].value == 20)
        // x̄ = 12; moving ranges 2, 1, 4 → MR̄ = 7/3; UCL = 12 + 2.66·7/3 = 18.2067; 2σ = 12 + 1.7733·7/3 = 16.1378.
        let x = SPC.xmr(series([10, 12, 11, 15]), title: "DDD", unit: "per 100 OBD", direction: .decrease, parameters: SPCParameters())
        #expect(abs(x.points[0].centre - 12) < 1e-9 && abs(x.points[0].upper - 18.20667) < 1e-4 && abs(x.points[0].upper2 - 16.13778) < 1e-4)
        // Screening: with a moving range of 40 among 2s, the screened MR̄ ignores it.
        let screened = SPC.xmr(series([10, 12, 10, 12, 10, 50, 52, 50, 52]), title: "x", unit: "", direction: .neither,
                               parameters: SPCParameters(screenOutliers: true))
        let unscreened = SPC.xmr(series([10, 12, 10, 12, 10, 50, 52, 50, 52]), title: "x", unit: "", direction: .neither,
                                 parameters: SPCParameters())
        #expect(screened.points[0].upper - screened.points[0].centre < unscreened.points[0].upper - unscreened.points[0].centre)
    }
}
