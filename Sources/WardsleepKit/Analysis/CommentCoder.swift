import Foundation

/// A codebook compiled for coding many comments: which themes and requests each comment mentions, worked out in one
/// walk over the comment whatever the number of keywords. A keyword matches where it starts a word of the lower-cased
/// comment (a space in it matching any run of white space); a pattern anywhere, any case.
///
/// Keywords are filed by their first scalar (`WordTable`), so at each word start of a comment only the keywords
/// beginning there are tried. An entry's regular expressions run only when none of its keywords matched, joined into
/// one alternation (one search of the comment instead of one per pattern) when every pattern is plain enough for that
/// to mean the same, and on an ASCII comment only when some pattern's `RequiredWords` are all there. Each consumer
/// owns its coder: `code` reuses its buffers.
///
/// A codebook is the study's own text, and a pattern such as `(a+)+$` backtracks for ever on some comments. A pattern
/// of such a shape (`BacktrackingRisk`), and any pattern on a comment longer than `longComment`, is searched with a time
/// budget (`searchBudget`): past it the search is stopped, no pattern runs again, and `checkPatterns` names the pattern
/// once the export is read, so the run stops with a configuration error instead of hanging. Other searches run plainly
/// (a budgeted search costs a few times as much) and are timed: one slower than `slowSearch` puts its pattern under the
/// budget from then on.
final class CommentCoder {
    /// The longest one search of one comment may take.
    static let searchBudget: Duration = .seconds(1)
    /// A plain search slower than this puts its pattern under the budget.
    static let slowSearch: Duration = .milliseconds(50)
    /// Comments longer than this (UTF-16 units) are searched under the budget whatever the pattern.
    static let longComment = 1_000
    /// The entry whose patterns ran past the budget, if one did.
    private(set) var runaway: Codebook.Entry?
    /// The codebook coded against.
    let codebook: Codebook
    /// Themes first, then requests: the place of an entry in `matched`.
    private let entryCount: Int
    /// Every keyword, tagged with its entry.
    private let keywords: WordTable
    /// The regular expressions of each entry (empty when it has none).
    private let patterns: [[NSRegularExpression]]
    /// Whether each is searched under the time budget.
    private var budgeted: [[Bool]]
    /// Every word some pattern requires (`RequiredWords`), tagged with its number.
    private let requiredWords: WordTable
    /// For each entry, each pattern's required sets as word numbers: the expressions need running on an ASCII comment
    /// only when, for some pattern, every set has a word there. `nil` when a pattern requires nothing known (the
    /// expressions always run).
    private let requiredSets: [[[[Int]]]?]
    /// Whether each required word occurs in the comment last coded (ASCII only).
    private var present: [Bool]
    private var isASCII = false
    /// Whether each entry matched the comment last coded.
    private(set) var matched: [Bool]
    /// The comment last coded, lower-cased, as scalar values.
    private var scalars: [UInt32] = []

    /// Compiles `codebook`.
    init(_ codebook: Codebook) {
        self.codebook = codebook
        let entries = codebook.themes + codebook.requests
        entryCount = entries.count
        matched = Array(repeating: false, count: entries.count)
        var patterns: [[NSRegularExpression]] = [], budgeted: [[Bool]] = []
        var sets: [[[[Int]]]?] = []
        var keywordList: [([UInt32], Int)] = []
        var wordNumbers: [String: Int] = [:]
        for (e, entry) in entries.enumerated() {
            let required = entry.patterns.map { RequiredWords.of($0) }
            sets.append(required.contains(where: \.isEmpty) ? nil : required.map { pattern in
                pattern.map { set in set.map { word in
                    if let n = wordNumbers[word] { return n }
                    wordNumbers[word] = wordNumbers.count
                    return wordNumbers.count - 1
                } }
            })
            for w in entry.wordScalars where !w.isEmpty { keywordList.append((w.map(\.value), e)) }
            let compiled = CommentCoder.joined(entry)
            patterns.append(compiled)
            // A joined alternation is as risky as its riskiest part.
            let risky = entry.patterns.map(BacktrackingRisk.isRisky)
            budgeted.append(compiled.count == entry.patterns.count ? risky : [risky.contains(true)])
        }
        self.patterns = patterns
        self.budgeted = budgeted
        requiredSets = sets
        keywords = WordTable(keywordList)
        requiredWords = WordTable(wordNumbers.map { (Array($0.key.unicodeScalars.map(\.value)), $0.value) })
        present = Array(repeating: false, count: wordNumbers.count)
    }

