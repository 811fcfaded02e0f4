import Foundation
/// Removes what could identify a person from free text before it is published (feedback quotes, involvement activity
/// and evidence, incident category labels used as they are, values in quarantine files):
///
/// - names the study lists (`feedback: { names: [...] }`), as whole words in any case, with any white space between
///   words, and also surname first (`Patel, Raj` or `Patel Raj` when `Raj Patel` is listed), hyphenated
///   (`Raj-Patel`), run together or joined by `.` or `_` (`RajPatel`, `raj.patel`), with a middle name or initial
///   (`Raj K. Patel`), with an initial before or after the surname (`R. Patel`, `R Patel`, `Patel R.`) or for the
///   surname (`Raj P.`), and each of its names alone unless it is also a common word (`Jones`, `sarah`) → `[name]`;
/// - a common forename (`data/reference/forenames.txt`), capitalised, with the capitalised surname after it (`Emma
///   Clarke`, `Kelly`); one that is also a common word (`Will`, `Grace`) only with a surname; not in a place's name
///   (`Jasmine Ward`, `St Mary's`) → `[name]`;
/// - any name after a title (`Mr`, `Mrs`, `Ms`, `Mx`, `Miss`, `Mister`, `Dr`, `Prof`; any case, with or without a full
///   stop, `Miss` only when capitalised because "miss" is a verb; the name in any case, with particles such as
///   `van der` or `de la`), or a capitalised name after a role or honorific (`Sister`, `Nurse`, `Matron`, `Doctor`,
///   `Professor`, `Rev`, `Reverend`, `Father`, `Sir`, `Dame`, `Lord`, `Lady`, `Cllr`, `Imam`, `Rabbi`, ...) → `[name]`;
/// - NHS numbers (ten digits, whole or grouped 3-3-4 with any separator; in any other grouping, down to single
///   digits, when the check digit is right, or after `NHS` or `NHS no`) → `[NHS number]`;
/// - telephone numbers: UK national (`(020) 7946 0018`, `07700 900123`, `0 7700 900123`) and international
///   (`+44 7700 900123`, `0044 20 7946 0018`) → `[phone]`;
/// - dates, numeric (`01/02/1980`, `1980-02-01`, `01.02.80`) and written (`1 February 1980`, `February 1, 1980`,
///   `1st Feb 1980`, `01-Feb-80`) → `[date]`, or `[date of birth]` after `DOB`, `date of birth` or `born`; three small
///   numbers before a unit (`5-10-15 minutes`) or after a score (`score 10/10/10`) are quantities, and are left;
/// - e-mail addresses, also spelled out (`jo at nhs dot net`, `jo [at] nhs [dot] uk`), spaced (`jo . bloggs @ nhs .
///   net`) or with a comma for the last dot (`jo@gmail,com`) → `[email]`; web addresses (`https://…`, `www.…`,
///   `facebook.com/jane.doe`) → `[link]`; social-media handles (`@janedoe`) → `[handle]`;
/// - UK postcodes (`SW1A 1AA`, `sw1a 1aa`, `sw1a1aa`; see `postcode`) → `[postcode]`; street addresses (`12 Acacia Avenue`, and
///   `Acacia Avenue` without a number) → `[address]`; hospital numbers after `MRN`, `M.R.N.`, `RiO`, `PAS`, `PAS-ID`, `hospital no` or `patient ID`, in
///   groups or run together → `[hospital number]`; National Insurance numbers (`QQ 12 34 56 C`) → `[NI number]`.
///
/// Text is compared after Unicode normalisation: non-breaking, narrow and thin spaces count as spaces, full-width
/// digits and letters as ASCII, Cyrillic and Greek letters drawn like Latin ones as those (`Мr` with a Cyrillic `М`), soft hyphens and zero-width characters are ignored, and case and accents do not
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

    /// The patterns for one listed name: as written, and when it has more than one word (titles aside) surname first,
    /// hyphenated, run together, joined by `.` or `_`, with a middle name, or with an initial. Particles belong to the
    /// word after them (`de la Cruz` is one surname), and a name with an apostrophe or a hyphen inside a word
    /// (`O'Neill`, `Mary-Jane`) is also matched with it left out or written as a space (`ONeill`, `O Neill`).
    static func patterns(for name: String) -> [[Part]] {
        var text = RedactionText(name)
        // The name's words, each as its parts (`o ' neill`), particles joined to the word after them.
        var units: [[Part]] = [[]]
        for t in text.tokens.indices {
            switch text.tokens[t].kind {
            case .word: units[units.count - 1].append(.word(text.fold(t)))
            case .digits: units[units.count - 1].append(.word(text.digits(t)))
            case .space: if !units[units.count - 1].isEmpty { units.append([]) }
            case .other: units[units.count - 1].append(.mark(text.chars[text.tokens[t].start]))
            }
        }
        units.removeAll { $0.isEmpty }
        guard case .word? = units.first?.first else { return [] }
        func isWord(_ unit: [Part], in set: Set<String>) -> Bool {
            if unit.count == 1, case .word(let w) = unit[0] { return set.contains(w) } else { return false }
        }
        while units.count > 1, isWord(units[0], in: titles) { units.removeFirst() }
        var plain: [[Part]] = []
        var pending: [Part] = []
        for unit in units {
            if isWord(unit, in: particles), unit != units.last { pending += unit + [.gap]; continue }
            plain.append(pending + unit)
            pending = []
        }
        func joined(_ units: some Collection<[Part]>, by joint: [Part]) -> [Part] {
            units.enumerated().flatMap { k, u in k == 0 ? u : joint + u }
        }
        var out = [joined(plain, by: [.gap])]
        if plain.count >= 2 {
            let given = plain.dropLast(), surname = plain.last!
            // Surname first, with or without a comma: `Patel, Raj`, `Patel Raj`.
            out.append(surname + [.optionalGap, .mark(","), .optionalGap] + joined(given, by: [.gap]))
            out.append(surname + [.gap] + joined(given, by: [.gap]))
            // Hyphenated (`Raj-Patel`), joined by a full stop or an underscore (`Raj.Patel`, `raj_patel`), and run
            // together, as in a user name or with an invisible space between (`RajPatel`).
            for mark: Character in ["-", ".", "_"] { out.append(joined(plain, by: [.mark(mark)])) }
            out.append([.word(plain.joined().compactMap { if case .word(let w) = $0 { return w } else { return nil } }.joined())])
            // With one or two middle names or initials: `Raj K. Patel`, `Raj Kumar Patel`, `Zoe A. B. Smith`.
            out.append(joined(given, by: [.gap]) + [.gap, .middle, .optionalGap] + surname)
            out.append(joined(given, by: [.gap]) + [.gap, .middle, .optionalGap, .middle, .optionalGap] + surname)
            // The first given name and the surname alone, its particles left out or not: `Mohammed Al Saud` for
            // `Mohammed bin Salman Al Saud`, `Jean Cruz` for `Jean de la Cruz`.
            let core = Array(surname.drop { if case .word(let w) = $0 { return particles.contains(w) } else { return $0 == .gap } })
            for last in (core == surname ? [surname] : [surname, core]) where !core.isEmpty {
                out.append(given.first! + [.gap] + last)
                out.append(last + [.optionalGap, .mark(","), .optionalGap] + given.first!)
            }
            // The first given name as an initial, with or without a full stop: `R. Patel`, `R Patel`; and after the
            // surname: `Patel R.`, `Patel, R`.
            if case .word(let first)? = given.first?.first, let letter = first.first {
                let initial = Part.word(String(letter))
                out.append([initial, .mark("."), .optionalGap] + surname)
                out.append([initial, .gap] + surname)
                out.append(surname + [.optionalGap, .mark(","), .optionalGap, initial])
                out.append(surname + [.gap, initial])
            }
            // The surname as an initial after the given name: `Sarah J.`, `Sarah J`.
            if case .word(let last)? = core.first(where: { if case .word = $0 { return true } else { return false } }),
               let letter = last.first {
                let initial = Part.word(String(letter))
                out.append(joined(given, by: [.gap]) + [.gap, initial, .mark(".")])
                out.append(joined(given, by: [.gap]) + [.gap, initial])
            }
        }
        // Each of its names alone, in any case (`Jones was kind`, `sarah on nights`, `ap Rhys`, `Rhys`, for `Sarah Jones`
        // and `Siân ap Rhys`), but not one that is also a common word (`Will`, `May`, `Ward`): the study listed them.
        if plain.count >= 2 {
            for unit in plain {
                let core = Array(unit.drop { if case .word(let w) = $0 { return particles.contains(w) } else { return $0 == .gap } })
                for alone in (core == unit ? [unit] : [unit, core]) where !alone.isEmpty && isDistinctive(alone) { out.append(alone) }
            }
        }
        // Apostrophes and hyphens inside a word left out, or written as a space: `ONeill`, `O Neill`, `Mary Jane`.
        for p in out where p.contains(where: { $0 == .mark("'") || $0 == .mark("-") }) {
            var together: [Part] = [], spaced: [Part] = []
            var k = 0
            while k < p.count {
                if p[k] == .mark("'") || p[k] == .mark("-"), case .word(let before)? = together.last, k + 1 < p.count,
                   case .word(let after) = p[k + 1] {
                    together[together.count - 1] = .word(before + after)
                    spaced += [.gap, p[k + 1]]
                    k += 2
                } else {
                    together.append(p[k])
                    spaced.append(p[k])
                    k += 1
                }
            }
            out.append(together)
            out.append(spaced)
        }
        return out
    }

    /// Whether one name of a listed name may be redacted on its own: at least three letters, and none of the words
    /// redaction knows as something else (a title, a particle, a common word, a forename that is also a word).
    static func isDistinctive(_ unit: [Part]) -> Bool {
        let words = unit.compactMap { if case .word(let w) = $0 { return w } else { return nil } }
        guard words.joined().count >= 3, let last = words.last else { return false }
        return words.count > 1 || !(titles.contains(last) || looseTitles.contains(last) || particles.contains(last)
            || notNames.contains(last) || commonWords.contains(last) || forenames[last] == true)
    }

    /// The text with identifying details replaced by `[name]`, `[NHS number]`, `[phone]`, `[date]`,
    /// `[date of birth]`, `[email]`, `[postcode]`, `[address]`, `[hospital number]` and `[NI number]`.
    public func redact(_ text: String) -> String {
        if names.isEmpty && !Redactor.mayIdentify(text) && !Redactor.mayName(text) { return text }
        var t = RedactionText(text)
        guard !t.tokens.isEmpty else { return text }
        var spans: [(start: Int, end: Int, with: String)] = []
        let localEnd = Redactor.localPartEnds(t)
        var i = 0
        while i < t.tokens.count {
            let floor = spans.last?.end ?? 0
            var found = email(t, at: i, localEnd: localEnd)
            if found == nil { found = spelledEmail(&t, at: i, localEnd: localEnd) }
            if found == nil { found = spacedEmail(&t, at: i) }
            if found == nil { found = webAddress(&t, at: i) }
            if found == nil { found = writtenDate(&t, at: i, floor: floor) }
            if found == nil { found = postcode(&t, at: i) }
            if found == nil { found = hospitalNumber(&t, at: i) }
            if found == nil { found = nationalInsurance(&t, at: i) }
            if found == nil { found = streetAddress(&t, at: i) }
            if found == nil { found = titledName(&t, at: i) }
            if found == nil { found = namedStreet(&t, at: i) }
            if found == nil { found = listedName(&t, at: i) }
            if found == nil { found = forename(&t, at: i) }
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
        var kept = shown.prefix(max(0, maxLength - 3))
        // Not through a placeholder: `… and [name]...`, or `… and...`, never `… and [na...`.
        if let open = kept.lastIndex(of: "["), !kept[open...].contains("]") { kept = kept[..<open] }
        return String(kept) + "..."
    }
}

