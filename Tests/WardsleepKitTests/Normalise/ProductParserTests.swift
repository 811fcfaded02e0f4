import Foundation
import Testing
@testable import WardsleepKit

/// Product strings as pharmacy and EPMA systems write them, resolved to drug, strength and form — or refused.
@Suite struct ProductParserTests {
    let parser = ProductParser(formulary: Formulary.builtIn())

    struct Expected: Sendable, CustomTestStringConvertible {
        var text: String
        var label: String
        var testDescription: String { text }
    }

    static let good: [Expected] = [
        .init(text: "Zopiclone 7.5mg tablets", label: "zopiclone 7.5 mg tablet"),
        .init(text: "Zopiclone 3.75mg tablets", label: "zopiclone 3.75 mg tablet"),
        .init(text: "ZOPICLONE 3.75 MG TAB", label: "zopiclone 3.75 mg tablet"),
        .init(text: "zopiclone 7.5 mg tabs", label: "zopiclone 7.5 mg tablet"),
        .init(text: "Zimovane 7.5mg tablets", label: "zopiclone 7.5 mg tablet"),
        .init(text: "Promethazine hydrochloride 25mg tablets", label: "promethazine 25 mg tablet"),
        .init(text: "PROMETHAZINE HCL 10 MG TAB", label: "promethazine 10 mg tablet"),
        .init(text: "Phenergan 25mg tablets", label: "promethazine 25 mg tablet"),
        .init(text: "Promethazine 5mg/5ml oral solution", label: "promethazine 5 mg/5 ml liquid"),
        .init(text: "Melatonin 2mg m/r tablets", label: "melatonin 2 mg MR tablet"),
        .init(text: "MELATONIN 2 MG M/R TAB", label: "melatonin 2 mg MR tablet"),
        .init(text: "Circadin 2mg modified-release tablets", label: "melatonin 2 mg MR tablet"),
        .init(text: "Melatonin 3mg tablets", label: "melatonin 3 mg tablet"),
        .init(text: "Temazepam 10mg tablets", label: "temazepam 10 mg tablet"),
        .init(text: "Temazepam 10mg/5ml oral solution sugar free", label: "temazepam 10 mg/5 ml liquid"),
        .init(text: "Zolpidem tartrate 5mg tablets", label: "zolpidem 5 mg tablet"),
        .init(text: "Chloral hydrate 500mg/5ml oral solution", label: "chloral hydrate 500 mg/5 ml liquid"),
        .init(text: "Clomethiazole 192mg capsules", label: "clomethiazole 192 mg capsule"),
        .init(text: "Heminevrin 192mg caps", label: "clomethiazole 192 mg capsule"),
        .init(text: "Quviviq 50mg tablets", label: "daridorexant 50 mg tablet"),
        .init(text: "Lorazepam 1mg tablets", label: "lorazepam 1 mg tablet"),
        .init(text: "Mirtazapine 15mg orodispersible tablets", label: "mirtazapine 15 mg tablet"),
        .init(text: "Melatonin 500microgram tablets", label: "melatonin 0.5 mg tablet"),
    ]

    @Test(arguments: good) func realisticStringsResolve(_ e: Expected) throws {
        #expect(try parser.parse(e.text).label == e.label)
    }

    @Test func unitsOfQuantityAndMilligrams() throws {
        let liquid = try parser.parse("Promethazine 5mg/5ml oral solution")
        #expect(liquid.mgPerUnit == 1 && !liquid.countable)
        let tablet = try parser.parse("ZOPICLONE 3.75 MG TAB")
        #expect(tablet.mgPerUnit == 3.75 && tablet.countable)
    }

    func issue(_ text: String, requireStrength: Bool = true) -> String? {
        do { _ = try parser.parse(text, requireStrength: requireStrength); return nil } catch { return error.reason }
    }

    @Test func unmappableProductsAreRefusedWithTheReason() {
        #expect(issue("Paracetamol 500mg tablets") == "unknown product: no formulary drug named; add it under formulary in study.yaml")
        #expect(issue("Sleeping tablet") == "unknown product: no formulary drug named; add it under formulary in study.yaml")
        #expect(issue("Zopiclone tablets") == "no strength: the product name gives no strength (e.g. 7.5mg); add a strength_mg column")
        #expect(issue("Temazepam 10mg and zopiclone 7.5mg pack") == "ambiguous product: names temazepam and zopiclone; combination products are not counted")
        #expect(issue("Zopiclone 7.5mg / 3.75mg tablets") == "ambiguous strength: more than one strength in the product name")
        #expect(issue("Promethazine 25mg oral solution") == "no concentration: a liquid needs its strength per volume (e.g. 5mg/5ml)")
        #expect(issue("Zopiclone", requireStrength: false) == nil)
    }

    @Test func studyCanAddLocalNamesAndOffFormularyDrugs() throws {
        let study = testStudy("""
        formulary:
          aliases: { "Sleep-EZ": zopiclone }
          drugs:
            - { drug: clonazepam, atc: N03AE01, ddd_mg: 8, group: other, aliases: [Rivotril] }

        """)
        let f = Formulary.forStudy(study)
        let p = ProductParser(formulary: f)
        #expect(try p.parse("Sleep-EZ 7.5mg tabs").drug == "zopiclone")
        #expect(try p.parse("Rivotril 500microgram tablets").label == "clonazepam 0.5 mg tablet")
        #expect(f.drug(named: "clonazepam")?.dddMg == 8)
        #expect(throws: ConfigurationError.self) { try StudyLoader.parse(studyYAML("formulary: { aliases: { X: unobtainium } }\n")) }
    }

    @Test func builtInTableIsTheReferenceFile() throws {
        for (path, embedded) in ReferenceData.files {
            let file = try String(contentsOfFile: packageRoot() + "/" + path, encoding: .utf8)
            #expect(embedded + "\n" == file, "\(path) changed: run `make reference` to recompile it into wardsleep")
        }
        let f = Formulary.builtIn()
        #expect(f.drugs.count == 22)
        #expect(f.drug(named: "zopiclone")?.dddMg == 7.5 && f.drug(named: "zopiclone")?.atc == "N05CF01")
        #expect(f.drug(named: "daridorexant")?.dddMg == nil)
        #expect(f.drug(named: "phenergan")?.name == "promethazine")
    }
}
