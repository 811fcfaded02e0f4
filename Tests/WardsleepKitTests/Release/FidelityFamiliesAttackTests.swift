import Foundation
import Testing
@testable import WardsleepKit

/// The attack on fidelity: each count of the all-wards row of `fidelity.csv` is its wards' counts in the period; a
/// fidelity p-chart's months add up to its ward's (or all wards') protected nights without a routine check (numerators)
/// and protected nights (denominators); the all-wards chart's month is its wards' charts' month. Narrowed all at once
/// (`narrowed`); no `*` may come out as a single value.
extension DisclosureAttackTests {
    func attackFidelityFamilies(_ out: String) throws {
        guard FileManager.default.fileExists(atPath: out + "/tables/fidelity.csv") else { return }
        let counts = ["protected_nights", "protected_nights_without_routine_check", "routine_checks_on_protected_nights",
                      "clinical_need_checks_on_protected_nights", "enhanced_checks_on_protected_nights", "checks_in_window",
                      "checks_without_plan"]
        var shown: [String: String] = [:], exactText: [String: String] = [:]
        var families: [(total: String, parts: [String])] = []
        func read(_ rows: [[String: String]], _ spc: [[String: String]], into values: inout [String: String]) {
            for r in rows { for c in counts { values["\(r["ward"]!)|\(r["period"]!)|\(c)"] = r[c]! } }
            for r in spc where r["chart"]!.hasPrefix("Protected nights with no routine check, ") {
                values["\(r["chart"]!)|\(r["interval"]!)|n"] = r["numerator"]!
                values["\(r["chart"]!)|\(r["interval"]!)|d"] = r["denominator"]!
            }
        }
        let rows = try table(out + "/tables/fidelity.csv"), spc = (try? table(out + "/tables/spc.csv")) ?? []
        read(rows, spc, into: &shown)
        if let exactRows = try? table(out + "/restricted/tables/fidelity.csv") {
            read(exactRows, (try? table(out + "/restricted/tables/spc.csv")) ?? [], into: &exactText)
        }
        let exact = exactText.compactMapValues { Double($0).map { Int($0) } }
        let wards = Set(rows.map { $0["ward"]! }).subtracting(["all"])
        for period in ["baseline", "pilot"] {
            for c in counts { families.append(("all|\(period)|\(c)", wards.map { "\($0)|\(period)|\(c)" })) }
        }
        let charts = Set(spc.map { $0["chart"]! }.filter { $0.hasPrefix("Protected nights with no routine check, ") })
        for chart in charts {
            let scope = String(chart.dropFirst("Protected nights with no routine check, ".count))
            let ward = scope.hasPrefix("ward ") ? String(scope.dropFirst(5)) : "all"
            for period in ["baseline", "pilot"] {
                let months = spc.filter { $0["chart"] == chart && $0["phase"] == period }.map { "\(chart)|\($0["interval"]!)" }
                guard !months.isEmpty else { continue }
                families.append(("\(ward)|\(period)|protected_nights_without_routine_check", months.map { $0 + "|n" }))
                families.append(("\(ward)|\(period)|protected_nights", months.map { $0 + "|d" }))
            }
        }
        if let all = charts.first(where: { !$0.contains(", ward ") }) {
            for month in Set(spc.filter { $0["chart"] == all }.map { $0["interval"]! }) {
                let parts = charts.filter { $0 != all }.map { "\($0)|\(month)" }.filter { shown[$0 + "|n"] != nil }
                families.append(("\(all)|\(month)|n", parts.map { $0 + "|n" }))
                families.append(("\(all)|\(month)|d", parts.map { $0 + "|d" }))
            }
        }
        attackFamilies(shown, families, exact: exact, "fidelity")
    }

    /// Five wards, forty protected patient-nights each in the pilot; routine checks on them: 8 on W1 and 1 on each other
    /// ward. All wards' 12 was published as 10 and W1's 8 as 10: 12 = 8 + 1 + 1 + 1 + 1 gave each `*` back as 1.
    @Test func aWardsChecksAndAllWardsGiveNothingBack() throws {
        let dir = TempFolder()
        dir.write("study/study.yaml", threeMonthYAML(wards: 5))
        var plans = "night,ward,patient,protected\n", log = "datetime,ward,patient,reason,staff\n"
        for w in 1...5 {
            var checked = 0
            for month in 1...2 {
                for day in 1...20 {
                    for k in 0..<1 {
                        plans += "\(day)/\(month)/2019,W\(w),P\(w)\(k),Y\n"
                        // A routine check at 02:00 the next morning on a protected night: 8 on W1, 1 elsewhere.
                        if checked < (w == 1 ? 8 : 1) {
                            checked += 1
                            log += "\(day + 1)/\(month)/2019 02:00,W\(w),P\(w)\(k),Routine,Nurse\n"
                        }
                    }
                    log += "\(day + 1)/\(month)/2018 02:00,W\(w),B\(w),Routine,Nurse\n"  // baseline: no plans
                }
            }
        }
        let out = try runAttackStudy(dir, ["sleep_plans.csv": plans, "observations.csv": log])
        let rows = try table(out + "/tables/fidelity.csv")
        func routine(_ ward: String) -> String? {
            rows.first { $0["ward"] == ward && $0["period"] == "pilot" }?["routine_checks_on_protected_nights"]
        }
        #expect(routine("W2") == "*" && (routine("W1") == "*" || routine("all") == "*"), "\(rows.map { routine($0["ward"]!) ?? "" })")
        try attackFidelityFamilies(out)
        try attackFidelity(out)
        try attackJSON(out)
    }
}
