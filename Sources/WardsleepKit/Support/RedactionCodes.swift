/// The redaction rules for codes that identify a place or a record: UK postcodes and hospital numbers.
extension Redactor {
    /// A UK postcode in capitals, with or without its space (`SW1A 1AA`, `M1 1AE`, `B338TH`) → `[postcode]`: an outward
    /// code of one or two letters, one or two digits and perhaps a letter, then a digit and two letters. Lower-case
    /// shapes are left (`b2 1st` is a room and a floor).
    func postcode(_ t: inout RedactionText, at i: Int) -> Span? {
        func capitals(_ k: Int, _ lengths: ClosedRange<Int>) -> Bool {
            t.kind(k) == .word && lengths.contains(t.length(k)) && t.text(k).allSatisfy { $0.isASCII && $0.isUppercase }
        }
        guard capitals(i, 1...2), t.kind(i + 1) == .digits else { return nil }
        let d = t.length(i + 1)
        // Run together, the inward digit ends the outward digits: `B338TH`, `M11AE`.
        if (2...3).contains(d), capitals(i + 2, 2...2) { return (i, i + 3, "[postcode]") }
        guard d <= 2 else { return nil }
        var k = i + 2
        // The outward code's last letter (`SW1A`), then the inward code's digit and letters.
        if capitals(k, 1...1) { k += 1 }
        if t.kind(k) == .space, t.length(k) <= 2 { k += 1 }
        guard t.kind(k) == .digits, t.length(k) == 1, capitals(k + 1, 2...2) else { return nil }
        return (i, k + 2, "[postcode]")
    }

    /// A hospital number after its name (`MRN 12345678`, `hospital no. RX123456`, `RiO: 1234567`, `PAS number 998877`)
    /// → `MRN [hospital number]`: letters and digits run together, holding four digits at least.
    func hospitalNumber(_ t: inout RedactionText, at i: Int) -> Span? {
        guard t.kind(i) == .word else { return nil }
        var k = i + 1
        switch t.fold(i) {
        case "mrn", "rio", "pas", "mrno": break
        case "hospital":
            guard t.kind(k) == .space, t.kind(k + 1) == .word, ["no", "number", "num"].contains(t.fold(k + 1)) else { return nil }
            k += 2
        default: return nil
        }
        var n = 0
        while n < 4, t.kind(k) == .space || [":", ".", "#", "-"].contains(where: { t.isChar(k, $0) }) { k += 1; n += 1 }
        if t.kind(k) == .word, ["no", "number", "num"].contains(t.fold(k)) {
            k += 1
            n = 0
            while n < 4, t.kind(k) == .space || [":", ".", "#", "-"].contains(where: { t.isChar(k, $0) }) { k += 1; n += 1 }
        }
        let start = k
        var digits = 0
        while let kind = t.kind(k), kind == .word || kind == .digits {
            if kind == .digits { digits += t.length(k) }
            k += 1
        }
        return digits >= 4 ? (start, k, "[hospital number]") : nil
    }
}
