import Foundation
import Testing
@testable import WardsleepKit

/// Milligrams and DDDs of doses given, as a releasable copy shows them. Scaled by published ÷ exact doses, they kept
/// the exact mean dose, and n × mean fell on the dose step for one n only: the exact count (an attack recovered 106 of
/// 142 published counts, and a suppressed one through the totals). Rounded on the dose step, every count the published
/// one could stand for fits.
@Suite struct ReleasedDosesTests {
    let study = testStudy()
    let day2018 = CalendarDay(year: 2018, month: 3, day: 1)!, day2019 = CalendarDay(year: 2019, month: 3, day: 1)!

    func lines(small: Int, large: Int, pilotSmall: Int = 40, pilotLarge: Int = 40) -> [HypnoticLine] {
        let use = HypnoticUse(formulary: Formulary.builtIn())
        let zopiclone = Formulary.builtIn().index(named: "zopiclone")!
        func give(_ mg: Double, _ n: Int, _ day: CalendarDay) {
            for _ in 0..<n {
                use.hypnoticAdministration(HypnoticAdministrationRecord(
                    day: day, time: nil, ward: 0, patient: 0, drug: zopiclone, doseMg: mg, status: .given, prn: nil,
                    timing: EventTiming(day: day, time: nil, periods: study.periods(forWard: 0), window: .default)))
            }
        }
        give(3.75, small, day2018); give(7.5, large, day2018); give(3.75, pilotSmall, day2019); give(7.5, pilotLarge, day2019)
        return HypnoticAnalysis.lines(use, study: study, occupancy: nil)
    }

    @Test func releasedMilligramsLeaveEveryPublishableCountPossible() throws {
        let policy = DisclosurePolicy()
        var random = SampleRandom(seed: 99)
        for _ in 0..<300 {
            let small = Int(random.next() % 400), large = 8 + Int(random.next() % 2_000)
            let line = try #require(lines(small: small, large: large).first { $0.ward == nil && $0.drug?.name == "zopiclone" && $0.product == nil })
            let shown = ShownHypnoticLine(line, style: .published(policy))
            let n = small + large, mg = try #require(shown.values["baseline_mg"] ?? nil), units = Int(shown.baselineUnits.replacingOccurrences(of: ",", with: ""))!
            // The doses' grid: 3.75 mg when both strengths were given, 7.5 when only 7.5 mg was. The milligrams shown are
            // a multiple of 5 typical doses (the commonest: 3.75 mg when more of those were given, else 7.5), within half
            // of that of the exact milligrams.
            let grid = small > 0 ? 3.75 : 7.5, step = small > large ? 3.75 : 7.5, half = 2.5 * step
            #expect(abs((mg / (5 * step)).rounded() * 5 * step - mg) < 1e-9 && abs(mg - line.baseline.mg) <= half + 1e-9)
            #expect(try #require(shown.values["baseline_ddd"] ?? nil) == mg / 7.5)
            // The attacker's question: which counts could stand behind what is shown? Counts published as `units` with
            // doses of the step's strengths whose total rounds to the milligrams shown. (A count at the edge of the range
            // may be ruled out when nearly every dose is the largest or the smallest; never all but one.)
            let fitting = (max(8, units - 2)...(units + 2)).filter { candidate in
                guard Disclosure.publish(candidate, policy: policy).number == units else { return false }
                let lowest = (small > 0 ? 3.75 : 7.5) * Double(candidate), highest = 7.5 * Double(candidate)
                let window = (mg - half)...(mg + half)
                return stride(from: (window.lowerBound / grid).rounded(.up), through: (window.upperBound / grid).rounded(.down), by: 1)
                    .contains { grid * $0 >= lowest && grid * $0 <= highest }
            }
            #expect(fitting.contains(n) && fitting.count >= 3, "n \(n) shown as \(units), \(mg) mg: counts that fit \(fitting)")
        }
    }

