import Testing
@testable import WardsleepKit

/// `ASCIIWordTable` finds, at each place of an ASCII text, exactly the words a plain comparison finds there: with the
/// pair filter in front, no word that occurs is passed over, whatever its length, its second byte or its spaces.
@Suite struct WordTableTests {
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// The word at `i` compared byte by byte (a space in it matching a run of white space when `spaceRuns`). Words are
    /// filed by their first byte, so a word's first byte is always compared as it is.
    static func occurs(_ w: [UInt8], in t: [UInt8], at i: Int, spaceRuns: Bool) -> Bool {
        guard i < t.count, t[i] == w[0] else { return false }
        var a = i
        for b in w {
            guard a < t.count else { return false }
            if spaceRuns && b == 0x20 {
                guard isSpace(t[a]) else { return false }
                while a < t.count && isSpace(t[a]) { a += 1 }
            } else {
                guard t[a] == b else { return false }
                a += 1
            }
        }
        return true
    }

    @Test func findsWhatAPlainComparisonFinds() {
        var random = SystemRandomNumberGenerator()
        let letters = Array("abcos ".utf8), text = Array("abcos \t\n\r.,'".utf8)
        for round in 0..<300 {
            let spaceRuns = round % 2 == 0
            var words: [[UInt8]] = [[UInt8(ascii: "a")], Array("o b".utf8), Array("ob".utf8), Array(" s".utf8), Array("s ".utf8),
                                    Array("cos".utf8), Array("abcdefghij".utf8)]
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                words.append((0..<Int.random(in: 1...10, using: &random)).map { _ in letters.randomElement(using: &random)! })
            }
            let original = ASCIIWordTable(words.enumerated().map { (word: $0.element.map(UInt32.init), tag: $0.offset) }, spaceRuns: spaceRuns)
            // A coder's own copy of a table (`copied`) finds what the table finds.
            let table = round % 4 < 2 ? original : original.copied()
            let t = (0..<Int.random(in: 0...60, using: &random)).map { _ in text.randomElement(using: &random)! }
            let padded = t + [UInt8](repeating: 0, count: 8)
            padded.withUnsafeBufferPointer { p in
                for i in 0..<t.count {
                    var found: [Int] = []
                    table.forEachWord(at: i, of: p.baseAddress!, count: t.count) { found.append($0) }
                    let expected = words.indices.filter { Self.occurs(words[$0], in: t, at: i, spaceRuns: spaceRuns) }
                    #expect(found.sorted() == expected, "\(String(decoding: t, as: UTF8.self).debugDescription) at \(i), spaceRuns \(spaceRuns)")
                }
            }
        }
    }
}
