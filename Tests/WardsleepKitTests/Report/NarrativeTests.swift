import Foundation
import Testing
@testable import WardsleepKit

/// Sentences that never contradict the numbers: rating directions, hypnotic intervals, p-values against intervals,
/// exposure words, ward labels, and control-chart phases under a staggered roll-out.
@Suite(.serialized) struct NarrativeTests {
    @Test func ratingDirectionFollowsTheRankSumStatisticNotTheMedians() {
        // Medians equal (4 and 4), means 4.2 before and 3.7 after.
        // a <- c(rep(5,5),rep(4,30),rep(3,10),rep(2,5)); b <- c(rep(5,20),rep(4,20),rep(3,10)); wilcox.test(a, b)
        //   W = 850, p-value = 0.0028369238861
        var before = RatingDistribution(), after = RatingDistribution()
        before.counts = [0, 0, 10, 20, 20]
        after.counts = [0, 5, 10, 30, 5]
        #expect(before.quantile(0.5) == 4 && after.quantile(0.5) == 4)
        let t = RankSumTest(after, before)!
        #expect(t.statistic == 850 && abs(t.p - 0.0028369238861) < 1e-9)
        #expect(InvolvementSection.ratingVerdict(t, after: after.n, before: before.n) == "lower after")
        let up = RankSumTest(before, after)!
        #expect(InvolvementSection.ratingVerdict(up, after: before.n, before: after.n) == "higher after")
    }

