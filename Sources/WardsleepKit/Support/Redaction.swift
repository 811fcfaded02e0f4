/// Removes what could identify a person from free text before it is published (feedback quotes, involvement activity
/// and evidence, incident category labels used as they are, values in quarantine files):
///
/// - names the study lists (`feedback: { names: [...] }`), as whole words in any case, with any white space between
///   words, and also surname first (`Patel, Raj` or `Patel Raj` when `Raj Patel` is listed), hyphenated
///   (`Raj-Patel`), run together or joined by `.` or `_` (`RajPatel`, `raj.patel`), with a middle name or initial
///   (`Raj K. Patel`) or with an initial before or after the surname (`R. Patel`, `R Patel`, `Patel R.`) → `[name]`;
/// - any name after a title (`Mr`, `Mrs`, `Ms`, `Mx`, `Miss`, `Mister`, `Dr`, `Prof`; any case, with or without a full
///   stop, `Miss` only when capitalised because "miss" is a verb; the name in any case, with particles such as
///   `van der` or `de la`), or a capitalised name after a role or honorific (`Sister`, `Nurse`, `Matron`, `Doctor`,
///   `Professor`, `Rev`, `Reverend`, `Father`, `Sir`, `Dame`, `Lord`, `Lady`, `Cllr`, `Imam`, `Rabbi`, ...) → `[name]`;
/// - NHS numbers (ten digits, whole or grouped 3-3-4 with any separator; in any other grouping when the check digit
///   is right, or after `NHS` or `NHS no`) → `[NHS number]`;
/// - telephone numbers: UK national (`(020) 7946 0018`, `07700 900123`, `0 7700 900123`) and international
///   (`+44 7700 900123`, `0044 20 7946 0018`) → `[phone]`;
/// - dates, numeric (`01/02/1980`, `1980-02-01`, `01.02.80`) and written (`1 February 1980`, `February 1, 1980`,
///   `1st Feb 1980`, `01-Feb-80`) → `[date]`, or `[date of birth]` after `DOB`, `date of birth` or `born`;
/// - e-mail addresses, also spelled out (`jo at nhs dot net`, `jo [at] nhs [dot] uk`) → `[email]`;
/// - UK postcodes (`SW1A 1AA`, `sw1a 1aa`; see `postcode`) → `[postcode]`, and hospital numbers after `MRN`,
///   `M.R.N.`, `RiO`, `PAS`, `PAS-ID` or `hospital no`, in groups or run together → `[hospital number]`.
///
/// Text is compared after Unicode normalisation: non-breaking, narrow and thin spaces count as spaces, full-width
/// digits and letters as ASCII, soft hyphens and zero-width characters are ignored, and case and accents do not
/// matter for names. It runs in time linear in the length of the text: one pass over its tokens, each rule looking a
/// bounded distance ahead, and no regular expressions.
public struct Redactor: Sendable {
    /// One element of a listed name.
    enum Part: Sendable, Equatable {
        case word(String), gap, optionalGap, mark(Character)
        /// A middle name or initial: any word but a common one, with an optional full stop.
        case middle
    }

    /// The listed names as patterns, by their first folded word; longest first.
    let names: [String: [[Part]]]

    /// A redactor that knows no names: titles, numbers, dates and addresses only.
    public static let standard = Redactor(names: [])

    /// Creates a redactor that also removes the given person names.
    public init(names: [String]) {
        var patterns: [String: [[Part]]] = [:]
        for name in names {
            for p in Redactor.patterns(for: name) {
                guard case .word(let first) = p[0] else { continue }
                if !(patterns[first]?.contains(p) ?? false) { patterns[first, default: []].append(p) }
            }
        }
        self.names = patterns.mapValues { $0.sorted { $0.count > $1.count } }
    }

