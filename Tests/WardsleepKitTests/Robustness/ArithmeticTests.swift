import Foundation
import Testing
@testable import WardsleepKit

/// Work that does not grow with a value, counts that cannot trap, and totals that would publish absurd numbers
/// (negative DDDs, a census above a ward's beds) flagged instead.
@Suite struct ArithmeticTests {
    let study = testStudy()
    let formulary = Formulary.builtIn()
    let day2018 = CalendarDay(year: 2018, month: 3, day: 1)!
    let day2019 = CalendarDay(year: 2019, month: 3, day: 1)!

    /// R's rule, outcome by outcome, as `binom.test` evaluates it.
    func exhaustiveP(x: Int, n: Int, p: Double) -> Double {
        let d = Distributions.binomialDensity(x, n: n, p: p), m = Double(n) * p, relErr = 1 + 1e-7
        if Double(x) == m { return 1 }
        if Double(x) < m {
            let y = (Int(m.rounded(.up))...n).filter { Distributions.binomialDensity($0, n: n, p: p) <= d * relErr }.count
            return min(1, Distributions.binomialCDF(x, n: n, p: p) + Distributions.binomialCDF(n - y, n: n, p: p, lowerTail: false))
        }
        let y = (0...Int(m.rounded(.down))).filter { Distributions.binomialDensity($0, n: n, p: p) <= d * relErr }.count
        return min(1, Distributions.binomialCDF(y - 1, n: n, p: p) + Distributions.binomialCDF(x - 1, n: n, p: p, lowerTail: false))
    }

    @Test func bisectedPValueEqualsTheOutcomeByOutcomeCount() {
        for n in [1, 2, 3, 7, 20, 61, 150] {
            for p in [0.01, 0.2, 0.37, 0.5, 0.5001, 0.73, 0.99] {
                for x in 0...n {
                    #expect(BinomialTest.twoSidedP(x: x, n: n, p: p) == exhaustiveP(x: x, n: n, p: p), "x=\(x) n=\(n) p=\(p)")
                }
            }
        }
    }

    /// 100,000,000 tablets used to mean 100,000,000 density evaluations (minutes); now about 30.
    @Test func aHundredMillionUnitsCostNoMoreThanOne() {
        let r = exactRateRatio(x1: 100_000_000, t1: 1000, x0: 99_990_000, t0: 1000)
        // p = ½ exactly, so the two-sided p is twice the upper tail.
        let expected = min(1, 2 * Distributions.binomialCDF(100_000_000 - 1, n: 199_990_000, p: 0.5, lowerTail: false))
        #expect(abs(r.pExact! - expected) < 1e-12 && r.pExact! > 0.4 && r.pExact! < 0.5)
        #expect(r.estimate! > 1 && r.lower! < 1 && r.upper! > 1)
    }

    @Test func unitsBeyondAnIntegerGiveNoRateRatioInsteadOfATrap() {
        let huge = HypnoticUse.Totals(units: 1e19, mg: 7.5e19)
        let line = HypnoticLine(ward: nil, group: nil, drug: nil, product: nil, baseline: huge, pilot: huge, baselineDDD: 1e19,
                                pilotDDD: 1e19, someWithoutDDD: false, countable: true, baselineExposure: 100, pilotExposure: 100)
        #expect(line.rateRatio == nil)
        let lines = [HypnoticLine(ward: 0, group: nil, drug: nil, product: nil, baseline: huge, pilot: huge, baselineDDD: nil,
                                  pilotDDD: nil, someWithoutDDD: true, countable: true, baselineExposure: 100, pilotExposure: 100)]
        #expect(HypnoticAnalysis.cbtiContrast(lines, study: study).cbti.strata == 0)
    }

    func issue(_ product: String, _ quantity: Double, ward: Int = 0, day: CalendarDay) throws -> HypnoticIssueRecord {
        let p = try ProductParser(formulary: formulary).parse(product)
        return HypnoticIssueRecord(day: day, ward: ward, product: p, drug: formulary.index(named: p.drug)!, quantity: quantity,
                                   period: study.periods(forWard: ward).period(of: day))
    }

