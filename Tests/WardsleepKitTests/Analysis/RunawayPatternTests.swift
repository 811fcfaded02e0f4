import Foundation
import Testing
@testable import WardsleepKit

/// A codebook is the study's own text: a pattern that backtracks without end on some comment must stop the run with a
/// message naming it, not hang it.
@Suite struct RunawayPatternTests {
    /// The coder stops a search past its budget, matches nothing more, and names the entry.
    @Test func aSearchPastItsBudgetIsStoppedAndNamed() throws {
        let codebook = try Codebook.parse("themes:\n  evil: { label: Evil, patterns: ['(a+)+$'] }\n  calm: { label: Calm, keywords: [calm] }\n",
                                          file: "cb.yaml")
        let compiled = CompiledCodebook(codebook)
        var coder = CommentCoder(compiled)
        #expect(coder.code("aaaa").contains(0))  // a quick match
        try compiled.checkPatterns()
        #expect(!coder.code(String(repeating: "a", count: 40) + "!").contains(0))  // 2^40 ways to split the run of a's
        #expect(throws: ConfigurationError.self) { try compiled.checkPatterns() }
        do { try compiled.checkPatterns() } catch let e as ConfigurationError {
            #expect(e.file == "cb.yaml" && e.keyPath == "themes.evil.patterns" && e.message.contains("rewrite it: \"(a+)+$\""), "\(e)")
        }
        // Keywords still code; patterns run no more.
        let after = coder.code("a calm night, aaaa")
        #expect(after.contains(1) && !after.contains(0))
    }

    /// Every thread reading feedback codes with its own coder against one compiled codebook: once a pattern has run
    /// past the budget on one of them, the others run no pattern either (each would otherwise spend the budget again
    /// on its own chunk of the export), and a tally over that codebook reports it.
    @Test func aRunawayOnOneThreadStopsThePatternsOnEvery() throws {
        let codebook = try Codebook.parse("themes:\n  evil: { label: Evil, patterns: ['(a+)+$'] }\n  calm: { label: Calm, keywords: [calm] }\n",
                                          file: "cb.yaml")
        let compiled = CompiledCodebook(codebook)
        var one = CommentCoder(compiled), other = CommentCoder(compiled)
        #expect(other.code("aaaa").contains(0))
        _ = one.code(String(repeating: "a", count: 40) + "!")
        #expect(compiled.runaway?.name == "evil")
        let clock = ContinuousClock(), start = clock.now
        #expect(!other.code(String(repeating: "a", count: 40) + "!").contains(0))
        #expect(clock.now - start < .milliseconds(500), "the second coder searched the runaway pattern again")
        #expect(other.code("calm").contains(1))
        #expect(throws: ConfigurationError.self) { try FeedbackTally(compiledCodebook: compiled).checkPatterns() }
        // A coder over its own compilation of the same codebook is not stopped.
        var own = CommentCoder(codebook)
        #expect(own.code("aaaa").contains(0))
    }

    /// Read on 4 threads in chunks of a row or two, an export whose every comment sends the pattern past its budget
    /// costs about one budget per thread, not one per chunk: the first runaway stops the patterns of every worker's
    /// coder. (Each of the 120 chunks spending the budget would take 30 s on 4 threads.)
    @Test func aRunawayInOneWorkerStopsThemAll() throws {
        let dir = TempFolder()
        let study = try StudyLoader.load(folder: packageRoot() + "/data/sample")
        let spec = study.exports[.feedback]
        var csv = "Response ID,Respondent,Stage,Date,Ward,Rating,Comment\n"
        for i in 0..<120 { csv += "FB\(i),Patient,after,24/06/2019,A1,4,\(String(repeating: "a", count: 40))!\n" }
        let path = dir.write("feedback.csv", csv)
        let codebook = try Codebook.parse("themes:\n  evil: { label: Evil, patterns: ['(a+)+$'] }\n", file: "cb.yaml")
        let compiled = CompiledCodebook(codebook)
        let context = NormaliseContext(study: study, pseudonymiser: nil, commentCodebook: compiled)
        var n = FeedbackNormaliser(context: context, spec: spec)
        let tally = FeedbackTally(compiledCodebook: compiled)
        let clock = ContinuousClock(), start = clock.now
        let t = try ExportIngest.read(path: path, spec: spec, normaliser: &n, problems: ProblemLog(), threads: 4, chunkBytes: 97,
                                      consume: tally.feedback)
        #expect(clock.now - start < .seconds(15), "each chunk spent the budget")
        #expect(t.accepted == 120)
        #expect(throws: ConfigurationError.self) { try tally.checkPatterns() }
    }

