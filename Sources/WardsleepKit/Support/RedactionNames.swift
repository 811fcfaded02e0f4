/// The redaction rules for people's names: after a title or a role, and the names a study lists.
extension Redactor {
    /// Titles that mark the next word as a name, in any case (`mr patel`; but see `titledName`).
    static let titles: Set<String> = ["mr", "mrs", "ms", "mx", "miss", "dr", "drs", "prof", "mister", "messrs"]
    /// Roles, honorifics and words for a relation that mark the next word as a name only when it is capitalised
    /// (`Sister Anne`, `my daughter Emma`, not "my sister said"); the word itself stays (`Sister [name]`).
    static let looseTitles: Set<String> = [
        "rev", "revd", "reverend", "sister", "sr", "nurse", "matron", "father", "cllr", "councillor", "doctor", "professor",
        "sir", "dame", "lord", "lady", "pastor", "imam", "rabbi", "chaplain", "consultant", "registrar", "hca", "psychiatrist",
        "psychologist", "pharmacist", "therapist", "physio", "daughter", "son", "wife", "husband", "partner", "mum", "mom",
        "dad", "mother", "brother", "grandson", "granddaughter", "niece", "nephew", "friend", "called", "named", "name",
        "manager", "coordinator", "co-ordinator", "worker", "keyworker", "officer", "assistant", "advocate", "student",
    ]
    /// Titles and roles written as abbreviations, which a full stop may follow (`Rev. Green`); after any other role a full
    /// stop ends the sentence ("I asked the nurse. Then she left").
    static let abbreviatedTitles: Set<String> = ["mr", "mrs", "ms", "mx", "dr", "drs", "prof", "rev", "revd", "sr", "cllr", "messrs"]
    /// Words before a title that make it a noun ("the dr explained", "saw the dr. Tuesday"): only a capitalised name
    /// follows it then.
    static let determiners: Set<String> = ["the", "a", "an", "my", "our", "your", "his", "her", "their", "this", "that", "each"]
    /// Lower-case words inside a name (`van der Berg`, `de la Cruz`).
    static let particles: Set<String> = ["van", "von", "der", "den", "de", "la", "le", "du", "da", "di", "del", "della", "des",
                                         "al", "el", "bin", "ibn", "ap", "ter", "ten"]

    /// Words that are never taken for a name after a title, in any case ("the Dr. He said", "Dr Jones Monday").
    static let notNames: Set<String> = [
        "i", "a", "an", "the", "he", "she", "they", "we", "you", "it", "his", "her", "their", "and", "but", "or", "so",
        "on", "in", "at", "to", "of", "for", "was", "is", "who", "my", "me", "him", "them", "our", "your", "this", "that",
        "not", "no", "yes", "be", "has", "had", "have", "did", "do", "will", "would", "can", "could", "then", "there",
        "here", "when", "what", "as", "by", "with", "from", "if", "out", "up", "about", "also", "very", "are", "were",
        "been", "being", "call",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tonight", "yesterday",
        "tomorrow", "morning", "evening", "night", "afternoon", "weekend",
        // Offices after an honorific (`Lord Mayor`, `Lord Lieutenant`).
        "mayor", "mayoress", "lieutenant", "chancellor", "provost",
    ]
    /// Words after `MS` in capitals that make it Microsoft's, not a title (`MS Teams`, `MS Forms`).
    static let afterMicrosoft: Set<String> = [
        "teams", "forms", "office", "word", "excel", "outlook", "powerpoint", "sharepoint", "access", "project", "windows",
        "edge", "onedrive", "planner", "bookings", "visio", "publisher", "dynamics",
    ]
    /// Words after a lower-case `ms` that make it multiple sclerosis, not a title (`my ms symptoms`).
    static let afterMultipleSclerosis: Set<String> = [
        "symptoms", "symptom", "relapse", "relapses", "flare", "flares", "flare-up", "nurse", "nurses", "team", "diagnosis",
        "medication", "medications", "meds", "fatigue", "clinic", "specialist", "society", "treatment", "drugs", "drug",
        "pain", "attack", "attacks", "and", "or", "is", "was", "has", "makes", "means",
    ]
    /// Capitalised words that are not names after a role or a name ("Nurse Practitioner", "Dr Smith Ward 3"), but may be
    /// a surname right after a title such as `Dr` (`Dr Ward`).
    static let commonWords: Set<String> = [
        "said", "ward", "nurse", "team", "came", "told", "practitioner", "associate", "bank", "rounds", "round", "service",
        "services", "specialist", "manager", "lead", "station", "office", "unit", "staff", "christmas", "consultant",
        "registrar", "surgeon", "physician", "anaesthetist", "psychiatrist", "cardiology", "psychiatry",
    ]

