/// The redaction rules for codes that identify a place or a record: UK postcodes and hospital numbers.
extension Redactor {
    /// A UK postcode, with or without its space (`SW1A 1AA`, `M1 1AE`, `B338TH`, `sw1a 1aa`) → `[postcode]`: an outward
    /// code of one or two letters, one or two digits and perhaps a letter, then a digit and two letters that an inward
    /// code can have (never C, I, K, M, O or V: `A1 4PM`, `B12 1MG` are left). In lower or mixed case only what reads
    /// as no ordinal or unit: `b2 1st`, `a1 2nd`, `x2 4hr`, `b12th` are left.
    func postcode(_ t: inout RedactionText, at i: Int) -> Span? {
        func letters(_ k: Int, _ lengths: ClosedRange<Int>, capitals: Bool) -> Bool {
            t.kind(k) == .word && lengths.contains(t.length(k))
                && t.text(k).allSatisfy { $0.isASCII && $0.isLetter && (!capitals || $0.isUppercase) }
        }
        guard letters(i, 1...2, capitals: false), t.kind(i + 1) == .digits else { return nil }
        let d = t.length(i + 1)
        // Run together, the inward digit ends the outward digits: `B338TH`, `M11AE`, `ls14ab` (in lower case, not when
        // the letters are an ordinal or unit: `b12th` is not one).
        if (2...3).contains(d), letters(i, 1...2, capitals: false), letters(i + 2, 2...2, capitals: false),
           t.fold(i + 2).allSatisfy({ Redactor.inwardLetters.contains($0) }), t.kind(i + 3) != .digits,
           (letters(i, 1...2, capitals: true) && letters(i + 2, 2...2, capitals: true)) || !Redactor.notInwardCodes.contains(t.fold(i + 2)) {
            return (i, i + 3, "[postcode]")
        }
        guard d <= 2 else { return nil }
        var k = i + 2
        // The outward code's last letter (`SW1A`), then the inward code's digit and letters.
        if letters(k, 1...1, capitals: false) { k += 1 }
        let spaced = t.kind(k) == .space
        if spaced, t.length(k) <= 2 { k += 1 }
        guard t.kind(k) == .digits, t.length(k) == 1, letters(k + 1, 2...2, capitals: false) else { return nil }
        let inward = t.fold(k + 1)
        guard inward.allSatisfy({ Redactor.inwardLetters.contains($0) }), t.kind(k + 2) != .digits else { return nil }
        let capitals = (i...(k + 1)).allSatisfy { t.kind($0) != .word || letters($0, 1...2, capitals: true) }
        if !capitals { guard !Redactor.notInwardCodes.contains(inward) else { return nil } }
        return (i, k + 2, "[postcode]")
    }

    /// The letters the inward code of a UK postcode can end in.
    static let inwardLetters: Set<Character> = Set("abdefghjlnpqrstuwxyz")

    /// Lower-case letter pairs after a digit that are ordinals or units, not the end of a postcode (`1st`, `4hr`).
    static let notInwardCodes: Set<String> = ["st", "nd", "rd", "th", "hr", "yr", "lb", "ft", "pt", "qd", "td", "bd"]

    /// A hospital number after its name (`MRN 12345678`, `hospital no. RX123456`, `RiO: 1234567`, `PAS number 998877`,
    /// `M.R.N. 1234 5678`, `PAS-ID RX 123 456`, `hosp # 123456`, `patient ID 123456`, `MRN (12345678)`,
    /// `MRN is 12345678`) → `MRN [hospital number]`: letters and digits, run together or in groups of two digits or more
    /// after a space, a dash or a slash; six digits at least, or four with letters (`RX1234`). A word is not a number:
    /// `Rio 2016`, `PAS 2024 upgrade` and `RiO notes 1234` are left.
    func hospitalNumber(_ t: inout RedactionText, at i: Int) -> Span? {
        guard t.kind(i) == .word else { return nil }
        var k = i + 1
        let numberWords: Set<String> = ["no", "number", "num", "id", "ref"]
        func skipSeparators(_ t: inout RedactionText) -> Bool {
            var n = 0, hash = false
            while n < 4, t.kind(k) == .space || [":", ".", "#", "-", "=", "(", "'", "\""].contains(where: { t.isChar(k, $0) }) {
                if t.isChar(k, "#") { hash = true }
                k += 1
                n += 1
            }
            return hash
        }
        switch t.fold(i) {
        case "mrn", "rio", "pas", "mrno": break
        case "m":  // M.R.N.
            guard t.isChar(i + 1, "."), t.kind(i + 2) == .word, t.fold(i + 2) == "r", t.isChar(i + 3, "."),
                  t.kind(i + 4) == .word, t.fold(i + 4) == "n" else { return nil }
            k = i + 5
        case "hospital", "hosp", "unit", "patient":
            let hash = skipSeparators(&t)
            if t.kind(k) == .word, numberWords.contains(t.fold(k)) { k += 1 } else if !hash { return nil }
        default: return nil
        }
        _ = skipSeparators(&t)
        if t.kind(k) == .word, numberWords.contains(t.fold(k)) || ["is", "was"].contains(t.fold(k)) {
            k += 1
            _ = skipSeparators(&t)
        }
        // The number starts with a digit, or with up to three capitals (`RX123456`, `RX 123 456`).
        guard t.kind(k) == .digits || (t.kind(k) == .word && t.length(k) <= 3 && (t.isAllCapitals(k) || t.kind(k + 1) == .digits))
        else { return nil }
        let start = k
        var digits = 0, letters = 0, end = k
        while true {
            while let kind = t.kind(k), kind == .word || kind == .digits {
                if kind == .digits { digits += t.length(k) } else { letters += t.length(k) }
                k += 1
            }
            end = k
            // A further group: `1234 5678`, `RX 123 456`, `123-456`.
            var n = k
            if t.kind(n) == .space, t.length(n) <= 2 { n += 1 } else if t.isChar(n, "-") || t.isChar(n, "/") { n += 1 }
            guard n > k, digits < 20, t.kind(n) == .digits, t.length(n) >= 2 else { break }
            k = n
        }
        return digits >= 6 || (digits >= 4 && letters > 0) ? (start, end, "[hospital number]") : nil
    }

    /// A National Insurance number (`QQ123456C`, `QQ 12 34 56 C`, `QQ-12-34-56-C`) → `[NI number]`: two letters, six
    /// digits (whole or in pairs) and a letter A to D; the letters capitals, or in any case when nothing separates the
    /// parts (`qq123456c`, which no word is).
    func nationalInsurance(_ t: inout RedactionText, at i: Int) -> Span? {
        guard t.kind(i) == .word, t.length(i) == 2 else { return nil }
        var k = i + 1, digits = 0, separated = false
        /// A single space or hyphen between parts.
        func separator(_ k: Int) -> Bool { (t.kind(k) == .space && t.length(k) == 1) || t.isChar(k, "-") }
        if separator(k) { k += 1; separated = true }
        while t.kind(k) == .digits, digits < 6 {
            digits += t.length(k)
            k += 1
            if digits < 6, separator(k), t.kind(k + 1) == .digits { k += 1; separated = true }
        }
        guard digits == 6 else { return nil }
        if separator(k) { k += 1; separated = true }
        guard t.kind(k) == .word, t.length(k) == 1, "ABCDabcd".contains(t.text(k)), t.kind(k + 1) != .word,
              t.isAllCapitals(i) || !separated else { return nil }
        return (i, k + 1, "[NI number]")
    }
}
