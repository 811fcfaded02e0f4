import Foundation
import Testing
@testable import WardsleepKit

/// The attack on doses given: the hypnotics table's lines add up (a study line is its wards' lines; in a scope, a group
/// its drugs, the total its groups and its drugs) and so do the PRN table's rows (the study's its wards'; a row's
/// regular and PRN doses its scope's total). The attacker narrows every count through all those families at once,
/// over and over, and may never come out with a single value for a `*`.
extension DisclosureAttackTests {
    /// A count as published: its bounds (a `*` 1 to the threshold, or 1 and up when it may be a withheld count).
    func publishedBounds(_ text: String) -> (lo: Int, hi: Int) {
        if text == "*" || text.isEmpty { return (1, Int.max / 4) }
        let v = Int(Double(text)!), r = policy.roundTo
        return v == 0 ? (0, 0) : (max(policy.suppressAtOrBelow + 1, v - r / 2), v + (r - 1) - r / 2)
    }

    /// Interval propagation over families of a total and its parts, written apart from the release step's. A `*` stands
    /// for 1 and up (it may be a count withheld to protect a small one), or with `starsSmall` for 1 to the threshold (a
    /// suppressed one): the attacker tries both, and a value either gives is checked against the truth.
    func narrowed(_ shown: [String: String], _ families: [(total: String, parts: [String])], starsSmall: Bool = false) -> [String: (lo: Int, hi: Int)] {
        var known = shown.mapValues(shownBounds)
        for (k, text) in shown where text == "*" { known[k] = (1, starsSmall ? policy.suppressAtOrBelow : Int.max / 4) }
        func add(_ a: Int, _ b: Int) -> Int { min(Int.max / 4, a + b) }
        for _ in 0..<1000 {
            // An assumption the published counts contradict (a `*` taken as small that was withheld) tells nothing.
            if known.values.contains(where: { $0.lo > $0.hi }) { return [:] }
            var changed = false
            for f in families {
                guard var t = known[f.total], f.parts.allSatisfy({ known[$0] != nil }) else { continue }
                let lo = f.parts.reduce(0) { add($0, known[$1]!.lo) }, hi = f.parts.reduce(0) { add($0, known[$1]!.hi) }
                let nt = (lo: max(t.lo, lo), hi: min(t.hi, hi))
                if nt != t { known[f.total] = nt; t = nt; changed = true }
                for p in f.parts {
                    let b = known[p]!
                    let othersLo = lo - b.lo
                    let othersHi = hi >= Int.max / 4 ? Int.max / 4 : hi - b.hi
                    let np = (lo: othersHi >= Int.max / 4 ? b.lo : max(b.lo, t.lo - othersHi),
                              hi: t.hi >= Int.max / 4 ? b.hi : min(b.hi, t.hi - othersLo))
                    if np != b { known[p] = np; changed = true }
                }
            }
            if !changed { break }
        }
        return known
    }

    /// The two tables of doses given, attacked together; families are taken only where the exact counts (restricted/)
    /// add up, as they do by construction.
    func attackDoseFamilies(_ out: String) throws {
        guard FileManager.default.fileExists(atPath: out + "/tables/hypnotics_prn.csv") else { return }  // issues: exact
        let lines = try table(out + "/tables/hypnotics.csv"), prn = try table(out + "/tables/hypnotics_prn.csv")
        let exactLines = (try? table(out + "/restricted/tables/hypnotics.csv")) ?? []
        let exactPRN = (try? table(out + "/restricted/tables/hypnotics_prn.csv")) ?? []
        func name(_ r: [String: String]) -> String { ["scope", "ward", "group", "drug", "product"].map { r[$0]! }.joined(separator: "|") }
        var shown: [String: String] = [:], exact: [String: Int] = [:]
        for period in ["baseline", "pilot"] {
            for r in lines { shown["\(name(r))|\(period)"] = r["\(period)_units"]! }
            for r in exactLines { exact["\(name(r))|\(period)"] = Int(Double(r["\(period)_units"]!)!) }
            for kind in ["regular", "prn"] {
                for r in prn { shown["prn|\(r["ward"]!)|\(kind)|\(period)"] = r["\(period)_\(kind)_doses"]! }
                for r in exactPRN { exact["prn|\(r["ward"]!)|\(kind)|\(period)"] = Int(r["\(period)_\(kind)_doses"]!)! }
            }
        }
        var families: [(total: String, parts: [String])] = []
        for period in ["baseline", "pilot"] {
            func k(_ r: [String: String]) -> String { "\(name(r))|\(period)" }
            for t in lines {
                let scope = lines.filter { $0["ward"] == t["ward"] }
                if t["scope"] == "study" {
                    families.append((k(t), lines.filter { r in r["scope"] == "ward" && ["group", "drug", "product"].allSatisfy { r[$0] == t[$0] } }.map(k)))
                }
                if t["group"] == "all" {
                    families.append((k(t), scope.filter { $0["group"] != "all" && $0["drug"] == "all" }.map(k)))
                    families.append((k(t), scope.filter { $0["drug"] != "all" && $0["product"] == "all" }.map(k)))
                } else if t["drug"] == "all" {
                    families.append((k(t), scope.filter { $0["group"] == t["group"] && $0["drug"] != "all" && $0["product"] == "all" }.map(k)))
                }
            }
            for r in prn {
                let regular = "prn|\(r["ward"]!)|regular|\(period)", asRequired = "prn|\(r["ward"]!)|prn|\(period)"
                if let total = lines.first(where: { $0["ward"] == r["ward"] && $0["group"] == "all" }) { families.append((k(total), [regular, asRequired])) }
                if r["scope"] == "study" {
                    for kind in ["regular", "prn"] {
                        families.append(("prn|all|\(kind)|\(period)", prn.filter { $0["scope"] == "ward" }.map { "prn|\($0["ward"]!)|\(kind)|\(period)" }))
                    }
                }
            }
        }
        // Every accepted row is one dose given in a period, unless set aside.
        let rows = try rowAccounting(out, export: "hypnotics", shown: &shown, exact: &exact)
        if shown[rows.accepted] != nil {
            let wardTotals = lines.filter { $0["scope"] == "ward" && $0["group"] == "all" }
            families.append((rows.accepted, rows.aside + ["baseline", "pilot"].flatMap { p in wardTotals.map { "\(name($0))|\(p)" } }))
        }
        attackFamilies(shown, families, exact: exact, "doses given")
    }

