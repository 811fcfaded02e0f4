import Foundation
import Testing
@testable import WardsleepKit

/// The attacker's relations beyond sums (a probe's findings): a count inside the protected window is at most the same
/// count over 24 hours; patients on all wards are at least those on any ward and at most their sum; and rounded counts,
/// not only `*`, may not come out exact. `attackIncidentRelations` narrows the incidents table through all of them at
/// once; `attackUptakeRelations` the uptake table.
extension DisclosureAttackTests {
    /// Interval propagation over sums, unions (`max(parts) ≤ total ≤ Σ parts`) and bounds (`parts ≤ total`), written
    /// apart from the release step's.
    func narrowed(_ shown: [String: String], sums: [(total: String, parts: [String])], unions: [(total: String, parts: [String])] = [],
                  bounds: [(total: String, parts: [String])] = [], starsSmall: Bool = false) -> [String: (lo: Int, hi: Int)] {
        var known = narrowed(shown, sums, starsSmall: starsSmall)
        let open = Int.max / 4
        for _ in 0..<200 {
            if known.isEmpty || known.values.contains(where: { $0.lo > $0.hi }) { return [:] }  // a contradicted assumption
            var changed = false
            func set(_ k: String, _ v: (lo: Int, hi: Int)) { if known[k]! != v { known[k] = v; changed = true } }
            for f in unions + bounds where known[f.total] != nil && f.parts.allSatisfy({ known[$0] != nil }) {
                let isUnion = unions.contains { $0.total == f.total && $0.parts == f.parts }
                let t = known[f.total]!, maxLo = f.parts.map { known[$0]!.lo }.max() ?? 0
                let sumHi = f.parts.reduce(0) { min(open, $0 + known[$1]!.hi) }
                set(f.total, (max(t.lo, maxLo), isUnion ? min(t.hi, sumHi) : t.hi))
                for p in f.parts {
                    let b = known[p]!, total = known[f.total]!
                    var lo = b.lo
                    if isUnion {
                        let othersHi = f.parts.filter { $0 != p }.reduce(0) { min(open, $0 + known[$1]!.hi) }
                        if othersHi < open { lo = max(lo, total.lo - othersHi) }
                    }
                    set(p, (lo, min(b.hi, total.hi)))
                }
            }
            let again = narrowed(known.mapValues { "\($0.lo)..\($0.hi)" }.merging(shown) { a, _ in a }, sums)
            for (k, v) in again where known[k] != nil {
                let merged = (lo: max(known[k]!.lo, v.lo), hi: min(known[k]!.hi, v.hi))
                set(k, merged)
            }
            if !changed { break }
        }
        return known
    }

    /// A count as shown, or a range `lo..hi` (from an earlier round).
    func shownBounds(_ text: String) -> (lo: Int, hi: Int) {
        if let r = text.range(of: "..") { return (Int(text[..<r.lowerBound])!, Int(text[r.upperBound...])!) }
        return publishedBounds(text)
    }

    /// Expects no count shown as `*` or rounded to come out as a single value (zeros are shown exactly by design).
    func expectNothingPinned(_ shown: [String: String], _ known: [String: (lo: Int, hi: Int)], exact: [String: Int], _ what: String) {
        for (key, text) in shown where text != "0" {
            guard let b = known[key], b.lo == b.hi, policy.roundTo > 1 || text == "*" else { continue }
            #expect(exact[key] != b.lo, "\(what) \(key) (shown \(text)): worked out as \(b.lo)")
        }
    }

    /// Families of sums as an attacker takes them (those the exact counts, when the run wrote them, bear out), narrowed
    /// with a `*` taken both as possibly withheld and as small: no `*` and no rounded count may come out exact.
    func attackFamilies(_ shown: [String: String], _ families: [(total: String, parts: [String])], exact: [String: Int], _ what: String) {
        let used = families.filter { f in
            !f.parts.isEmpty && (exact.isEmpty || f.parts.reduce(0) { $0 + (exact[$1] ?? 0) } == (exact[f.total] ?? 0))
        }
        for small in [false, true] { expectNothingPinned(shown, narrowed(shown, sums: used, starsSmall: small), exact: exact, what) }
    }