    /// The patterns for one listed name: as written, and surname first when it has more than one word (titles aside).
    static func patterns(for name: String) -> [[Part]] {
        var text = RedactionText(name)
        var parts: [Part] = [], words: [String] = []
        for t in text.tokens.indices {
            switch text.tokens[t].kind {
            case .word:
                let w = text.fold(t)
                parts.append(.word(w))
                words.append(w)
            case .digits: parts.append(.word(text.digits(t)))
            case .space: if !parts.isEmpty { parts.append(.gap) }
            case .other: parts.append(.mark(text.chars[text.tokens[t].start]))
            }
        }
        while parts.last == .gap { parts.removeLast() }
        guard case .word = parts.first else { return [] }
        var out = [parts]
        let plain = Array(words.drop { titles.contains($0) })
        if plain.count >= 2, parts.allSatisfy({ if case .mark = $0 { return false } else { return true } }) {
            func joined(_ words: ArraySlice<String>, by joint: [Part]) -> [Part] {
                words.enumerated().flatMap { k, w in k == 0 ? [Part.word(w)] : joint + [.word(w)] }
            }
            let given = plain.dropLast(), surname = plain.last!
            // Surname first, with or without a comma: `Patel, Raj`, `Patel Raj`.
            out.append([.word(surname), .optionalGap, .mark(","), .optionalGap] + joined(given, by: [.gap]))
            out.append([.word(surname), .gap] + joined(given, by: [.gap]))
            // Hyphenated: `Raj-Patel`.
            out.append(joined(plain[...], by: [.mark("-")]))
            // Run together, as in a user name or with an invisible space between (`RajPatel`), or joined by a full
            // stop or an underscore (`Raj.Patel`, `raj_patel`).
            out.append([.word(plain.joined())])
            out.append(joined(plain[...], by: [.mark(".")]))
            out.append(joined(plain[...], by: [.mark("_")]))
            // With a middle name or initial: `Raj K. Patel`, `Raj Kumar Patel`.
            out.append(joined(given, by: [.gap]) + [.gap, .middle, .optionalGap, .word(surname)])
            // The first given name as an initial, with or without a full stop: `R. Patel`, `R Patel`; and after the
            // surname: `Patel R.`, `Patel, R`.
            if let initial = given.first?.first.map(String.init) {
                out.append([.word(initial), .mark("."), .optionalGap, .word(surname)])
                out.append([.word(initial), .gap, .word(surname)])
                out.append([.word(surname), .optionalGap, .mark(","), .optionalGap, .word(initial)])
                out.append([.word(surname), .gap, .word(initial)])
            }
        }
        return out
    }

    /// The text with identifying details replaced by `[name]`, `[NHS number]`, `[phone]`, `[date]`,
    /// `[date of birth]`, `[email]`, `[postcode]` and `[hospital number]`.
    public func redact(_ text: String) -> String {
        if names.isEmpty && !Redactor.mayIdentify(text) { return text }
        var t = RedactionText(text)
        guard !t.tokens.isEmpty else { return text }
        var spans: [(start: Int, end: Int, with: String)] = []
        let localEnd = Redactor.localPartEnds(t)
        var i = 0
        while i < t.tokens.count {
            let floor = spans.last?.end ?? 0
            var found = email(t, at: i, localEnd: localEnd)
            if found == nil { found = spelledEmail(&t, at: i, localEnd: localEnd) }
            if found == nil { found = writtenDate(&t, at: i, floor: floor) }
            if found == nil { found = postcode(&t, at: i) }
            if found == nil { found = hospitalNumber(&t, at: i) }
            if found == nil { found = titledName(&t, at: i) }
            if found == nil { found = listedName(&t, at: i) }
            if let m = found {
                spans.append(m)
                i = m.end
            } else if t.kind(i) == .digits || ((t.isChar(i, "+") || t.isChar(i, "(")) && t.kind(i + 1) == .digits) {
                let (found, end) = numbers(&t, at: i, floor: floor)
                spans += found
                i = end
            } else {
                i += 1
            }
        }
        return t.replacing(spans)
    }

