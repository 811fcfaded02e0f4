import Foundation
import Testing
@testable import WardsleepKit

/// The default codebook catches the common phrasings: word order, plurals and inflections, and requests written
/// either way round ("bring the checks back").
@Suite struct CodebookPhrasingTests {
    let codebook = Codebook.standard()

    func themes(_ text: String) -> [String] {
        var coder = CommentCoder(codebook)
        let codes = coder.code(text)
        return codebook.themes.indices.filter { codes.contains($0) }.map { codebook.themes[$0].name }
            + codebook.requests.indices.filter { codes.contains(codebook.themes.count + $0) }.map { codebook.requests[$0].name }
    }

    @Test func requestsInEitherWordOrder() {
        #expect(themes("Please bring the checks back, I felt safer").contains("restore_checks"))
        #expect(themes("Can we have the hourly observations back?").contains("restore_checks"))
        #expect(themes("I want the obs brought back").contains("restore_checks"))
        #expect(themes("The checks should be reinstated").contains("restore_checks"))
        #expect(themes("We should go back to hourly checks").contains("restore_checks"))
        #expect(themes("Scrap protected sleep, it is not safe").contains("stop_protected_sleep"))
        #expect(!themes("The checks woke me up").contains("restore_checks"))
    }

    @Test func themesInEitherWordOrderAndPlural() {
        #expect(themes("I had a better sleep than at home").contains("sleep_quality"))
        #expect(themes("Slept well for once").contains("sleep_quality"))
        #expect(themes("The doors banging all night").contains("noise"))
        #expect(themes("Nobody woke me in the night").contains("being_checked"))
        #expect(themes("The night lights are too bright").contains("light"))
        #expect(themes("My meds at 10pm help").contains("medication"))
    }

    /// On an ASCII comment a pattern is searched only when its required words occur in its order: "get back to sleep
    /// after the checks" holds "checks" and " back", but not in the order of the request's first pattern; "get",
    /// "check" and "back", but not in the order of its fourth; and not "go back to", which its sixth needs. So no
    /// pattern is searched. "go back to sleep, not be checked" holds the sixth's words in order, so it is searched,
    /// and does not match ("checked" is not "check" or "checks").
    @Test func aPatternIsSearchedOnlyWhenItsWordsOccurInOrder() {
        var coder = CommentCoder(codebook)
        let restore = codebook.themes.count + codebook.requests.firstIndex { $0.name == "restore_checks" }!
        #expect(!coder.code("I can't get back to sleep after the checks.").contains(restore))
        #expect(coder.searches == 0)
        #expect(coder.code("Could the hourly checks come back for my father?").contains(restore))
        #expect(coder.searches == 1)  // the first pattern, which matches
        #expect(!coder.code("I want to go back to sleep, not be checked.").contains(restore))
        #expect(coder.searches == 2)
        #expect(!coder.code("A calm night, nothing else.").contains(restore))
        #expect(coder.searches == 2)
    }

    /// The coder against the plain reading of the codebook (each keyword tried at every word start of the lower-cased
    /// comment, each pattern searched on its own) on random comments: ASCII and not, keywords in and out of words,
    /// runs of white space inside phrases, and patterns that refer to their own groups.
    @Test func theCoderAgreesWithThePlainReading() throws {
        let own = try Codebook.parse("""
            themes:
              food: { label: Food, keywords: [breakfast, "café", "İce", "cup of tea"] }
              echo: { patterns: ['\\b(\\w+) \\1\\b', '(?<x>night)mare'] }
              cased: { patterns: ['(?-i)Night', 'shh'] }
            requests:
              quiet_please: { patterns: ['quiet\\s+please', '\\bshh+\\b'] }
            """, file: "own.yaml")
        let codebook = Codebook.standard().merged(with: own)
        let entries = codebook.themes + codebook.requests
        func reference(_ text: String) -> [Bool] {
            let t = Array(text.lowercased().unicodeScalars)
            func isWord(_ u: Unicode.Scalar) -> Bool { u.isASCII ? (u.properties.isAlphabetic || ("0"..."9").contains(u)) : u.properties.isAlphabetic }
            func isSpace(_ u: Unicode.Scalar) -> Bool { u.isASCII ? [" ", "\t", "\n", "\r"].contains(u) : u.properties.isWhitespace }
            func occurs(_ w: [Unicode.Scalar], _ i: Int) -> Bool {
                var a = i, b = 0
                while b < w.count {
                    guard a < t.count else { return false }
                    if w[b] == " " {
                        guard isSpace(t[a]) else { return false }
                        while a < t.count && isSpace(t[a]) { a += 1 }
                    } else {
                        guard t[a] == w[b] else { return false }
                        a += 1
                    }
                    b += 1
                }
                return true
            }
            return entries.map { e in
                let byWord = e.wordScalars.contains { w in t.indices.contains { i in (i == 0 || !isWord(t[i - 1])) && occurs(w, i) } }
                return byWord || e.matchers.contains { $0.regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
            }
        }
        let pieces = ["check", "checks", "rechecked", "obs", "bring", "back", "the", "protected sleep", "stop", "noise", "cup",
                      "of", "tea", "CUP  OF\tTEA", "café", "CAFÉ", "İce", "ice", "night", "Night", "NIGHT", "nightmare", "very very", "shhh",
                      "quiet", "please", "2am", "x9", "é", "-", ",", ".", "!", "\n", "  ", "\u{00A0}", "ﬁne", "Straße", "woke me",
                      "put", "get", "come", "go", "going back to", "hourly", "restore", "reinstated", "observations", "end", "scrap"]
        var random = SystemRandomNumberGenerator()
        var coder = CommentCoder(codebook)
        for _ in 0..<3_000 {
            let n = Int.random(in: 0...12, using: &random)
            let text = (0..<n).map { _ in pieces.randomElement(using: &random)! }
                .joined(separator: [" ", "", "  ", "\t"].randomElement(using: &random)!)
            let codes = coder.code(text)
            #expect(entries.indices.map(codes.contains) == reference(text), "coded differently: \(text.debugDescription)")
            #expect(codes.isEmpty == !reference(text).contains(true), "any differs: \(text.debugDescription)")
        }
    }

    /// A coder copied to other threads (as each chunk's normaliser is) codes there with tables of its own, and gives
    /// every comment the codes one coder on one thread gives it.
    @Test func copiesOfACoderOnOtherThreadsCodeAlike() {
        let comments = ["Could the hourly checks come back for my father?", "I can't get back to sleep after the checks.",
                        "The torch woke me every hour", "Please put the obs back", "Stop protected sleep now", "Café noise",
                        "A calm night, nothing else.", "We give a lot of PRN sleeping tablets on nights."]
        let compiled = CompiledCodebook(codebook)
        var single = CommentCoder(compiled)
        let expected = comments.map { single.code($0) }
        let prototype = UncheckedBox(CommentCoder(compiled))  // as each chunk's normaliser is handed to its thread
        final class Results: @unchecked Sendable { var byThread = [[CommentCodes]](repeating: [], count: 4) }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            var coder = prototype.value
            var codes: [CommentCodes] = []
            for round in 0..<200 { codes.append(coder.code(comments[(round + t) % comments.count])) }
            results.byThread[t] = codes
        }
        for t in 0..<4 {
            for (round, codes) in results.byThread[t].enumerated() {
                #expect(codes == expected[(round + t) % comments.count], "thread \(t), round \(round)")
            }
        }
    }
}
