import Foundation
import Testing
@testable import WardsleepKit

/// Hypnotic use: DDD arithmetic, aggregation, sentences, disclosure and both export kinds end to end.
@Suite(.serialized) struct HypnoticUseTests {
    let study = testStudy()
    let formulary = Formulary.builtIn()
    var parser: ProductParser { ProductParser(formulary: formulary) }
    let day2018 = CalendarDay(year: 2018, month: 3, day: 1)!
    let day2019 = CalendarDay(year: 2019, month: 3, day: 1)!

    func issue(_ product: String, _ quantity: Double, ward: Int = 0, day: CalendarDay? = nil) throws -> HypnoticIssueRecord {
        let d = day ?? day2018
        let p = try parser.parse(product)
        return HypnoticIssueRecord(day: d, ward: ward, product: p, drug: formulary.index(named: p.drug)!, quantity: quantity,
                                   period: study.periods(forWard: ward).period(of: d))
    }

    @Test func dddArithmetic() throws {
        let use = HypnoticUse(formulary: formulary)
        // 828 tablets of zopiclone 3.75 mg = 3105 mg = 414 DDD (DDD 7.5 mg).
        use.hypnoticIssue(try issue("ZOPICLONE 3.75 MG TAB", 828))
        // 56 tablets of promethazine 25 mg = 1400 mg = 56 DDD (DDD 25 mg); 28 daridorexant 50 mg: no DDD.
        use.hypnoticIssue(try issue("Promethazine hydrochloride 25mg tablets", 56))
        use.hypnoticIssue(try issue("Quviviq 50mg tablets", 28))
        var occupancy = OccupancyTotals()
        occupancy.add(OccupancyRecord(day: day2018, ward: 0, occupiedBeds: 4140, leaveBeds: nil, period: .baseline))
        // A pilot census too: a ward without one would be left out of the study-wide lines.
        occupancy.add(OccupancyRecord(day: day2019, ward: 0, occupiedBeds: 4000, leaveBeds: nil, period: .pilot))
        let lines = HypnoticAnalysis.lines(use, study: study, occupancy: occupancy)
        let zopiclone = lines.first { $0.ward == nil && $0.drug?.name == "zopiclone" && $0.product == nil }!
        #expect(zopiclone.baseline.units == 828 && zopiclone.baseline.mg == 3105 && zopiclone.baselineDDD == 414)
        #expect(zopiclone.dddPer100(.baseline) == 10)  // 414 / 4140 * 100
        let dari = lines.first { $0.ward == nil && $0.drug?.name == "daridorexant" && $0.product == nil }!
        #expect(dari.baselineDDD == nil && dari.baseline.mg == 1400 && dari.someWithoutDDD)
        let total = lines.first { $0.ward == nil && $0.group == nil }!
        #expect(total.baseline.units == 912 && total.baselineDDD == 470 && total.someWithoutDDD)
        // Ordering: products, then their drug, then the group; the total last.
        let studyLines = lines.filter { $0.ward == nil }.map { "\($0.group?.rawValue ?? "all")/\($0.drug?.name ?? "all")/\($0.product ?? "all")" }
        #expect(studyLines == [
            "z-drugs/zopiclone/zopiclone 3.75 mg tablet", "z-drugs/zopiclone/all", "z-drugs/all/all",
            "sedating antihistamines/promethazine/promethazine 25 mg tablet", "sedating antihistamines/promethazine/all",
            "sedating antihistamines/all/all",
            "other/daridorexant/daridorexant 50 mg tablet", "other/daridorexant/all", "other/all/all", "all/all/all",
        ])
    }

    @Test func returnsAreNettedAndLiquidsHaveNoCountRateRatio() throws {
        let use = HypnoticUse(formulary: formulary)
        use.hypnoticIssue(try issue("Zopiclone 7.5mg tablets", 56))
        use.hypnoticIssue(try issue("Zopiclone 7.5mg tablets", -14))
        use.hypnoticIssue(try issue("Zopiclone 7.5mg tablets", 28, day: day2019))
        use.hypnoticIssue(try issue("Promethazine 5mg/5ml oral solution", 100))
        use.hypnoticIssue(try issue("Promethazine 5mg/5ml oral solution", 50, day: day2019))
        let lines = HypnoticAnalysis.lines(use, study: study, occupancy: nil)
        let zop = lines.first { $0.ward == nil && $0.drug?.name == "zopiclone" && $0.product == nil }!
        #expect(zop.baseline.units == 42 && zop.pilot.units == 28 && zop.rateRatio != nil)
        // exposure without occupancy: days in the periods (243 + 243 baseline for the two wards)
        #expect(zop.baselineExposure == 486)
        let liquid = lines.first { $0.ward == nil && $0.drug?.name == "promethazine" && $0.product == nil }!
        #expect(liquid.baseline.mg == 100 && !liquid.countable && liquid.rateRatio == nil)
    }

    /// Products whose keys hash alike (a ward, one strength and form, drugs whose names are as long: "lorazepam" and
    /// "melatonin") are still told apart: each keeps its own totals.
    @Test func productsHashingAlikeKeepTheirOwnTotals() throws {
        let a = HypnoticUse.Key(ward: 0, product: try parser.parse("Lorazepam 2mg tablets"))
        let b = HypnoticUse.Key(ward: 0, product: try parser.parse("Melatonin 2mg tablets"))
        #expect(a.hashValue == b.hashValue && a != b)
        let use = HypnoticUse(formulary: formulary)
        for (product, quantity) in [("Lorazepam 2mg tablets", 28.0), ("Melatonin 2mg tablets", 30), ("Lorazepam 2mg tablets", -14),
                                    ("Melatonin 2mg tablets", 60)] {
            use.hypnoticIssue(try issue(product, quantity))
        }
        #expect(use.totals.count == 2)
        #expect(use.totals[a]?[.baseline] == HypnoticUse.Totals(units: 14, mg: 28))
        #expect(use.totals[b]?[.baseline] == HypnoticUse.Totals(units: 90, mg: 180))
    }

    @Test func sentencesStateTheExactChange() {
        // 2407 / 3178 − 1 = −24.26%; 230 / 200 − 1 = +15%.
        #expect(HypnoticSection.changeSentence("Tablets issued", baseline: 3178, pilot: 2407, change: -24.2605) == "Tablets issued fell from 3,178 to 2,407 (−24.3%)")
        #expect(HypnoticSection.changeSentence("Doses given", baseline: 200, pilot: 230, change: 15) == "Doses given rose from 200 to 230 (+15.0%)")
        #expect(HypnoticSection.changeSentence("Doses given", baseline: 40, pilot: 40, change: 0) == "Doses given did not change (40 in each period)")
        #expect(HypnoticSection.changeSentence("Doses given", baseline: 40, pilot: 40, change: -9.1, per: "occupied bed day")
                == "Doses given: 40 in each period (−9.1% per occupied bed day)")
    }

    @Test func unmappableProductsAreQuarantinedNotGuessed() throws {
        let dir = TempFolder()
        let path = dir.write("hypnotics.csv", """
        date,ward,product,quantity
        05/03/2019,A1,Zopiclone 7.5mg tablets,28
        05/03/2019,A1,Paracetamol 500mg tablets,32
        05/03/2019,A1,Zopiclone tablets,28
        05/03/2019,A1,ZOPICLONE 3.75 MG TAB,28

        """)
        let context = NormaliseContext(study: study, pseudonymiser: nil)
        let (t, records, log) = try ingest(path, spec: study.exports[.hypnotics], HypnoticIssueNormaliser(context: context))
        #expect(t.rowsRead == 4 && t.accepted == 2 && t.quarantined == 2)
        #expect(records.map(\.product.label) == ["zopiclone 7.5 mg tablet", "zopiclone 3.75 mg tablet"])
        #expect(log.problems.map(\.message) == [
            "hypnotics.csv:3: column \"product\": \"Paracetamol 500mg tablets\": unknown product: no formulary drug named; add it under formulary in study.yaml",
            "hypnotics.csv:4: column \"product\": \"Zopiclone tablets\": no strength: the product name gives no strength (e.g. 7.5mg); add a strength_mg column",
        ])
    }

    /// With drug and strength columns, a product is the drug cell and the product cell read together, the strength
    /// cell overriding the name's; each label is resolved once per export (the cache is keyed by the cells' bytes) and
    /// every record names its drug by its place in the study's formulary, the same drug its product names.
    @Test func drugAndStrengthColumnsResolveWithTheProduct() throws {
        let dir = TempFolder()
        let path = dir.write("hypnotics.csv", """
        date,ward,drug,product,quantity,strength_mg
        05/03/2019,A1,Zopiclone,7.5mg tablets,28,
        05/03/2019,A1,Zopiclone,tablets,28,3.75
        05/03/2019,D1,,Temazepam 10mg tablets,28,
        05/03/2019,D1,Zopiclone,7.5mg tablets,-28,
        05/03/2019,D1,Zopiclone,tablets,14,
        05/03/2019,A1,Promethazine,5mg/5ml oral solution,100,
        05/03/2019,A1,Zopiclone,tablets,28,7.5

        """)
        let context = NormaliseContext(study: study, pseudonymiser: nil)
        var spec = study.exports[.hypnotics]
        spec.file = "hypnotics.csv"
        let (t, records, log) = try ingest(path, spec: spec, HypnoticIssueNormaliser(context: context))
        #expect(t.rowsRead == 7 && t.accepted == 6 && t.quarantined == 1)
        #expect(records.map(\.product.label) == ["zopiclone 7.5 mg tablet", "zopiclone 3.75 mg tablet", "temazepam 10 mg tablet",
                                                 "zopiclone 7.5 mg tablet", "promethazine 5 mg/5 ml liquid", "zopiclone 7.5 mg tablet"])
        #expect(records.map(\.quantity) == [28, 28, 28, -28, 100, 28])
        let formulary = Formulary.forStudy(study)
        #expect(records.allSatisfy { formulary[$0.drug].name == $0.product.drug && formulary.index(named: $0.product.drug) == $0.drug })
        #expect(Set(records.map { formulary[$0.drug].name }) == ["zopiclone", "temazepam", "promethazine"])
        #expect(log.problems.map(\.message) == [
            "hypnotics.csv:6: column \"strength_mg\": empty required field: strength_mg must have a value when the product name has none",
        ])
    }

    @Test func sampleStudyReportsPharmacyIssues() throws {
        let dir = TempFolder()
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", dir.path + "/r"])
        #expect(r.status == 0, "\(r.err)")
        let summary = try String(contentsOfFile: dir.path + "/r/summary.md", encoding: .utf8)
        #expect(summary.contains("## Results: hypnotic use") && summary.contains("From pharmacy issues of hypnotics to the wards"))
        let rows = try String(contentsOfFile: dir.path + "/r/tables/hypnotics.csv", encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows[0] == HypnoticTables.columns)
        let total = rows.first { $0[0] == "study" && $0[2] == "all" }!
        // The percentage is the change in the rate per occupied bed day (the periods differ in occupancy), as in the table.
        let rateChange = SafetySection.signedPercent(Double(total[HypnoticTables.columns.firstIndex(of: "percent_change_rate")!])!)
        let sentence = HypnoticSection.changeSentence("Tablets and capsules issued", baseline: Double(total[6])!, pilot: Double(total[7])!,
                                                      change: Double(total[8])!)
            .replacingOccurrences(of: #"\([^)]*\)$"#, with: "(\(rateChange) per occupied bed day)", options: .regularExpression)
        #expect(summary.contains(sentence), "summary lacks: \(sentence)")
        #expect(Double(total[HypnoticTables.columns.firstIndex(of: "percent_change_rate")!])! != Double(total[8])!)
        // Beside it, the quasi-Poisson comparison on monthly ward totals, with its dispersion.
        #expect(summary.contains("- On monthly ward totals (111 ward-months), allowing for over-dispersion: quasi-Poisson rate ratio per occupied bed day "))
        // Every product line's DDD equals its mg over the drug's DDD.
        for row in rows.dropFirst() where row[4] != "all" {
            let ddd = formulary.drug(named: row[3])!.dddMg!
            #expect(abs(Double(row[9])! / ddd - Double(row[11])!) < 1e-9)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/r/tables/hypnotics_prn.csv"))
    }

    @Test func administrationsFixtureStudy() throws {
        let dir = TempFolder()
        let written = try SampleStudy.write(to: dir.path + "/study", hypnotics: .administrations)
        let r = try runWardsleep(["run", dir.path + "/study", "--out", dir.path + "/r", "--unsuppressed"])
        #expect(r.status == 0, "\(r.err)")
        let result = try StudyValidation.validate(folder: dir.path + "/study", keyFile: nil, environment: [:])
        let t = result.ingest.tally(.hypnotics)!
        #expect(t.rowsRead == written.rows[.hypnotics] && t.rowsRead == t.accepted + t.quarantined)
        #expect((t.setAside["not given (refused)"] ?? 0) > 0 && (t.setAside["not given (omitted)"] ?? 0) > 0)
        let summary = try String(contentsOfFile: dir.path + "/r/summary.md", encoding: .utf8)
        #expect(summary.contains("From administration records: only doses given count"))
        #expect(summary.contains("### As-required (PRN) doses"))
        for prefix in ["", "restricted/"] {
            let prn = try String(contentsOfFile: dir.path + "/r/\(prefix)tables/hypnotics_prn.csv", encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(prn[0] == HypnoticTables.prnColumns && prn.count == 1 + 8)
            let study = prn[1]
            let (x, n) = (Int(study[11])!, Int(study[9])!)  // pilot patients with PRN, pilot patients
            let share = Proportion(x: x, n: n)
            #expect(Double(study[15])! == share.estimate! && Double(study[16])! == share.lower! && Double(study[17])! == share.upper!)
            if prefix == "" { #expect(x % 5 == 0 && n % 5 == 0) }  // published counts are rounded
        }
    }
}
