import Foundation
import Testing
@testable import WardsleepKit

/// Incidents with no recorded time, which the safety section and results.json publish, are outside the protected
/// window: with the incidents inside it, on every ward in both periods, they are at most all incidents over 24 hours.
/// An attacker who knows that narrows the protected-window counts from above.
extension DisclosureAttackTests {
    /// One ward, one category, in each period 4 incidents with no time and 8 in the protected window: 12 over 24 hours
    /// (shown 10, so at most 12), 8 in the window (shown 10, at least 8), and 8 with no time in all (shown 10, at least 8).
    /// The parts' least, 8 + 8 + 8, is the totals' most, 12 + 12: published as they were, every one of those rounded
    /// counts came back exactly.
    @Test func incidentsWithoutATimeGiveNothingBack() throws {
        let dir = TempFolder()
        dir.write("study/study.yaml", threeMonthYAML(wards: 1) + """
            exports:
              occupancy: { file: occupancy.csv }
              incidents: { file: incidents.csv }

            """)
        var occupancy = "date,ward,occupied_beds\n", rows = "id,date,time,ward,category\n", n = 0
        for year in [2018, 2019] { for month in 1...3 { for day in 1...28 { occupancy += "\(day)/\(month)/\(year),W1,15\n" } } }
        func add(_ count: Int, year: Int, time: String) {
            for k in 0..<count { n += 1; rows += "I\(n),\(1 + k % 28)/\(1 + k % 3)/\(year),\(time),W1,Falls\n" }
        }
        for year in [2018, 2019] { add(4, year: year, time: ""); add(8, year: year, time: "02:00") }
        let out = try runAttackStudy(dir, ["occupancy.csv": occupancy, "incidents.csv": rows])

        let exactRows = try table(out + "/restricted/tables/incidents.csv")
        #expect(exactRows.contains { $0["ward"] == "W1" && $0["window"] == "protected" && $0["category"] == "all" && $0["baseline_events"] == "8" },
                "\(exactRows)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))) as! [String: Any]
        let exactJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/restricted/results.json"))) as! [String: Any]
        func untimed(_ j: [String: Any]) -> String {
            let v = (j["safety"] as? [String: Any])?["incidents_without_time"]
            return (v as? NSNumber).map { "\($0.intValue)" } ?? (v as? String) ?? ""
        }
        #expect(untimed(exactJSON) == "8")
        let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        #expect(summary.contains("\(untimed(json)) incidents in the periods had no recorded time"), "\(untimed(json))")

        // The attacker: every count of the incidents table, the count with no time, and the relation among them.
        func key(_ r: [String: String], _ period: String) -> String { "\(r["ward"]!)|\(r["category"]!)|\(r["window"]!)|\(period)" }
        var shown: [String: String] = ["untimed": untimed(json)], exact: [String: Int] = ["untimed": 8]
        let published = try table(out + "/tables/incidents.csv")
        for period in ["baseline", "pilot"] {
            for r in published { shown[key(r, period)] = r["\(period)_events"]! }
            for r in exactRows { exact[key(r, period)] = Int(r["\(period)_events"]!) }
        }
        let wardAll = published.filter { $0["scope"] == "ward" && $0["category"] == "all" }
        let totals = wardAll.filter { $0["window"] == "24h" }.flatMap { r in ["baseline", "pilot"].map { key(r, $0) } }
        let parts = ["untimed"] + wardAll.filter { $0["window"] == "protected" }.flatMap { r in ["baseline", "pilot"].map { key(r, $0) } }
        // The table's own sums and bounds, as the other attacks take them: the study is its one ward, `all` its one category.
        var sums: [(total: String, parts: [String])] = [], bounds: [(total: String, parts: [String])] = []
        for period in ["baseline", "pilot"] {
            for r in published where r["scope"] == "study" {
                var w = r; w["ward"] = "W1"; w["scope"] = "ward"
                sums.append((key(r, period), [key(w, period)]))
            }
            for r in published where r["category"] == "all" {
                var c = r; c["category"] = "Falls"
                sums.append((key(r, period), [key(c, period)]))
                if r["window"] == "protected" { var d = r; d["window"] = "24h"; bounds.append((key(d, period), [key(r, period)])) }
            }
        }
        sums = sums.filter { f in shown[f.total] != nil && f.parts.allSatisfy { shown[$0] != nil } }
        for small in [false, true] {
            var known = narrowed(shown, sums: sums, bounds: bounds, starsSmall: small)
            guard !known.isEmpty else { continue }
            // The parts add up to at most the totals: each part at most the totals' most less the other parts' least.
            for _ in 0..<20 {
                let totalsHi = totals.reduce(0) { min(Int.max / 4, $0 + known[$1]!.hi) }
                let partsLo = parts.reduce(0) { $0 + known[$1]!.lo }
                for p in parts where totalsHi < Int.max / 4 {
                    known[p]!.hi = min(known[p]!.hi, totalsHi - (partsLo - known[p]!.lo))
                }
                known = narrowed(known.mapValues { "\($0.lo)..\($0.hi)" }, sums: sums, bounds: bounds, starsSmall: small)
                if known.isEmpty { break }
            }
            expectNothingPinned(shown, known, exact: exact, "incidents with no recorded time")
        }
    }
}
