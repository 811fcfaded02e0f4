import Foundation

/// The dose form of a product.
public enum ProductForm: String, HashedByCase, Sendable, Codable {
    case tablet, capsule, liquid
    /// No form word in the product name (counted as units).
    case unit
}

/// A product string resolved against the formulary: "ZOPICLONE 3.75 MG TAB" → zopiclone, 3.75 mg, tablet.
public struct ParsedProduct: Sendable, Hashable {
    /// The formulary drug's generic name.
    public var drug: String
    /// mg per unit (tablet, capsule) or per `perMl` ml (liquid); `nil` when no strength is given (administrations).
    public var strengthMg: Double?
    /// For liquids, the volume the strength is per (5 in "5mg/5ml").
    public var perMl: Double?
    /// Tablet, capsule, liquid or unit.
    public var form: ProductForm
    /// Modified or prolonged release.
    public var modifiedRelease: Bool

    /// mg in one unit of quantity (a tablet, a capsule, one ml).
    public var mgPerUnit: Double? {
        guard let s = strengthMg else { return nil }
        return perMl.map { s / $0 } ?? s
    }

    /// Whether the quantity counts discrete units (tablets, capsules), so a rate ratio on counts makes sense.
    public var countable: Bool { form != .liquid }

    /// A canonical label, the same however the pharmacy system spelled it: `zopiclone 7.5 mg tablet`.
    public var label: String {
        var s = drug
        if let strengthMg { s += " " + NumberFormat.json(strengthMg) + " mg" + (perMl.map { "/" + NumberFormat.json($0) + " ml" } ?? "") }
        if modifiedRelease { s += " MR" }
        if form != .unit { s += " " + form.rawValue }
        return s
    }
}

/// Reads product strings as pharmacy and EPMA systems write them. Anything it cannot resolve to exactly one formulary
/// drug (and, where required, one strength) is a `FieldIssue`: never guessed.
public struct ProductParser {
    let formulary: Formulary
    let names: [(String, FormularyDrug)]
    /// `names` as their words, for an ASCII label (`namedDrugs`).
    let nameWords: [([String], FormularyDrug)]
    let strength: Regex<AnyRegexOutput>

    /// Why a strength above `PlausibleLimits.strengthMg` is refused.
    static let implausibleStrength = "implausible strength: more than \(NumberFormat.grouped(Int(PlausibleLimits.strengthMg))) mg per unit"

    /// Creates a parser over a formulary.
    public init(formulary: Formulary) {
        self.formulary = formulary
        names = formulary.namesLongestFirst.map { (ProductParser.words($0.0).trimmingCharacters(in: .whitespaces), $0.1) }
        nameWords = names.map { ($0.0.split(separator: " ").map(String.init), $0.1) }
        strength = try! Regex(ProductStrength.pattern)
    }