    /// The redacted text cut to at most `maxLength` characters (ending in `...` when cut). Only the start of a long
    /// text is read, and the end of what was read is dropped, so an identifier cut at the edge is never shown in part.
    public func excerpt(_ text: String, maxLength: Int) -> String {
        let window = 4 * maxLength + 64
        let cut = text.utf8.count > window && text.prefix(window + 1).count > window
        var shown = redact(cut ? String(text.prefix(window)) : text)
        if cut { shown = String(shown.dropLast(64)) }
        guard cut || shown.count > maxLength else { return shown }
        return String(shown.prefix(max(0, maxLength - 3))) + "..."
    }
}

extension Redactor {
    /// Whether `text` could hold anything but a listed name that redaction removes: a digit, an `@`, a title, or an `at`
    /// that may spell out an e-mail address (a postcode and a hospital number hold digits).
    /// Most labels hold none, and are returned at once.
    static func mayIdentify(_ text: String) -> Bool {
        if text.unicodeScalars.contains(where: { $0.properties.numericType != nil || $0 == "@" || $0 == "\u{FF20}" }) { return true }
        let folded = RedactionText.fold(text)
        return titles.contains { folded.contains($0) } || looseTitles.contains { folded.contains($0) }
            || ["at ", "(at)", "[at]", "{at}", "<at>"].contains { folded.contains($0) }
    }

    /// Titles that mark the next word as a name (in any case, except after `miss`).
    static let titles: Set<String> = ["mr", "mrs", "ms", "mx", "miss", "dr", "prof", "mister"]
    /// Words that mark the next word as a name only when it is capitalised (`Sister Anne`, not "my sister said").
    static let looseTitles: Set<String> = [
        "rev", "revd", "reverend", "sister", "nurse", "matron", "father", "cllr", "councillor", "doctor", "professor", "sir",
        "dame", "lord", "lady", "pastor", "imam", "rabbi", "chaplain",
    ]
    /// Lower-case words inside a name (`van der Berg`, `de la Cruz`).
    static let particles: Set<String> = ["van", "von", "der", "den", "de", "la", "le", "du", "da", "di", "del", "della", "des",
                                         "al", "el", "bin", "ibn", "ap", "ter", "ten"]

    /// Capitalised words that follow a title without being a name ("the Dr. He said").
    static let notNames: Set<String> = [
        "i", "a", "an", "the", "he", "she", "they", "we", "you", "it", "his", "her", "their", "and", "but", "or", "so",
        "on", "in", "at", "to", "of", "for", "was", "is", "said", "who", "ward", "nurse", "team", "came", "told",
    ]

    /// A title and the capitalised words after it (`Mr Patel`, `dr.\u{A0}O'Brien`, `Prof Anna Smith-Jones`) → `[name]`.
    func titledName(_ t: inout RedactionText, at i: Int) -> (start: Int, end: Int, with: String)? {
        guard t.kind(i) == .word else { return nil }
        let title = t.fold(i)
        let loose = Redactor.looseTitles.contains(title)
        guard Redactor.titles.contains(title) || loose, title != "miss" || t.isCapitalised(i) else { return nil }
        var j = i + 1
        if t.kind(j) == .space && t.isChar(j + 1, ".") { j += 1 }
        let stop = t.isChar(j, ".")
        if stop { j += 1 }
        if t.kind(j) == .space { j += 1 } else if !stop { return nil }
        guard let end = nameWords(&t, at: j, anyCase: !loose) else { return nil }
        // A role (`Sister`, `Nurse`) stays, as it identifies no one: `Nurse [name]`.
        return (loose ? j : i, end, "[name]")
    }