    @Test func aNegativeNetIssueIsWithheldAndListed() throws {
        let use = HypnoticUse(formulary: formulary)
        let series = TimeSeries(study: study, formulary: formulary, hypnotics: use)
        let records = [
            try issue("Zopiclone 7.5mg tablets", 28, day: day2018),
            try issue("Zopiclone 7.5mg tablets", 28, day: day2019),
            try issue("Zopiclone 7.5mg tablets", -100_000, day: day2019),  // far beyond what returns can explain
            try issue("Zopiclone 3.75mg tablets", 56, day: day2018),
            try issue("Zopiclone 3.75mg tablets", 28, day: day2019),
            try issue("Zopiclone 3.75mg tablets", -14, day: day2019),  // an ordinary return
            try issue("Zopiclone 7.5mg tablets", 14, ward: 1, day: day2019),
        ]
        for r in records {
            use.hypnoticIssue(r)
            series.hypnoticIssue(r)
        }
        #expect(use.negativeNet.count == 1)
        #expect(use.negativeNet.first?.ward == 0 && use.negativeNet.first?.period == .pilot && use.negativeNet.first?.units == -99_972)
        let lines = HypnoticAnalysis.lines(use, study: study, occupancy: nil)
        // No line is negative; ward A1's 7.5 mg tablets are gone from both periods, ward D1's and the 3.75 mg remain.
        #expect(lines.allSatisfy { $0.baseline.units >= 0 && $0.pilot.units >= 0 && ($0.pilotDDD ?? 0) >= 0 })
        #expect(lines.first { $0.ward == 0 && $0.product == "zopiclone 7.5 mg tablet" } == nil)
        #expect(lines.first { $0.ward == 1 && $0.product == "zopiclone 7.5 mg tablet" }?.pilot.units == 14)
        let total = lines.first { $0.ward == nil && $0.group == nil }
        #expect(total?.baseline.units == 56 && total?.pilot.units == 28)
        // The chart leaves the withheld product out as well: pilot March holds 14 tablets (D1) + 14 net 3.75 mg only.
        let march = series.chartedDDD()[TimeSeries.Slot(bucket: day2019.startOfMonth.dayNumber, phase: .pilot)]
        #expect(march == 14 * 7.5 / 7.5 + 28 * 3.75 / 7.5 - 14 * 3.75 / 7.5)

        let sentences = DataQualityFindings.sentences(study: study, occupancy: nil, hypnotics: use)
        #expect(sentences == ["Hypnotics: more zopiclone 7.5 mg tablet came back from ward A1 than was issued to it in the pilot "
            + "period (net -99,972 units); issues are missing or a quantity is wrong, so ward A1's zopiclone 7.5 mg tablet is left "
            + "out of every hypnotic figure in both periods."])
    }

    @Test func aCensusAboveTheWardsBedsIsCountedWithItsMaximum() {
        var occupancy = OccupancyTotals(beds: study.wards.map(\.beds))
        for (i, beds) in [16, 17, 30, 12].enumerated() {
            occupancy.add(OccupancyRecord(day: day2019.adding(days: i), ward: 0, occupiedBeds: beds, leaveBeds: nil, period: .pilot))
        }
        occupancy.add(OccupancyRecord(day: day2019, ward: 1, occupiedBeds: 12, leaveBeds: nil, period: .pilot))
        occupancy.add(OccupancyRecord(day: day2019, ward: 1, occupiedBeds: 40, leaveBeds: nil, period: nil))  // outside both periods
        #expect(occupancy.overBeds == [0: OccupancyTotals.OverBeds(days: 2, most: 30)])
        #expect(occupancy.total(ward: 0, period: .pilot) == 75)
        #expect(DataQualityFindings.sentences(study: study, occupancy: occupancy, hypnotics: nil) == [
            // This census has no baseline day at all: said first, as no rate can be given.
            "Occupancy: the occupancy export has no occupied bed days in the baseline, so no rate per occupied bed day can be given "
                + "(incidents, hypnotic use); check the export's dates against study.yaml's periods.",
            "Occupancy: ward A1's census was above its 16 beds (study.yaml) on 2 days in the study periods, at most 30 occupied beds; "
                + "its rates use the census as recorded.",
        ])
    }

    @Test func theSummaryReportsBothFindings() throws {
        let dir = TempFolder()
        dir.write("study/study.yaml", studyYAML())
        dir.write("study/occupancy.csv", "date,ward,occupied_beds\n01/03/2018,A1,15\n01/03/2019,A1,20\n02/03/2019,A1,18\n")
        dir.write("study/hypnotics.csv", """
            date,ward,product,quantity
            05/03/2018,A1,Zopiclone 7.5mg tablets,28
            05/03/2019,A1,Zopiclone 7.5mg tablets,-100000
            05/03/2019,A1,Zopiclone 3.75mg tablets,28

            """)
        let out = dir.path + "/report"
        let r = try runWardsleep(["run", dir.path + "/study", "--out", out, "--ledger", dir.path + "/ledger.sqlite"])
        #expect(r.status == 0, "\(r.err)")
        let summary = dir.read("report/summary.md") ?? ""
        #expect(summary.contains("- Occupancy: ward A1's census was above its 16 beds (study.yaml) on 2 days in the study periods, "
            + "at most 20 occupied beds; its rates use the census as recorded.\n"))
        #expect(summary.contains("- Hypnotics: more zopiclone 7.5 mg tablet came back from ward A1 than was issued to it in the pilot "
            + "period (net -100,000 units)"))
        let table = dir.read("report/tables/hypnotics.csv") ?? ""
        #expect(!table.contains("zopiclone 7.5 mg tablet") && table.contains("zopiclone 3.75 mg tablet"))
        #expect(!table.contains(",-"))
    }
}
