/// The redaction rules for addresses: e-mail addresses, written or spelled out, and street addresses.
extension Redactor {
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
        var at = localEnd[i]
        guard at > i, i == 0 || localEnd[i - 1] == i - 1 else { return nil }
        // `jo @ nhs.net`, `jo@ nhs.net`.
        if t.kind(at) == .space, t.length(at) <= 2, t.isChar(at + 1, "@") { at += 1 }
        guard t.isChar(at, "@") else { return nil }
        var k = at + 1, end: Int?
        if t.kind(k) == .space, t.length(k) <= 2 { k += 1 }
        while let kind = t.kind(k), kind == .word || kind == .digits || t.isChar(k, "-") || t.isChar(k, ".") {
            if kind == .word, t.length(k) >= 2, t.isChar(k - 1, "."), k - 2 > at, t.kind(k - 2) == .word || t.kind(k - 2) == .digits {
                end = k + 1
            }
            k += 1
        }
        // A comma typed for the last dot (`jo@gmail,com`), before a domain's ending.
        if end == nil, k - 1 > at, t.kind(k - 1) == .word || t.kind(k - 1) == .digits, t.isChar(k, ","), t.kind(k + 1) == .word,
           t.kind(k + 2) != .word, t.kind(k + 2) != .digits, Redactor.domainEndings.contains(RedactionText.fold(t.text(k + 1))) {
            end = k + 2
        }
        return end.map { (i, $0, "[email]") }
    }

    /// An address written with spaces around its dots and `@` (`jo . bloggs @ nhs . net`, `jo_bloggs @ nhs . uk`) →
    /// `[email]`: words joined by `.`, `_` or `-` with a space or two either side, an `@`, then a domain of two words at
    /// least that ends in a known ending (`domainEndings`). At most eight parts each side are looked at.
    func spacedEmail(_ t: inout RedactionText, at i: Int) -> Span? {
        guard t.kind(i) == .word || t.kind(i) == .digits else { return nil }
        if i > 0, t.kind(i - 1) == .word || t.kind(i - 1) == .digits { return nil }
        func gap(_ k: Int, _ t: inout RedactionText) -> Int { t.kind(k) == .space && t.length(k) <= 2 ? k + 1 : k }
        func part(_ k: Int, _ t: inout RedactionText) -> Bool { t.kind(k) == .word || t.kind(k) == .digits }
        var k = i + 1
        for _ in 0..<8 {
            let j = gap(k, &t)
            guard t.isChar(j, ".") || t.isChar(j, "_") || t.isChar(j, "-") else { break }
            let next = gap(j + 1, &t)
            guard part(next, &t) else { break }
            k = next + 1
        }
        let at = gap(k, &t)
        guard t.isChar(at, "@") else { return nil }
        let first = gap(at + 1, &t)
        guard part(first, &t) else { return nil }
        k = first + 1
        var end = 0
        for _ in 0..<8 {
            let dot = gap(k, &t)
            guard t.isChar(dot, ".") else { break }
            let next = gap(dot + 1, &t)
            guard part(next, &t) else { break }
            k = next + 1
            if t.kind(next) == .word, Redactor.domainEndings.contains(t.fold(next)) { end = k }
        }
        return end > 0 ? (i, end, "[email]") : nil
    }

    /// A web address with a path (`https://facebook.com/jane.doe`, `www.example.org/me`, `facebook.com/jane.doe`) →
    /// `[link]`: a domain with a known ending followed by `/` and more, after any scheme, to the next space.
    /// A social-media handle (`@janedoe`, an `@` that follows no word) → `[handle]`.
    func webAddress(_ t: inout RedactionText, at i: Int) -> Span? {
        func toSpace(_ k: Int, _ t: inout RedactionText) -> Int {
            var k = k
            while let kind = t.kind(k), kind != .space { k += 1 }
            // A closing bracket or a full stop at the end belongs to the sentence, not the address.
            while k - 1 > i, t.isChar(k - 1, ".") || t.isChar(k - 1, ",") || t.isChar(k - 1, ")") { k -= 1 }
            return k
        }
        if t.isChar(i, "@") {
            guard i == 0 || t.kind(i - 1) == .space || t.isChar(i - 1, "(") else { return nil }
            guard t.kind(i + 1) == .word || t.kind(i + 1) == .digits else { return nil }
            var k = i + 2
            while t.kind(k) == .word || t.kind(k) == .digits || ((t.isChar(k, "_") || t.isChar(k, ".")) && (t.kind(k + 1) == .word || t.kind(k + 1) == .digits)) { k += 1 }
            return (i, k, "[handle]")
        }
        guard t.kind(i) == .word else { return nil }
        if i > 0, t.isChar(i - 1, ".") || t.isChar(i - 1, "/") || t.kind(i - 1) == .digits { return nil }
        // After any scheme, a domain with a path: words joined by dots, a known ending, then `/` and more. A site alone
        // (`www.nhs.uk`, `https://www.nhs.uk`) names an organisation, not a person, and is left.
        var k = i
        if ["http", "https"].contains(t.fold(i)), t.isChar(i + 1, ":"), t.isChar(i + 2, "/"), t.isChar(i + 3, "/") { k = i + 4 }
        guard t.kind(k) == .word || t.kind(k) == .digits else { return nil }
        while t.kind(k) == .word || t.kind(k) == .digits, t.isChar(k + 1, "."), t.kind(k + 2) == .word || t.kind(k + 2) == .digits { k += 2 }
        guard k > i, t.kind(k) == .word, Redactor.domainEndings.contains(t.fold(k)), t.isChar(k + 1, "/"),
              t.kind(k + 2) == .word || t.kind(k + 2) == .digits else { return nil }
        return (i, toSpace(k + 2, &t), "[link]")
    }

    /// Endings an address spelled out in words must have (`jo at nhs dot net`), so that "at" and "dot" in prose are left.
    static let domainEndings: Set<String> = [
        "com", "net", "org", "uk", "gov", "nhs", "io", "ac", "edu", "info", "scot", "wales", "ie", "eu", "me", "fr", "de", "es",
        "it", "nl", "be", "pt", "pl", "ro", "gr", "au", "nz", "ca", "us", "in", "pk", "ng", "za", "biz",
    ]

    /// An e-mail address spelled out: `jo.bloggs at nhs dot net`, `jo [at] nhs [dot] uk`, `jo(at)nhs.net`,
    /// `jo@nhs dot net` → `[email]`. After a plain ` at `, one dot at least must be spelled out, so that "looked at
    /// nhs.uk" is left.
    func spelledEmail(_ t: inout RedactionText, at i: Int, localEnd: [Int]) -> Span? {
        let local = localEnd[i]
        guard local > i, i == 0 || localEnd[i - 1] == i - 1, t.kind(i) == .word || t.kind(i) == .digits,
              let at = spelledMark(&t, at: local, "at") else { return nil }
        var k = at.next, dots = 0, spelled = 0, end = 0
        // A plain ` at ` with real dots after it (`jo.bloggs at nhs.net`) is an address when the part before it reads as a
        // user name (a dot, an underscore or digits in it) or the domain is a mail service's (`jo at hotmail.co.uk`);
        // `I looked at nhs.uk` is not.
        let plainAddress = (i..<local).contains { t.isChar($0, ".") || t.isChar($0, "_") || t.kind($0) == .digits }
            || (t.kind(k) == .word && Redactor.mailServices.contains(t.fold(k)))
        while t.kind(k) == .word || t.kind(k) == .digits {
            while t.kind(k) == .word || t.kind(k) == .digits || (t.isChar(k, "-") && t.kind(k + 1) != .space) { k += 1 }
            if t.kind(k - 1) == .word, dots > 0, !at.plain || spelled > 0 || plainAddress, Redactor.domainEndings.contains(t.fold(k - 1)) { end = k }
            if t.isChar(k, "."), t.kind(k + 1) == .word || t.kind(k + 1) == .digits {
                k += 1
            } else if let next = spelledMark(&t, at: k, "dot") {
                k = next.next
                spelled += 1
            } else {
                break
            }
            dots += 1
        }
        return end > 0 ? (i, end, "[email]") : nil
    }

    /// The token after `word` written as a separator at `k`: between spaces (` at `, `plain`), in brackets (`[at]`,
    /// `(at)`), or for `at` the sign itself (`@`).
    func spelledMark(_ t: inout RedactionText, at k: Int, _ word: String) -> (next: Int, plain: Bool)? {
        var j = k
        let spaceBefore = t.kind(j) == .space
        if spaceBefore { j += 1 }
        if word == "at", t.isChar(j, "@") {
            j += 1
            if t.kind(j) == .space { j += 1 }
            return (j, false)
        }
        if let close = ["[": "]", "(": ")", "{": "}", "<": ">"].first(where: { t.isChar(j, Character($0.key)) })?.value {
            guard t.kind(j + 1) == .word, t.fold(j + 1) == word, t.isChar(j + 2, Character(close)) else { return nil }
            j += 3
            if t.kind(j) == .space { j += 1 }
            return (j, false)
        }
        guard spaceBefore, t.kind(j) == .word, t.fold(j) == word, t.kind(j + 1) == .space else { return nil }
        return (j + 2, true)
    }

    /// Domains of mail services, whose addresses are written with a plain ` at ` (`jo at gmail.com`).
    static let mailServices: Set<String> = [
        "gmail", "googlemail", "hotmail", "outlook", "yahoo", "icloud", "live", "aol", "btinternet", "protonmail", "msn",
        "sky", "virginmedia", "talktalk", "mail", "ymail", "me",
    ]

    /// Street types that end a street address (`12 Acacia Avenue`, `3a Mill Rd`).
    static let streetTypes: Set<String> = [
        "road", "rd", "street", "st", "avenue", "ave", "lane", "ln", "close", "drive", "way", "crescent", "court", "place",
        "gardens", "terrace", "grove", "square", "mews", "parade", "rise", "hill", "park", "walk", "row", "green", "view",
    ]
    /// The street types that end an address written in lower case (`12 acacia avenue`); the others are too often words.
    static let lowerCaseStreetTypes: Set<String> = ["road", "street", "avenue", "lane", "crescent", "terrace", "mews"]

    /// Street types that name a street without a house number (`lives on Acacia Avenue`), after one or two capitalised
    /// words; the others are too often words of their own (`Way`, `Park`, `Close`).
    static let namedStreetTypes: Set<String> = ["road", "street", "avenue", "lane", "crescent", "terrace", "mews", "drive", "gardens", "grove"]
    /// Words that start a capitalised phrase without naming a street (`The Grove`, `This Road`).
    static let notStreetNames: Set<String> = ["the", "a", "an", "this", "that", "my", "our", "your", "his", "her", "their", "no", "every", "each", "any", "one"]

    /// A street named without a house number: one or two capitalised words and a capitalised street type (`Acacia
    /// Avenue`, `Kings Road`) → `[address]`.
    func namedStreet(_ t: inout RedactionText, at i: Int) -> Span? {
        guard t.isCapitalised(i), !t.isAllCapitals(i) || t.length(i) == 1, !Redactor.notStreetNames.contains(t.fold(i)),
              i == 0 || t.kind(i - 1) != .word else { return nil }
        var k = i + 1
        for _ in 0..<2 {
            guard t.kind(k) == .space, t.length(k) <= 2, !t.breaksLine(k), t.isCapitalised(k + 1) else { return nil }
            if Redactor.namedStreetTypes.contains(t.fold(k + 1)), t.kind(k + 2) != .word { return (i, k + 2, "[address]") }
            k += 2
        }
        return nil
    }

    /// A street address: a house number (`12`, `3a`), one to three words and a street type → `[address]`.
    func streetAddress(_ t: inout RedactionText, at i: Int) -> Span? {
        guard t.kind(i) == .digits, t.length(i) <= 4, i == 0 || t.kind(i - 1) != .other || t.isChar(i - 1, "(") else { return nil }
        var k = i + 1
        if t.kind(k) == .word, t.length(k) == 1 { k += 1 }  // `3a`
        var words = 0
        while words < 4, t.kind(k) == .space, t.length(k) <= 2, !t.breaksLine(k), t.kind(k + 1) == .word {
            k += 2
            words += 1
            let w = t.fold(k - 1)
            guard words >= 2, Redactor.streetTypes.contains(w) else { continue }
            let named = (i + 1..<k).allSatisfy { t.kind($0) != .word || t.isCapitalised($0) || $0 == i + 1 }
            if named || Redactor.lowerCaseStreetTypes.contains(w) { return (i, k, "[address]") }
            return nil
        }
        return nil
    }
}
