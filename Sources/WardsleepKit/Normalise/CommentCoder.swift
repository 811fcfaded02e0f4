import Foundation
import Synchronization

/// The codebook entries one comment mentions (themes first, then requests, by place), worked out as the comment is
/// read and carried on its record.
public struct CommentCodes: Sendable, Equatable {
    /// The `CompiledCodebook` these are entries of (its `serial`): codes are read only against the codebook that made them.
    let codebook: Int
    /// One bit per entry: the first 64 here, the rest in `more` (empty for any codebook of up to 64 entries).
    private var first: UInt64 = 0
    private var more: [UInt64] = []

    init(codebook: Int) { self.codebook = codebook }

    /// Whether entry `e` was mentioned.
    public func contains(_ e: Int) -> Bool {
        if e < 64 { return first & (1 << UInt64(e)) != 0 }
        let word = (e - 64) / 64
        return word < more.count && more[word] & (1 << UInt64(e % 64)) != 0
    }

    mutating func insert(_ e: Int) {
        if e < 64 { first |= 1 << UInt64(e); return }
        let word = (e - 64) / 64
        while more.count <= word { more.append(0) }
        more[word] |= 1 << UInt64(e % 64)
    }

    /// Whether the comment mentions no entry at all.
    public var isEmpty: Bool { first == 0 && !more.contains { $0 != 0 } }
}

/// A codebook compiled for coding comments, made once per run and shared by every thread that reads feedback: its
/// tables and regular expressions are read-only (an `NSRegularExpression` is immutable and may be searched from any
/// thread). What coding learns on the way is shared too: a pattern found slow on one thread is searched under the
/// budget on all of them, and a pattern that ran past the budget stops the patterns on every thread at once.
///
/// Keywords are filed by their first scalar (`WordTable`), so at each word start of a comment only the keywords
/// beginning there are tried. An entry's regular expressions run only when none of its keywords matched, one at a time
/// until one matches, and on an ASCII comment a pattern runs only when its `RequiredWords` occur there in the pattern's
/// order, none overlapping the one before (the words of a pattern's sets are parts of it one after another, so a match
/// holds them so). Each pattern is searched on its own: one alternation of an entry's patterns was searched more slowly
/// than all of them one by one (the six of the default `restore_checks` on a comment none matches: 32 µs against 23 µs),
/// since the engine can then no longer skip to the places where a pattern could start.
///
/// A codebook is the study's own text, and a pattern such as `(a+)+$` backtracks for ever on some comments. A pattern
/// of such a shape (`BacktrackingRisk`), and any pattern on a comment longer than `longComment`, is searched with a time
/// budget (`searchBudget`): past it the search is stopped, no pattern runs again, and `checkPatterns` names the pattern
/// once the export is read, so the run stops with a configuration error instead of hanging. Other searches run plainly
/// (a budgeted search costs a few times as much) and are timed: one slower than `slowSearch` puts its pattern under the
/// budget from then on.
public final class CompiledCodebook: @unchecked Sendable {
    /// The longest one search of one comment may take.
    static let searchBudget: Duration = .seconds(1)
    /// A plain search slower than this puts its pattern under the budget.
    static let slowSearch: Duration = .milliseconds(50)
    /// Comments longer than this (UTF-16 units) are searched under the budget whatever the pattern.
    static let longComment = 1_000

    /// The codebook compiled.
    public let codebook: Codebook
    /// This compilation among the process's, for `CommentCodes.codebook`.
    let serial: Int
    /// Themes first, then requests: the place of an entry in `CommentCodes`.
    let entryCount: Int
    /// Every keyword, tagged with its entry; the ASCII ones again for ASCII comments.
    let keywords: WordTable
    let asciiKeywords: ASCIIWordTable
    /// The regular expressions of each entry (empty when it has none).
    let patterns: [[NSRegularExpression]]
    /// Whether each is searched under the time budget from the start, for its shape.
    let risky: [[Bool]]
    /// Every ASCII word some pattern requires (`RequiredWords`), tagged with its number (they are looked for in ASCII
    /// comments only).
    let requiredWords: ASCIIWordTable
    /// For each entry, each pattern's required sets as word numbers, in the pattern's order: the pattern needs running
    /// on an ASCII comment only when a word of each set occurs there, each after the one before. `nil` when the pattern
    /// requires nothing known (it always runs).
    let requiredSets: [[[[Int]]?]]
    /// The length of each required word, by number.
    let requiredWordLengths: [Int]