    /// The end of up to three capitalised words from `j` (joined by spaces, hyphens or apostrophes; initials may have a
    /// full stop; lower-case particles such as `van der` between them), or `nil` when `j` is not a word that could be a
    /// name: capitalised, or with `anyCase` (after a title such as `Mr`) in any case (`mr patel`), then that word alone
    /// unless capitalised words follow.
    func nameWords(_ t: inout RedactionText, at j: Int, anyCase: Bool = false) -> Int? {
        /// A capitalised word that is not a common one, or an initial (`A.`, even `A.` for the article).
        func isName(_ k: Int, _ t: inout RedactionText) -> Bool {
            t.isCapitalised(k) && (!Redactor.notNames.contains(t.fold(k)) || (t.length(k) == 1 && t.isChar(k + 1, ".")))
        }
        func isParticle(_ k: Int, _ t: inout RedactionText) -> Bool { t.kind(k) == .word && Redactor.particles.contains(t.fold(k)) }
        /// The token after the particles starting at `k` (`Berg` from `van der Berg`), when a name word follows them
        /// (in any case after a title such as `Mr`: `dr van der berg`).
        func afterParticles(_ k: Int, _ t: inout RedactionText) -> Int? {
            var k = k, n = 0
            while n < 3, isParticle(k, &t), t.kind(k + 1) == .space { k += 2; n += 1 }
            guard n > 0 else { return nil }
            return isName(k, &t) || (anyCase && t.kind(k) == .word && !Redactor.notNames.contains(t.fold(k)) && !isParticle(k, &t)) ? k : nil
        }
        var start = j
        if let k = afterParticles(j, &t) {
            start = k  // `Mr de la Cruz`
        } else if !isName(j, &t) {
            guard anyCase, t.kind(j) == .word, !Redactor.notNames.contains(t.fold(j)), !isParticle(j, &t) else { return nil }
        }
        var end = start + 1, words = 1
        while words < 3 {
            var k = end
            if t.length(end - 1) == 1 && t.isChar(k, ".") {
                k += 1
                // Initials run together: `J.R. Smith`.
                if t.kind(k) == .word, t.isCapitalised(k) {
                    end = k + 1
                    words += 1
                    continue
                }
            }
            // `O'Brien`, `Smith-Jones`; after a title in any case, `o'brien`.
            if t.isChar(k, "-") || t.isChar(k, "'") {
                guard t.isCapitalised(k + 1) || (anyCase && t.kind(k + 1) == .word && t.fold(k + 1) != "s") else { break }
                end = k + 2
                words += 1
                continue
            }
            guard t.kind(k) == .space else { break }
            if let n = afterParticles(k + 1, &t) {
                end = n + 1
            } else if isName(k + 1, &t) {
                end = k + 2
            } else {
                break
            }
            words += 1
        }
        return end
    }

    /// A listed name starting at word `i`.
    func listedName(_ t: inout RedactionText, at i: Int) -> (start: Int, end: Int, with: String)? {
        guard !names.isEmpty, t.kind(i) == .word, let candidates = names[t.fold(i)] else { return nil }
        for p in candidates {
            var j = i
            var matched = true
            for part in p {
                switch part {
                case .word(let w):
                    let ok = (t.kind(j) == .word && t.fold(j) == w) || (t.kind(j) == .digits && t.digits(j) == w)
                    if ok { j += 1 } else { matched = false }
                case .gap: if t.kind(j) == .space { j += 1 } else { matched = false }
                case .optionalGap: if t.kind(j) == .space { j += 1 }
                case .middle:
                    if t.kind(j) == .word, !Redactor.notNames.contains(t.fold(j)), !Redactor.particles.contains(t.fold(j)) {
                        j += 1
                        if t.isChar(j, ".") { j += 1 }
                    } else {
                        matched = false
                    }
                case .mark(let c):
                    if t.isChar(j, c) { j += 1 } else if t.kind(j) == .space && t.isChar(j + 1, c) { j += 2 } else { matched = false }
                }
                if !matched { break }
            }
            if matched { return (i, j, "[name]") }
        }
        return nil
    }

