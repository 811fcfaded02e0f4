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