    /// A title and the name after it (`Mr Patel`, `dr.\u{A0}O'Brien`, `Prof Anna Smith-Jones`, `Dr A Smith`), or a role
    /// and the capitalised name after it (`Sister [name]`) → `[name]`. A title in capitals (`MR`, `MS`, `DR`: a scan, a
    /// disease, a condition) or after an article (`the dr`) takes only a capitalised name; `ms` after a number (`120
    /// ms`, a time) none, though `bed 4 mr patel` is a name; a name runs across a line break only after a capitalised
    /// title (`Mr` ending one line, `Patel` beginning the next), and is then capitalised.
    func titledName(_ t: inout RedactionText, at i: Int) -> (start: Int, end: Int, with: String)? {
        guard t.kind(i) == .word else { return nil }
        let title = t.fold(i)
        let isRole = Redactor.looseTitles.contains(title)
        guard Redactor.titles.contains(title) || isRole, title != "miss" || t.isCapitalised(i) else { return nil }
        var before = i - 1
        if t.kind(before) == .space { before -= 1 }
        // `120 ms` is a time, `bed 4 mr patel` a name.
        if t.kind(before) == .digits, title == "ms", !t.isCapitalised(i) { return nil }
        // `MS Teams`: software.
        if title == "ms", t.isAllCapitals(i), t.kind(i + 1) == .space, t.kind(i + 2) == .word,
           Redactor.afterMicrosoft.contains(t.fold(i + 2)) { return nil }
        // `my ms symptoms`: multiple sclerosis, written in lower case.
        if title == "ms", !t.isCapitalised(i), t.kind(i + 1) == .space, t.kind(i + 2) == .word,
           Redactor.afterMultipleSclerosis.contains(t.fold(i + 2)) { return nil }
        let asNoun = t.kind(before) == .word && Redactor.determiners.contains(t.fold(before))
        var capitalisedOnly = isRole || asNoun || ["miss", "drs", "messrs"].contains(title) || (t.length(i) >= 2 && t.isAllCapitals(i))
        var j = i + 1
        // `my name is Peter Parker`, `her name was Ann`, `my name's Jo`.
        if title == "name" {
            if t.kind(j) == .space, t.kind(j + 1) == .word, ["is", "was"].contains(t.fold(j + 1)) {
                j += 2
            } else if t.isChar(j, "'") || t.isChar(j, "\u{2019}"), t.kind(j + 1) == .word, t.fold(j + 1) == "s" {
                j += 2
            }
        }
        if t.kind(j) == .space, !t.breaksLine(j), t.isChar(j + 1, ".") { j += 1 }
        let stop = t.isChar(j, ".") || t.isChar(j, ":")
        if t.isChar(j, ".") && (asNoun || !Redactor.abbreviatedTitles.contains(title)) { return nil }
        if stop { j += 1 }
        if t.kind(j) == .space, !t.breaksLine(j) {
            j += 1
        } else if t.kind(j) == .space, !isRole, !asNoun, t.isCapitalised(i), t.isCapitalised(j + 1) {
            // `Mr` at the end of a line and `Patel` on the next: a capitalised title and a capitalised name.
            j += 1
            capitalisedOnly = true
        } else if !stop || t.kind(j) == .space {
            return nil
        }
        // A second title (`Prof. Dr. Müller`).
        if t.kind(j) == .word, Redactor.titles.contains(t.fold(j)), t.fold(j) != "miss" {
            j += 1
            if t.isChar(j, ".") { j += 1 }
            guard t.kind(j) == .space, !t.breaksLine(j) else { return nil }
            j += 1
            capitalisedOnly = capitalisedOnly || t.isAllCapitals(j - 2)
        }
        guard let end = nameWords(&t, at: j, anyCase: !capitalisedOnly, afterTitle: !isRole) else { return nil }
        // A role (`Sister`, `Nurse`) stays, as it identifies no one: `Nurse [name]`.
        return (isRole ? j : i, end, "[name]")
    }

