/// Free text cut into tokens for redaction: runs of letters, runs of digits, runs of white space, and single other
/// characters. Matching works on a normalised copy (full-width forms folded to ASCII, dashes and apostrophes unified,
/// invisible format characters such as soft hyphens and zero-width spaces skipped) and replaces ranges of the original.
struct RedactionText {
    enum Kind { case word, digits, space, other }

    struct Token {
        var kind: Kind
        /// Range in `chars` (normalised, format characters skipped).
        var start: Int, end: Int
    }

    /// The original characters.
    let original: [Character]
    /// Normalised characters, format characters skipped.
    let chars: [Character]
    /// For each normalised character, its index in `original`.
    let origin: [Int]
    let tokens: [Token]
    /// Folded text of word tokens (case, diacritics and width ignored), by token index.
    private(set) var folded: [String?]

    init(_ text: String) {
        original = Array(text)
        var chars: [Character] = [], origin: [Int] = []
        chars.reserveCapacity(original.count)
        origin.reserveCapacity(original.count)
        for (i, ch) in original.enumerated() {
            guard let n = RedactionText.normalise(ch) else { continue }
            chars.append(n)
            origin.append(i)
        }
        var tokens: [Token] = []
        var i = 0
        while i < chars.count {
            let kind = RedactionText.kind(chars[i])
            var j = i + 1
            if kind != .other { while j < chars.count && RedactionText.kind(chars[j]) == kind { j += 1 } }
            tokens.append(Token(kind: kind, start: i, end: j))
            i = j
        }
        self.chars = chars
        self.origin = origin
        self.tokens = tokens
        folded = Array(repeating: nil, count: tokens.count)
    }

    /// The character class of a normalised character.
    static func kind(_ ch: Character) -> Kind {
        // One ASCII byte (nearly every character of an export): white space is tab to carriage return and the space,
        // a digit `0`–`9`, a letter `A`–`Z` or `a`–`z`, as the Unicode properties below have them.
        if ch.utf8.count == 1, let b = ch.utf8.first {
            switch b {
            case 0x09...0x0D, 0x20: return .space
            case 0x30...0x39: return .digits
            case 0x41...0x5A, 0x61...0x7A: return .word
            default: return .other
            }
        }
        if ch.isWhitespace { return .space }
        if isDigit(ch) { return .digits }
        if ch.isLetter { return .word }
        return .other
    }

    /// A decimal digit in any script (`7`, full-width `７`).
    static func isDigit(_ ch: Character) -> Bool {
        guard ch.isNumber, let v = ch.wholeNumberValue else { return false }
        return (0...9).contains(v)
    }

    /// The character used for matching, or `nil` for an invisible format character (soft hyphen, zero-width space,
    /// word joiner, byte-order mark ...) that matching skips.
    static func normalise(_ ch: Character) -> Character? {
        // One ASCII byte: no format character is ASCII, and only the grave accent is read as something else.
        if ch.utf8.count == 1 { return ch == "`" ? "'" : ch }
        let scalars = ch.unicodeScalars
        if scalars.allSatisfy({ $0.properties.generalCategory == .format }) && !ch.isWhitespace { return nil }
        guard scalars.count == 1, let u = scalars.first else { return ch }
        if let latin = RedactionText.latinLookalikes[u.value] { return Character(latin) }
        switch u.value {
        case 0xFF01...0xFF5E: return Character(Unicode.Scalar(UInt8(u.value - 0xFEE0)))  // full-width ASCII
        case 0x2010...0x2015, 0x2212, 0xFE63: return "-"
        case 0x2018, 0x2019, 0x02BC, 0x0060, 0x00B4: return "'"
        default: return ch
        }
    }

    /// Cyrillic and Greek letters drawn like Latin ones (`М`, `а`, `Ο`), read as those: `Мr Smith` written with a
    /// Cyrillic `М` is `Mr Smith` to a reader, so it is to the redactor.
    static let latinLookalikes: [UInt32: Unicode.Scalar] = {
        let pairs: [(String, String)] = [
            ("АВЕЅІЈКМНОРСТХУ", "ABESIJKMHOPCTXY"), ("аеіјорсѕухԁһԛԝ", "aeijopcsyxdhqw"),
            ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX"), ("οκνρ", "okvp"),
        ]
        var map: [UInt32: Unicode.Scalar] = [:]
        for (from, to) in pairs {
            for (f, t) in zip(from.unicodeScalars, to.unicodeScalars) { map[f.value] = t }
        }
        return map
    }()

    /// The text of token `t` (normalised).
    func text(_ t: Int) -> String { String(chars[tokens[t].start..<tokens[t].end]) }

    /// The folded text of word token `t`.
    mutating func fold(_ t: Int) -> String {
        if let f = folded[t] { return f }
        let f = RedactionText.fold(text(t))
        folded[t] = f
        return f
    }

    /// Case, diacritics and width ignored (compatibility decomposition): `Zoë`, `ZOE` and `ＺＯＥ` fold alike.
    static func fold(_ s: String) -> String {
        // ASCII decomposes to itself and holds no mark, format character or look-alike: lower case is all there is.
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.lowercased() }
        return String(String.UnicodeScalarView(s.lowercased().decomposedStringWithCompatibilityMapping.unicodeScalars.compactMap {
            guard $0.properties.generalCategory != .nonspacingMark && $0.properties.generalCategory != .format else { return nil }
            return latinLookalikes[$0.value] ?? $0
        }))
    }

    func kind(_ t: Int) -> Kind? { t >= 0 && t < tokens.count ? tokens[t].kind : nil }

    /// Whether token `t` is the single character `ch`.
    func isChar(_ t: Int, _ ch: Character) -> Bool {
        t >= 0 && t < tokens.count && tokens[t].kind == .other && chars[tokens[t].start] == ch
    }

    /// The number of characters in token `t`.
    func length(_ t: Int) -> Int { tokens[t].end - tokens[t].start }

    /// The digits of a digit token as ASCII.
    func digits(_ t: Int) -> String {
        String(chars[tokens[t].start..<tokens[t].end].map { Character(String($0.wholeNumberValue ?? 0)) })
    }

    /// Whether token `t` is white space holding a line break.
    func breaksLine(_ t: Int) -> Bool { kind(t) == .space && chars[tokens[t].start..<tokens[t].end].contains { $0.isNewline } }

    /// Whether word token `t` is written in capitals only (`MR`, `ICU`).
    func isAllCapitals(_ t: Int) -> Bool {
        kind(t) == .word && chars[tokens[t].start..<tokens[t].end].allSatisfy { $0.isUppercase || !$0.isLetter }
    }

    /// Whether word token `t` starts with a capital letter.
    func isCapitalised(_ t: Int) -> Bool { kind(t) == .word && chars[tokens[t].start].isUppercase }

    /// The original text with each span (token ranges, ascending, not overlapping) replaced.
    func replacing(_ spans: [(start: Int, end: Int, with: String)]) -> String {
        guard !spans.isEmpty else { return String(original) }
        var out = ""
        var next = 0
        for s in spans {
            let from = origin[tokens[s.start].start], to = origin[tokens[s.end - 1].end - 1] + 1
            out += String(original[next..<from])
            out += s.with
            next = to
        }
        out += String(original[next...])
        return out
    }
}