    /// Patterns found slow on some comment, by entry and place; `slowChanges` counts the changes, so that a coder reads
    /// the list again only after one.
    private let slow: Mutex<[[Bool]]>
    let slowChanges = Atomic<Int>(0)
    /// The entry whose patterns ran past the budget, or -1.
    private let runawayEntry = Atomic<Int>(-1)
    private static let serials = Atomic<Int>(0)

    /// Compiles `codebook`.
    public init(_ codebook: Codebook) {
        self.codebook = codebook
        serial = CompiledCodebook.serials.add(1, ordering: .relaxed).newValue
        let entries = codebook.themes + codebook.requests
        entryCount = entries.count
        var patterns: [[NSRegularExpression]] = [], risky: [[Bool]] = []
        var sets: [[[[Int]]?]] = []
        var keywordList: [([UInt32], Int)] = []
        var wordNumbers: [String: Int] = [:]
        for (e, entry) in entries.enumerated() {
            sets.append(entry.patterns.map { p in
                let required = RequiredWords.of(p)
                return required.isEmpty ? nil : required.map { set in set.map { word in
                    if let n = wordNumbers[word] { return n }
                    wordNumbers[word] = wordNumbers.count
                    return wordNumbers.count - 1
                } }
            })
            for w in entry.wordScalars where !w.isEmpty { keywordList.append((w.map(\.value), e)) }
            patterns.append(entry.matchers.map(\.regex))
            risky.append(entry.patterns.map(BacktrackingRisk.isRisky))
        }
        self.patterns = patterns
        self.risky = risky
        slow = Mutex(patterns.map { Array(repeating: false, count: $0.count) })
        requiredSets = sets
        keywords = WordTable(keywordList)
        asciiKeywords = ASCIIWordTable(keywordList, spaceRuns: true)
        requiredWords = ASCIIWordTable(wordNumbers.map { (Array($0.key.unicodeScalars.map(\.value)), $0.value) }, spaceRuns: false)
        var lengths = [Int](repeating: 0, count: wordNumbers.count)
        for (word, n) in wordNumbers { lengths[n] = word.utf8.count }
        requiredWordLengths = lengths
    }

    /// The place of request `i` (its place in `codebook.requests`) among the entries.
    func requestEntry(_ i: Int) -> Int { codebook.themes.count + i }

    /// Whether a pattern ran past the budget (no pattern runs from then on, on any thread).
    var stopped: Bool { runawayEntry.load(ordering: .relaxed) >= 0 }

    /// Notes that entry `e`'s patterns ran past the budget (the first such entry is the one named).
    func stop(_ e: Int) { _ = runawayEntry.compareExchange(expected: -1, desired: e, ordering: .relaxed) }

    /// Notes that pattern `k` of entry `e` was slow: it is searched under the budget from now on.
    func markSlow(_ e: Int, _ k: Int) {
        slow.withLock { $0[e][k] = true }
        slowChanges.add(1, ordering: .releasing)
    }

    /// The patterns found slow so far.
    var slowPatterns: [[Bool]] { slow.withLock { $0 } }

    /// The entry whose patterns ran past the budget, if one did.
    public var runaway: Codebook.Entry? {
        let e = runawayEntry.load(ordering: .relaxed)
        guard e >= 0 else { return nil }
        return e < codebook.themes.count ? codebook.themes[e] : codebook.requests[e - codebook.themes.count]
    }

    /// Throws a `ConfigurationError` naming the entry whose patterns ran past the budget, if one did.
    public func checkPatterns() throws {
        guard let entry = runaway else { return }
        throw ConfigurationError(file: entry.file, keyPath: "\(entry.keyPath).patterns",
                                 message: "a regular expression here took more than \(CompiledCodebook.searchBudget.components.seconds) s "
                                     + "on one comment and was stopped: it backtracks without end on some text (a repeated group "
                                     + "that itself repeats, such as (a+)+, does); rewrite it: "
                                     + entry.patterns.map { "\"\($0)\"" }.joined(separator: ", "))
    }
}

