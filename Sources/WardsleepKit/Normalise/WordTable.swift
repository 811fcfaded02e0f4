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

/// The ASCII words of a word list, for matching ASCII text a byte at a time (a word with any other scalar cannot occur
/// in ASCII text, lower-cased or not). A place is passed over at once unless some word can start with its first two
/// bytes (a bit per pair of bytes: most places of a comment start no word, and a lookup by the first byte alone left
/// several words to try at nearly every one). Words are filed by their first byte, and each is tried first as one
/// 8-byte load of the text against its first bytes (up to eight; with `spaceRuns`, up to its first space), so a word
/// that does not occur costs one comparison; the rest of a word that passes is compared as `WordTable` compares it.
///
/// The text must have 8 readable bytes after its last one (zeros: no word holds a zero byte, so nothing matches there).
struct ASCIIWordTable {
    private struct Word {
        var prefix: UInt64, mask: UInt64
        /// How many of the word's first bytes `prefix` holds.
        var covered: Int
        var start: Int, count: Int, tag: Int
    }
    private let storage: [UInt8]
    private let words: [Word]
    /// The words starting with byte `b` are `words[first[b]..<first[b + 1]]`.
    private let first: [Int]
    /// Bit `b1 << 7 | b2`: some word may start with bytes `b1`, `b2` (for a word of one byte, whatever follows it).
    private let pairs: [UInt64]
    private let spaceRuns: Bool

    /// Files the ASCII words of `list` (words, none empty, each with its tag). With `spaceRuns`, a space in a word
    /// matches any run of white space in the text; otherwise bytes compare as they are.
    init(_ list: [(word: [UInt32], tag: Int)], spaceRuns: Bool) {
        self.spaceRuns = spaceRuns
        let ascii = list.enumerated().filter { $0.element.word.allSatisfy { $0 > 0 && $0 < 128 } }
            .sorted { ($0.element.word[0], $0.offset) < ($1.element.word[0], $1.offset) }.map(\.element)
        var storage: [UInt8] = [], words: [Word] = [], first = [Int](repeating: 0, count: 129)
        var pairs = [UInt64](repeating: 0, count: 128 * 128 / 64)
        func allow(_ b1: UInt8, _ b2: UInt8) { let bit = Int(b1) << 7 | Int(b2); pairs[bit >> 6] |= 1 << UInt64(bit & 63) }
        for (word, tag) in ascii {
            let bytes = word.map { UInt8($0) }
            if bytes.count == 1 || (spaceRuns && bytes[0] == 0x20) {
                // One byte, or a leading space (a run of white space, whatever follows it): any byte may come next.
                for b2 in 0..<UInt8(128) { allow(bytes[0], b2) }
            } else if spaceRuns && bytes[1] == 0x20 {
                // A space in the word matches any run of white space (`CommentCoder.isSpace`).
                for b2: UInt8 in [0x20, 0x09, 0x0A, 0x0D] { allow(bytes[0], b2) }
            } else {
                allow(bytes[0], bytes[1])
            }
            var covered = 0, prefix: UInt64 = 0
            while covered < min(8, bytes.count) && !(spaceRuns && bytes[covered] == 0x20) {
                prefix |= UInt64(bytes[covered]) << UInt64(8 * covered)
                covered += 1
            }
            let mask: UInt64 = covered == 8 ? ~0 : (1 << UInt64(8 * covered)) - 1
            words.append(Word(prefix: prefix, mask: mask, covered: covered, start: storage.count, count: bytes.count, tag: tag))
            storage += bytes
            first[Int(bytes[0]) + 1] += 1
        }
        for b in 0..<128 { first[b + 1] += first[b] }
        self.storage = storage
        self.words = words
        self.first = first
        self.pairs = pairs
    }

    private init(storage: [UInt8], words: [Word], first: [Int], pairs: [UInt64], spaceRuns: Bool) {
        (self.storage, self.words, self.first, self.pairs, self.spaceRuns) = (storage, words, first, pairs, spaceRuns)
    }

    /// The same table in storage of its own (a copy of an array shares its storage until one is changed).
    func copied() -> ASCIIWordTable {
        func own<T>(_ a: [T]) -> [T] { a.withUnsafeBufferPointer { Array($0) } }
        return ASCIIWordTable(storage: own(storage), words: own(words), first: own(first), pairs: own(pairs), spaceRuns: spaceRuns)
    }

    /// Calls `found` with the tag of every word occurring in `t` (of `n` bytes, 8 readable after) from `i`.
    @inline(__always) func forEachWord(at i: Int, of t: UnsafePointer<UInt8>, count n: Int, _ found: (Int) -> Void) {
        let c = Int(t[i])
        guard c < 128 else { return }
        // A byte past 127 after it starts no word of two bytes or more (every word is ASCII): read as 0, which only
        // words of one byte allow.
        let next = Int(t[i + 1]), c2 = next < 128 ? next : 0, bit = c << 7 | c2
        guard pairs.withUnsafeBufferPointer({ $0[bit >> 6] }) & (1 << UInt64(bit & 63)) != 0 else { return }
        let from = first[c], to = first[c + 1]
        guard from < to else { return }
        let head = UnsafeRawPointer(t + i).loadUnaligned(as: UInt64.self)
        words.withUnsafeBufferPointer { words in
            for k in from..<to {
                let w = words[k]
                guard head & w.mask == w.prefix else { continue }
                if w.covered == w.count || rest(of: w, in: t, count: n, at: i) { found(w.tag) }
            }
        }
    }

    /// Whether the bytes of `w` after its first `covered` occur in `t` from `i + covered`.
    private func rest(of w: Word, in t: UnsafePointer<UInt8>, count n: Int, at i: Int) -> Bool {
        storage.withUnsafeBufferPointer { s in
            var a = i + w.covered, b = w.start + w.covered
            let end = w.start + w.count
            while b < end {
                guard a < n else { return false }
                if spaceRuns && s[b] == 0x20 {
                    guard CommentCoder.isSpace(UInt32(t[a])) else { return false }
                    while a < n && CommentCoder.isSpace(UInt32(t[a])) { a += 1 }
                } else {
                    guard t[a] == s[b] else { return false }
                    a += 1
                }
                b += 1
            }
            return true
        }
    }
}
