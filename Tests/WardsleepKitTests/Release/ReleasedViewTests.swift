import Foundation
import Testing
@testable import WardsleepKit

/// The release step on hand-built values: what a releasable copy keeps, recomputes and withholds.
struct ReleasedViewTests {
    func point(_ month: Int, _ events: Double, _ obd: Double, _ phase: StudyPeriod) -> ChartPoint {
        let day = CalendarDay(year: phase == .baseline ? 2018 : 2019, month: month, day: 1)!
        return ChartPoint(label: String(day.iso.prefix(7)), start: day, phase: phase, value: 0, numerator: events, denominator: obd,
                          centre: 0, upper: 0, lower: 0, upper2: 0, lower2: 0)
    }

    @Test func uChartIsRecomputedFromPublishedCounts() {
        // Twelve baseline months of 1,000 OBD: ten months with 10 events, one with 12 (published 10), one with 3 (suppressed).
        var points = (1...10).map { point($0, 10, 1000, .baseline) }
        points.append(point(11, 12, 1000, .baseline))
        points.append(point(12, 3, 1000, .baseline))
        points.append(point(1, 40, 1000, .pilot))
        let exact = SPC.uChart(points, scale: 1000, title: "t", unit: "u", direction: .decrease, parameters: SPCParameters())
        // Exact centre: 115 / 12,000 × 1,000 = 9.5833…
        #expect(abs(exact.points[0].centre - 115.0 / 12) < 1e-12)
        let released = exact.released(DisclosurePolicy())
        // Released centre: published baseline counts 10 × 11 = 110 over the 11,000 OBD of the points shown = 10 per 1,000.
        #expect(abs(released.points[0].centre - 10) < 1e-12)
        #expect(released.points.count == 13)
        let hidden = released.points[11]
        #expect(hidden.withheld && hidden.value.isNaN && hidden.rules.isEmpty && hidden.type == .commonCause)
        #expect(released.points[10].value == 10 && released.points[10].numerator == 10)
        // 40 events on 1,000 OBD is far above the released limits: flagged from the published value.
        #expect(released.points[12].rules.contains("outside limits") && released.points[12].type == .concern)
        #expect(released.baselinePoints == 11)
    }