    /// For each token, where the run of e-mail local-part tokens starting there ends (the token itself when it is not
    /// one).
    static func localPartEnds(_ t: RedactionText) -> [Int] {
        var ends = Array(repeating: 0, count: t.tokens.count + 1)
        ends[t.tokens.count] = t.tokens.count
        for k in stride(from: t.tokens.count - 1, through: 0, by: -1) {
            let local: Bool
            switch t.tokens[k].kind {
            case .word, .digits: local = true
            case .space: local = false
            case .other: local = "._%+-'".contains(t.chars[t.tokens[k].start])
            }
            ends[k] = local ? ends[k + 1] : k
        }
        return ends
    }

    /// An e-mail address whose local part starts at `i`.
    func email(_ t: RedactionText, at i: Int, localEnd: [Int]) -> (start: Int, end: Int, with: String)? {
        let at = localEnd[i]
        guard at > i, i == 0 || localEnd[i - 1] == i - 1, t.isChar(at, "@") else { return nil }
        var k = at + 1, end: Int?
        while let kind = t.kind(k), kind == .word || kind == .digits || t.isChar(k, "-") || t.isChar(k, ".") {
            if kind == .word, t.length(k) >= 2, t.isChar(k - 1, "."), k - 2 > at, t.kind(k - 2) == .word || t.kind(k - 2) == .digits {
                end = k + 1
            }
            k += 1
        }
        return end.map { (i, $0, "[email]") }
    }

    /// Endings an address spelled out in words must have (`jo at nhs dot net`), so that "at" and "dot" in prose are left.
    static let domainEndings: Set<String> = ["com", "net", "org", "uk", "gov", "nhs", "io", "ac", "edu", "info", "scot", "wales",
                                              "ie", "eu", "me"]

    /// An e-mail address spelled out: `jo.bloggs at nhs dot net`, `jo [at] nhs [dot] uk`, `jo(at)nhs.net` → `[email]`.
    func spelledEmail(_ t: inout RedactionText, at i: Int, localEnd: [Int]) -> Span? {
        let local = localEnd[i]
        guard local > i, i == 0 || localEnd[i - 1] == i - 1, t.kind(i) == .word || t.kind(i) == .digits,
              var k = spelledMark(&t, at: local, "at") else { return nil }
        var dots = 0, end = 0
        while t.kind(k) == .word || t.kind(k) == .digits {
            while t.kind(k) == .word || t.kind(k) == .digits || (t.isChar(k, "-") && t.kind(k + 1) != .space) { k += 1 }
            if t.kind(k - 1) == .word, dots > 0, Redactor.domainEndings.contains(t.fold(k - 1)) { end = k }
            if t.isChar(k, "."), t.kind(k + 1) == .word || t.kind(k + 1) == .digits {
                k += 1
            } else if let next = spelledMark(&t, at: k, "dot") {
                k = next
            } else {
                break
            }
            dots += 1
        }
        return end > 0 ? (i, end, "[email]") : nil
    }

    /// The token after `word` written as a separator at `k`: between spaces (` at `) or in brackets (`[at]`, `(at)`).
    func spelledMark(_ t: inout RedactionText, at k: Int, _ word: String) -> Int? {
        var j = k
        let spaceBefore = t.kind(j) == .space
        if spaceBefore { j += 1 }
        if let close = ["[": "]", "(": ")", "{": "}", "<": ">"].first(where: { t.isChar(j, Character($0.key)) })?.value {
            guard t.kind(j + 1) == .word, t.fold(j + 1) == word, t.isChar(j + 2, Character(close)) else { return nil }
            j += 3
            if t.kind(j) == .space { j += 1 }
            return j
        }
        guard spaceBefore, t.kind(j) == .word, t.fold(j) == word, t.kind(j + 1) == .space else { return nil }
        return j + 2
    }
}