    /// A pattern of a plain shape is still searched under the budget on a long comment: `.*.{0,999}x` is polynomial,
    /// but on 1,500 characters without an x it takes far longer than the budget.
    @Test func aLongCommentIsSearchedUnderTheBudgetWhateverThePattern() throws {
        #expect(!BacktrackingRisk.isRisky(#".*.{0,999}x"#))
        let codebook = try Codebook.parse("themes:\n  slow: { label: Slow, patterns: ['.*.{0,999}x'] }\n", file: "cb.yaml")
        let compiled = CompiledCodebook(codebook)
        var coder = CommentCoder(compiled)
        #expect(coder.code(String(repeating: "a", count: 20) + "x").contains(0))
        _ = coder.code(String(repeating: "a", count: CompiledCodebook.longComment + 500))
        #expect(throws: ConfigurationError.self) { try compiled.checkPatterns() }
    }

    /// The shapes that backtrack out of proportion are searched under the budget; the default codebook's patterns, and
    /// patterns like them, are searched plainly.
    @Test func riskyShapesAreKnown() {
        for risky in [#"(a+)+$"#, #"(a*)*"#, #"(a|aa)+"#, #"(a|a)*b"#, #"(\w+\s?)+$"#, #"a*a*a*b"#, #".*x.*y"#, #"(x+x+)+y"#,
                      #"(.{0,200}){2,}"#, #".{0,200}.{0,200}"#, #"(a)\1"#, #"\Qa+\E"#, #"(?<name>a)b"#, #"(?:a|b)+c"#,
                      #"(very |really )+bad"#, #"((a)"#, #"a{0,99}a{0,99}a*b"#, String(repeating: "(?:a|a)", count: 40) + "b",
                      String(repeating: "(?:ab|a)", count: 20) + "c"] {
            #expect(BacktrackingRisk.isRisky(risky), "\(risky)")
        }
        let plain = Codebook.standard().themes.flatMap(\.patterns) + Codebook.standard().requests.flatMap(\.patterns)
            + [#"check(ed|s)? on me"#, #"\bwoke me\b"#, #"no .* at night"#, #"[a-z]+ing\b"#, #"[(+*]+ x"#, #"(?i)calm(er)?"#,
               #"\(checks?\)+"#, #"a{2}b{3}"#, String(repeating: "(?:bring|put|get) ", count: 12) + "back", #"((ab)+c)?"#, #"(?:checks?|obs)\b.{0,40}\bback"#]
        #expect(plain.count > 10)
        for p in plain { #expect(!BacktrackingRisk.isRisky(p), "\(p)") }
    }

    /// End to end: `validate` and `run` stop with exit 2 and the codebook's key, within the test's bound.
    @Test func validateAndRunStopWithAConfigurationError() throws {
        let dir = TempFolder()
        _ = try SampleStudy.write(to: dir.path)
        _ = dir.write("cb.yaml", "version: 1\nthemes:\n  evil:\n    label: Evil\n    patterns: ['(a+)+$']\n")
        let yaml = try String(contentsOfFile: dir.path + "/study.yaml", encoding: .utf8)
        _ = dir.write("study.yaml", yaml + "\nfeedback: { codebook: cb.yaml }\n")
        let feedback = try String(contentsOfFile: dir.path + "/feedback.csv", encoding: .isoLatin1)
        _ = dir.write("feedback.csv", bytes: Array((feedback + "FB9999,Visitor,during,25/07/2019,R1,2," + String(repeating: "a", count: 40) + "!\r\n")
            .data(using: .isoLatin1)!))
        let environment = ["WARDSLEEP_KEY": testKey]
        for arguments in [["validate", dir.path], ["run", dir.path, "--out", dir.path + "/out", "--ledger", dir.path + "/l.sqlite", "--quiet"]] {
            let r = try runWardsleep(arguments, environment: environment, timeout: 120)
            #expect(r.status == ExitStatus.configuration.rawValue, "\(arguments[0]): \(r.err)")
            #expect(r.err.contains("cb.yaml: themes.evil.patterns: a regular expression here took more than 1 s on one comment and was stopped"),
                    "\(r.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
    }
}