/// Codes comments against a `CompiledCodebook`: which themes and requests each mentions, worked out in one walk over
/// the comment whatever the number of keywords. A keyword matches where it starts a word of the lower-cased comment
/// (a space in it matching any run of white space); a pattern anywhere, any case.
///
/// A value with its own buffers, reused from one comment to the next: each thread reading feedback codes with its own
/// copy, against the one shared compiled codebook.
public struct CommentCoder {
    /// The codebook coded against.
    public let compiled: CompiledCodebook
    /// Whether each pattern is searched under the time budget (its shape, or found slow on some thread).
    private var budgeted: [[Bool]]
    /// `compiled.slowChanges` when `budgeted` was last brought up to date.
    private var slowSeen = 0
    /// Where required words occur in the comment being coded (ASCII only): each word's number and where it starts, in
    /// the order of their starts.
    private var occurrences: [(word: Int, start: Int)] = []
    private var isASCII = false
    /// The comment being coded when it is ASCII, lower-cased, its `byteCount` bytes followed by 8 zeros (`ASCIIWordTable`).
    private var bytes: [UInt8] = []
    private var byteCount = 0
    /// The comment being coded when it is not ASCII, lower-cased, as scalar values.
    private var scalars: [UInt32] = []
    /// This coder's own copies of the regular expressions, made when it first searches. Searching is safe from any
    /// thread, but the engine copies the expression for a search that finds it in use on another thread, afresh for
    /// each such search: with each thread's coder holding its own, no search pays for a copy.
    private var own: [[NSRegularExpression]] = []
    /// Regular-expression searches made so far (for tests).
    private(set) var searches = 0
    /// The tables read for every comment, copied for the thread coding (`tablesThread`): reading a table shared with
    /// another thread changes its reference counts, and two threads changing the same counts on every comment cost
    /// more than a fifth of coding on two threads.
    private var tables: CoderTables
    private var tablesThread: pthread_t

    /// A coder for `compiled`.
    public init(_ compiled: CompiledCodebook) {
        self.compiled = compiled
        budgeted = compiled.risky
        tables = CoderTables(copying: compiled)
        tablesThread = pthread_self()
    }

    /// A coder for `codebook`, compiled for it alone.
    public init(_ codebook: Codebook) { self.init(CompiledCodebook(codebook)) }

    /// The entries `text` mentions.
    public mutating func code(_ text: String) -> CommentCodes {
        if pthread_equal(tablesThread, pthread_self()) == 0 {
            tables = CoderTables(copying: compiled)
            tablesThread = pthread_self()
        }
        var codes = CommentCodes(codebook: compiled.serial)
        isASCII = lowerCaseASCII(text)
        if isASCII {
            findASCIIKeywords(into: &codes)
        } else {
            lowerCase(text)
            findKeywords(into: &codes)
        }
        var looked = false
        var range: NSRange?  // worked out for the first search (it counts the comment's UTF-16 units)
        entries: for e in 0..<compiled.entryCount where !codes.contains(e) {
            for k in 0..<tables.patternCounts[e] {
                if isASCII, let sets = tables.requiredSets[e][k] {
                    if !looked { findRequiredWords(); looked = true }
                    guard occurInOrder(sets) else { continue }
                }
                guard !compiled.stopped else { break entries }
                if range == nil { range = NSRange(text.startIndex..., in: text) }
                if search(e, k, text, range!) {
                    codes.insert(e)
                    break
                }
            }
        }
        return codes
    }

    /// The codes of `r`'s comment: those it was read with when they are codes of this coder's codebook, else coded now.
    public mutating func codes(of r: FeedbackRecord) -> CommentCodes {
        if let codes = r.codes, codes.codebook == compiled.serial { return codes }
        return code(r.text)
    }

    /// Whether pattern `k` of entry `e` matches `text`: plainly and timed, or within the budget (past it, the entry is
    /// noted as a runaway and nothing matches).
    private mutating func search(_ e: Int, _ k: Int, _ text: String, _ range: NSRange) -> Bool {
        guard !compiled.stopped else { return false }
        let changes = compiled.slowChanges.load(ordering: .acquiring)
        if changes != slowSeen {
            slowSeen = changes
            for (i, row) in compiled.slowPatterns.enumerated() { for (j, isSlow) in row.enumerated() where isSlow { budgeted[i][j] = true } }
        }
        searches += 1
        if own.isEmpty {
            own = compiled.patterns.map { $0.map { r in (try? NSRegularExpression(pattern: r.pattern, options: r.options)) ?? r } }
        }
        let regex = own[e][k], clock = ContinuousClock(), start = clock.now
        if !budgeted[e][k] && range.length <= CompiledCodebook.longComment {
            let found = regex.firstMatch(in: text, range: range) != nil
            if clock.now - start > CompiledCodebook.slowSearch {
                budgeted[e][k] = true
                compiled.markSlow(e, k)
            }
            return found
        }
        var found = false, over = false
        // With .reportProgress, ICU calls back now and then during a long search, which lets it be stopped.
        regex.enumerateMatches(in: text, options: [.reportProgress], range: range) { match, _, stop in
            if match != nil {
                found = true
                stop.pointee = true
            } else if clock.now - start > CompiledCodebook.searchBudget {
                over = true
                stop.pointee = true
            }
        }
        if over { compiled.stop(e) }
        return found && !over
    }