extension Redactor {
    /// Whether `text` holds a capitalised word that is a common forename (`forename`).
    static func mayName(_ text: String) -> Bool {
        text.split(whereSeparator: { !$0.isLetter }).contains { w in w.first?.isUppercase == true && forenames[RedactionText.fold(String(w))] != nil }
    }

    /// Whether `text` could hold anything but a listed name that redaction removes: a digit, an `@`, a title, an `at`
    /// that may spell out an e-mail address, or a street type (a postcode and a hospital number hold digits).
    /// Most labels hold none, and are returned at once.
    static func mayIdentify(_ text: String) -> Bool {
        if text.unicodeScalars.contains(where: { $0.properties.numericType != nil || $0 == "@" || $0 == "\u{FF20}" }) { return true }
        var folded = RedactionText.fold(text)
        // Searched for as bytes: the text is folded (lower case, compatibility-decomposed, marks dropped) and the words
        // are ASCII, so a byte match is a match; Foundation's `contains` bridged the text once for each word.
        return folded.withUTF8 { t in mayIdentifyWords.contains { occurs($0, in: t) } }
    }

    /// Whether `word` occurs in `text`, byte for byte.
    private static func occurs(_ word: [UInt8], in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = word.first else { return true }
        guard word.count <= text.count else { return false }
        for i in 0...(text.count - word.count) where text[i] == first {
            var k = 1
            while k < word.count && text[i + k] == word[k] { k += 1 }
            if k == word.count { return true }
        }
        return false
    }

    /// The words `mayIdentify` looks for in folded text, as bytes.
    static let mayIdentifyWords: [[UInt8]] = (Array(titles) + Array(looseTitles) + ["at ", "(at)", "[at]", "{at}", "<at>", "://", "www.", "/"]
                                              + Array(namedStreetTypes)).map { Array($0.utf8) }
}
