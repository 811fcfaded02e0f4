import Foundation
import Testing
@testable import WardsleepKit

/// The Safety section: sentences that follow the numbers, disclosure of comparisons, exposure without occupancy, and
/// agreement between summary.md, the CSV tables and results.json on the sample study.
@Suite(.serialized) struct SafetyReportTests {
    func cell(_ x0: Int, _ t0: Double, _ x1: Int, _ t1: Double, unit: ExposureUnit = .occupiedBedDays) -> SafetyCell {
        SafetyCell(ward: nil, category: "all", window: .allDay, baselineEvents: x0, pilotEvents: x1, baselineExposure: t0,
                   pilotExposure: t1, unit: unit)
    }

    @Test func sentencesFollowTheIntervalNotTheRawDirection() {
        // poisson.test(c(174, 173), c(26639, 26880)): 1.01488 (0.817529 to 1.259914), p = 0.914541
        let up = SafetySection.sentence("All incidents", ShownComparison(cell(173, 26880, 174, 26639), style: .exact))
        #expect(up == "All incidents: 173 → 174; 6.4 → 6.5 per 1,000 occupied bed days (+1.5%); rate ratio 1.01 (95% CI 0.82 to 1.26; exact p = 0.91): no evidence of a change.")
        // poisson.test(c(3, 12), c(2000, 1800)): 0.225 (0.0407 to 0.8337), p = 0.0170
        let down = SafetySection.sentence("Self-harm", ShownComparison(cell(12, 1800, 3, 2000), style: .exact))
        // R prints the estimate as sprintf("%.2f", (3/2000)/(12/1800)) == "0.22" (the double lies just below 0.225).
        #expect(down.hasSuffix("rate ratio 0.22 (95% CI 0.04 to 0.83; exact p = 0.017): evidence of a decrease."))
        // poisson.test(c(781, 483), c(1, 1)): p = 4.8e-17
        let rise = SafetySection.sentence("Violence", ShownComparison(cell(483, 1000, 781, 1000), style: .exact))
        #expect(rise.hasSuffix("(95% CI 1.44 to 1.82; exact p < 0.001): evidence of an increase."))
        #expect(SafetySection.sentence("Deaths", ShownComparison(cell(0, 100, 0, 100), style: .exact))
            == "Deaths: 0 → 0: no events in either period, nothing to compare.")
    }

    @Test func percentagesAreExactToOneDecimal() {
        // 3178 -> 2407 over equal exposure: (2407/3178 - 1) * 100 = -24.2605...
        let c = ShownComparison(cell(3178, 1000, 2407, 1000), style: .exact)
        #expect(SafetySection.signedPercent(c.percentChange!) == "−24.3%")
        #expect(SafetySection.signedPercent(0.04) == "0.0%")
        #expect(SafetySection.signedPercent(1.26) == "+1.3%")
        #expect(SafetySection.signedPercent(-0.96) == "−1.0%")
    }

    @Test func publishedComparisonsUseRoundedCountsAndHideSuppressedOnes() {
        let policy = DisclosurePolicy()
        let rounded = ShownComparison(cell(952, 26880, 912, 26639), style: .published(policy))
        #expect(rounded.baselineEvents == "950" && rounded.pilotEvents == "910" && rounded.status == .rounded)
        // From the rounded counts, poisson.test(c(910, 950), c(26639, 26880)) = 0.966560701464612
        #expect(abs(rounded.ratio!.estimate! - 0.966560701464612) < 1e-9)
        #expect(abs(rounded.baselineRate! - 950.0 / 26880 * 1000) < 1e-12)
        let small = ShownComparison(cell(10, 26880, 3, 26639), style: .published(policy))
        #expect(small.pilotEvents == "*" && small.pilotRate == nil && small.ratio == nil && small.status == .suppressed)
        #expect(small.baselineEvents == "10" && small.baselineRate != nil)
        #expect(SafetySection.sentence("Deaths", small) == "Deaths: 10 → *; counts this small are not published, so no rate ratio is shown.")
    }

    @Test func withoutOccupancyExposureIsDaysInEachWardsPeriods() {
        let study = testStudy()
        let counts = IncidentCounts()
        let s = SafetyAnalysis.analyse(study: study, incidents: counts, occupancy: nil)
        let all = s.studyCell(IncidentCounts.allCategories, .allDay)!
        // A1: 243 baseline days, 243 pilot days; D1: 243 baseline, 212 pilot (from 1 February 2019).
        #expect(all.baselineExposure == 486 && all.pilotExposure == 455 && all.unit == .days)
        #expect(SafetySection.render(s, study: study, style: .exact).markdown.contains("**No occupancy export was supplied**"))
    }

    /// A ward whose census is missing from a period has events but no exposure there: the study-wide rate leaves it out,
    /// events and exposure alike (adding its events alone would overstate the rate), and the report says so. With no
    /// census in a period at all, the finding says no rate can be given, not that there were no incidents.
    @Test func aWardWithoutACensusIsLeftOutOfTheStudyWideRates() throws {
        let study = testStudy()  // A1 and D1
        func incident(_ ward: Int, _ day: CalendarDay) -> IncidentRecord {
            IncidentRecord(id: "x", day: day, time: nil, ward: ward, category: "violence", subcategory: nil, severity: nil, patient: nil,
                           status: nil, excludedByStatus: false,
                           timing: EventTiming(day: day, time: nil, periods: study.periods(forWard: ward), window: .default))
        }
        let counts = IncidentCounts()
        let base = CalendarDay(year: 2018, month: 3, day: 1)!, pilot = CalendarDay(year: 2019, month: 3, day: 1)!
        for (ward, baseline, pilotEvents) in [(0, 30, 20), (1, 50, 40)] {
            for _ in 0..<baseline { counts.incident(incident(ward, base)) }
            for _ in 0..<pilotEvents { counts.incident(incident(ward, pilot)) }
        }
        var occupancy = OccupancyTotals(beds: study.wards.map(\.beds))
        occupancy.add(OccupancyRecord(day: base, ward: 0, occupiedBeds: 15, leaveBeds: nil, period: .baseline))
        occupancy.add(OccupancyRecord(day: pilot, ward: 0, occupiedBeds: 14, leaveBeds: nil, period: .pilot))
        occupancy.add(OccupancyRecord(day: base, ward: 1, occupiedBeds: 12, leaveBeds: nil, period: .baseline))  // D1: no pilot census
        let s = SafetyAnalysis.analyse(study: study, incidents: counts, occupancy: occupancy)
        let all = s.studyCell(IncidentCounts.allCategories, .allDay)!
        // A1 alone: 30 and 20 incidents over 15 and 14 occupied bed days; D1's 90 incidents are in no study-wide figure.
        #expect(all.baselineEvents == 30 && all.pilotEvents == 20 && all.baselineExposure == 15 && all.pilotExposure == 14)
        let d1 = s.cells.first { $0.ward == 1 && $0.category == IncidentCounts.allCategories && $0.window == .allDay }!
        #expect(d1.baselineEvents == 50 && d1.pilotEvents == 40 && d1.pilotExposure == 0)
        #expect(SafetySection.render(s, study: study, style: .exact).markdown.contains(
            "Left out of the study-wide rates and the pooled estimates, having no occupied bed days in a period: ward D1; its own "
                + "line shows its incidents without a rate."))
        // D1's own line says why it has no rate, not that it had no events.
        #expect(ShownComparison(d1, style: .exact).noEstimateReason == "no occupied bed days in the pilot, so no rate")
        #expect(SafetyForest.note(ShownComparison(d1, style: .exact)) == "no occupied bed days in the pilot, so no rate")
        #expect(DataQualityFindings.censusGaps(study: study, occupancy: occupancy) == [
            "Occupancy: ward D1 has no occupied bed days in the pilot, so it is left out of the study-wide rates (incidents, hypnotic "
                + "use) and the pooled estimates; ward D1's own lines show its counts without a rate.",
        ])

        // No census in the pilot for any ward: no rate, and the key finding says why.
        var baselineOnly = OccupancyTotals(beds: study.wards.map(\.beds))
        for w in 0..<2 { baselineOnly.add(OccupancyRecord(day: base, ward: w, occupiedBeds: 10, leaveBeds: nil, period: .baseline)) }
        let none = SafetyAnalysis.analyse(study: study, incidents: counts, occupancy: baselineOnly)
        let cell = none.studyCell(IncidentCounts.allCategories, .allDay)!
        #expect(cell.baselineEvents == 0 && cell.pilotEvents == 0 && cell.pilotExposure == 0)
        #expect(DataQualityFindings.censusGaps(study: study, occupancy: baselineOnly) == [
            "Occupancy: the occupancy export has no occupied bed days in the pilot, so no rate per occupied bed day can be given "
                + "(incidents, hypnotic use); check the export's dates against study.yaml's periods.",
        ])
        #expect(SafetySection.render(none, study: study, style: .exact).markdown.contains(
            "No ward has occupied bed days in both periods, so no rate can be given"))
    }

    @Test func sampleSafetySectionAndTablesAgree() throws {
        let dir = TempFolder()
        let out = dir.path + "/report"
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", out, "--unsuppressed"])
        #expect(r.status == 0, "\(r.err)")
        for prefix in ["", "restricted/"] {
            let summary = try String(contentsOfFile: "\(out)/\(prefix)summary.md", encoding: .utf8)
            let table = try csvRows("\(out)/\(prefix)tables/incidents.csv")
            let pooled = try csvRows("\(out)/\(prefix)tables/incidents_pooled.csv")
            #expect(table.first == SafetyTables.incidentColumns && pooled.first == SafetyTables.pooledColumns)
            // 8 categories (with all) x 2 windows x (study + 7 wards)
            #expect(table.count == 1 + 8 * 2 * 8 && pooled.count == 1 + 8 * 2)
            let study = table.first { $0[0] == "study" && $0[2] == "all" && $0[3] == "24h" }!
            let headline = "All incidents over 24 hours: \(grouped(study[4])) → \(grouped(study[5])); "
                + "\(fixed(study[9], 1)) → \(fixed(study[10], 1)) per 1,000 occupied bed days"
            #expect(summary.contains(headline), "\(prefix)summary.md lacks: \(headline)")
            #expect(summary.contains("rate ratio \(fixed(study[11], 2)) (95% CI \(fixed(study[12], 2)) to \(fixed(study[13], 2))"))
            for ward in table where ward[0] == "ward" && ward[2] == "all" && ward[3] == "24h" {
                let line = "| \(grouped(ward[4])) | \(grouped(ward[5])) | \(fixed(ward[9], 1)) | \(fixed(ward[10], 1)) | "
                    + "\(fixed(ward[11], 2)) (\(fixed(ward[12], 2)) to \(fixed(ward[13], 2))) |"
                #expect(summary.contains(line), "ward \(ward[1]): \(line)")
            }
            let mh = pooled.first { $0[0] == "all" && $0[1] == "24h" }!
            #expect(summary.contains("(Mantel–Haenszel), over 24 hours: rate ratio \(fixed(mh[2], 2)) (95% CI \(fixed(mh[3], 2)) to \(fixed(mh[4], 2)))"))
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/\(prefix)results.json"))) as! [String: Any]
            let rows = (json["safety"] as! [String: Any])["incidents"] as! [[String: Any]]
            #expect(rows.count == table.count - 1)
            let first = rows[0]
            #expect("\(first["baseline_events"]!)" == study[4] && "\(first["pilot_events"]!)" == study[5])
            #expect(abs((first["rate_ratio"] as! Double) - Double(study[11])!) < 1e-12)
        }
        // The exact copy against R for the committed sample's counts:
        // poisson.test(c(902, 952), c(26899, 26845)): 0.945576918450937 (0.862307182508894, 1.03682776452681), p 0.23623015910025
        let exact = try csvRows("\(out)/restricted/tables/incidents.csv").first { $0[0] == "study" && $0[2] == "all" && $0[3] == "24h" }!
        #expect(exact[4] == "952" && exact[5] == "902" && exact[6] == "26845" && exact[7] == "26899")
        for (i, expected) in [(11, 0.945576918450937), (12, 0.862307182508894), (13, 1.03682776452681), (14, 0.23623015910025)] {
            #expect(abs(Double(exact[i])! / expected - 1) < 1e-6)
        }
        // Published tables never show a count from 1 to 7.
        for row in try csvRows("\(out)/tables/incidents.csv").dropFirst() {
            for i in [4, 5] { #expect(!(1...7).contains(Int(row[i]) ?? 0), "\(row)") }
        }
    }

    func csvRows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }
    func grouped(_ s: String) -> String { Int(s).map(NumberFormat.grouped) ?? s }
    func fixed(_ s: String, _ d: Int) -> String { Double(s).map { NumberFormat.fixed($0, d) } ?? "—" }
}