    /// Fills `bytes` with the text lower-cased, when it is ASCII (`false` otherwise).
    private mutating func lowerCaseASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { src in
            var any: UInt8 = 0
            for b in src { any |= b }
            guard any < 0x80 else { return false }
            let n = src.count
            if bytes.count < n + 8 { bytes = [UInt8](repeating: 0, count: max(n + 8, 2 * bytes.count)) }
            bytes.withUnsafeMutableBufferPointer { out in
                for i in 0..<n { let b = src[i]; out[i] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
                for i in n..<(n + 8) { out[i] = 0 }
            }
            byteCount = n
            return true
        }
    }

    /// Fills `scalars` with the text lower-cased as `String.lowercased()` does.
    private mutating func lowerCase(_ text: String) {
        scalars.removeAll(keepingCapacity: true)
        for u in text.lowercased().unicodeScalars { scalars.append(u.value) }
    }

    /// `findKeywords` for an ASCII comment, in `bytes`.
    private func findASCIIKeywords(into codes: inout CommentCodes) {
        let n = byteCount
        bytes.withUnsafeBufferPointer { t in
            let p = t.baseAddress!
            for i in 0..<n where i == 0 || !CommentCoder.isWord(UInt32(p[i - 1])) {
                tables.asciiKeywords.forEachWord(at: i, of: p, count: n) { entry in codes.insert(entry) }
            }
        }
    }

    /// Marks every entry one of whose keywords starts at a word start of `scalars`: at the first scalar, or after one
    /// that is neither a letter nor a digit.
    private func findKeywords(into codes: inout CommentCodes) {
        let keywords = compiled.keywords
        scalars.withUnsafeBufferPointer { t in
            for i in 0..<t.count where i == 0 || !CommentCoder.isWord(t[i - 1]) {
                keywords.forEachWord(at: i, of: t, spaceRuns: true) { entry in codes.insert(entry) }
            }
        }
    }

    /// Notes where required words occur anywhere in `bytes` (an ASCII comment).
    private mutating func findRequiredWords() {
        var found = occurrences
        occurrences = []
        found.removeAll(keepingCapacity: true)
        let n = byteCount
        bytes.withUnsafeBufferPointer { t in
            let p = t.baseAddress!
            for i in 0..<n { tables.requiredWords.forEachWord(at: i, of: p, count: n) { found.append(($0, i)) } }
        }
        occurrences = found
    }

    /// Whether a word of each set occurs, each starting after the one before ends. Taking for each set the occurrence
    /// that ends first leaves the most room for the sets after it, so one pass decides.
    private func occurInOrder(_ sets: [[Int]]) -> Bool {
        var from = 0
        for set in sets {
            var end = Int.max
            for o in occurrences where o.start >= from {
                // Occurrences come in the order of their starts, and every word is at least one byte long: none
                // starting at or after `end` ends before it.
                if o.start >= end { break }
                if set.contains(o.word) { end = min(end, o.start + tables.requiredWordLengths[o.word]) }
            }
            guard end != .max else { return false }
            from = end
        }
        return true
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

/// A coder's own copies of what it reads of a `CompiledCodebook` for every comment (none of their storage shared).
private struct CoderTables {
    let asciiKeywords: ASCIIWordTable, requiredWords: ASCIIWordTable
    let requiredSets: [[[[Int]]?]]
    let requiredWordLengths: [Int]
    /// The number of regular expressions of each entry.
    let patternCounts: [Int]

    init(copying compiled: CompiledCodebook) {
        asciiKeywords = compiled.asciiKeywords.copied()
        requiredWords = compiled.requiredWords.copied()
        requiredSets = compiled.requiredSets.map { $0.map { $0?.map { $0.map { $0 } } } }
        requiredWordLengths = compiled.requiredWordLengths.map { $0 }
        patternCounts = compiled.patterns.map(\.count)
    }
}