    @Test func theVerdictSaysWhichOfPAndIntervalItFollowsWhenTheyDisagree() {
        // poisson.test(c(16, 7), c(900, 1000)): 2.53968253968254 (0.988527228796627 to 7.2998418798485), p = 0.0372153182587868
        let c = SafetyCell(ward: nil, category: "all", window: .allDay, baselineEvents: 7, pilotEvents: 16, baselineExposure: 1000,
                           pilotExposure: 900, unit: .occupiedBedDays)
        let s = SafetySection.sentence("Falls", ShownComparison(c, style: .exact))
        #expect(s.hasSuffix("rate ratio 2.54 (95% CI 0.99 to 7.30; exact p = 0.037): no evidence of a change (the verdict follows "
            + "the Clopper–Pearson 95% CI, which includes 1, although the exact minlike p is below 0.05)."))
        // poisson.test(c(3, 12), c(2000, 1800)): CI 0.0407 to 0.8337, p = 0.0170 — both agree, nothing added.
        let agree = SafetyCell(ward: nil, category: "all", window: .allDay, baselineEvents: 12, pilotEvents: 3, baselineExposure: 1800,
                               pilotExposure: 2000, unit: .occupiedBedDays)
        #expect(SafetySection.sentence("Self-harm", ShownComparison(agree, style: .exact)).hasSuffix("evidence of a decrease."))
    }

    @Test func aWardWhoseIdIsItsNameShowsOnce() {
        #expect(WardDefinition(id: "Ward A", name: "Ward A", type: "acute", beds: 10).label == "Ward A")
        #expect(WardDefinition(id: "Ward A", name: "ward  a", type: "acute", beds: 10).label == "Ward A")
        #expect(WardDefinition(id: "A1", name: "Acute male", type: "acute", beds: 10).label == "A1 Acute male")
    }

    @Test func sampleReportNamesTheHomogeneityTestAndDrawsNoVerdictFromHypnoticIntervals() throws {
        let dir = TempFolder()
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", dir.path + "/r", "--format", "md"])
        #expect(r.status == 0, "\(r.err)")
        let summary = try String(contentsOfFile: dir.path + "/r/summary.md", encoding: .utf8)
        let hypnotics = summary.components(separatedBy: "## Results: hypnotic use")[1].components(separatedBy: "\n## ")[0]
        // The exact Poisson interval is descriptive; only the quasi-Poisson model, which allows for over-dispersion, may
        // carry a verdict.
        #expect(!hypnotics.split(separator: "\n").filter { !$0.contains("quasi-Poisson rate ratio") }.joined().contains("evidence of"))
        #expect(hypnotics.contains("descriptive only"))
        #expect(summary.contains("chi-square test of homogeneity of the ward rate ratios"))
        #expect(summary.contains("on (wards with events − 1) degrees of freedom"))
        #expect(summary.range(of: #"test of homogeneity across wards χ² = [0-9.]+ on 6 degrees of freedom, p = "#,
                              options: .regularExpression) != nil)
    }

    @Test func withoutOccupancyEverySentenceAndColumnSaysWardDays() throws {
        let dir = TempFolder()
        let study = dir.path + "/s"
        let made = try runWardsleep(["sample", "--out", study, "--hypnotics", "administrations"])
        #expect(made.status == 0, "\(made.err)")
        try FileManager.default.removeItem(atPath: study + "/occupancy.csv")
        var yaml = try String(contentsOfFile: study + "/study.yaml", encoding: .utf8)
        let lines = yaml.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "  occupancy:"))
        yaml = (lines[..<start] + lines[(start + 3)...]).joined(separator: "\n")
        try yaml.write(toFile: study + "/study.yaml", atomically: true, encoding: .utf8)
        let r = try runWardsleep(["run", study, "--out", dir.path + "/r", "--format", "md,csv,json"], environment: ["WARDSLEEP_KEY": testKey])
        #expect(r.status == 0, "\(r.err)")
        let summary = try String(contentsOfFile: dir.path + "/r/summary.md", encoding: .utf8)
        // Only the limitation that explains the exposure names occupied bed days.
        let said = summary.components(separatedBy: "\n").filter { $0.contains("occupied bed day") }
        #expect(said == ["- No occupancy export: rates are per ward-day, not per occupied bed day."])
        #expect(summary.contains("PRN doses given: ") && summary.contains("per 100 ward-days"))
        #expect(summary.contains("in WHO defined daily doses (DDD) per 100 ward-days"))
        let csv = try String(contentsOfFile: dir.path + "/r/tables/hypnotics.csv", encoding: .utf8)
        #expect(csv.hasPrefix(HypnoticTables.columns.map { $0.replacingOccurrences(of: "per_100_obd", with: "per_100_ward_days") }
            .joined(separator: ",")))
        let prn = try String(contentsOfFile: dir.path + "/r/tables/hypnotics_prn.csv", encoding: .utf8)
        #expect(prn.contains("baseline_prn_per_100_ward_days") && !prn.contains("obd"))
        let json = try String(contentsOfFile: dir.path + "/r/results.json", encoding: .utf8)
        #expect(!json.contains("per_100_obd"))
    }

    @Test func underAStaggeredRollOutAPilotPointHoldsOnlyPilotEvents() throws {
        let study = try StudyLoader.parse("""
            version: 1
            study: Staggered
            periods:
              baseline: { from: 2018-01-01, to: 2018-08-31 }
              pilot:    { from: 2019-01-01, to: 2019-08-31 }
            wards:
              - { id: A1, name: Acute, type: acute, beds: 16 }
              - { id: D1, name: Dementia, type: dementia, beds: 12,
                  periods: { baseline: { from: 2018-05-01, to: 2019-02-28 }, pilot: { from: 2019-03-01, to: 2019-08-31 } } }

            """)
        let series = TimeSeries(study: study, formulary: Formulary.builtIn())
        let jan = CalendarDay(year: 2019, month: 1, day: 15)!, may = CalendarDay(year: 2018, month: 5, day: 15)!
        for (ward, day) in [(0, jan), (1, jan), (0, may), (1, may)] {
            let periods = study.periods(forWard: ward)
            series.occupancy(OccupancyRecord(day: day, ward: ward, occupiedBeds: 10, leaveBeds: nil, period: periods.period(of: day)))
        }
        // D1's incident in January 2019 falls in D1's own baseline, though the study's pilot has begun.
        let timing = EventTiming(day: jan, time: nil, periods: study.periods(forWard: 1), window: study.protectedWindow)
        series.incident(IncidentRecord(id: "1", day: jan, time: nil, ward: 1, category: "falls", subcategory: nil, severity: nil,
                                       patient: nil, status: nil, excludedByStatus: false, timing: timing))
        let charts = series.charts(hasOccupancy: true, hasIncidents: true, hasHypnotics: false, hasPlans: false)
        let all = try #require(charts.first { $0.title == "Incidents, all wards" })
        #expect(all.points.filter { $0.phase == .pilot }.allSatisfy { $0.numerator == 0 })
        let january = all.points.filter { $0.label == "2019-01" }
        #expect(january.map(\.phase) == [.baseline, .pilot] && january.map(\.numerator) == [1, 0] && january.map(\.denominator) == [10, 10])
        // Baseline points come first, then pilot points, each in time order.
        #expect(all.points.map(\.label) == ["2018-05", "2019-01", "2019-01"])
    }
}
