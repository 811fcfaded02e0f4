/// The redaction rules for codes that identify a place or a record: UK postcodes and hospital numbers.
extension Redactor {
    /// A UK postcode, with or without its space (`SW1A 1AA`, `M1 1AE`, `B338TH`, `sw1a 1aa`) → `[postcode]`: an outward
    /// code of one or two letters, one or two digits and perhaps a letter, then a digit and two letters. In capitals any
    /// such shape is taken; in lower or mixed case only the spaced form whose inward letters a postcode can have (not C,
    /// I, K, M, O or V) and that reads as no ordinal or unit: `b2 1st`, `a1 2nd`, `x2 4hr` are left.
    func postcode(_ t: inout RedactionText, at i: Int) -> Span? {
        func letters(_ k: Int, _ lengths: ClosedRange<Int>, capitals: Bool) -> Bool {
            t.kind(k) == .word && lengths.contains(t.length(k))
                && t.text(k).allSatisfy { $0.isASCII && $0.isLetter && (!capitals || $0.isUppercase) }
        }
        guard letters(i, 1...2, capitals: false), t.kind(i + 1) == .digits else { return nil }
        let d = t.length(i + 1)
        // Run together, the inward digit ends the outward digits: `B338TH`, `M11AE` (capitals only: `b12th` is not one).
        if (2...3).contains(d), letters(i, 1...2, capitals: true), letters(i + 2, 2...2, capitals: true) { return (i, i + 3, "[postcode]") }
        guard d <= 2 else { return nil }
        var k = i + 2
        // The outward code's last letter (`SW1A`), then the inward code's digit and letters.
        if letters(k, 1...1, capitals: false) { k += 1 }
        let spaced = t.kind(k) == .space
        if spaced, t.length(k) <= 2 { k += 1 }
        guard t.kind(k) == .digits, t.length(k) == 1, letters(k + 1, 2...2, capitals: false) else { return nil }
        let capitals = (i...(k + 1)).allSatisfy { t.kind($0) != .word || letters($0, 1...2, capitals: true) }
        if !capitals {
            let inward = t.fold(k + 1)
            guard spaced, inward.allSatisfy({ "abdefghjlnpqrstuwxyz".contains($0) }),
                  !Redactor.notInwardCodes.contains(inward) else { return nil }
        }
        return (i, k + 2, "[postcode]")
    }

    /// Lower-case letter pairs after a digit that are ordinals or units, not the end of a postcode (`1st`, `4hr`).
    static let notInwardCodes: Set<String> = ["st", "nd", "rd", "th", "hr", "yr", "lb", "ft", "pt", "qd", "td", "bd"]

    /// A hospital number after its name (`MRN 12345678`, `hospital no. RX123456`, `RiO: 1234567`, `PAS number 998877`,
    /// `M.R.N. 1234 5678`, `PAS-ID RX 123 456`, `hosp no 123456`) → `MRN [hospital number]`: letters and digits, run
    /// together or in groups of two digits or more after a space, a dash or a slash, holding four digits at least.
    func hospitalNumber(_ t: inout RedactionText, at i: Int) -> Span? {
        guard t.kind(i) == .word else { return nil }
        var k = i + 1
        let numberWords: Set<String> = ["no", "number", "num", "id", "ref"]
        func skipSeparators(_ t: inout RedactionText) {
            var n = 0
            while n < 4, t.kind(k) == .space || [":", ".", "#", "-"].contains(where: { t.isChar(k, $0) }) { k += 1; n += 1 }
        }
        switch t.fold(i) {
        case "mrn", "rio", "pas", "mrno": break
        case "m":  // M.R.N.
            guard t.isChar(i + 1, "."), t.kind(i + 2) == .word, t.fold(i + 2) == "r", t.isChar(i + 3, "."),
                  t.kind(i + 4) == .word, t.fold(i + 4) == "n" else { return nil }
            k = i + 5
        case "hospital", "hosp", "unit":
            skipSeparators(&t)
            guard t.kind(k) == .word, numberWords.contains(t.fold(k)) else { return nil }
            k += 1
        default: return nil
        }
        skipSeparators(&t)
        if t.kind(k) == .word, numberWords.contains(t.fold(k)) {
            k += 1
            skipSeparators(&t)
        }
        let start = k
        var digits = 0, end = k
        while true {
            while let kind = t.kind(k), kind == .word || kind == .digits {
                if kind == .digits { digits += t.length(k) }
                k += 1
            }
            end = k
            // A further group: `1234 5678`, `RX 123 456`, `123-456`.
            var n = k
            if t.kind(n) == .space, t.length(n) <= 2 { n += 1 } else if t.isChar(n, "-") || t.isChar(n, "/") { n += 1 }
            guard n > k, digits < 20, t.kind(n) == .digits, t.length(n) >= 2 else { break }
            k = n
        }
        return digits >= 4 ? (start, end, "[hospital number]") : nil
    }
}
