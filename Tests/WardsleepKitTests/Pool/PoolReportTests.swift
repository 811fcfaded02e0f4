import Foundation
import Testing
@testable import WardsleepKit

@Suite(.serialized) struct PoolReportTests {
    let shared = SharedTrusts.five

    /// results.json `pooled`: one object per category × window with exactly the keys the report's readers script against.
    @Test func resultsJSONHasThePooledShape() throws {
        let dir = TempFolder()
        let r = try runWardsleep(["pool"] + shared.aggregates.prefix(3) + ["--out", dir.path + "/pooled"])
        #expect(r.status == 0, "\(r.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/pooled/results.json"))) as? [String: Any])
        let pooled = try #require(json["pooled"] as? [[String: Any]])
        #expect(pooled.count == 16, "8 categories × 2 windows")
        for m in pooled {
            #expect(Set(m.keys) == ["category", "window", "trusts", "mantel_haenszel", "fixed", "random"])
            let trusts = try #require(m["trusts"] as? [[String: Any]])
            #expect(trusts.count == 3 && trusts.allSatisfy { Set($0.keys) == ["name", "rate_ratio", "ci_lower", "ci_upper"] })
            #expect(Set((m["mantel_haenszel"] as? [String: Any] ?? [:]).keys) == ["rate_ratio", "ci_lower", "ci_upper"])
            #expect(Set((m["fixed"] as? [String: Any] ?? [:]).keys) == ["rate_ratio", "ci_lower", "ci_upper", "p"])
            #expect(Set((m["random"] as? [String: Any] ?? [:]).keys) == ["rate_ratio", "ci_lower", "ci_upper", "p", "tau2", "i2", "q", "q_p"])
        }
        let all = try #require(pooled.first)
        #expect(all["category"] as? String == "all" && all["window"] as? String == "24h")
        #expect((all["mantel_haenszel"] as? [String: Any])?["rate_ratio"] is NSNumber, "published: every ward count of all incidents is large")
        #expect((all["trusts"] as? [[String: Any]])?.first?["name"] as? String == "Example Mental Health NHS Foundation Trust (seed 1)")
    }

    /// Each trust's counts are shown under its own policy, as its own report shows them: under another rounding, a
    /// count shown 12 by a trust rounding to 3 (11–13) and 15 by a pool rounding to 5 (13–17) was exactly 13. The strictest
    /// policy judges the pooled totals only.
    @Test func eachTrustsCountsAreShownUnderItsOwnPolicy() throws {
        var trusts = try shared.trusts([1, 2])
        trusts[1].aggregate.disclosure = DisclosurePolicy(suppressAtOrBelow: 10, roundTo: 3)
        #expect(PoolAnalysis.strictest(trusts) == DisclosurePolicy(suppressAtOrBelow: 10, roundTo: 5))
        let r = PoolAnalysis.analyse(trusts, style: .published(PoolAnalysis.strictest(trusts)))
        let death = try #require(r.measures.first { $0.category == "death" })
        #expect(death.trusts[1].pilot == nil, "9 is at or below trust 2's threshold of 10")
        let exact = PoolAnalysis.analyse(trusts, style: .exact)
        for (m, e) in zip(r.measures, exact.measures) {
            for (s, x) in zip(m.strata, e.strata) {
                let policy = trusts[s.trust].aggregate.disclosure
                for (shown, n) in [(s.baseline, x.baseline!), (s.pilot, x.pilot!)] where shown != nil {
                    #expect(shown == Disclosure.publish(n, policy: policy).number, "\(m.category) trust \(s.trust + 1) ward \(s.ward): \(n) shown \(shown!)")
                }
            }
        }
    }

    @Test func theSummaryStatesEachEstimateOrWhyItIsWithheld() throws {
        let r = PoolAnalysis.analyse(try shared.trusts([1, 2, 3, 4, 5]), style: .published(DisclosurePolicy()))
        let md = PoolSummary.build(r, generated: nil).markdown
        #expect(md.hasPrefix("# Pooled evaluation of protected sleep: 5 trusts\n\n"))
        #expect(md.contains("Mantel–Haenszel over 35 wards of 5 trusts: rate ratio "))
        #expect(md.contains("### death over 24 hours\n\nMantel–Haenszel: withheld — a ward's count is a small number (suppressed), so no pooled "
                            + "estimate is published.\n\nFixed and random effects: withheld — a trust's count is a small number (suppressed), "
                            + "so the trusts' rate ratios are not pooled.\n\n"))
        #expect(md.contains("| All trusts | pharmacy issues | "))
        #expect(!md.contains("Restricted"))
    }

    /// Names and categories come from other organisations' files: in every output they stay text, never markup, a link,
    /// a formula or a control character.
    @Test func labelsFromAggregatesStayInert() throws {
        let dir = TempFolder()
        let hostile = InertOutputTests.script + " " + InertOutputTests.breakout + " " + InertOutputTests.link + " \u{0001}=1+1"
        var files: [String] = []
        for (i, name) in [hostile, "=HYPERLINK(\"http://e\")"].enumerated() {
            var a = try shared.trusts([i + 1])[0].aggregate
            a.organisation = name
            a.categories = a.categories.map { $0 == "awol" ? "=cmd|' /C calc'!A0 <b>" : $0 }
            for w in a.wards.indices {
                for c in a.wards[w].incidents.indices where a.wards[w].incidents[c].category == "awol" { a.wards[w].incidents[c].category = "=cmd|' /C calc'!A0 <b>" }
            }
            files.append(dir.write("trust-\(i).json", a.rendered()))
        }
        let r = try runWardsleep(["pool"] + files + ["--out", dir.path + "/pooled", "--unsuppressed"])
        #expect(r.status == 0, "\(r.err)")
        #expect(!r.out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let out = dir.path + "/pooled"
        let paths = try FileManager.default.subpathsOfDirectory(atPath: out).filter { $0.contains(".") }
        for path in paths {
            let data = try Data(contentsOf: URL(fileURLWithPath: out + "/" + path))
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(path) has a control character")
            if path.hasSuffix(".svg") || path.hasSuffix(".html") {
                let doc = try #require(InertOutputTests.parse(data), "\(path) is not well-formed XML")
                for element in ["script", "img", "image", "a", "b", "iframe"] { #expect(!doc.elements.contains(element), "\(path) has <\(element)>") }
                #expect(!doc.attributes.contains { $0.name.lowercased().hasPrefix("on") }, "\(path) has a handler")
            }
            if path.hasSuffix(".csv") {
                for line in text.split(separator: "\n") {
                    for start in ["=", "\"="] { #expect(!line.hasPrefix(start) && !line.contains("," + start), "\(path): a formula in \(line)") }
                }
            }
            if path.hasSuffix(".md") {
                // Escaped characters (`\<`, `\[`) are text; what is left may not form markup or a link.
                let unescaped = text.replacingOccurrences(of: #"\\."#, with: "_", options: .regularExpression)
                #expect(!unescaped.contains("](javascript") && !unescaped.contains("<script") && !unescaped.contains("<b>"), "\(path) has markup")
                #expect(text.contains(#"\<script\>alert(1)\</script\>"#))
            }
        }
        #expect(paths.contains("charts/forest-3.svg") && paths.contains("tables/pooled_trusts.csv"))
    }
}
