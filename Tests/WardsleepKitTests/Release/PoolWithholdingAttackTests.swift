import Foundation
import Testing
@testable import WardsleepKit

/// A pooled report beside a trust's own report. The trust's report withholds a ward's 8 (shown as `*`) so that its study
/// total of 12 (shown 10) and four wards of 1 give nothing back; a pooled report that showed that ward as 10 would
/// pin the four again. The aggregate carries what the trust's report withheld, and the pooled report withholds it too.
extension DisclosureAttackTests {
    @Test func aPooledReportKeepsWhatATrustsReportWithheld() throws {
        let dir = TempFolder()
        // Trust A: the probe's pattern (violence 8 on W1 and 1 on W2–W5 in the 2018 months); trust B: larger counts.
        let a = try threeMonthStudy(dir, wards: 5, name: "a", arguments: ["--share"], environment: ["WARDSLEEP_KEY": "trust-a-key-0123456789"]) { year, month, w in
            let violence = year == 2018 ? (w == 1 ? 8 : 1) : (w == 1 ? 20 : 10)
            func share(_ total: Int) -> Int { total / 3 + (month <= total % 3 ? 1 : 0) }
            return [("Falls", share(30)), ("Violence", share(violence))]
        }
        let b = try threeMonthStudy(dir, wards: 3, name: "b", arguments: ["--share"], environment: ["WARDSLEEP_KEY": "trust-b-key-0123456789"]) { _, _, _ in
            [("Falls", 12), ("Violence", 9)]
        }
        // Trust A's own report withholds W1's violence in the baseline, and its aggregate says so.
        let own = try table(a + "/tables/incidents.csv")
        #expect(own.first { $0["ward"] == "W1" && $0["category"] == "Violence" && $0["window"] == "24h" }?["baseline_events"] == "*")
        let aggregate = try String(contentsOfFile: a + "/restricted/aggregate.json", encoding: .utf8)
        #expect(aggregate.contains("\"withheld\""), "the aggregate does not list what the trust's report withheld")
        let out = dir.path + "/pooled"
        let pool = try runWardsleep(["pool", a + "/restricted/aggregate.json", b + "/restricted/aggregate.json", "--out", out, "--unsuppressed"])
        #expect(pool.status == 0, "\(pool.err)")
        let strata = try table(out + "/tables/pooled_strata.csv"), exactStrata = try table(out + "/restricted/tables/pooled_strata.csv")
        func key(_ r: [String: String]) -> String { "\(r["trust"]!)|\(r["ward"]!)|\(r["category"]!)|\(r["window"]!)" }
        let trustA = strata.first { $0["category"] == "Violence" && $0["ward"] == "1" && $0["baseline_events"] != nil }!["trust"]!
        #expect(strata.first { $0["trust"] == trustA && $0["ward"] == "1" && $0["category"] == "Violence" && $0["window"] == "24h" }?["baseline_events"] == "*",
                "the pooled report shows what trust A's report withheld")
        try attackPool(out)
        // The attacker's families: each trust's total against its wards (pooled report), trust A's study row against its
        // wards (its own report), all against the categories; every `*` narrowed through all of them at once.
        var shown: [String: String] = [:], exact: [String: Int] = [:]
        var families: [(total: String, parts: [String])] = []
        let trusts = try table(out + "/tables/pooled_trusts.csv"), exactTrusts = try table(out + "/restricted/tables/pooled_trusts.csv")
        for period in ["baseline", "pilot"] {
            let column = "\(period)_events"
            for r in strata { shown["s|\(key(r))|\(period)"] = r[column]! }
            for r in exactStrata { exact["s|\(key(r))|\(period)"] = Int(r[column]!)! }
            for r in trusts { shown["t|\(r["trust"]!)|\(r["category"]!)|\(r["window"]!)|\(period)"] = r[column]! }
            for r in exactTrusts { exact["t|\(r["trust"]!)|\(r["category"]!)|\(r["window"]!)|\(period)"] = Int(r[column]!)! }
            for r in own where r["scope"] == "study" {
                let k = "own|\(r["category"]!)|\(r["window"]!)|\(period)"
                shown[k] = r[column]!
                exact[k] = try table(a + "/restricted/tables/incidents.csv").first { $0["scope"] == "study" && $0["category"] == r["category"] && $0["window"] == r["window"] }
                    .flatMap { Int($0[column]!) }
            }
            for r in trusts {
                let parts = strata.filter { $0["trust"] == r["trust"] && $0["category"] == r["category"] && $0["window"] == r["window"] }
                families.append(("t|\(r["trust"]!)|\(r["category"]!)|\(r["window"]!)|\(period)", parts.map { "s|\(key($0))|\(period)" }))
                if r["trust"] == trustA {
                    families.append(("own|\(r["category"]!)|\(r["window"]!)|\(period)", parts.map { "s|\(key($0))|\(period)" }))
                }
            }
        }
        attackFamilies(shown, families, exact: exact, "pooled report beside trust A's")
    }

    /// Trusts with different policies: trust A rounds to 5 and suppresses 1–7 (W1 1, W2 13, study 14: `*`, 15, 15); trust
    /// B rounds to 10 and suppresses 1–10. Shown in the pool under B's policy, A's W2 and total were 10 (11–14), which
    /// beside A's 15s (13–17) left both 13 or 14, and total = W1 + W2 gave W1 = 1. The pool shows A's counts as A's report
    /// does, so it adds nothing to it.
    @Test func trustsWithDifferentPoliciesGiveNothingBackTogether() throws {
        let dir = TempFolder()
        let a = try threeMonthStudy(dir, wards: 2, name: "a", arguments: ["--share"], environment: ["WARDSLEEP_KEY": "trust-a-key-0123456789"]) { year, month, w in
            year == 2018 ? (month == 1 ? [("Falls", w == 1 ? 1 : 13)] : []) : [("Falls", 10)]
        }
        let b = try threeMonthStudy(dir, wards: 3, name: "b", arguments: ["--share"], environment: ["WARDSLEEP_KEY": "trust-b-key-0123456789"],
                                    yaml: "disclosure: { suppress_at_or_below: 10, round_to: 10 }\n") { _, _, _ in [("Falls", 15)] }
        let out = dir.path + "/pooled"
        let pool = try runWardsleep(["pool", a + "/restricted/aggregate.json", b + "/restricted/aggregate.json", "--out", out, "--unsuppressed"])
        #expect(pool.status == 0, "\(pool.err)")
        let own = try table(a + "/tables/incidents.csv").filter { $0["category"] == "Falls" && $0["window"] == "24h" }
        let strata = try table(out + "/tables/pooled_strata.csv").filter { $0["category"] == "Falls" && $0["window"] == "24h" && $0["trust"] == "Test a" }
        let total = try table(out + "/tables/pooled_trusts.csv").first { $0["category"] == "Falls" && $0["window"] == "24h" && $0["trust"] == "Test a" }
        // Each count as trust A's report shows it (the study row: every ward has exposure in both periods).
        #expect(total?["baseline_events"] == own.first { $0["scope"] == "study" }?["baseline_events"])
        for w in ["1", "2"] {
            let pooled = strata.first { $0["ward"] == w }?["baseline_events"]
            #expect(pooled == own.first { $0["ward"] == "W\(w)" }?["baseline_events"], "W\(w): the pool shows \(pooled ?? "nothing")")
        }
        var shown = ["own": own.first { $0["scope"] == "study" }!["baseline_events"]!, "total": total!["baseline_events"]!]
        for w in ["1", "2"] { shown["w\(w)"] = strata.first { $0["ward"] == w }!["baseline_events"]! }
        attackFamilies(shown, [(total: "own", parts: ["w1", "w2"]), (total: "total", parts: ["w1", "w2"])],
                       exact: ["own": 14, "total": 14, "w1": 1, "w2": 13], "trust A's report beside the pool")
    }
}