    /// Every baseline month suppressed: no published centre line or limits, so a releasable copy leaves the chart out
    /// and names it (a probe saw a flat line at 0 "from 1 baseline points" drawn from a pilot month).
    @Test func aChartWithEveryBaselineMonthSuppressedIsLeftOut() throws {
        let points = (1...8).map { point($0, 3, 1000, .baseline) } + (1...8).map { point($0, 20, 1000, .pilot) }
        let exact = SPC.uChart(points, scale: 1000, title: "Incidents, ward A1", unit: "u", direction: .decrease, parameters: SPCParameters())
        #expect(exact.hasPublishedBaseline)
        let released = exact.released(DisclosurePolicy())
        #expect(!released.hasPublishedBaseline)
        var evidence = try Evidence(encoded: try Evidence(study: testStudy(), ingest: IngestResult(tallies: [], notSupplied: [], hypnoticsKind: .issues),
                                                          analyses: StudyAnalyses(study: testStudy(), codebook: Codebook.standard()),
                                                          problems: [:]).encoded())
        evidence.charts = [exact]
        let view = Release.view(evidence, style: .published(DisclosurePolicy()))
        #expect(view.charts.isEmpty && view.chartsWithoutBaseline == ["Incidents, ward A1"])
        #expect(Release.view(evidence, style: .exact).charts.count == 1)
        let section = MarkdownWriter.render(SummaryDocument.variation(view))
        #expect(section.contains("Left out of this copy, every baseline month being a small number (suppressed), so that no centre line "
                                 + "or limits can be published: Incidents, ward A1."), "\(section)")
    }

    @Test func pChartWithholdsSuppressedDenominators() {
        let pts = [point(1, 12, 20, .pilot), point(2, 3, 6, .pilot), point(3, 18, 40, .pilot)]
        let exact = SPC.pChart(pts, title: "p", direction: .neither, parameters: SPCParameters())
        let released = exact.released(DisclosurePolicy())
        // 12/20 → 10/20; 3/6 withheld (both suppressed); 18/40 → 20/40. p̄ = 30/60 = 50%.
        #expect(released.points.map(\.withheld) == [false, true, false])
        #expect(abs(released.points[0].centre - 50) < 1e-12)
        #expect(released.points[0].value == 50 && released.points[2].value == 50)
        #expect(released.points[1].upper == released.points[1].centre)
    }

    /// A chart of DDDs of doses given is left out of a releasable copy: scaled by published ÷ exact doses, a month's
    /// value kept the exact mean dose, and with the published doses the exact count came back. A chart of supplies
    /// (pharmacy issues) is released as it is.
    @Test func dddChartOfDosesGivenIsLeftOutOfAReleasableCopy() throws {
        var points = [point(1, 1.5, 100, .baseline), point(2, 10, 100, .baseline), point(3, 6, 100, .baseline)]
        for i in points.indices { points[i].value = points[i].numerator / points[i].denominator * 100 }
        let supplies = SPC.xmr(points, title: "issues", unit: "DDD", direction: .decrease, parameters: SPCParameters())
        for (i, events) in [3.0, 20, 12].enumerated() { points[i].events = events }
        let doses = SPC.xmr(points, title: "doses", unit: "DDD", direction: .decrease, parameters: SPCParameters())
        #expect(doses.isOfDosesGiven && !supplies.isOfDosesGiven)
        #expect(supplies.released(DisclosurePolicy()).points.map(\.value) == supplies.points.map(\.value))
        let dir = TempFolder()
        let study = dir.path + "/study"
        #expect(try runWardsleep(["sample", "--out", study, "--hypnotics", "administrations"]).status == 0)
        var o = RunOptions(studyFolder: study, outFolder: dir.path + "/out", environment: [:], unsuppressed: true)
        o.ledgerPath = dir.path + "/ledger.sqlite"
        _ = try StudyRun.run(o)
        let published = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/out/charts")
        let exact = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/out/restricted/charts")
        #expect(exact.contains("hypnotic-use-all-wards.svg") && !published.contains { $0.hasPrefix("hypnotic-use") }, "\(published) \(exact)")
        let summary = try String(contentsOfFile: dir.path + "/out/summary.md", encoding: .utf8)
        #expect(summary.contains("Charts of DDDs of doses given are shown only in an exact copy"))
    }

    @Test func pooledLineIsFromPublishedWardCountsOrWithheld() {
        let study = testStudy()
        func cell(_ ward: Int?, _ b: Int, _ p: Int) -> SafetyCell {
            SafetyCell(ward: ward, category: "all", window: .allDay, baselineEvents: b, pilotEvents: p,
                       baselineExposure: 1000, pilotExposure: 1000, unit: .occupiedBedDays)
        }
        var results = SafetyResults(exposureFromOccupancy: true, cells: [cell(nil, 62, 41), cell(0, 42, 33), cell(1, 20, 8)],
                                    pooled: [], categories: ["all"], serious: [:], withoutTime: 0, incompleteCensus: [])
        results.pooled = SafetyAnalysis.pooledOverWards(results.cells, categories: ["all"], study: study)
        let released = results.released(DisclosurePolicy(), study: study)
        // Published ward counts: 40 → 35 and 20 → 10. With equal exposures the MH rate ratio is Σx1 / Σx0 = 45 / 60 = 0.75
        // (the exact counts would give 41 / 62).
        #expect(abs(released.pooled[0].all.estimate! - 0.75) < 1e-12)
        #expect(released.pooled[0].withheld == nil)
        // A ward with 5 pilot events (suppressed) withholds the line.
        results.cells[2].pilotEvents = 5
        results.pooled = SafetyAnalysis.pooledOverWards(results.cells, categories: ["all"], study: study)
        #expect(results.released(DisclosurePolicy(), study: study).pooled[0].withheld != nil)
    }

    @Test func ratingsWithASuppressedLevelGiveNoTest() {
        let tally = FeedbackTally(codebook: Codebook.standard())
        var f: FeedbackSummary { tally.summary(redactor: Redactor(names: ["Sarah", "Mr Patel"])) }
        var id = 0
        func add(_ stage: FeedbackStage, _ rating: Int, _ n: Int) {
            for _ in 0..<n {
                id += 1
                tally.feedback(FeedbackRecord(id: "\(id)", group: .patient, stage: stage, text: "x", day: nil, ward: nil, rating: rating))
            }
        }
        add(.before, 2, 12); add(.before, 4, 9); add(.after, 4, 11); add(.after, 5, 13)
        // Published: before 10 × 2, 10 × 4; after 10 × 4, 15 × 5. W counts after-ratings above before-ratings:
        // 10 × 4s tie with 10 × 4s (0.5 each) and beat 10 × 2s; 15 × 5s beat all 20: W = 10·(10 + 5) + 15·20 = 450.
        let released = f.released(DisclosurePolicy())
        #expect(released.beforeAfter(group: .patient)?.statistic == 450)
        #expect(released.ratings(group: .patient, stage: .after).quantile(0.5) == 5)
        add(.after, 1, 3)  // a level of 3: suppressed
        #expect(f.released(DisclosurePolicy()).beforeAfter(group: .patient) == nil)
        #expect(f.beforeAfter(group: .patient) != nil)  // the exact copy still tests
        // The report says why there is no comparison: withheld, not too few.
        #expect(f.released(DisclosurePolicy()).unshownRatingsSentence().hasPrefix("Ratings before and after are not compared: a rating was given by too few"))
        #expect(FeedbackTally(codebook: Codebook.standard()).summary(redactor: Redactor(names: [])).released(DisclosurePolicy())
                .unshownRatingsSentence() == "Too few ratings before and after to compare.")
    }
}