    /// The study.yaml of `wards` wards of 20 beds (the first `cbti` of them with CBTi), January to March 2018 against
    /// January to March 2019.
    func threeMonthYAML(wards: Int, cbti: Int = 0) -> String {
        var yaml = studyYAML().components(separatedBy: "wards:")[0] + "wards:\n"
        for w in 1...wards { yaml += "  - { id: W\(w), name: Ward \(w), type: acute, beds: 20\(w <= cbti ? ", cbti: true" : "") }\n" }
        return yaml.replacingOccurrences(of: "2018-08-31", with: "2018-03-31").replacingOccurrences(of: "2019-08-31", with: "2019-03-31")
    }

    /// An export's row accounting as results.json shows it (`accepted`, and each reason rows were set aside for), added to
    /// `shown` and `exact` (from restricted/) under `rows|…`; the keys of the accepted rows and of those set aside.
    func rowAccounting(_ out: String, export: String, shown: inout [String: String], exact: inout [String: Int]) throws
        -> (accepted: String, aside: [String])
    {
        func read(_ path: String) throws -> [String: String]? {
            guard let data = FileManager.default.contents(atPath: path + "/results.json"),
                  let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let t = (json["data_quality"] as? [[String: Any]])?.first(where: { $0["export"] as? String == export }) else { return nil }
            func text(_ v: Any?) -> String { (v as? NSNumber).map { "\($0.intValue)" } ?? (v as? String) ?? "" }
            var out = ["rows|accepted": text(t["rows_accepted"])]
            for (reason, n) in t["rows_set_aside"] as? [String: Any] ?? [:] { out["rows|\(reason)"] = text(n) }
            return out
        }
        let mine = try read(out) ?? [:]
        shown.merge(mine) { a, _ in a }
        exact.merge((try read(out + "/restricted") ?? [:]).compactMapValues { Int($0) }) { a, _ in a }
        return ("rows|accepted", mine.keys.filter { $0 != "rows|accepted" }.sorted())
    }

    /// Writes `files` into the study folder and runs it with an exact copy (and a key); the report folder.
    func runAttackStudy(_ dir: TempFolder, _ files: [String: String]) throws -> String {
        for (name, text) in files { dir.write("study/\(name)", text) }
        let out = dir.path + "/report"
        let run = try runWardsleep(["run", dir.path + "/study", "--out", out, "--unsuppressed", "--ledger", dir.path + "/l.sqlite"],
                                   environment: ["WARDSLEEP_KEY": testKey])
        #expect(run.status == 0, "\(run.err)")
        return out
    }

    /// The incidents table: study rows against the compared wards, `all` against the categories, the protected window
    /// against 24 hours; every count, `*` or rounded.
    func attackIncidentRelations(_ out: String) throws {
        let rows = try table(out + "/tables/incidents.csv")
        let exactRows = (try? table(out + "/restricted/tables/incidents.csv")) ?? []
        func key(_ r: [String: String], _ period: String) -> String { "\(r["ward"]!)|\(r["category"]!)|\(r["window"]!)|\(period)" }
        var shown: [String: String] = [:], exact: [String: Int] = [:]
        for period in ["baseline", "pilot"] {
            for r in rows { shown[key(r, period)] = r["\(period)_events"]! }
            for r in exactRows { exact[key(r, period)] = Int(r["\(period)_events"]!) }
        }
        var sums: [(total: String, parts: [String])] = [], bounds: [(total: String, parts: [String])] = []
        let compared = rows.filter { $0["scope"] == "ward" && Double($0["baseline_exposure"]!)! > 0 && Double($0["pilot_exposure"]!)! > 0 }
        for period in ["baseline", "pilot"] {
            for r in rows {
                if r["scope"] == "study" {
                    sums.append((key(r, period), compared.filter { $0["category"] == r["category"] && $0["window"] == r["window"] }.map { key($0, period) }))
                }
                if r["category"] == "all" {
                    sums.append((key(r, period), rows.filter { $0["ward"] == r["ward"] && $0["window"] == r["window"] && $0["category"] != "all" }.map { key($0, period) }))
                }
                if r["window"] == "protected" {
                    var day = r
                    day["window"] = "24h"
                    if shown[key(day, period)] != nil { bounds.append((key(day, period), [key(r, period)])) }
                }
            }
        }
        sums = sums.filter { f in !f.parts.isEmpty && (exact.isEmpty || f.parts.reduce(0) { $0 + (exact[$1] ?? 0) } == exact[f.total]) }
        for small in [false, true] {
            expectNothingPinned(shown, narrowed(shown, sums: sums, bounds: bounds, starsSmall: small), exact: exact, "incidents.csv")
        }
    }