    /// The entry's patterns as one alternation when that means the same, else each on its own.
    private static func joined(_ entry: Codebook.Entry) -> [NSRegularExpression] {
        let own = entry.matchers.map(\.regex)
        guard own.count > 1 else { return own }
        // A back-reference or a named group would be renumbered or clash once the patterns share one expression, and
        // an inline flag might reach the patterns after it: any group but (?:...) keeps the patterns apart.
        let unjoinable = entry.patterns.contains { p in
            p.replacingOccurrences(of: "(?:", with: "").contains("(?") || p.range(of: #"\\[1-9k]"#, options: .regularExpression) != nil
        }
        guard !unjoinable,
              let one = try? NSRegularExpression(pattern: entry.patterns.map { "(?:\($0))" }.joined(separator: "|"), options: [.caseInsensitive])
        else { return own }
        return [one]
    }

    /// Whether theme `i` (its place in `codebook.themes`) matched the comment last coded.
    func theme(_ i: Int) -> Bool { matched[i] }
    /// Whether request `i` (its place in `codebook.requests`) matched the comment last coded.
    func request(_ i: Int) -> Bool { matched[codebook.themes.count + i] }
    /// Whether anything in the codebook matched the comment last coded.
    var matchedAny: Bool { matched.contains(true) }

    /// Codes `text`: afterwards `matched` tells which entries it mentions. With `anyOnly`, coding stops at the first
    /// entry found (enough for `matchedAny`).
    func code(_ text: String, anyOnly: Bool = false) {
        for i in 0..<entryCount { matched[i] = false }
        lowerCase(text)
        findKeywords()
        if anyOnly && matchedAny { return }
        var looked = false
        let range = NSRange(text.startIndex..., in: text)
        for e in 0..<entryCount where !matched[e] && !patterns[e].isEmpty {
            if isASCII, let sets = requiredSets[e] {
                if !looked { findRequiredWords(); looked = true }
                guard sets.contains(where: { $0.allSatisfy { $0.contains { present[$0] } } }) else { continue }
            }
            guard runaway == nil else { return }
            matched[e] = patterns[e].indices.contains { search(e, $0, text, range) }
            if anyOnly && matched[e] { return }
        }
    }

    /// Whether pattern `k` of entry `e` matches `text`: plainly and timed, or within the budget (past it, the entry is
    /// noted as a runaway and nothing matches).
    private func search(_ e: Int, _ k: Int, _ text: String, _ range: NSRange) -> Bool {
        guard runaway == nil else { return false }
        let regex = patterns[e][k], clock = ContinuousClock(), start = clock.now
        if !budgeted[e][k] && range.length <= CommentCoder.longComment {
            let found = regex.firstMatch(in: text, range: range) != nil
            if clock.now - start > CommentCoder.slowSearch { budgeted[e][k] = true }
            return found
        }
        var found = false, over = false
        // With .reportProgress, ICU calls back now and then during a long search, which lets it be stopped.
        regex.enumerateMatches(in: text, options: [.reportProgress], range: range) { match, _, stop in
            if match != nil {
                found = true
                stop.pointee = true
            } else if clock.now - start > CommentCoder.searchBudget {
                over = true
                stop.pointee = true
            }
        }
        if over { runaway = e < codebook.themes.count ? codebook.themes[e] : codebook.requests[e - codebook.themes.count] }
        return found && !over
    }

    /// Throws a `ConfigurationError` naming the entry whose patterns ran past the budget, if one did.
    func checkPatterns() throws {
        guard let entry = runaway else { return }
        throw ConfigurationError(file: entry.file, keyPath: "\(entry.keyPath).patterns",
                                 message: "a regular expression here took more than \(CommentCoder.searchBudget.components.seconds) s "
                                     + "on one comment and was stopped: it backtracks without end on some text (a repeated group "
                                     + "that itself repeats, such as (a+)+, does); rewrite it: "
                                     + entry.patterns.map { "\"\($0)\"" }.joined(separator: ", "))
    }

    /// Fills `scalars` with the text lower-cased as `String.lowercased()` does; ASCII text without building a String.
    private func lowerCase(_ text: String) {
        scalars.removeAll(keepingCapacity: true)
        isASCII = true
        for b in text.utf8 {
            guard b < 0x80 else { isASCII = false; break }
            scalars.append(UInt32(b >= 0x41 && b <= 0x5A ? b | 0x20 : b))
        }
        guard !isASCII else { return }
        scalars.removeAll(keepingCapacity: true)
        for u in text.lowercased().unicodeScalars { scalars.append(u.value) }
    }

    /// Marks every entry one of whose keywords starts at a word start of `scalars`: at the first scalar, or after one
    /// that is neither a letter nor a digit.
    private func findKeywords() {
        scalars.withUnsafeBufferPointer { t in
            for i in 0..<t.count where i == 0 || !CommentCoder.isWord(t[i - 1]) {
                keywords.forEachWord(at: i, of: t, spaceRuns: true) { entry in matched[entry] = true }
            }
        }
    }

    /// Notes which required words occur anywhere in `scalars` (an ASCII comment).
    private func findRequiredWords() {
        for i in present.indices { present[i] = false }
        scalars.withUnsafeBufferPointer { t in
            for i in 0..<t.count { requiredWords.forEachWord(at: i, of: t, spaceRuns: false) { present[$0] = true } }
        }
    }

    @inline(__always) static func isWord(_ v: UInt32) -> Bool {
        if v < 128 { return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) }
        return Unicode.Scalar(v)?.properties.isAlphabetic ?? false
    }