    /// A group or total line beside a drug with a suppressed count: the probe read 1–2 against 3–7 doses of zolpidem off
    /// the z-drugs' milligrams. The drug's milligrams now add nothing to the line, whatever its count from 1 to 7.
    @Test func aSuppressedDrugAddsNothingToItsGroupsMilligrams() throws {
        let policy = DisclosurePolicy()
        let formulary = Formulary.builtIn()
        var shownMg: Set<Double> = []
        for few in 1...7 {
            let use = HypnoticUse(formulary: formulary)
            func give(_ drug: String, _ mg: Double, _ n: Int, _ day: CalendarDay) {
                let index = formulary.index(named: drug)!
                for _ in 0..<n {
                    use.hypnoticAdministration(HypnoticAdministrationRecord(
                        day: day, time: nil, ward: 0, patient: 0, drug: index, doseMg: mg, status: .given, prn: nil,
                        timing: EventTiming(day: day, time: nil, periods: study.periods(forWard: 0), window: .default)))
                }
            }
            give("zopiclone", 7.5, 300, day2018); give("zolpidem", 10, few, day2018)
            give("zopiclone", 7.5, 250, day2019); give("zolpidem", 10, 20, day2019)
            let all = HypnoticAnalysis.lines(use, study: study, occupancy: nil)
            let group = try #require(all.first { $0.ward == nil && $0.group != nil && $0.drug == nil })
            let shown = ShownHypnoticLine(group, style: .published(policy))
            shownMg.insert(try #require(shown.values["baseline_mg"] ?? nil))
            // The exact copy keeps every milligram.
            #expect(ShownHypnoticLine(group, style: .exact).values["baseline_mg"] ?? nil == 300 * 7.5 + Double(few) * 10)
            // And the line says which drug its milligrams and DDDs leave out: in the table, results.json and the text.
            #expect(shown.leftOutDrugs == ["zolpidem"] && ShownHypnoticLine(group, style: .exact).leftOutDrugs.isEmpty)
            let csv = HypnoticTables.csv(all, kind: .administrations, study: study, style: .published(policy))
            let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let column = try #require(rows[0].firstIndex(of: "mg_leaves_out"))
            #expect(rows.dropFirst().contains { $0[column] == "zolpidem" } && rows.dropFirst().contains { $0[column] == "" })
            #expect(ShownHypnoticLine.leavingOut(shown.leftOutDrugs) == " (leaving out zolpidem, whose doses are not published)")
            // zolpidem's own line leaves out no other drug (its doses show as not published), and is not listed as if it did.
            let zolpidem = try #require(all.first { $0.ward == nil && $0.drug?.name == "zolpidem" })
            #expect(ShownHypnoticLine(zolpidem, style: .published(policy)).leftOutDrugs.isEmpty)
            let text = MarkdownWriter.render(HypnoticSection.render(all, prn: nil, kind: .administrations, study: study,
                                                                    style: .published(policy), exposureFromOccupancy: false))
            let partial = try #require(text.split(separator: "\n").first { $0.hasPrefix("Milligrams and DDDs leave out") })
            #expect(partial.contains("all wards, all hypnotics: zolpidem") && !partial.contains("all wards, z-drug"), "\(partial)")
        }
        #expect(shownMg == [2250], "\(shownMg)")
    }

    /// The probe's attack: one odd dose (2.001 mg among 2 mg melatonin doses) made the doses' common step a microgram, so
    /// the milligrams were published to the microgram and mg ÷ 2 gave the exact count the table rounds. Rounded on a
    /// typical dose instead, the milligrams and DDDs shown are those of the published count, whatever the odd doses.
    @Test func anOddDoseDoesNotMakeTheMilligramsExact() throws {
        let policy = DisclosurePolicy()
        let formulary = Formulary.builtIn()
        let melatonin = formulary.index(named: "melatonin")!
        for (n, odd) in [(19, 2.001), (21, 0.001), (23, 1e-6), (12, 2.5), (18, 7.5)] {
            let use = HypnoticUse(formulary: formulary)
            func give(_ mg: Double, _ count: Int, _ day: CalendarDay) {
                for _ in 0..<count {
                    use.hypnoticAdministration(HypnoticAdministrationRecord(
                        day: day, time: nil, ward: 0, patient: 0, drug: melatonin, doseMg: mg, status: .given, prn: nil,
                        timing: EventTiming(day: day, time: nil, periods: study.periods(forWard: 0), window: .default)))
                }
            }
            give(2, 40, day2018)
            give(2, n - 1, day2019); give(odd, 1, day2019)
            let line = try #require(HypnoticAnalysis.lines(use, study: study, occupancy: nil)
                .first { $0.ward == nil && $0.drug?.name == "melatonin" && $0.product == nil })
            let shown = ShownHypnoticLine(line, style: .published(policy))
            let units = Double(shown.pilotUnits)!, mg = try #require(shown.values["pilot_mg"] ?? nil)
            // Milligrams on the grid of 5 × 2 mg: the count they stand for is a multiple of 5, never n.
            #expect((mg / 10).rounded() * 10 == mg && (mg / 2).rounded() != Double(n), "n \(n), odd \(odd): \(mg) mg")
            #expect(abs(mg / 2 - units) <= 5, "n \(n): \(mg) mg against \(units) doses shown")
            #expect(try #require(shown.values["pilot_ddd"] ?? nil) == mg / 2)
        }
    }