    /// The uptake table: patients on all wards a union of the wards', patients with a protected night some of those
    /// with a plan.
    func attackUptakeRelations(_ out: String) throws {
        guard FileManager.default.fileExists(atPath: out + "/tables/protected_sleep.csv") else { return }
        let rows = try table(out + "/tables/protected_sleep.csv"), exactRows = (try? table(out + "/restricted/tables/protected_sleep.csv")) ?? []
        var shown: [String: String] = [:], exact: [String: Int] = [:]
        for c in ["patients", "patients_protected"] {
            for r in rows { shown["\(r["ward"]!)|\(c)"] = r[c]! }
            for r in exactRows { exact["\(r["ward"]!)|\(c)"] = Int(r[c]!) }
        }
        let wards = rows.map { $0["ward"]! }.filter { $0 != "all" }
        let unions = ["patients", "patients_protected"].map { c in (total: "all|\(c)", parts: wards.map { "\($0)|\(c)" }) }
        let bounds = rows.map { r in (total: "\(r["ward"]!)|patients", parts: ["\(r["ward"]!)|patients_protected"]) }
        for small in [false, true] {
            expectNothingPinned(shown, narrowed(shown, sums: [], unions: unions, bounds: bounds, starsSmall: small), exact: exact, "protected_sleep.csv")
        }
    }

    /// A study of `wards` wards (20 beds, 15 occupied) over January to March 2018 and 2019, its incidents given as
    /// (ward, category, year, in the protected window?, how many); extra exports' study.yaml text and files.
    func relationStudy(_ dir: TempFolder, wards: Int, incidents: [(ward: Int, category: String, year: Int, night: Bool, n: Int)],
                       yaml extra: String = "", files: [String: String] = [:]) throws -> String {
        dir.write("study/study.yaml", threeMonthYAML(wards: wards) + "exports:\n  occupancy: { file: occupancy.csv }\n  incidents: { file: incidents.csv }\n" + extra)
        var occupancy = "date,ward,occupied_beds\n", rows = "id,date,time,ward,category\n", n = 0
        for year in [2018, 2019] {
            for month in 1...3 { for day in 1...28 { for w in 1...wards { occupancy += "\(day)/\(month)/\(year),W\(w),15\n" } } }
        }
        for i in incidents {
            for k in 0..<i.n { n += 1; rows += "I\(n),\(1 + k % 28)/\(1 + k % 3)/\(i.year),\(i.night ? "02:00" : "14:00"),W\(i.ward),\(i.category)\n" }
        }
        return try runAttackStudy(dir, files.merging(["occupancy.csv": occupancy, "incidents.csv": rows]) { a, _ in a })
    }

    /// Four wards of 12 (each shown 10, so at most 12) and a study total of 48 (shown 50, so at least 48): every count
    /// came back exactly, none of them `*`.
    @Test func roundedCountsDoNotComeBackExactly() throws {
        let dir = TempFolder()
        let out = try relationStudy(dir, wards: 4, incidents: (1...4).flatMap { w in [(w, "Falls", 2018, false, 12), (w, "Falls", 2019, false, 20)] })
        let rows = try table(out + "/tables/incidents.csv").filter { $0["window"] == "24h" && $0["category"] == "Falls" }
        #expect(rows.contains { $0["baseline_events"] == "*" }, "\(rows.map { $0["baseline_events"]! })")
        try attackIncidentRelations(out)
    }