    @inline(__always) static func isSpace(_ v: UInt32) -> Bool {
        if v < 128 { return v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D }
        return Unicode.Scalar(v)?.properties.isWhitespace ?? false
    }
}

/// Words filed by their first scalar and stored end to end, each with a tag: finding the words that start at a place
/// of a text is a table lookup and one comparison per word with that first scalar, copying nothing.
struct WordTable {
    /// Every word's scalars, one after another, in the order of `words`.
    private let storage: [UInt32]
    /// Each word: where it starts in `storage`, its length and its tag; sorted by first scalar.
    private let words: [(start: Int, count: Int, tag: Int)]
    /// The words (a range of `words`) starting with each ASCII scalar, and with any other.
    private let ascii: [Range<Int>]
    private let other: [UInt32: Range<Int>]

    /// Files `list` (words, none empty, each with its tag).
    init(_ list: [(word: [UInt32], tag: Int)]) {
        let sorted = list.enumerated().sorted { ($0.element.word[0], $0.offset) < ($1.element.word[0], $1.offset) }.map(\.element)
        var storage: [UInt32] = [], words: [(start: Int, count: Int, tag: Int)] = []
        var ascii = [Range<Int>](repeating: 0..<0, count: 128), other: [UInt32: Range<Int>] = [:]
        var i = 0
        while i < sorted.count {
            let first = sorted[i].word[0]
            var j = i
            while j < sorted.count && sorted[j].word[0] == first {
                words.append((storage.count, sorted[j].word.count, sorted[j].tag))
                storage += sorted[j].word
                j += 1
            }
            if first < 128 { ascii[Int(first)] = i..<j } else { other[first] = i..<j }
            i = j
        }
        self.storage = storage
        self.words = words
        self.ascii = ascii
        self.other = other
    }

    /// Calls `found` with the tag of every word occurring in `t` from `i`. With `spaceRuns`, a space in a word matches
    /// any run of white space in `t`; otherwise scalars compare as they are.
    @inline(__always) func forEachWord(at i: Int, of t: UnsafeBufferPointer<UInt32>, spaceRuns: Bool, _ found: (Int) -> Void) {
        let c = t[i]
        guard let range = c < 128 ? ascii[Int(c)] : other[c], !range.isEmpty else { return }
        storage.withUnsafeBufferPointer { s in
            for k in range {
                let w = words[k]
                if WordTable.occurs(s[w.start..<(w.start + w.count)], in: t, at: i, spaceRuns: spaceRuns) { found(w.tag) }
            }
        }
    }

    @inline(__always) private static func occurs(_ w: Slice<UnsafeBufferPointer<UInt32>>, in t: UnsafeBufferPointer<UInt32>, at i: Int,
                                                 spaceRuns: Bool) -> Bool {
        var a = i, b = w.startIndex
        while b < w.endIndex {
            guard a < t.count else { return false }
            if spaceRuns && w[b] == 0x20 {
                guard CommentCoder.isSpace(t[a]) else { return false }
                while a < t.count && CommentCoder.isSpace(t[a]) { a += 1 }
            } else {
                guard t[a] == w[b] else { return false }
                a += 1
            }
            b += 1
        }
        return true
    }
}
