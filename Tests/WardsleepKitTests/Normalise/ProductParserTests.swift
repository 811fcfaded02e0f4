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

    /// An ASCII label is read word by word (`asciiWords`, `namedDrugs`) rather than searched as text. On thousands of
    /// random labels built from the formulary's words (names repeated, run together, split by punctuation, a name inside
    /// a longer one), both readings must give the same words and name the same drugs, in the same order.
    @Test func wordsOfAnAsciiLabelNameWhatTheTextSearchNames() throws {
        let study = testStudy("""
        formulary:
          aliases: { "Sleep-EZ": zopiclone, "-": temazepam, "hydrate": zolpidem }

        """)
        let parser = ProductParser(formulary: Formulary.forStudy(study))
        /// The reading by `Character`, as it was before the ASCII path.
        func referenceWords(_ s: String) -> String {
            " " + s.lowercased().map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : " " }
                .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") + " "
        }
        /// The search of the text, as it was before the ASCII path.
        func referenceDrugs(_ words: String) -> [String] {
            var remaining = words
            var found: [String] = []
            for (name, drug) in parser.names where remaining.contains(" \(name) ") {
                if !found.contains(drug.name) { found.append(drug.name) }
                remaining = remaining.replacingOccurrences(of: " \(name) ", with: " ")
            }
            return found
        }
        let vocabulary = parser.names.flatMap { $0.0.split(separator: " ").map(String.init) }
            + ["tablets", "7.5mg", "MG", "5mg/5ml", "m/r", "Chloral", "ZOLPIDEM", "x", "1.5", ".", "mr", "sleep", "ez"]
        let separators = [" ", "  ", "-", "/", ", ", "(", ")", "\t", "+", " & "]
        var rng = SampleRandom(seed: 20261201)
        for _ in 0..<4_000 {
            let n = Int.random(in: 0...7, using: &rng)
            var label = ""
            for i in 0..<n {
                if i > 0 || Bool.random(using: &rng) { label += separators.randomElement(using: &rng)! }
                // A whole name, often twice running, or one word.
                let name = parser.names.randomElement(using: &rng)!.0
                label += Bool.random(using: &rng) ? vocabulary.randomElement(using: &rng)!
                    : Bool.random(using: &rng) ? name : name + " " + name
            }
            let words = ProductParser.asciiWords(label)
            #expect(words != nil)
            let joined = " " + (words ?? []).joined(separator: " ") + " "
            #expect(joined == referenceWords(label), "\(label)")
            #expect(parser.namedDrugs(words ?? []) == referenceDrugs(referenceWords(label)), "\(label)")
        }
        // Repeats next to each other: the text search leaves every other one.
        // "chloral hydrate" twice: the second stays, so "hydrate" (an alias of zolpidem here) is named too.
        #expect(parser.namedDrugs(ProductParser.asciiWords("Chloral hydrate chloral hydrate")!) == ["chloral hydrate", "zolpidem"])
        #expect(referenceDrugs(referenceWords("Chloral hydrate chloral hydrate")) == ["chloral hydrate", "zolpidem"])
        #expect(parser.namedDrugs(ProductParser.asciiWords("Chloral hydrate, chloral hydrate chloral hydrate")!) == ["chloral hydrate", "zolpidem"])
        #expect(parser.namedDrugs(ProductParser.asciiWords("Chloral hydrate 500mg")!) == ["chloral hydrate"])
        // A label that is not ASCII is read by `Character`, as before.
        #expect(ProductParser.asciiWords("Zopiclone 7.5mg café") == nil)
        #expect(try parser.parse("ZOPICLONE 7.5mg comprimé").label == "zopiclone 7.5 mg")
    }
}