    /// The probe's counts (24 hours, protected window): W1 C1 (6, 6), W1 C2 (14, 5), W2 C1 (8, 7), W2 C2 (9, 2). The study's
    /// C1 over 24 hours (at most 14) and W2's (at least 8) left W1's at most 6; the study's C1 in the window (at least 13)
    /// and W2's (at most 7) left W1's at least 6; and a window count is at most its 24-hour count: both 6.
    @Test func aProtectedWindowCountIsAtMostItsDayCountAndGivesNothingBack() throws {
        let dir = TempFolder()
        var incidents: [(ward: Int, category: String, year: Int, night: Bool, n: Int)] = []
        for (w, c, day, night) in [(1, "C1", 6, 6), (1, "C2", 14, 5), (2, "C1", 8, 7), (2, "C2", 9, 2)] {
            incidents += [(w, c, 2018, true, night), (w, c, 2018, false, day - night), (w, c, 2019, false, 20)]
        }
        let out = try relationStudy(dir, wards: 2, incidents: incidents)
        try attackIncidentRelations(out)
        try attackTotalsAndParts(out)
    }

    /// Patients with a plan: 12, 12, 12 and 7 on four wards and 43 in all (each patient on one ward). All wards' 43 (shown
    /// 45, so at least 43) is at most the wards' sum, 12 + 12 + 12 + at most 7: each came back exactly.
    @Test func patientsOnAllWardsAndOnEachGiveNothingBack() throws {
        let dir = TempFolder()
        var plans = "night,ward,patient,protected\n", id = 0
        for (w, n) in [(1, 12), (2, 12), (3, 12), (4, 7)] {
            for i in 0..<n {
                id += 1
                for night in ["01/02/2019", "02/02/2019"] { plans += "\(night),W\(w),P\(id),\(i % 2 == 0 ? "Y" : "N")\n" }
            }
        }
        let out = try relationStudy(dir, wards: 4, incidents: (1...4).flatMap { w in [(w, "Falls", 2018, false, 20), (w, "Falls", 2019, false, 20)] },
                                    yaml: "  sleep_plans: { file: sleep_plans.csv }\n", files: ["sleep_plans.csv": plans])
        let rows = try table(out + "/tables/protected_sleep.csv")
        #expect(rows.contains { $0["patients"] == "*" && $0["ward"] != "W4" } || rows.first { $0["ward"] == "all" }?["patients"] == "*",
                "\(rows.map { "\($0["ward"]!) \($0["patients"]!)" })")
        try attackUptakeRelations(out)
        try attackJSON(out)
    }

    /// The data-quality accounting: rows accepted are those set aside and those analysed, and the incidents analysed are
    /// the table's incidents in the periods. W1 has 4 incidents and W2 3 in each period; 12 rows are rejected and 12 fall
    /// outside both periods. Accepted 38 (shown 40), rejected and outside 12 each (shown 10): at least 14 analysed, so the
    /// study's baseline and pilot (`*`, at most 7 each) were both 7.
    @Test func theRowAccountingGivesNothingBack() throws {
        let dir = TempFolder()
        dir.write("study/study.yaml", threeMonthYAML(wards: 2) + """
            exports:
              occupancy: { file: occupancy.csv }
              incidents: { file: incidents.csv, exclude_status: [REJECTED] }

            """)
        var occupancy = "date,ward,occupied_beds\n", rows = "id,date,time,ward,category,status\n", n = 0
        for year in [2018, 2019] { for month in 1...3 { for day in 1...28 { for w in 1...2 { occupancy += "\(day)/\(month)/\(year),W\(w),15\n" } } } }
        func add(_ date: String, _ ward: Int, _ status: String) { n += 1; rows += "I\(n),\(date),14:00,W\(ward),Falls,\(status)\n" }
        for year in [2018, 2019] {
            for i in 0..<4 { add("\(1 + i)/2/\(year)", 1, "Approved") }
            for i in 0..<3 { add("\(1 + i)/2/\(year)", 2, "Approved") }
        }
        for i in 0..<12 { add("\(1 + i)/2/2018", 1 + i % 2, "REJECTED") }
        for i in 0..<12 { add("\(1 + i)/6/2018", 1 + i % 2, "Approved") }
        let out = try runAttackStudy(dir, ["occupancy.csv": occupancy, "incidents.csv": rows])
        // The attacker's counts: the data-quality table (results.json), the sentence, and the incidents table.
        func accounting(_ path: String) throws -> [String: String] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + "/results.json"))) as! [String: Any]
            let t = (json["data_quality"] as! [[String: Any]]).first { $0["export"] as? String == "incidents" }!
            func text(_ v: Any?) -> String { (v as? NSNumber).map { "\($0.intValue)" } ?? (v as? String) ?? "" }
            let aside = t["rows_set_aside"] as? [String: Any] ?? [:]
            var out = ["accepted": text(t["rows_accepted"]), "status": text(aside["excluded by status"]), "outside": text(aside["outside both periods"])]
            let summary = try String(contentsOfFile: path + "/summary.md", encoding: .utf8)
            out["analysed"] = firstMatch(#"([0-9*,]+) of [0-9*,]+ accepted incident rows"#, in: summary)?.replacingOccurrences(of: ",", with: "")
            for r in try table(path + "/tables/incidents.csv") where r["category"] == "all" && r["window"] == "24h" {
                for p in ["baseline", "pilot"] { out["\(r["ward"]!)|\(p)"] = r["\(p)_events"]! }
            }
            return out
        }
        let shown = try accounting(out), exact = try accounting(out + "/restricted").compactMapValues { Int($0) }
        attackFamilies(shown, [(total: "accepted", parts: ["status", "outside", "analysed"]), (total: "analysed", parts: ["W1|baseline", "W1|pilot", "W2|baseline", "W2|pilot"]),
                               (total: "analysed", parts: ["all|baseline", "all|pilot"]), (total: "all|baseline", parts: ["W1|baseline", "W2|baseline"]),
                               (total: "all|pilot", parts: ["W1|pilot", "W2|pilot"])], exact: exact, "row accounting")
        try attackIncidentRelations(out)
    }

    /// Feedback's rows: 12 accepted (shown 10, so at most 12) are the responses, patients before 8 (shown 10, at least 8)
    /// and four cells of 1 (`*`): 12 = 8 + 1 + 1 + 1 + 1 gave every one back.
    @Test func feedbackRowsAndResponsesGiveNothingBack() throws {
        let dir = TempFolder()
        var rows = "id,group,stage,ward,rating,text\n", n = 0
        for (group, stage, k) in [("Patient", "before", 8), ("Staff", "before", 1), ("Carer", "before", 1), ("Staff", "during", 1), ("Carer", "after", 1)] {
            for _ in 0..<k { n += 1; rows += "F\(n),\(group),\(stage),W1,,The ward was fine.\n" }
        }
        let out = try relationStudy(dir, wards: 2, incidents: (1...2).flatMap { w in [(w, "Falls", 2018, false, 20), (w, "Falls", 2019, false, 20)] },
                                    yaml: "  feedback: { file: feedback.csv }\n", files: ["feedback.csv": rows])
        try attackFeedbackFamilies(out)
        try attackJSON(out)
    }

    /// Doses given: 22 rows accepted (shown 20, at most 22) are the doses, the pilot's 18 (shown 20, at least 18) and the
    /// baseline's four drugs of 1 (`*`): every one came back.
    @Test func doseRowsAndDosesGiveNothingBack() throws {
        let dir = TempFolder()
        var rows = "datetime,ward,patient,drug,dose_mg,status\n"
        for (drug, mg) in [("Zopiclone", "7.5"), ("Temazepam", "10"), ("Melatonin", "2"), ("Promethazine", "25")] {
            rows += "10/02/2018 22:00,W1,P1,\(drug),\(mg),Given\n"
        }
        for i in 0..<18 { rows += "\(10 + i % 10)/02/2019 22:00,W1,P\(2 + i),Zopiclone,7.5,Given\n" }
        let out = try relationStudy(dir, wards: 2, incidents: (1...2).flatMap { w in [(w, "Falls", 2018, false, 20), (w, "Falls", 2019, false, 20)] },
                                    yaml: "  hypnotics:\n    file: hypnotics.csv\n    kind: administrations\n", files: ["hypnotics.csv": rows])
        try attackDoseFamilies(out)
        try attackJSON(out)
    }
}
