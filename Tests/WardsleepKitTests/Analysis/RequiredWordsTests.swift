import Foundation
import Testing
@testable import WardsleepKit

/// The words a pattern cannot match without: only what is certain, and nothing for what is not understood.
@Suite struct RequiredWordsTests {
    @Test func theDefaultRequestsRequireTheirKeyWords() {
        #expect(RequiredWords.of(#"(checks|observations|obs)\b.{0,40}\b(come|came|brought|put|go) back"#)
                == [["checks", "obs", "observations"], ["brought back", "came back", "come back", "go back", "put back"]])
        #expect(RequiredWords.of(#"\b(stop|end|cancel)\b.{0,30}\bprotected sleep"#) == [["cancel", "end", "stop"], ["protected sleep"]])
        // A word that may end in a letter or not is required up to that letter; an optional group joins the text around it.
        #expect(RequiredWords.of(#"\bgo(ing)? back to\b.{0,30}\b(checks?|observations?|obs|hourly)\b"#)
                == [["go back to", "going back to"], ["check", "hourly", "obs", "observation"]])
        #expect(RequiredWords.of(#"\b(bring|put|have|get|want)\w*\b.{0,30}\b(checks?|observations?|obs)\b.{0,20}\bback\b"#)
                == [["bring", "get", "have", "put", "want"], ["check", "obs", "observation"], ["back"]])
        #expect(RequiredWords.of(#"\b(bring|put) back\b.{0,40}\b(checks|observations|obs)"#)
                == [["bring back", "put back"], ["checks", "obs", "observations"]])
        #expect(RequiredWords.of("(?i)Night Shift") == [["night shift"]])
        #expect(RequiredWords.of(#"ab+c\.txt"#) == [["c.txt"]])
    }

    @Test func whatIsNotUnderstoodClaimsNothing() {
        for p in [#"(\w+) \1"#, "(?<x>night)mare", #"\Qa.b\E"#, "(?x) n i g h t", "night|day", "(?#note)night", #"\x41bc"#,
                  "[[a-z]&&[^q]]night", "(?i:night)", "caf\u{E9}", "night{0,1}mare", "(night)?", "(abc){0,2}xyz"] {
            let sets = RequiredWords.of(p)
            #expect(sets.allSatisfy { $0.allSatisfy { $0.count >= 3 } }, "\(p)")
        }
        #expect(RequiredWords.of(#"(\w+) \1"#).isEmpty && RequiredWords.of("night|day").isEmpty && RequiredWords.of("(?x)abc").isEmpty)
        // Extended mode or quoting inside a group still reaches what follows it.
        #expect(RequiredWords.of("(a(?x))protected sleep").isEmpty && RequiredWords.of(#"(\Q)\E)night"#).isEmpty)
        #expect(RequiredWords.of("(night)?mare") == [["mare", "nightmare"]] && RequiredWords.of("(abc){0,2}xyz") == [["xyz"]])
        #expect(RequiredWords.of("nigh?t") == [["nig"]])
        // A group that may repeat ends the text it joins; one known only by its start ends it too.
        #expect(RequiredWords.of("x(abc)+yz") == [["xabc"]] && RequiredWords.of("sleep (walk|talk)s?ing") == [["sleep talk", "sleep walk"], ["ing"]])
        #expect(RequiredWords.of("(ab(c|d)|xyz)") == [["ab", "d", "xyz"]].filter { $0.allSatisfy { $0.count >= 3 } })
        // Past sixteen alternatives, the run ends where it is and starts again.
        #expect(RequiredWords.of("(aaa|bbb|ccc|ddd|eee)(fff|ggg|hhh|iii)(jjj|kkk)") == [["aaa", "bbb", "ccc", "ddd", "eee"],
            ["fff", "ggg", "hhh", "iii"].flatMap { a in ["jjj", "kkk"].map { a + $0 } }])
    }

    /// Random patterns over random ASCII texts: whenever the pattern matches (any case), every required set has a
    /// word in the lower-cased text.
    @Test func aMatchAlwaysHasTheRequiredWords() throws {
        let atoms = ["abc", "ab", "a", "b", "c", "x", " ", ".", #"\b"#, #"\w"#, #"\s"#, "[abc]", "[^a]", "(abc|bca|cab)", "(?:ab|abc)",
                     "(a|b)", "(?i)", "(?=ab)", "(?!c)", #"\."#, "(ab(c|x)+)", "xyz", "(abcs?|bca+|cabx*)", "(ab{1}c|xy{0,2}z)",
                     "(abc|b)", "(a c|x\\|y)", "(ab[cx]|zz)", "(xyz|abc)?", "(ab|c)+"]
        let quantifiers = ["", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,}", "??", "+?"]
        let letters = Array("abcxyzABCXYZ .")
        var random = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<400 {
            let pattern = (0..<Int.random(in: 1...5, using: &random)).map { _ in
                let a = atoms.randomElement(using: &random)!
                return a == "(?i)" ? a : a + quantifiers.randomElement(using: &random)!
            }.joined()
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { continue }
            let sets = RequiredWords.of(pattern)
            for _ in 0..<60 {
                let text = String((0..<Int.random(in: 0...14, using: &random)).map { _ in letters.randomElement(using: &random)! })
                guard regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil else { continue }
                checked += 1
                let lower = text.lowercased()
                #expect(sets.allSatisfy { $0.contains { lower.contains($0) } }, "\(pattern) matched \(text.debugDescription) without \(sets)")
            }
        }
        #expect(checked > 1_000)
    }
}