    /// The end of a name from `j`: up to four words (joined by spaces, hyphens or apostrophes; initials, with or without
    /// a full stop, and lower-case particles such as `van der` between them), or `nil` when `j` is not a word that could
    /// be a name: capitalised, or with `anyCase` (after a title such as `Mr`) in any case (`mr patel`), then that word
    /// alone unless capitalised words follow. With `afterTitle`, a common word may be the surname (`Dr Ward`). A word in
    /// capitals (`ICU`) continues only a name in capitals (`MR JOHN PATEL`).
    func nameWords(_ t: inout RedactionText, at j: Int, anyCase: Bool = false, afterTitle: Bool = false) -> Int? {
        func never(_ k: Int, _ t: inout RedactionText) -> Bool { Redactor.notNames.contains(t.fold(k)) }
        /// A single letter followed by a full stop, or by a space and a word that could be a name (`A. Smith`,
        /// `A Smith`, after a title `a smith`).
        func isInitial(_ k: Int, _ t: inout RedactionText) -> Bool {
            guard t.kind(k) == .word, t.length(k) == 1 else { return false }
            if t.isChar(k + 1, ".") { return true }
            guard t.kind(k + 1) == .space, !t.breaksLine(k + 1), t.kind(k + 2) == .word, t.length(k + 2) > 1, !never(k + 2, &t),
                  !Redactor.commonWords.contains(t.fold(k + 2)) else { return false }
            // `Dr A Smith`; after a title in any case `dr a smith`, but not "Dr I think".
            return t.isCapitalised(k + 2) || (anyCase && !t.isCapitalised(k))
        }
        /// A capitalised word that is not a common one, or an initial; or a common forename in lower case (`my son tom`).
        func isName(_ k: Int, _ t: inout RedactionText) -> Bool {
            guard t.isCapitalised(k) || (t.kind(k) == .word && Redactor.forenames[t.fold(k)] == false) else { return false }
            if isInitial(k, &t) { return true }
            return !never(k, &t) && !Redactor.commonWords.contains(t.fold(k))
        }
        func isParticle(_ k: Int, _ t: inout RedactionText) -> Bool { t.kind(k) == .word && Redactor.particles.contains(t.fold(k)) }
        /// A word in any case that may be a name after a title (`patel` in `mr patel`).
        func isAnyCaseName(_ k: Int, _ t: inout RedactionText) -> Bool {
            anyCase && t.kind(k) == .word && (isInitial(k, &t) || (!never(k, &t) && !Redactor.commonWords.contains(t.fold(k))))
                && !isParticle(k, &t)
        }
        /// The token after the particles starting at `k` (`Berg` from `van der Berg`), when a name word follows them
        /// (in any case after a title such as `Mr`: `dr van der berg`).
        func afterParticles(_ k: Int, _ t: inout RedactionText) -> Int? {
            var k = k, n = 0
            while n < 3, isParticle(k, &t), t.kind(k + 1) == .space { k += 2; n += 1 }
            guard n > 0 else { return nil }
            return isName(k, &t) || isAnyCaseName(k, &t) ? k : nil
        }
        var start = j
        if let k = afterParticles(j, &t) {
            start = k  // `Mr de la Cruz`
        } else if !isName(j, &t) && !isAnyCaseName(j, &t) {
            // A surname that is also a common word, right after a title: `Dr Ward`.
            guard afterTitle, t.isCapitalised(j), Redactor.commonWords.contains(t.fold(j)), !never(j, &t) else { return nil }
        }
        let capitals = t.length(start) >= 2 && t.isAllCapitals(start)
        /// A word that continues the name: an acronym continues only a name in capitals.
        func continues(_ k: Int, _ t: inout RedactionText) -> Bool {
            isName(k, &t) && (capitals || t.length(k) < 2 || !t.isAllCapitals(k))
        }
        var end = start + 1, words = 1, steps = 0
        while words < 4, steps < 12 {
            steps += 1
            var k = end
            if t.length(end - 1) == 1 && t.isChar(k, ".") {
                k += 1
                // Initials run together: `J.R. Smith`, `J.R.R. Smith`; after a title in any case, `dr. a. smith`.
                if t.kind(k) == .word, t.isCapitalised(k) || (anyCase && t.kind(k - 1) == .other && isAnyCaseName(k, &t)) {
                    end = k + 1
                    if t.length(k) > 1 { words += 1 }
                    continue
                }
            }
            // `O'Brien`, `Smith-Jones`; after a title in any case, `o'brien`.
            if t.isChar(k, "-") || t.isChar(k, "'") {
                guard t.isCapitalised(k + 1) || (anyCase && t.kind(k + 1) == .word && t.fold(k + 1) != "s") else { break }
                end = k + 2
                continue
            }
            guard t.kind(k) == .space, !t.breaksLine(k) else { break }
            if let n = afterParticles(k + 1, &t) {
                end = n + 1
            } else if continues(k + 1, &t) || (t.length(end - 1) == 1 && isAnyCaseName(k + 1, &t)) {
                end = k + 2
            } else {
                break
            }
            if t.length(end - 1) > 1 { words += 1 }
        }
        return end
    }

