/// A strength written in a product name (`7.5mg`, `500 mcg`, `5mg/5ml`): the number, its unit and, for a liquid, the
/// volume it is per.
struct ProductStrength: Equatable {
    var amount: Substring
    var unit: Substring
    var perMl: Substring?

    /// The strengths in `text` (lower case), left to right, as the pattern `ProductStrength.pattern` finds them: a number
    /// (`\d+(?:\.\d+)?`), optional spaces, a unit (`mg`, `mcg`, `microgram`, `micrograms`, `g`) that ends a word, then
    /// optionally `/`, a number and `ml`, spaces allowed around each. For ASCII text it is read byte by byte, which
    /// gives what the pattern gives (`ProductStrengthTests` compares the two on random text); other text goes through
    /// the pattern, whose digits, spaces and word ends are Unicode's.
    static func all(in text: String, pattern: Regex<AnyRegexOutput>) -> [ProductStrength] {
        if let found = ascii(text) { return found }
        return text.matches(of: pattern).map { m in
            ProductStrength(amount: m.output[1].substring!, unit: m.output[2].substring!, perMl: m.output[3].substring)
        }
    }

    /// The pattern, for text that is not ASCII (and for the tests).
    static let pattern = #"(\d+(?:\.\d+)?)\s*(mg|mcg|micrograms?|g)\b(?:\s*/\s*(\d+(?:\.\d+)?)\s*(ml))?"#

    /// The units, in the order the pattern tries them (`micrograms?` takes the `s` when it can), and `ml`.
    private static let units = ["mg", "mcg", "micrograms", "microgram", "g"].map { Array($0.utf8) }, millilitres = Array("ml".utf8)

    /// `all(in:)` for ASCII text; `nil` when the text is not ASCII.
    static func ascii(_ text: String) -> [ProductStrength]? {
        let b = Array(text.utf8)
        guard !b.contains(where: { $0 >= 0x80 }) else { return nil }
        let n = b.count
        func isDigit(_ i: Int) -> Bool { i < n && b[i] >= 0x30 && b[i] <= 0x39 }
        func isLetter(_ i: Int) -> Bool { i < n && ((b[i] >= 0x61 && b[i] <= 0x7A) || (b[i] >= 0x41 && b[i] <= 0x5A)) }
        func isSpace(_ i: Int) -> Bool { i < n && (b[i] == 0x20 || (b[i] >= 0x09 && b[i] <= 0x0D)) }
        func skipSpaces(_ i: Int) -> Int { var i = i; while isSpace(i) { i += 1 }; return i }
        func has(_ w: [UInt8], at i: Int) -> Bool { i + w.count <= n && b[i..<(i + w.count)].elementsEqual(w) }
        // A word ends after the letter at `i - 1` unless a letter, digit or `_` follows, or `:`, `.` or `'` between it and
        // another letter (Unicode's word boundaries, rules WB5, WB6, WB9 and WB13a, for ASCII).
        func endsWord(_ i: Int) -> Bool {
            guard i < n else { return true }
            if isLetter(i) || isDigit(i) || b[i] == 0x5F { return false }
            if b[i] == 0x3A || b[i] == 0x2E || b[i] == 0x27, isLetter(i + 1) { return false }
            return true
        }
        // The end of a number `\d+(?:\.\d+)?` starting at `i` (a digit), with the fraction if one follows.
        func numberEnds(_ i: Int) -> [Int] {
            var j = i
            while isDigit(j) { j += 1 }
            guard j < n, b[j] == 0x2E, isDigit(j + 1) else { return [j] }
            var k = j + 1
            while isDigit(k) { k += 1 }
            return [k, j]
        }
        func substring(_ from: Int, _ to: Int) -> Substring {
            Substring(String(decoding: b[from..<to], as: UTF8.self))
        }
        var found: [ProductStrength] = []
        var i = 0
        search: while i < n {
            guard isDigit(i) else { i += 1; continue }
            for end in numberEnds(i) {
                let u = skipSpaces(end)
                for unit in ProductStrength.units where has(unit, at: u) && endsWord(u + unit.count) {
                    var after = u + unit.count
                    var perMl: Substring?
                    // `(?:\s*/\s*(\d+(?:\.\d+)?)\s*(ml))?`, greedy: taken when it matches in full.
                    let slash = skipSpaces(after)
                    if slash < n, b[slash] == 0x2F, case let v = skipSpaces(slash + 1), isDigit(v) {
                        for vEnd in numberEnds(v) {
                            let ml = skipSpaces(vEnd)
                            if has(ProductStrength.millilitres, at: ml) {
                                perMl = substring(v, vEnd)
                                after = ml + 2
                                break
                            }
                        }
                    }
                    found.append(ProductStrength(amount: substring(i, end), unit: substring(u, u + unit.count), perMl: perMl))
                    i = after
                    continue search
                }
            }
            i += 1
        }
        return found
    }
}