    @Test func theCommonestDoseIsKeptAcrossWardsAndOddDosesAside() {
        var a = DoseMix(), b = DoseMix()
        for _ in 0..<5 { a.add(7_500) }
        a.add(1); a.add(2); a.add(3); a.add(4)  // a fifth distinct dose is only counted
        for _ in 0..<3 { b.add(3_750) }
        for _ in 0..<3 { b.add(7_500) }
        #expect(a.commonest == 7_500 && a.others == 1 && b.commonest == 7_500)
        var c = DoseMix()
        for _ in 0..<4 { c.add(3_750) }
        c.merge(b)
        #expect(c.commonest == 3_750)
        c.merge(a)
        #expect(c.commonest == 7_500 && DoseMix().commonest == 0)
    }

    @Test func exactCopiesAndPharmacyIssuesAreShownAsTheyAre() throws {
        let line = try #require(lines(small: 1_234, large: 567).first { $0.ward == nil && $0.drug?.name == "zopiclone" && $0.product == nil })
        let exact = ShownHypnoticLine(line, style: .exact)
        #expect(exact.values["baseline_mg"] ?? nil == 1_234 * 3.75 + 567 * 7.5)
        // The segmented regression of DDDs from doses given is withheld in a releasable copy, months and all.
        let rows = (Array(1...8) + Array(13...20)).map { t in
            SegmentRow(ward: 0, month: t, start: CalendarDay(year: 2018 + (t - 1) / 12, month: (t - 1) % 12 + 1, day: 1)!,
                       period: t >= 13 ? .pilot : .baseline, pilotStart: 13, amount: 40 + Double(t % 5) * 1.5, events: 30 + t % 5,
                       exposure: 400)
        }
        let series = InterruptedSeries(measure: "hypnotic_ddd", category: nil, window: nil, ward: nil, unit: .occupiedBedDays, scale: 100, rows: rows)
        #expect(series.model != nil)
        let shown = series.released(DisclosurePolicy())
        #expect(shown.model == nil && shown.withheld?.contains("would give the exact counts of doses back") == true)
        #expect(shown.points.isEmpty && SegmentedTables.chartPath(shown) == nil)
        // The table says why, and the note on models refitted as published is not given for it.
        let section = SegmentedTables.section([shown], measure: "hypnotic_ddd", study: study, policy: DisclosurePolicy()).markdown
        #expect(section.contains("withheld: " + InterruptedSeries.ofDosesGiven) && !section.contains("too many ward-months"))
        #expect(!section.contains("In this copy each model is fitted"))
    }
}