    /// Lower-case words separated by single spaces, with a space at each end: `" zopiclone 7.5mg tabs "`.
    static func words(_ s: String) -> String {
        if let ascii = asciiWords(s) { return " " + ascii.joined(separator: " ") + " " }
        return " " + s.lowercased().map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : " " }
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") + " "
    }

    /// The words of an ASCII label, as `words` makes them (lower case; letters, digits and `.` kept, anything else a
    /// separator), read byte by byte; `nil` when the label is not ASCII, which `words` then reads by `Character`. For
    /// ASCII the two agree: a letter is `A`–`Z` or `a`–`z`, a number `0`–`9`, and lower case is `a`–`z`.
    static func asciiWords(_ s: String) -> [String]? {
        var s = s
        return s.withUTF8 { b -> [String]? in
            var words: [String] = []
            var start = -1
            for (i, c) in b.enumerated() {
                guard c < 0x80 else { return nil }
                let kept = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2E
                if kept, start < 0 { start = i }
                if !kept, start >= 0 { words.append(lowerASCII(b[start..<i])); start = -1 }
            }
            if start >= 0 { words.append(lowerASCII(b[start...])) }
            return words
        }
    }

    private static func lowerASCII(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        String(decoding: bytes.lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// The drugs an ASCII label's words name, as the search of `words` in `parse` finds them: names tried longest
    /// first, each found name's spans taken out before the next is tried. Taking out `" name "` from the text, left to
    /// right, consumes the space after each span, so a span starting at the very next word is not taken out: that word
    /// stays, and the search goes on after it. A name with no words (an alias of punctuation) is found only in a label
    /// with none either, and only the first such name.
    func namedDrugs(_ words: [String]) -> [String] {
        var remaining = words
        var found: [String] = []
        var emptyTaken = false
        for (name, drug) in nameWords {
            let n = name.count
            if n == 0 {
                if words.isEmpty && !emptyTaken, !found.contains(drug.name) { found.append(drug.name) }
                if words.isEmpty { emptyTaken = true }
                continue
            }
            func matches(_ i: Int) -> Bool { i + n <= remaining.count && remaining[i..<(i + n)].elementsEqual(name) }
            guard remaining.indices.contains(where: matches) else { continue }
            if !found.contains(drug.name) { found.append(drug.name) }
            var kept: [String] = []
            var i = 0
            while i < remaining.count {
                if matches(i) {
                    i += n
                    if i < remaining.count { kept.append(remaining[i]); i += 1 }
                } else {
                    kept.append(remaining[i]); i += 1
                }
            }
            remaining = kept
        }
        return found
    }

    /// Parses `text`; `requireStrength` for pharmacy issues, where mg come from the strength in the name.
    public func parse(_ label: String, requireStrength: Bool = true) throws(FieldIssue) -> ParsedProduct {
        // A local product label the study defines stands for its full product (strength, concentration).
        let text = formulary.products.isEmpty ? label : formulary.products[Slug.normaliseLabel(label)] ?? label
        guard text.count <= PlausibleLimits.productNameLength else {
            throw FieldIssue("implausible product name: longer than \(PlausibleLimits.productNameLength) characters")
        }
        var lower = " " + text.lowercased() + " "
        if lower.utf8.contains(UInt8(ascii: "/")) {
            lower = lower.replacingOccurrences(of: "m/r", with: " mr ").replacingOccurrences(of: "m / r", with: " mr ")
        }
        let asciiWords = ProductParser.asciiWords(lower)
        let words = asciiWords.map { " " + $0.joined(separator: " ") + " " } ?? ProductParser.words(lower)
        // Drugs named: whole-word matches, longest names first, each span used once.
        var found: [String] = []
        if let asciiWords {
            found = namedDrugs(asciiWords)
        } else {
            var remaining = words
            for (name, drug) in names where remaining.contains(" \(name) ") {
                if !found.contains(drug.name) { found.append(drug.name) }
                remaining = remaining.replacingOccurrences(of: " \(name) ", with: " ")
            }
        }
        guard !found.isEmpty else {
            throw FieldIssue("unknown product: no formulary drug named; add it under formulary in study.yaml")
        }
        guard found.count == 1 else {
            throw FieldIssue("ambiguous product: names \(found.joined(separator: " and ")); combination products are not counted")
        }
        var product = ParsedProduct(drug: found[0], strengthMg: nil, perMl: nil, form: .unit, modifiedRelease: false)
        let matches = ProductStrength.all(in: lower, pattern: strength)
        if matches.count > 1 { throw FieldIssue("ambiguous strength: more than one strength in the product name") }
        if let m = matches.first {
            var mg = Double(String(m.amount))!
            switch String(m.unit) {
            case "mcg", "microgram", "micrograms": mg /= 1000
            case "g": mg *= 1000
            default: break
            }
            guard mg > 0 else { throw FieldIssue("implausible strength: 0 mg in the product name") }
            guard mg <= PlausibleLimits.strengthMg else { throw FieldIssue(ProductParser.implausibleStrength) }
            product.strengthMg = mg
            if let ml = m.perMl {
                guard let v = Double(String(ml)), v > 0, v <= PlausibleLimits.perMl else {
                    throw FieldIssue("implausible concentration: the strength must be per more than 0 and at most "
                                     + "\(NumberFormat.grouped(Int(PlausibleLimits.perMl))) ml")
                }
                product.perMl = v
            }
        }
        let tokens = Set(asciiWords ?? words.split(separator: " ").map(String.init))
        if !tokens.isDisjoint(with: ["tablet", "tablets", "tab", "tabs", "tbl"]) { product.form = .tablet }
        if !tokens.isDisjoint(with: ["capsule", "capsules", "cap", "caps"]) { product.form = .capsule }
        if !tokens.isDisjoint(with: ["solution", "liquid", "elixir", "syrup", "suspension", "ml"]) || product.perMl != nil {
            product.form = .liquid
        }
        product.modifiedRelease = !tokens.isDisjoint(with: ["mr", "xl", "sr", "pr"]) || words.contains(" modified release ")
            || words.contains(" prolonged release ")
        if requireStrength && product.strengthMg == nil {
            throw FieldIssue("no strength: the product name gives no strength (e.g. 7.5mg); add a strength_mg column")
        }
        if product.form == .liquid && product.strengthMg != nil && product.perMl == nil {
            throw FieldIssue("no concentration: a liquid needs its strength per volume (e.g. 5mg/5ml)")
        }
        return product
    }
}
