import Foundation
import Testing
@testable import WardsleepKit

/// The ward-month rows behind the segmented regressions (t across the gap, each ward's own t0, ward-days without a
/// census) and what a releasable copy shows of a model and its chart.
@Suite struct ReleasedSegmentedTests {
    /// A1: baseline January–August 2018, pilot January–August 2019; D1's pilot starts in February 2019.
    let study = testStudy()

    func incident(_ ward: Int, _ day: CalendarDay, category: String = "violence", at hour: Int? = nil) -> IncidentRecord {
        let time = hour.flatMap { ClockTime(hour: $0, minute: 30) }
        return IncidentRecord(id: "x", day: day, time: time, ward: ward, category: category, subcategory: nil, severity: nil, patient: nil,
                              status: nil, excludedByStatus: false,
                              timing: EventTiming(day: day, time: time, periods: study.periods(forWard: ward), window: .default))
    }

    @Test func rowsAreWardMonthsInsideEachWardsPeriodsWithTCountingAcrossTheGap() throws {
        let months = WardMonthSeries(study: study, formulary: Formulary.builtIn())
        let jan2019 = CalendarDay(year: 2019, month: 1, day: 15)!
        months.incident(incident(0, CalendarDay(year: 2018, month: 1, day: 3)!, at: 2))
        months.incident(incident(0, jan2019))
        months.incident(incident(1, jan2019))  // D1 is between its periods in January 2019: not a row
        months.incident(incident(1, CalendarDay(year: 2019, month: 2, day: 1)!, category: "self_harm"))
        let series = months.series(categories: ["all", "violence"], hasOccupancy: false, hasIncidents: true, hasHypnotics: false, withheld: [])
        #expect(series.map { "\($0.category!) \($0.window!.rawValue)" } == ["all 24h", "all protected", "violence 24h", "violence protected"])
        let all = series[0]
        #expect(all.unit == .days && all.ward == nil)
        // A1 16 months, D1 8 + 7; t = 1 in January 2018, 13 in January 2019; t0 = 13 for A1, 14 for D1.
        #expect(all.rows.count == 31)
        let a1 = all.rows.filter { $0.ward == 0 }, d1 = all.rows.filter { $0.ward == 1 }
        #expect(a1.map(\.month) == Array(1...8) + Array(13...20))
        #expect(d1.map(\.month) == Array(1...8) + Array(14...20))
        #expect(a1.allSatisfy { $0.pilotStart == 13 } && d1.allSatisfy { $0.pilotStart == 14 })
        // Without an occupancy export the exposure is ward-days: the days of the month inside the period.
        #expect(a1.first?.exposure == 31 && a1.first { $0.month == 2 }?.exposure == 28)
        #expect(a1.first { $0.month == 13 }?.amount == 1 && a1.first?.amount == 1)
        #expect(d1.first { $0.month == 14 }?.amount == 1)
        #expect(d1.reduce(0) { $0 + $1.amount } == 1)  // January's incident on D1 is outside its periods
        #expect(series[1].rows.filter { $0.amount > 0 }.map(\.month) == [1])  // 02:30 is in the protected window
        #expect(series[2].rows.reduce(0) { $0 + $1.amount } == 2)
        #expect(SegmentedTables.section(series, measure: "incidents", study: study, policy: nil).markdown
            .contains("No occupancy export was supplied, so the offset is ward-days."))
        // With a census, the exposure is occupied bed days, and a ward-month without a census day is said to be left out.
        months.occupancy(OccupancyRecord(day: CalendarDay(year: 2018, month: 1, day: 3)!, ward: 0, occupiedBeds: 12, leaveBeds: nil, period: .baseline))
        let censused = months.series(categories: ["all"], hasOccupancy: true, hasIncidents: true, hasHypnotics: false, withheld: [])
        #expect(censused[0].rows.first?.exposure == 12 && censused[0].unit == .occupiedBedDays)
        #expect(SegmentedTables.section(censused, measure: "incidents", study: study, policy: nil).markdown
            .contains("30 ward-months have no census day, so no exposure, and are left out of every model."))
        #expect(censused[0].outcome.failure == .tooFewPoints(baseline: 1, pilot: 0, needed: 3))
    }

    /// Rows of a ward over 8 + 8 months with `y` events a month.
    func rows(ward: Int, _ y: (Int) -> Int) -> [SegmentRow] {
        (Array(1...8) + Array(13...20)).map { t in
            SegmentRow(ward: ward, month: t, start: CalendarDay(year: 2018 + (t - 1) / 12, month: (t - 1) % 12 + 1, day: 1)!,
                       period: t >= 13 ? .pilot : .baseline, pilotStart: 13, amount: Double(y(t)), events: y(t), exposure: 400 + Double(t))
        }
    }

    @Test func aModelWhoseWardCountIsSuppressedIsWithheld() throws {
        let policy = DisclosurePolicy()
        // Ward 1's months hold 0 to 3 events: small numbers (suppressed) in more than a quarter of the ward-months with
        // events, so the model would rest on stand-ins, and is withheld.
        let r = rows(ward: 0) { 10 + $0 % 4 } + rows(ward: 1) { t in t >= 13 ? (t % 3 == 0 ? 1 : 0) + (t == 14 ? 2 : 0) : 3 }
        let series = InterruptedSeries(measure: "incidents", category: "all", window: .allDay, ward: nil, unit: .occupiedBedDays, scale: 1000, rows: r)
        #expect(series.model != nil)
        let shown = series.released(policy)
        #expect(shown.model == nil)
        #expect(shown.withheld == "more than a quarter of its ward-months with events are small numbers (suppressed), so no model is published")
        #expect(shown.points.allSatisfy { $0.fitted == nil && $0.counterfactual == nil })
        let json = try JSONSerialization.jsonObject(with: Data(SegmentedTables.json([shown], study: testStudy()).rendered().utf8)) as? [[String: Any]]
        #expect(json?.first?["parameters"] is NSNull && json?.first?["withheld"] as? String == shown.withheld)
    }

    @Test func releasedModelIsRefittedOnPublishedMonthsAndItsLinesSumToPublishedTotals() throws {
        let policy = DisclosurePolicy()
        let r = rows(ward: 0) { 10 + $0 % 4 } + rows(ward: 1) { 20 + $0 % 7 }
        let series = InterruptedSeries(measure: "incidents", category: "all", window: .allDay, ward: nil, unit: .occupiedBedDays, scale: 1000, rows: r)
        let shown = series.released(policy)
        // The same model on every ward-month's count as published, its estimates then to three significant figures.
        let published = r.map { row -> SegmentRow in
            var row = row
            row.events = Disclosure.publish(row.events!, policy: policy).number!
            row.amount = Double(row.events!)
            return row
        }
        let refit = try #require(try? SegmentedRegression.fit(published).get()), released = try #require(shown.model)
        for (e, r) in [(refit.baselineTrend, released.baselineTrend), (refit.levelChange, released.levelChange),
                       (refit.slopeChange, released.slopeChange)] {
            let e = try #require(e), r = try #require(r)
            #expect(r.rateRatio == SegmentParameter.significant(e.rateRatio, 3))
            #expect(r.lower == SegmentParameter.significant(e.lower, 3) && r.upper == SegmentParameter.significant(e.upper, 3))
            #expect(r.p == SegmentParameter.significant(e.p, 2) && r.estimate == log(r.rateRatio))
        }
        #expect(released.fit.dispersion == SegmentParameter.significant(refit.fit.dispersion, 3))
        #expect(released.levelChange?.rateRatio != series.model?.levelChange.map { SegmentParameter.significant($0.rateRatio, 3) }
                || released.baselineTrend?.rateRatio != series.model?.baselineTrend.map { SegmentParameter.significant($0.rateRatio, 3) })
        #expect(SegmentParameter.significant(0.0012345, 3) == 0.00123 && SegmentParameter.significant(98765, 2) == 99000)
        for p in shown.points {
            // Each month's point is the published count of its two ward-months over their exposure.
            let exact = r.filter { $0.start == p.start }.reduce(0) { $0 + ($1.events ?? 0) }
            #expect(p.amount == Double(Disclosure.publish(exact, policy: policy).number!))
            #expect(abs(try #require(p.observed) - p.amount! / p.exposure * 1000) < 1e-9)
        }
        // The fitted amounts of each ward sum to its published total, not to its exact one (a Poisson fit's property).
        for w in [0, 1] {
            let total = published.filter { $0.ward == w }.reduce(0.0) { $0 + $1.amount }
            let fitted = r.filter { $0.ward == w }.reduce(0.0) { $0 + exp(released.level(ward: w) + released.trendPart($1)) * $1.exposure }
            #expect(abs(fitted - total) < 1e-6 * total)
        }
        #expect(shown.points.contains { $0.counterfactual != nil } && shown.points.allSatisfy { $0.fitted != nil })
    }

    /// A few suppressed months (a quarter at most) are taken as the middle of the suppressed range, 4, and the model is
    /// published; what they were exactly (1 to 7) changes nothing in the copy.
    @Test func aFewSuppressedMonthsAreTakenAsFour() throws {
        let policy = DisclosurePolicy()
        func series(_ small: Int) -> InterruptedSeries {
            // Ward 1's first four baseline months and four pilot months hold `small` events: 8 of the 32 ward-months.
            let r = rows(ward: 0) { 20 + $0 % 4 } + rows(ward: 1) { t in [1, 2, 3, 4, 13, 14, 15, 16].contains(t) ? small : 25 + t % 3 }
            return InterruptedSeries(measure: "incidents", category: "all", window: .allDay, ward: nil, unit: .occupiedBedDays, scale: 1000, rows: r)
        }
        let one = series(1).released(policy), seven = series(7).released(policy)
        #expect(one.withheld == nil && seven.withheld == nil)
        let fours = series(4).rows.map { row -> SegmentRow in
            var row = row
            if let p = Disclosure.publish(row.events!, policy: policy).number { row.amount = Double(p) }
            return row
        }
        let refit = try #require(try? SegmentedRegression.fit(fours).get())
        #expect(one.model?.levelChange == refit.levelChange?.coarsened && one.model == seven.model)
        #expect(SegmentedTables.json([one], study: testStudy()).rendered() == SegmentedTables.json([seven], study: testStudy()).rendered())
        // Nine of the 32 ward-months (all with events) is more than a quarter: withheld.
        let r9 = series(3).rows.map { row -> SegmentRow in
            var row = row
            if row.ward == 0 && row.month == 5 { row.events = 2; row.amount = 2 }
            return row
        }
        let nine = InterruptedSeries(measure: "incidents", category: "all", window: .allDay, ward: nil, unit: .occupiedBedDays, scale: 1000, rows: r9)
        #expect(nine.released(policy).model == nil)
        #expect(SegmentedTables.section([series(1).released(policy)], measure: "incidents", study: testStudy(), policy: policy).markdown
            .contains("fitted to the monthly ward counts as published (rounded to the nearest 5; a count from 1 to 7 taken as 4)"))
    }

    /// The attack a releasable copy must resist: exact series that publish alike are released alike, to the last bit,
    /// so nothing in the model or its chart tells them apart (with the exact months, three significant figures of the
    /// estimates left one series of counts that fitted).
    @Test func seriesThatPublishAlikeAreReleasedAlike() throws {
        let policy = DisclosurePolicy()
        let a = rows(ward: 0) { 20 + $0 % 4 } + rows(ward: 1) { 30 + $0 % 3 }
        // The same months one or two events apart, where rounding to 5 hides the difference.
        let b = a.map { row -> SegmentRow in
            var row = row
            let n = row.events!, shifted = n % 5 == 0 ? n + 2 : n % 5 == 1 ? n + 1 : n % 5 == 4 ? n - 1 : n
            row.events = shifted
            row.amount = Double(shifted)
            return row
        }
        #expect(zip(a, b).contains { $0.events != $1.events })
        #expect(zip(a, b).allSatisfy { Disclosure.publish($0.events!, policy: policy) == Disclosure.publish($1.events!, policy: policy) })
        let ra = InterruptedSeries(measure: "incidents", category: "all", window: .allDay, ward: nil, unit: .occupiedBedDays, scale: 1000, rows: a)
            .released(policy)
        let rb = InterruptedSeries(measure: "incidents", category: "all", window: .allDay, ward: nil, unit: .occupiedBedDays, scale: 1000, rows: b)
            .released(policy)
        #expect(try #require(ra.model) == rb.model)
        #expect(SegmentedTables.json([ra], study: testStudy()).rendered() == SegmentedTables.json([rb], study: testStudy()).rendered())
        #expect(ra.points.map(\.fitted) == rb.points.map(\.fitted) && ra.points.map(\.counterfactual) == rb.points.map(\.counterfactual))
    }

    @Test func dosesGivenAreRefittedOnPublishedMonthlyCounts() throws {
        let policy = DisclosurePolicy()
        let r = rows(ward: 0) { 40 + $0 % 9 } + rows(ward: 1) { 30 + $0 % 5 }
        let shown = HypnoticRateModel(rows: r).released(policy)
        // The same model on the counts as published, month by month.
        let published = r.map { row -> SegmentRow in
            var row = row
            row.amount = Double(Disclosure.publish(row.events!, policy: policy).number!)
            return row
        }
        let expected = try #require(HypnoticRateModel(rows: published).ratio)
        #expect(shown.ratio == expected)
        #expect(shown.ratio != HypnoticRateModel(rows: r).ratio)
        // One suppressed month withholds it.
        var small = r
        small[3].amount = 5; small[3].events = 5
        let withheld = HypnoticRateModel(rows: small).released(policy)
        #expect(withheld.ratio == nil)
        #expect(SegmentedTables.hypnoticModelLine(withheld, what: "Doses", per: "occupied bed day")
            == "Quasi-Poisson comparison on monthly ward totals: withheld — a ward's monthly count of doses is a small number (suppressed), so no model is published.")
        // Pharmacy issues are supplies: released as they are.
        let issues = r.map { row -> SegmentRow in var row = row; row.events = nil; return row }
        #expect(HypnoticRateModel(rows: issues).released(policy).ratio == HypnoticRateModel(rows: issues).ratio)
    }
}