    /// The probe's pattern in doses given: five wards, zopiclone in the baseline 8 on one ward and 1 on each of the four
    /// others; the study's 12 was published as 10, the ward's 8 as 10, and 12 = 8 + 1 + 1 + 1 + 1 gave each `*` back as 1.
    /// The same in PRN doses (every zopiclone dose was PRN). The ward's 8 is now withheld in both tables, its milligrams
    /// are left out of its group and total lines, and the CBTi contrast (which pools the ward totals) is worked out from
    /// the published totals.
    @Test func aDrugsStudyLineAndSuppressedWardsGiveNothingBack() throws {
        let dir = TempFolder()
        dir.write("study/study.yaml", threeMonthYAML(wards: 5, cbti: 2) + """
            exports:
              occupancy: { file: occupancy.csv }
              hypnotics:
                file: hypnotics.csv
                kind: administrations
                columns: { datetime: datetime, ward: ward, patient: patient, drug: drug, dose_mg: dose_mg, status: status, prn: prn }

            """)
        var occupancy = "date,ward,occupied_beds\n", doses = "datetime,ward,patient,drug,dose_mg,status,prn\n"
        for year in [2018, 2019] {
            for month in 1...3 { for day in 1...28 { for w in 1...5 { occupancy += "\(day)/\(month)/\(year),W\(w),18\n" } } }
            for w in 1...5 {
                let zopiclone = year == 2018 ? (w == 1 ? 8 : 1) : (w == 1 ? 20 : 10)
                for i in 0..<zopiclone { doses += "\(1 + i % 28)/\(1 + i % 3)/\(year) 22:00,W\(w),P\(w)\(i % 4),Zopiclone,7.5,Given,Y\n" }
                for i in 0..<30 { doses += "\(1 + i % 28)/\(1 + i % 3)/\(year) 22:00,W\(w),P\(w)\(i % 4),Promethazine,25,Given,N\n" }
            }
        }
        let out = try runAttackStudy(dir, ["occupancy.csv": occupancy, "hypnotics.csv": doses])
        let lines = try table(out + "/tables/hypnotics.csv")
        func line(_ ward: String, _ drug: String, group: String? = nil) -> [String: String] {
            lines.first { $0["ward"] == ward && $0["drug"] == drug && (group == nil || $0["group"] == group) && $0["product"] == "all" }!
        }
        #expect(line("all", "zopiclone")["baseline_units"] == "10" && line("W2", "zopiclone")["baseline_units"] == "*")
        #expect(line("W1", "zopiclone")["baseline_units"] == "*", "W1's 8 must be withheld: shown as 10, each * is 1")
        #expect(line("W1", "zopiclone")["baseline_mg"]!.isEmpty && line("W1", "zopiclone")["rate_ratio"]!.isEmpty)
        // Its ward total's milligrams are promethazine's alone (30 × 25 mg): the withheld zopiclone adds none.
        #expect(line("W1", "all", group: "all")["baseline_mg"] == "750")
        let prn = try table(out + "/tables/hypnotics_prn.csv")
        #expect(prn.first { $0["ward"] == "W1" }!["baseline_prn_doses"] == "*")
        // The contrast of CBTi wards rests on published ward totals (all shown here), never on the exact ones.
        let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        let exactSummary = try String(contentsOfFile: out + "/restricted/summary.md", encoding: .utf8)
        #expect(summary.contains("CBTi wards: rate ratio"))
        func contrast(_ text: String) -> String? { firstMatch(#"(CBTi wards: rate ratio [^\n]*)"#, in: text) }
        #expect(contrast(summary) != contrast(exactSummary), "the contrast is worked out from exact counts")
        try attackDoseFamilies(out)
        try attackJSON(out)
    }
}