    /// The forenames of `data/reference/forenames.txt`, folded: `true` for one that is also a common word (`Will`), taken
    /// for a name only with a surname after it.
    static let forenames: [String: Bool] = {
        var out: [String: Bool] = [:]
        for line in ReferenceData.forenames.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard let name = parts.first else { continue }
            out[RedactionText.fold(String(name))] = parts.count > 1 && parts[1] == "*"
        }
        return out
    }()
    /// Words after a forename that make it part of a place's name (`Jasmine Ward`, `Florence House`).
    static let placeWords: Set<String> = [
        "ward", "wards", "unit", "house", "hospital", "lodge", "centre", "center", "suite", "wing", "court", "clinic", "building",
        "road", "street", "avenue", "lane", "close", "way", "drive", "gardens", "park", "place", "square", "terrace", "crescent",
        "school", "college", "university", "church", "chapel", "trust", "foundation", "hall", "villa", "cottage", "room", "day",
    ]
    /// Words before a forename that make it part of a place's or a saint's name (`St Mary's`, `Queen Elizabeth`).
    static let beforePlaces: Set<String> = ["st", "saint", "queen", "king", "prince", "princess", "lake", "port", "mount"]

    /// A common forename, capitalised, and the capitalised surname after it (`Emma Clarke`, `Kelly said`) → `[name]`; a
    /// forename that is also a common word (`Will`, `Grace`) only with a surname. Not part of a place's name (`Jasmine
    /// Ward`, `St Mary's`).
    func forename(_ t: inout RedactionText, at i: Int) -> (start: Int, end: Int, with: String)? {
        guard t.isCapitalised(i), t.length(i) >= 2, let ambiguous = Redactor.forenames[t.fold(i)] else { return nil }
        var before = i - 1
        if t.isChar(before, ".") { before -= 1 }
        if t.kind(before) == .space { before -= 1 }
        if t.isChar(before, ".") { before -= 1 }
        if t.kind(before) == .word, Redactor.beforePlaces.contains(t.fold(before)) { return nil }
        // The name's words from the forename; a forename that is also a common word (`Will`) is not one `nameWords`
        // takes, so its surname is read from the next word.
        var end = i + 1
        if let e = nameWords(&t, at: i) {
            end = e
        } else if t.kind(i + 1) == .space, !t.breaksLine(i + 1), t.isCapitalised(i + 2), let e = nameWords(&t, at: i + 2) {
            end = e
        }
        // A place named after a person: the word after the name (`Florence Nightingale Ward`) or after the forename.
        for k in [i + 2, end + 1] where t.kind(k - 1) == .space && !t.breaksLine(k - 1) && t.kind(k) == .word {
            if Redactor.placeWords.contains(t.fold(k)) { return nil }
        }
        if ambiguous && end == i + 1 { return nil }
        return (i, end, "[name]")
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
                    if t.kind(j) == .word, t.length(j) == 1 || (!Redactor.notNames.contains(t.fold(j)) && !Redactor.particles.contains(t.fold(j))) {
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
            guard matched else { continue }
            // One name of a listed name alone, as a forename with a surname after it (`Sarah Jameson` when `Sarah Jones`
            // is listed): the whole name goes, not the forename alone.
            if !p.contains(.gap), let whole = forename(&t, at: i), whole.end > j { return whole }
            // A listed name as the first part of a longer one: `Zoe Smith-Jones` when `Zoe Smith` is listed.
            while t.isChar(j, "-"), t.kind(j + 1) == .word { j += 2 }
            return (i, j, "[name]")
        }
        return nil
    }
}
