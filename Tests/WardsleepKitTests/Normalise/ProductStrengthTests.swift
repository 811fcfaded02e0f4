import Testing
@testable import WardsleepKit

/// The byte-by-byte reading of strengths in ASCII product names against the pattern it stands in for
/// (`ProductStrength.pattern`, Swift's regular expressions): the same strengths, numbers, units and volumes, in the same
/// order, on random text built from the pieces product names are made of, and on names written out.
@Suite struct ProductStrengthTests {
    let pattern = try! Regex(ProductStrength.pattern)

    func viaPattern(_ text: String) -> [ProductStrength] {
        text.matches(of: pattern).map { m in
            ProductStrength(amount: m.output[1].substring!, unit: m.output[2].substring!, perMl: m.output[3].substring)
        }
    }

    @Test func namesAsSystemsWriteThem() {
        let names = [" zopiclone 7.5mg tablets ", " zopiclone 3.75 mg tab ", " melatonin 2mg m/r tabs ", " promethazine 5mg/5ml oral solution ",
                     " promethazine 5 mg / 5 ml elixir ", " clonazepam 500 micrograms tablets ", " clonazepam 500microgram tabs ",
                     " chloral 1g sachet ", " x 7.5mg 10mg ", " 7.5mg.tab ", " 10mgx ", " 1.5.3mg ", " 12mg_ ", " 5mg:a ", " 5mg: ",
                     " 5mg's ", " 5mg'5 ", " 2.5mg/2.5ml ", " 2mg/ml ", " 2mg/5mls ", " 5mg/5 ml ", " 3mcg/1.5ml ", " 7g5 ", " 7 g. "]
        for name in names {
            #expect(ProductStrength.ascii(name) == viaPattern(name), "\(name)")
        }
        #expect(ProductStrength.ascii(" promethazine 5mg/5ml ") == [ProductStrength(amount: "5", unit: "mg", perMl: "5")])
        #expect(ProductStrength.ascii(" zopiclone 3.75 mg ") == [ProductStrength(amount: "3.75", unit: "mg", perMl: nil)])
        #expect(ProductStrength.ascii(" zopiclone 7.5 mg é ") == nil)
    }

    @Test func randomTextGivesWhatThePatternGives() {
        var random = SampleRandom(seed: 23)
        let pieces = ["1", "7", "0", ".", "5", " ", "  ", "\t", "mg", "mcg", "g", "microgram", "micrograms", "ml", "/", "m", "c",
                      "s", "x", "tab", "_", ":", "'", ",", "-", "(", "10", "2.5"]
        for _ in 0..<20_000 {
            let text = (0..<Int(random.next() % 12)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            #expect(ProductStrength.ascii(text) == viaPattern(text), "\(text.debugDescription)")
        }
    }
}
