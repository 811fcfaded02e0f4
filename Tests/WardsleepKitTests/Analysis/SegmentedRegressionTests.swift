import Foundation
import Testing
@testable import WardsleepKit

/// The IRLS fitter and the segmented regression against R's `glm(..., family = quasipoisson)`, every expected value
/// printed by R 4 (`options(digits = 15)`) with the call beside it, to 1e-6.
@Suite struct SegmentedRegressionTests {
    /// Acute coronary events in Sicily, 2002–2006, people aged 0–69 (`aces`), and the age-standardised population
    /// (`stdpop`); a smoking ban from January 2005 (month 37). Lopez Bernal, Cummins & Gasparrini, Interrupted time series
    /// regression for the evaluation of public health interventions: a tutorial, IJE 2017;46:348–355 (`sicily.csv` in
    /// github.com/gasparrini/2017_lopezbernal_IJE_codedata).
    static let aces: [Double] = [728, 659, 791, 734, 757, 726, 760, 740, 720, 814, 795, 858, 887, 766, 851, 769, 781, 756, 766, 752, 765, 831, 879, 928, 914, 808, 937, 840, 916, 828, 845, 818, 860, 839, 887, 886, 831, 796, 833, 820, 877, 758, 767, 738, 781, 843, 850, 908, 1021, 859, 976, 888, 962, 838, 810, 876, 843, 936, 912]
    static let stdpop: [Double] = [379875.3, 376495.5, 377040.8, 377116.4, 377383.4, 374113.1, 379513.3, 376295.5, 374653.2, 378485.6, 375955.5, 378349.7, 376762.4, 379032.3, 379360.4, 376162, 377972.4, 381830.7, 379888.6, 380872.2, 380966.9, 381240.4, 382104.9, 381802.7, 381656.3, 383680, 383504.2, 386462.9, 383783.1, 380836.8, 383483, 380906.2, 382926.8, 384052.4, 384449.6, 383428.4, 388153.2, 388373.2, 386470.1, 386033.2, 383686.4, 385509.3, 385901.9, 386516.6, 388436.5, 383255.2, 390148.7, 385874.9, 391613.6, 391750.4, 394005.6, 391364.9, 391664.6, 389022.3, 391878.5, 388575.3, 392989, 390018.8, 390712.3]

    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-6) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    /// The month index t of the study's calendar (t = 1 in January 2018), as a row's first day.
    func monthStart(_ t: Int) -> CalendarDay { CalendarDay(year: 2018 + (t - 1) / 12, month: (t - 1) % 12 + 1, day: 1)! }

    func row(_ ward: Int, _ t: Int, _ period: StudyPeriod, t0: Int, _ y: Double, _ exposure: Double) -> SegmentRow {
        SegmentRow(ward: ward, month: t, start: monthStart(t), period: period, pilotStart: t0, amount: y, events: Int(y), exposure: exposure)
    }

    // MARK: the published teaching dataset

    @Test func sicilyQuasiPoissonEqualsR() throws {
        // d <- read.csv("sicily.csv")
        // m <- glm(aces ~ offset(log(stdpop)) + smokban + time, family = quasipoisson, data = d)
        let n = Self.aces.count
        let fit = try PoissonRegression.fit(y: Self.aces, columns: [("(Intercept)", Array(repeating: 1, count: n)),
                                                                     ("smokban", (1...n).map { $0 >= 37 ? 1 : 0 }),
                                                                     ("time", (1...n).map(Double.init))],
                                            offset: Self.stdpop.map { log($0) }).get()
        // coef(summary(m))
        #expect(close(fit.coefficient("(Intercept)")?.estimate, -6.24315091046546655))
        #expect(close(fit.coefficient("smokban")?.estimate, -0.11162844255886184))
        #expect(close(fit.coefficient("time")?.estimate, 0.00494499203221466))
        #expect(close(fit.coefficient("smokban")?.standardError, 0.032495945360595344))
        #expect(close(fit.coefficient("time")?.standardError, 0.000941837877057088))
        #expect(close(fit.pValue("smokban"), 1.12213727010166e-03))
        #expect(close(fit.pValue("time"), 2.42672327058724e-06))
        // summary(m)$dispersion; summary(m)$df.residual
        #expect(close(fit.dispersion, 3.55919463201087))
        #expect(fit.dfResidual == 56)
        // exp(confint.default(m))["smokban", ]: the tutorial's smoking-ban rate ratio 0.894 (0.839 to 0.953)
        let ci = try #require(fit.interval("smokban"))
        #expect(close(exp(ci.lower), 0.83918900385891504) && close(exp(ci.upper), 0.95319330260111035))
    }

    @Test func sicilySegmentedEqualsR() throws {
        // d$slope <- d$smokban * (d$time - 37)
        // m2 <- glm(aces ~ time + smokban + slope + offset(log(stdpop)), family = quasipoisson, data = d)
        let rows = Self.aces.indices.map { i in
            SegmentRow(ward: 0, month: i + 1, start: CalendarDay(year: 2002 + i / 12, month: i % 12 + 1, day: 1)!, period: i + 1 >= 37 ? .pilot : .baseline,
                       pilotStart: 37, amount: Self.aces[i], events: Int(Self.aces[i]), exposure: Self.stdpop[i])
        }
        let m = try SegmentedRegression.fit(rows).get()
        // coef(summary(m2)); summary(m2)$dispersion; exp(confint.default(m2))
        #expect(close(m.fit.coefficient("(Intercept)")?.estimate, -6.241430679608401810))
        #expect(close(m.baselineTrend?.estimate, 0.004854916048203992))
        #expect(close(m.levelChange?.estimate, -0.113694180997359118))
        #expect(close(m.slopeChange?.estimate, 0.000416845349238304))
        #expect(close(m.fit.coefficient("post")?.standardError, 0.03473903232901299))
        #expect(close(m.baselineTrend?.p, 3.27567384435460e-05))
        #expect(close(m.levelChange?.p, 1.84337332265658e-03))
        #expect(close(m.slopeChange?.p, 8.57356577441875e-01))
        #expect(close(m.fit.dispersion, 3.62138520207297) && m.fit.dfResidual == 55)
        #expect(close(m.baselineTrend?.lower, 1.00275569167556200) && close(m.baselineTrend?.upper, 1.0069821930156229))
        #expect(close(m.levelChange?.lower, 0.83378355788913383) && close(m.levelChange?.upper, 0.9554174354940270))
        #expect(close(m.slopeChange?.lower, 0.99590109021126760) && close(m.slopeChange?.upper, 1.0049532510330397))
        #expect(close(m.levelChange?.rateRatio, exp(-0.113694180997359118)))
        #expect(m.fit.iterations == 3)  // m2$iter
    }

    @Test func aliasedColumnIsDroppedAsRDoes() throws {
        // d$time2 <- 2 * d$time
        // ma <- glm(aces ~ offset(log(stdpop)) + smokban + time + time2, family = quasipoisson, data = d)
        // coef(ma): time2 NA; the rest as without it
        let n = Self.aces.count
        let fit = try PoissonRegression.fit(y: Self.aces, columns: [("(Intercept)", Array(repeating: 1, count: n)),
                                                                     ("smokban", (1...n).map { $0 >= 37 ? 1 : 0 }),
                                                                     ("time", (1...n).map(Double.init)), ("time2", (1...n).map { 2 * Double($0) })],
                                            offset: Self.stdpop.map { log($0) }).get()
        #expect(fit.aliased == ["time2"])
        #expect(fit.coefficient("time2")?.estimate == nil && fit.pValue("time2") == nil)
        #expect(close(fit.coefficient("smokban")?.estimate, -0.11162844255886184))
        #expect(close(fit.coefficient("time")?.standardError, 0.000941837877057088))
        #expect(close(fit.dispersion, 3.55919463201087) && fit.dfResidual == 56)
    }

    // MARK: several wards, staggered

    /// Three wards: B's baseline ends in July 2018 (t = 1…7); C's pilot starts in March 2019 (t0 = 15).
    static let yA: [Double] = [12, 15, 11, 14, 18, 13, 16, 17, 10, 9, 12, 8, 11, 7, 9, 10]
    static let yB: [Double] = [20, 22, 19, 25, 21, 24, 23, 18, 19, 16, 17, 15, 14, 16, 13]
    static let yC: [Double] = [5, 7, 6, 4, 8, 6, 7, 9, 6, 5, 4, 5, 3, 4]
    static let oA: [Double] = [450, 430, 460, 455, 470, 440, 465, 450, 460, 445, 470, 455, 450, 440, 465, 460]
    static let oB: [Double] = [610, 600, 620, 615, 605, 625, 610, 600, 590, 615, 605, 600, 610, 595, 600]
    static let oC: [Double] = [300, 310, 295, 305, 300, 290, 310, 305, 300, 295, 305, 300, 290, 310]

    var staggered: [SegmentRow] {
        var rows: [SegmentRow] = []
        for i in 0..<8 { rows.append(row(0, i + 1, .baseline, t0: 13, Self.yA[i], Self.oA[i])) }
        for i in 0..<8 { rows.append(row(0, 13 + i, .pilot, t0: 13, Self.yA[8 + i], Self.oA[8 + i])) }
        for i in 0..<7 { rows.append(row(1, i + 1, .baseline, t0: 13, Self.yB[i], Self.oB[i])) }
        for i in 0..<8 { rows.append(row(1, 13 + i, .pilot, t0: 13, Self.yB[7 + i], Self.oB[7 + i])) }
        for i in 0..<8 { rows.append(row(2, i + 1, .baseline, t0: 15, Self.yC[i], Self.oC[i])) }
        for i in 0..<6 { rows.append(row(2, 15 + i, .pilot, t0: 15, Self.yC[8 + i], Self.oC[8 + i])) }
        return rows
    }

    @Test func staggeredWardsEqualR() throws {
        // m <- glm(y ~ t + post + I(post * (t - t0)) + ward + offset(log(obd)), family = quasipoisson, data = d)
        let m = try SegmentedRegression.fit(staggered).get()
        #expect(m.wards == [0, 1, 2])
        #expect(close(m.fit.coefficient("(Intercept)")?.estimate, -3.6208326385527716))
        #expect(close(m.baselineTrend?.estimate, 0.0345297513413083))
        #expect(close(m.levelChange?.estimate, -0.5442199476736113))
        #expect(close(m.slopeChange?.estimate, -0.0706070222142939))
        #expect(close(m.fit.coefficient("ward1")?.estimate, 0.1798051511376799))
        #expect(close(m.fit.coefficient("ward2")?.estimate, -0.4069696996429796))
        #expect(close(m.fit.coefficient("post")?.standardError, 0.1214772576745644))
        #expect(close(m.fit.coefficient("ward2")?.standardError, 0.0629912433233023))
        #expect(close(m.baselineTrend?.p, 5.96765686287504e-03))
        #expect(close(m.levelChange?.p, 6.35912134458311e-05))
        #expect(close(m.slopeChange?.p, 3.37098124907732e-04))
        // summary(m)$dispersion; summary(m)$df.residual
        #expect(close(m.fit.dispersion, 0.216455525851696) && m.fit.dfResidual == 39)
        // exp(confint.default(m))
        #expect(close(m.baselineTrend?.lower, 1.0113242908987718) && close(m.baselineTrend?.upper, 1.0595018571358326))
        #expect(close(m.levelChange?.lower, 0.4573478592517929) && close(m.levelChange?.upper, 0.7362917070384631))
        #expect(close(m.slopeChange?.lower, 0.8995890327649974) && close(m.slopeChange?.upper, 0.9652223456125079))
    }

    // MARK: many wards: the ward effects fitted within the wards

    /// 18 wards × 20 months, staggered starts: t0 = 9 + (w mod 4), y = (7w + 3t) mod 11 + 2·post, obd = 300 + 10w + 3t.
    var manyWards: [SegmentRow] {
        var rows: [SegmentRow] = []
        for w in 1...18 {
            for t in 1...20 {
                let t0 = 9 + w % 4, post = t >= t0
                let y = Double((w * 7 + t * 3) % 11 + (post ? 2 : 0))
                rows.append(row(w, t, post ? .pilot : .baseline, t0: t0, y, Double(300 + 10 * w + 3 * t)))
            }
        }
        return rows
    }

    @Test func manyWardsEqualR() throws {
        // d <- expand.grid(t = 1:20, w = 1:18); d$t0 <- 9 + (d$w %% 4); d$post <- as.numeric(d$t >= d$t0)
        // d$y <- ((d$w * 7 + d$t * 3) %% 11) + 2 * d$post; d$obd <- 300 + 10 * d$w + 3 * d$t; d$ward <- factor(d$w)
        // m <- glm(y ~ t + post + I(post * (t - t0)) + ward + offset(log(obd)), family = quasipoisson, data = d)
        #expect(Set(manyWards.map(\.ward)).count >= SegmentedRegression.groupEffectsFrom)  // fitted within the wards
        let m = try SegmentedRegression.fit(manyWards).get()
        // coef(summary(m))[c("(Intercept)", "t", "post", "I(post * (t - t0))", "ward2", "ward18"), 1:2]
        let expected: [(String, Double, Double)] = [
            ("(Intercept)", -4.153111950769718952, 0.1506936529743292), ("t", -0.009080440044200973, 0.0164423785955493),
            ("post", 0.368827065326159831, 0.1200852369779429), ("post:(t - t0)", -0.000852809409557489, 0.0202075619349946),
            ("ward2", 0.037332195932362443, 0.1715747972597033), ("ward18", -0.368206923982042467, 0.1729168707161566),
        ]
        for (name, estimate, se) in expected {
            #expect(close(m.fit.coefficient(name)?.estimate, estimate), "\(name)")
            #expect(close(m.fit.coefficient(name)?.standardError, se), "\(name)")
        }
        // summary(m)$dispersion; deviance(m); df.residual(m)
        #expect(close(m.fit.dispersion, 1.81191416490617) && close(m.fit.deviance, 715.066736900121) && m.fit.dfResidual == 339)
        #expect(m.fit.coefficients.count == 4 + 17 && m.wards == Array(1...18))
        // Each ward's level, looked up once for a chart, is the intercept plus its ward effect:
        // coef(m)["(Intercept)"] + c(0, coef(m)[paste0("ward", 2:18)])
        let levels = m.levels()
        #expect(levels.keys.sorted() == Array(1...18))
        #expect(close(levels[1], -4.153111950769718952) && close(levels[2], -4.153111950769718952 + 0.037332195932362443)
                && close(levels[18], -4.153111950769718952 - 0.368206923982042467))
        for w in 1...18 { #expect(levels[w] == m.level(ward: w)) }
        // The fit within the wards gave these, not the full design standing in for it.
        let rows = manyWards
        let shared: [(name: String, values: [Double])] = [("t", rows.map { Double($0.month) }), ("post", rows.map { $0.post }),
                                                          ("post:(t - t0)", rows.map { $0.monthsIntoPilot })]
        let within = try #require(PoissonRegression.fitWithGroupEffects(
            y: rows.map { $0.amount }, intercept: "(Intercept)", shared: shared, groups: rows.map { $0.ward - 1 },
            groupColumns: (2...18).map { "ward\($0)" }, offset: rows.map { log($0.exposure) }))
        #expect(within == m.fit)
    }

    /// The fit within the wards and the full design give the same model, every coefficient and standard error to
    /// 10⁻⁹, on random ward-months (some wards starting late, some months without events).
    @Test func wardEffectsWithinTheWardsEqualTheFullDesign() throws {
        var random = SampleRandom(seed: 44)
        for wards in [2, 5, 16, 40] {
            var rows: [SegmentRow] = []
            for w in 0..<wards {
                let t0 = 7 + Int(random.next() % 6)
                let level = Double(random.next() % 20) / 10
                for t in 1...18 {
                    let post = t >= t0
                    let mean: Double = exp(level + 0.02 * Double(t) - (post ? 0.3 : 0)) * 4
                    let y = Double(Int(mean) + Int(random.next() % 4))
                    let exposure = Double(200 + Int(random.next() % 300))
                    rows.append(row(w, t, post ? .pilot : .baseline, t0: t0, y, exposure))
                }
            }
            let (full, within) = try fitBothWays(rows, wards: wards)
            #expect(within.coefficients.map(\.name) == full.coefficients.map(\.name))
            for (a, b) in zip(within.coefficients, full.coefficients) {
                #expect(close(a.estimate, b.estimate!, 1e-9) && close(a.standardError, b.standardError!, 1e-9), "\(wards) wards: \(a.name)")
            }
            #expect(close(within.dispersion, full.dispersion, 1e-9) && close(within.deviance, full.deviance, 1e-9))
            #expect(within.dfResidual == full.dfResidual && zip(within.fitted, full.fitted).allSatisfy { close($0, $1, 1e-9) })
        }
    }

    /// The full design (intercept, t, post, slope, a column per ward after the first) and the fit within the wards.
    func fitBothWays(_ rows: [SegmentRow], wards: Int) throws -> (full: PoissonFit, within: PoissonFit) {
        let y: [Double] = rows.map(\.amount)
        let offset: [Double] = rows.map { log($0.exposure) }
        let shared: [(name: String, values: [Double])] = [
            ("t", rows.map { Double($0.month) }), ("post", rows.map { $0.post }), ("slope", rows.map { $0.monthsIntoPilot }),
        ]
        var columns: [(name: String, values: [Double])] = [("(Intercept)", [Double](repeating: 1, count: rows.count))] + shared
        for w in 1..<wards { columns.append(("w\(w)", rows.map { $0.ward == w ? 1.0 : 0.0 })) }
        let full = try PoissonRegression.fit(y: y, columns: columns, offset: offset).get()
        let within = try #require(PoissonRegression.fitWithGroupEffects(
            y: y, intercept: "(Intercept)", shared: shared, groups: rows.map { $0.ward }, groupColumns: (1..<wards).map { "w\($0)" },
            offset: offset))
        return (full, within)
    }

    /// When every ward is wholly in one period, post is constant within each ward: R keeps post and drops a ward
    /// column. The fit within the wards cannot say so and declines; the full design fits, as R does.
    @Test func wardsWhollyInOnePeriodAreLeftToTheFullDesign() throws {
        var rows: [SegmentRow] = []
        for w in 0..<20 {
            let baseline = w % 2 == 0
            for t in 1...12 { rows.append(row(w, t, baseline ? .baseline : .pilot, t0: baseline ? 13 : 1, Double((w + t) % 5 + 1), 100)) }
        }
        let y: [Double] = rows.map { $0.amount }
        let offset: [Double] = rows.map { _ in log(100) }
        let shared: [(name: String, values: [Double])] = [("t", rows.map { Double($0.month) }), ("post", rows.map { $0.post })]
        let within = PoissonRegression.fitWithGroupEffects(y: y, intercept: "(Intercept)", shared: shared, groups: rows.map { $0.ward },
                                                           groupColumns: (1..<20).map { "w\($0)" }, offset: offset)
        #expect(within == nil)
        var columns: [(name: String, values: [Double])] = [("(Intercept)", [Double](repeating: 1, count: rows.count))] + shared
        for w in 1..<20 { columns.append(("w\(w)", rows.map { $0.ward == w ? 1.0 : 0.0 })) }
        let full = try PoissonRegression.fit(y: y, columns: columns, offset: offset).get()
        #expect(full.aliased == ["w19"])
    }

    @Test func oneWardHasNoWardTerm() throws {
        // a <- d[d$ward == "A", ]
        // m1 <- glm(y ~ t + post + I(post * (t - t0)) + offset(log(obd)), family = quasipoisson, data = a)
        let m = try SegmentedRegression.fit(staggered.filter { $0.ward == 0 }).get()
        #expect(m.fit.coefficients.map(\.name) == ["(Intercept)", "t", "post", "post:(t - t0)"])
        #expect(close(m.baselineTrend?.estimate, 0.0379708191313342))
        #expect(close(m.levelChange?.estimate, -0.6958026256740675))
        #expect(close(m.slopeChange?.estimate, -0.0530689009302426))
        #expect(close(m.slopeChange?.p, 1.48271830104015e-01))
        #expect(close(m.fit.dispersion, 0.283646009723684) && m.fit.dfResidual == 12)
        #expect(close(m.levelChange?.lower, 0.3262907020174517) && close(m.levelChange?.upper, 0.7621295837316518))
    }

    @Test func hypnoticQuasiPoissonEqualsR() throws {
        // mh <- glm(y ~ post + offset(log(obd)), family = quasipoisson, data = d)   # the same ward-months, no ward term
        let model = HypnoticRateModel(rows: staggered)
        let r = try #require(model.ratio)
        #expect(close(r.estimate, -0.32630291471182))
        #expect(close(r.p, 4.09376787212440e-05))
        #expect(close(model.dispersion, 0.685989656466546))
        #expect(close(r.lower, 0.6273359431190066) && close(r.upper, 0.8299973740132091))
        // The estimate is the crude rate ratio of the totals, as the exact comparison's (R: 0.721586575133486).
        #expect(close(r.rateRatio, 0.721586575133486))
        let rows = staggered
        func rate(_ p: StudyPeriod) -> Double {
            rows.filter { $0.period == p }.reduce(0) { $0 + $1.amount } / rows.filter { $0.period == p }.reduce(0) { $0 + $1.exposure }
        }
        #expect(close(r.rateRatio, rate(.pilot) / rate(.baseline), 1e-9))
    }

    // MARK: what cannot be fitted

    @Test func aPilotWithoutEventsIsRefusedWithAReason() {
        // z <- a; z$y[z$post == 1] <- 0
        // glm(y ~ t + post + I(post * (t - t0)) + offset(log(obd)), family = quasipoisson, data = z)
        // R "converges" (19 iterations) to post = -24.30 with a standard error of 6528: nothing to report.
        let rows = staggered.filter { $0.ward == 0 }.map { r -> SegmentRow in
            var r = r
            if r.period == .pilot { r.amount = 0; r.events = 0 }
            return r
        }
        let result = SegmentedRegression.fit(rows)
        #expect(result.failure == .periodWithoutEvents(.pilot))
        #expect(result.failure?.description
            == "no events in the pilot, so its rate is estimated as zero and the changes cannot be estimated; no model is fitted")
        let none = rows.map { r -> SegmentRow in var r = r; r.amount = 0; r.events = 0; return r }
        #expect(SegmentedRegression.fit(none).failure?.description == "no events in any month: there is no rate to model")
    }

    @Test func separatedDataAreRefusedNotReported() {
        // glm(c(0,0,0,0,1000,1000) ~ c(0,0,0,0,1,1), family = quasipoisson): "converged" in 22 iterations with
        // an intercept of -24.30, a rate run to zero.
        let fit = PoissonRegression.fit(y: [0, 0, 0, 0, 1000, 1000], columns: [("(Intercept)", [1, 1, 1, 1, 1, 1]), ("x", [0, 0, 0, 0, 1, 1])],
                                        offset: [0, 0, 0, 0, 0, 0])
        #expect(fit.failure == .fittedRatesZero)
        #expect(fit.failure?.description
            == "a segment has no events, so its rate is estimated as zero and its change cannot be estimated; no model is reported")
    }

    @Test func nonConvergenceIsReportedNotFitted() {
        // glm(aces ~ offset(log(stdpop)) + smokban + time, family = quasipoisson, data = d,
        //     control = glm.control(maxit = 2))$converged   # FALSE
        let n = Self.aces.count
        let fit = PoissonRegression.fit(y: Self.aces, columns: [("(Intercept)", Array(repeating: 1, count: n)),
                                                                 ("smokban", (1...n).map { $0 >= 37 ? 1 : 0 }), ("time", (1...n).map(Double.init))],
                                        offset: Self.stdpop.map { log($0) }, maxIterations: 2)
        #expect(fit.failure == .notConverged(iterations: 2))
        #expect(fit.failure?.description == "the model did not converge in 2 iterations; no estimate is reported")
    }

    @Test func tooFewPointsFitsNothing() {
        // Two baseline months: a trend and a level cannot be told apart; EPOC asks for three points on each side.
        let rows = staggered.filter { $0.ward == 0 && ($0.period == .pilot || $0.month <= 2) }
        let result = SegmentedRegression.fit(rows)
        #expect(result.failure == .tooFewPoints(baseline: 2, pilot: 8, needed: 3))
        #expect(result.failure?.description == "too few points: 2 baseline and 8 pilot months (at least 3 of each are needed); no model is fitted")
        let series = InterruptedSeries(measure: "incidents", category: "all", window: .allDay, ward: 0, unit: .occupiedBedDays, scale: 1000, rows: rows)
        #expect(series.model == nil && series.points.allSatisfy { $0.fitted == nil })
    }

    @Test func badInputIsAMessageNotACrash() {
        #expect(PoissonRegression.fit(y: [], columns: [], offset: []).failure == .noRows)
        #expect(PoissonRegression.fit(y: [1, -2], columns: [("(Intercept)", [1, 1])], offset: [0, 0]).failure?.description
            == "the data cannot be modelled: a count is negative or not a finite number")
        #expect(PoissonRegression.fit(y: [1, 2], columns: [("(Intercept)", [1, 1])], offset: [0, -.infinity]).failure?.description
            == "the data cannot be modelled: an exposure is zero or a value is not a finite number")
        #expect(PoissonRegression.fit(y: [1, 2], columns: [("(Intercept)", [1, 1]), ("x", [0, 1])], offset: [0, 0]).failure?.description
            == "2 points for 2 parameters leave no degrees of freedom for the dispersion; no model is reported")
    }
}

extension Result {
    /// The error, if any.
    var failure: Failure? { if case .failure(let e) = self { return e } else { return nil } }
}
