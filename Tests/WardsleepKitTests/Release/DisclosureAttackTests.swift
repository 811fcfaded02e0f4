import Foundation
import Testing
@testable import WardsleepKit

/// An attacker with the releasable outputs (and nothing in `restricted/`) tries to recover every suppressed or rounded
/// count: rates × exposures, percentages × denominators, chart points, centre lines × denominators, SVG tooltips and
/// point positions, pooled estimates against the ward counts, the rank-sum statistic against the rating counts, the
/// data-quality accounting. Every count recovered must be a published count (0, or a multiple of `round_to` above the
/// suppression threshold): never an exact count that the tables round, never a value for a suppressed one.
@Suite(.serialized) struct DisclosureAttackTests {
    let policy = DisclosurePolicy()

    @Test func sampleStudyGivesNothingBack() throws {
        let dir = TempFolder()
        let out = dir.path + "/report"
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", out, "--unsuppressed", "--ledger", dir.path + "/l.sqlite"])
        #expect(r.status == 0, "\(r.err)")
        try attack(out)
    }

    @Test func scaledStudyGivesNothingBack() throws {
        let dir = TempFolder()
        let study = dir.path + "/study", out = dir.path + "/report"
        #expect(try runWardsleep(["sample", "--out", study, "--scale", "5", "--seed", "7"]).status == 0)
        let r = try runWardsleep(["run", study, "--out", out, "--unsuppressed", "--ledger", dir.path + "/l.sqlite"])
        #expect(r.status == 0, "\(r.err)")
        try attack(out)
    }

    @Test func filteredRunsGiveNothingBack() throws {
        let dir = TempFolder()
        for (i, filter) in [["--ward", "A1"], ["--ward", "D1", "--window", "protected"], ["--from", "2018-03-01", "--to", "2019-05-31"],
                                          ["--months", "feb-jun", "--category", "Violence and aggression"]].enumerated() {
            let out = dir.path + "/report-\(i)"
            let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", out, "--ledger", dir.path + "/l.sqlite"] + filter)
            #expect(r.status == 0, "\(r.err)")
            if filter.contains(where: { ["--months", "--from", "--to", "--ward", "--category"].contains($0) }) {
                // Overlapping months can be differenced, and a ward's or a category's months add cells the full report
                // lacks: such a report releases nothing but a notice and the manifest.
                let top = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
                #expect(top == ["manifest.json", "restricted", "summary.md"], "\(filter): \(top)")
                let notice = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
                #expect(notice.contains("**For use inside the organisation only.**") && firstMatch("[0-9]", in: notice.split(separator: "\n").dropFirst().joined()) == nil, "\(notice)")  // the title aside
            } else {
                try attack(out)
            }
        }
    }

    /// The attack a probe made: reports on every subset of months, each rounding its own exact sums, solve for every exact
    /// count. A report on chosen months is therefore restricted; here, two subsets whose difference is one month leave
    /// no releasable count to subtract.
    @Test func monthSubsetsCannotBeDifferenced() throws {
        let dir = TempFolder()
        // The same holds for sets of wards or categories: their sums are not in the full report either.
        let filters = [["--ward", "A1", "--months", "feb-jun"], ["--ward", "A1", "--months", "feb-may"],
                       ["--ward", "A1", "--ward", "A2"], ["--category", "Self harm", "--category", "Violence and aggression"]]
        for (i, filter) in filters.enumerated() {
            let out = dir.path + "/\(i)"
            let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", out] + filter)
            #expect(r.status == 0, "\(r.err)")
            let released = (FileManager.default.subpaths(atPath: out) ?? []).filter { !$0.hasPrefix("restricted") }.sorted()
            #expect(released == ["manifest.json", "summary.md"], "\(released)")
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
            let outputs = (manifest["outputs"] as! [[String: Any]]).filter { $0["sensitivity"] as? String == "releasable" }
            #expect(outputs.map { $0["path"] as! String }.sorted() == ["manifest.json", "summary.md"])
        }
    }

    @Test func administrationsStudyGivesNothingBack() throws {
        let dir = TempFolder()
        let study = dir.path + "/study", out = dir.path + "/report"
        #expect(try runWardsleep(["sample", "--out", study, "--hypnotics", "administrations"]).status == 0)
        let r = try runWardsleep(["run", study, "--out", out, "--ledger", dir.path + "/l.sqlite"])
        #expect(r.status == 0, "\(r.err)")
        try attack(out)
        // Doses given are counts of events: published, and shares recomputed from published patients.
        for row in try table(out + "/tables/hypnotics.csv") {
            for column in ["baseline_units", "pilot_units"] where row[column] != "*" {
                #expect(isPublished(Double(row[column]!)!), "hypnotics.csv \(column) = \(row[column]!) is not a published count")
            }
        }
        for row in try table(out + "/tables/hypnotics_prn.csv") {
            for period in ["baseline", "pilot"] {
                guard let share = Double(row["\(period)_prn_share"]!) else { continue }
                expectRecovered(share * Double(row["\(period)_patients"]!)!, equals: row["\(period)_patients_prn"]!, "PRN share \(row["ward"]!)")
            }
        }
        // The DDD chart of doses given withholds the months whose doses are suppressed and shows no value for them.
        for row in try table(out + "/tables/spc.csv") where row["kind"] == "xmr" && row["type"] == "withheld" {
            #expect(row["value"]!.isEmpty)
        }
    }

    @Test func pooledReportGivesNothingBack() throws {
        let dir = TempFolder()
        let out = dir.path + "/pooled"
        let r = try runWardsleep(["pool"] + SharedTrusts.five.aggregates + ["--out", out])
        #expect(r.status == 0, "\(r.err)")
        try attackPool(out)
    }

    // MARK: the attack

    /// A published count: `*`, 0, or a multiple of the rounding base above the threshold.
    func isPublished(_ n: Double) -> Bool {
        let k = n.rounded()
        guard abs(n - k) < 1e-6 else { return false }
        return k == 0 || (Int(k) % policy.roundTo == 0 && Int(k) > policy.suppressAtOrBelow)
    }

    func expectRecovered(_ recovered: Double, equals published: String, _ what: String) {
        guard let p = Double(published) else {
            Issue.record("\(what): a value is derived from a suppressed count (\(published))")
            return
        }
        #expect(abs(recovered - p) < 1e-6 * max(1, p), "\(what): recovers \(recovered), published \(published)")
        #expect(isPublished(recovered), "\(what): recovers \(recovered), which is not a published count")
    }

    func attack(_ out: String) throws {
        try attackIncidents(out)
        try attackTotalsAndParts(out)
        try attackMonthsAndTotals(out)
        try attackForest(out)
        try attackCharts(out)
        try attackUptake(out)
        try attackFidelity(out)
        try attackJSON(out)
        try attackText(out)
        try attackSegmented(out)
        try attackDoseFamilies(out)
        try attackFeedbackFamilies(out)
        try attackFidelityFamilies(out)
        try attackIncidentRelations(out)
        try attackUptakeRelations(out)
    }

    /// Segmented regressions. Their estimates are not counts, but a model rests on each ward's total in each period
    /// (the ward levels and the level change are fitted to them), so a model is published only when every one of those
    /// totals is; the intercept and ward levels are never published. Each month the chart plots is a published count
    /// over the month's exposure (the all-wards u-chart's denominator): observed rate × exposure gives back a published
    /// count, and a month whose count is suppressed has no point.
    func attackSegmented(_ out: String) throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))) as? [String: Any]
        guard let its = json?["its"] as? [[String: Any]] else { return }
        let incidents = try table(out + "/tables/incidents.csv")
        for model in its where model["measure"] as? String == "incidents" && model["parameters"] is [String: Any] {
            let category = model["category"] as! String, window = model["window"] as! String
            for row in incidents where row["scope"] == "ward" && row["category"] == category && row["window"] == window {
                #expect(row["baseline_events"] != "*" && row["pilot_events"] != "*",
                        "its \(category) \(window): a model is published although ward \(row["ward"]!)'s count is suppressed")
            }
            #expect(Set(model.keys).isDisjoint(with: ["intercept", "wards", "fitted"]), "its \(category) \(window): a level is published")
        }
        let spc = try table(out + "/tables/spc.csv")
        // The study-level chart of each window is the first of its kind in spc.csv ("…, all wards", or the wards filtered).
        func firstChart(_ prefix: String) -> String { spc.first { $0["chart"]!.hasPrefix(prefix) }?["chart"] ?? prefix }
        for (file, chart) in [("its-incidents-24h.svg", firstChart("Incidents, ")),
                              ("its-incidents-protected.svg", firstChart("Incidents in the protected window, "))] {
            guard let svg = try? String(contentsOfFile: out + "/charts/" + file, encoding: .utf8) else { continue }
            var months: [String: (numerator: String, denominator: Double)] = [:]
            for row in spc where row["chart"] == chart { months[row["interval"]!] = (row["numerator"]!, Double(row["denominator"]!)!) }
            // A control chart whose baseline months are all suppressed is left out of this copy (and named there); its
            // months cannot be looked up here (the segmented chart's own release is tested in ReleasedSegmentedTests).
            if months.isEmpty {
                let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
                #expect(summary.contains("Left out of this copy, every baseline month being a small number (suppressed)"), "\(file)")
                continue
            }
            for tooltip in allMatches(#"<circle [^>]*><title>([0-9-]+): ([0-9.]+)</title>"#, in: svg) {
                guard let month = months[tooltip[0]], let published = Double(month.numerator) else {
                    Issue.record("\(file): a point for \(tooltip[0]), whose count is suppressed")
                    continue
                }
                // The tooltip has two decimals: the count comes back to within 0.005 × exposure / 1,000.
                let recovered = Double(tooltip[1])! * month.denominator / 1000
                #expect(abs(recovered - published) <= 0.005 * month.denominator / 1000 + 1e-9, "\(file) \(tooltip[0]): \(recovered) is not \(published)")
            }
        }
    }

    /// Totals against their parts (the probe's attack): a study row is the sum of the ward rows with exposure in both
    /// periods, and a scope's `all` the sum of its categories. Each `*` is bounded by the others — a rounded count by the
    /// five it rounds from, a `*` by 1 to 7 (or, not knowing which are withheld to protect others, 1 and up) — and may
    /// never come out as one value that is its exact count (read from restricted/ when the run wrote it).
    func attackTotalsAndParts(_ out: String) throws {
        let rows = try table(out + "/tables/incidents.csv")
        let exactRows = (try? table(out + "/restricted/tables/incidents.csv")) ?? []
        func key(_ r: [String: String]) -> String { "\(r["scope"]!)|\(r["ward"]!)|\(r["category"]!)|\(r["window"]!)" }
        let exact = Dictionary(exactRows.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let r = policy.roundTo
        func bounds(_ text: String, open: Bool) -> (lo: Int, hi: Int) {
            if text == "*" { return (1, open ? Int.max / 4 : policy.suppressAtOrBelow) }
            let v = Int(text)!
            return v == 0 ? (0, 0) : (max(policy.suppressAtOrBelow + 1, v - r / 2), v + (r - 1) - r / 2)
        }
        var families: [(total: [String: String], parts: [[String: String]])] = []
        let windows = Set(rows.map { $0["window"]! }), categories = Set(rows.map { $0["category"]! })
        for window in windows {
            for category in categories {
                guard let total = rows.first(where: { $0["scope"] == "study" && $0["category"] == category && $0["window"] == window }) else { continue }
                let parts = rows.filter { $0["scope"] == "ward" && $0["category"] == category && $0["window"] == window
                    && Double($0["baseline_exposure"]!)! > 0 && Double($0["pilot_exposure"]!)! > 0 }
                families.append((total, parts))
            }
            for scope in Set(rows.map { "\($0["scope"]!)|\($0["ward"]!)" }) {
                let inScope = rows.filter { "\($0["scope"]!)|\($0["ward"]!)" == scope && $0["window"] == window }
                guard let total = inScope.first(where: { $0["category"] == "all" }) else { continue }
                families.append((total, inScope.filter { $0["category"] != "all" }))
            }
        }
        for (total, parts) in families where !parts.isEmpty {
            for period in ["baseline", "pilot"] {
                let column = "\(period)_events"
                for open in [false, true] {
                    let t = bounds(total[column]!, open: open), b = parts.map { bounds($0[column]!, open: open) }
                    let sumLo = b.reduce(0) { $0 + $1.lo }, sumHi = b.reduce(0) { min(Int.max / 4, $0 + $1.hi) }
                    for (part, pb) in zip(parts, b) where part[column] == "*" {
                        let upper = min(pb.hi, t.hi - (sumLo - pb.lo))
                        let lower = max(pb.lo, open && sumHi >= Int.max / 4 ? pb.lo : t.lo - (sumHi - pb.hi))
                        guard upper == lower else { continue }
                        let truth = exact[key(part)]?[column].flatMap { Int($0) }
                        #expect(truth != upper, "incidents.csv \(key(part)) \(period): \(upper) worked out from \(key(total)) and its parts")
                    }
                }
            }
        }
    }

    /// A control chart's months in a period add up to its ward's count in incidents.csv (all categories, the chart's
    /// window): each `*` month bounded by the others and the total may never come out as its exact count (read from
    /// restricted/ when the run wrote it).
    func attackMonthsAndTotals(_ out: String) throws {
        let spc = try table(out + "/tables/spc.csv"), rows = try table(out + "/tables/incidents.csv")
        let exactSPC = (try? table(out + "/restricted/tables/spc.csv")) ?? []
        let r = policy.roundTo
        func bounds(_ text: String) -> (lo: Int, hi: Int) {
            if text == "*" || text.isEmpty { return (1, policy.suppressAtOrBelow) }
            let v = Int(Double(text)!)
            return v == 0 ? (0, 0) : (max(policy.suppressAtOrBelow + 1, v - r / 2), v + (r - 1) - r / 2)
        }
        for chart in Set(spc.map { $0["chart"]! }) where chart.hasPrefix("Incidents, ") || chart.hasPrefix("Incidents in the protected window, ") {
            let window = chart.hasPrefix("Incidents, ") ? "24h" : "protected"
            let scope = chart.components(separatedBy: ", ").dropFirst().joined(separator: ", ")
            let ward = scope.hasPrefix("ward ") ? String(scope.dropFirst(5)) : "all"
            guard let total = rows.first(where: { $0["ward"] == ward && $0["category"] == "all" && $0["window"] == window }) else { continue }
            for period in ["baseline", "pilot"] {
                let months = spc.filter { $0["chart"] == chart && $0["phase"] == period }
                guard !months.isEmpty else { continue }
                let t = bounds(total["\(period)_events"]!), b = months.map { bounds($0["numerator"]!) }
                let sumLo = b.reduce(0) { $0 + $1.lo }
                for (month, mb) in zip(months, b) where month["numerator"] == "*" || month["numerator"]!.isEmpty {
                    let upper = min(mb.hi, t.hi - (sumLo - mb.lo))
                    guard upper == mb.lo else { continue }
                    let truth = exactSPC.first { $0["chart"] == chart && $0["interval"] == month["interval"] }.flatMap { Int(Double($0["numerator"]!)!) }
                    #expect(truth != upper, "spc.csv \(chart) \(month["interval"]!): \(upper) worked out from the \(period) total")
                }
            }
        }
    }

    /// A ward whose baseline months were 8, 8 and 1 (shown 10, 10, *) and whose baseline total was 17 (shown 15, so at
    /// most 17): 17 = 8 + 8 + 1 pinned the `*` month to 1. A month is now withheld too.
    /// A study of `wards` wards of 18 occupied beds a day, January to March 2018 against January to March 2019, with the
    /// incidents `count(year, month, ward)` gives (category `category(ward)`, or Falls) in `incidents.csv`; run with an
    /// exact copy, its report folder returned.
    func threeMonthStudy(_ dir: TempFolder, wards: Int, name: String = "study", arguments: [String] = [], environment: [String: String] = [:],
                         yaml extra: String = "", count: (Int, Int, Int) -> [(category: String, n: Int)]) throws -> String {
        var yaml = studyYAML().components(separatedBy: "wards:")[0] + "wards:\n"
        for w in 1...wards { yaml += "  - { id: W\(w), name: Ward \(w), type: acute, beds: 20 }\n" }
        yaml = yaml.replacingOccurrences(of: "2018-08-31", with: "2018-03-31").replacingOccurrences(of: "2019-08-31", with: "2019-03-31")
        yaml = yaml.replacingOccurrences(of: "study: Test study", with: "study: Test \(name)")
        dir.write("\(name)/study.yaml", yaml + extra + "exports:\n  occupancy: { file: occupancy.csv }\n  incidents: { file: incidents.csv }\n")
        var occupancy = "date,ward,occupied_beds\n", incidents = "id,date,time,ward,category\n", n = 0
        for year in [2018, 2019] {
            for month in 1...3 {
                for day in 1...28 { for w in 1...wards { occupancy += "\(day)/\(month)/\(year),W\(w),18\n" } }
                for w in 1...wards {
                    for (category, k) in count(year, month, w) {
                        for i in 0..<k { n += 1; incidents += "I\(n),\(1 + i % 28)/\(month)/\(year),14:00,W\(w),\(category)\n" }
                    }
                }
            }
        }
        dir.write("\(name)/occupancy.csv", occupancy)
        dir.write("\(name)/incidents.csv", incidents)
        let out = dir.path + "/report" + (name == "study" ? "" : "-\(name)")
        let run = try runWardsleep(["run", dir.path + "/\(name)", "--out", out, "--unsuppressed", "--ledger", dir.path + "/l.sqlite"] + arguments,
                                   environment: environment)
        #expect(run.status == 0, "\(run.err)")
        return out
    }

    @Test func aWardsMonthsAndItsTotalGiveNothingBack() throws {
        let dir = TempFolder()  // kept for the test's length: its folder goes when it does
        let out = try threeMonthStudy(dir, wards: 2) { year, month, w in
            [("Falls", w == 2 ? 30 : year == 2018 ? [8, 8, 1][month - 1] : 20)]
        }
        let spc = try table(out + "/tables/spc.csv").filter { $0["chart"] == "Incidents, ward W1" && $0["phase"] == "baseline" }
        #expect(spc.count == 3)
        // March is suppressed, and one of January and February withheld with it.
        #expect(spc.filter { $0["numerator"] == "*" || $0["numerator"]!.isEmpty }.count >= 2, "\(spc.map { $0["numerator"]! })")
        try attack(out)
    }

    /// The probe's study: five wards, a study total of 12 published as 10, one ward of 8 published as 10 and four of 1
    /// as `*`: 12 = 8 + 1 + 1 + 1 + 1 pinned each `*` to 1. The ward of 8 is now withheld too, and nothing comes back.
    @Test func aRoundedTotalAndSuppressedPartsGiveNothingBack() throws {
        // Per ward and year: 30 falls, and violence of 8 (W1) or 1 (W2–W5) in 2018, 20 or 10 in 2019, spread over months.
        let dir = TempFolder()
        let out = try threeMonthStudy(dir, wards: 5) { year, month, w in
            let violence = year == 2018 ? (w == 1 ? 8 : 1) : (w == 1 ? 20 : 10)
            func share(_ total: Int) -> Int { total / 3 + (month <= total % 3 ? 1 : 0) }
            return [("Falls", share(30)), ("Violence", share(violence))]
        }
        let rows = try table(out + "/tables/incidents.csv")
        func shown(_ scope: String, _ ward: String) -> String? {
            rows.first { $0["scope"] == scope && $0["ward"] == ward && $0["category"] == "Violence" && $0["window"] == "24h" }?["baseline_events"]
        }
        #expect(shown("study", "all") == "10" && shown("ward", "W2") == "*")
        #expect(shown("ward", "W1") == "*", "W1's 8 must be withheld: with it shown as 10, each * is 1")
        // Withheld like a suppressed count: no rate, no ratio on its row.
        let w1 = rows.first { $0["ward"] == "W1" && $0["category"] == "Violence" && $0["window"] == "24h" }!
        #expect(w1["baseline_rate"]!.isEmpty && w1["rate_ratio"]!.isEmpty)
        try attack(out)
    }

    /// Rates × exposures give back the published counts only; a suppressed row has no rate and no statistic.
    func attackIncidents(_ out: String) throws {
        let rows = try table(out + "/tables/incidents.csv")
        #expect(!rows.isEmpty)
        var wardCounts: [String: [(b: Double, p: Double, tb: Double, tp: Double)]] = [:]
        var anySuppressed: Set<String> = []
        for row in rows {
            let what = "incidents.csv \(row["scope"]!) \(row["ward"]!) \(row["category"]!) \(row["window"]!)"
            for period in ["baseline", "pilot"] {
                let count = row["\(period)_events"]!, rate = row["\(period)_rate"]!, exposure = Double(row["\(period)_exposure"]!)!
                if count == "*" {
                    for column in ["\(period)_rate", "rate_ratio", "ci_lower", "ci_upper", "p_exact", "p_midp"] {
                        #expect(row[column]!.isEmpty, "\(what): \(column) published beside a suppressed count")
                    }
                } else {
                    #expect(isPublished(Double(count)!), "\(what): \(period) count \(count) is not rounded")
                    if let rate = Double(rate), exposure > 0 { expectRecovered(rate * exposure / 1000, equals: count, "\(what) \(period) rate") }
                }
            }
            if row["scope"] == "ward" {
                let key = "\(row["category"]!)|\(row["window"]!)"
                if let b = Double(row["baseline_events"]!), let p = Double(row["pilot_events"]!) {
                    wardCounts[key, default: []].append((b, p, Double(row["baseline_exposure"]!)!, Double(row["pilot_exposure"]!)!))
                } else { anySuppressed.insert(key) }
            }
        }
        // The pooled estimate is the Mantel–Haenszel of the published ward counts, or withheld.
        for row in try table(out + "/tables/incidents_pooled.csv") {
            let key = "\(row["category"]!)|\(row["window"]!)"
            guard let mh = Double(row["mh_rate_ratio"]!) else { continue }
            #expect(!anySuppressed.contains(key), "pooled \(key) published although a ward count is suppressed")
            let strata = (wardCounts[key] ?? []).map { RateStratum(x1: Int($0.p), t1: $0.tp, x0: Int($0.b), t0: $0.tb) }
            let fromPublished = mantelHaenszelRateRatio(strata: strata).estimate ?? .nan
            #expect(abs(mh - fromPublished) < 1e-9, "pooled \(key): \(mh) is not the MH of the published ward counts (\(fromPublished))")
        }
    }

    /// The run report's forest plot of wards shows a rate ratio only for a ward whose counts are published, and the
    /// pooled diamond only when the pooled table publishes it.
    func attackForest(_ out: String) throws {
        guard let svg = try? String(contentsOfFile: out + "/charts/forest-wards.svg", encoding: .utf8) else { return }
        let window = svg.contains("by ward, over 24 hours") ? "24h" : "protected"
        let wards = try table(out + "/tables/incidents.csv").filter { $0["scope"] == "ward" && $0["category"] == "all" && $0["window"] == window }
        let pooled = try table(out + "/tables/incidents_pooled.csv").first { $0["category"] == "all" && $0["window"] == window }
        let shown = wards.filter { !$0["rate_ratio"]!.isEmpty }.count + (pooled?["mh_rate_ratio"]?.isEmpty == false ? 1 : 0)
        let drawn = allMatches(#">([0-9.]+|∞) \(([0-9.]+) to ([0-9.]+|∞)\)</text>"#, in: svg).count
        #expect(drawn == shown, "forest plot shows \(drawn) ratios, the tables publish \(shown)")
    }

    /// A pooled report: trust and ward counts published; each trust's rate ratio from its published counts; the
    /// Mantel–Haenszel estimate from the published ward counts; fixed and random effects from the published trust counts.
    func attackPool(_ out: String) throws {
        var strata: [String: [RateStratum]] = [:], suppressedStrata: Set<String> = []
        for row in try table(out + "/tables/pooled_strata.csv") {
            let key = "\(row["category"]!)|\(row["window"]!)"
            for column in ["baseline_events", "pilot_events"] where row[column] != "*" {
                #expect(isPublished(Double(row[column]!)!), "pooled_strata.csv \(key) \(column) = \(row[column]!) is not published")
            }
            if let b = Int(row["baseline_events"]!), let p = Int(row["pilot_events"]!) {
                strata[key, default: []].append(RateStratum(x1: p, t1: Double(row["pilot_exposure"]!)!, x0: b, t0: Double(row["baseline_exposure"]!)!))
            } else { suppressedStrata.insert(key) }
        }
        var studies: [String: [LogRateRatio]] = [:], suppressedTrusts: Set<String> = []
        for row in try table(out + "/tables/pooled_trusts.csv") {
            let key = "\(row["category"]!)|\(row["window"]!)"
            guard let b = Int(row["baseline_events"]!), let p = Int(row["pilot_events"]!) else {
                suppressedTrusts.insert(key)
                for column in ["rate_ratio", "ci_lower", "ci_upper", "p_exact", "log_rate_ratio", "variance"] {
                    #expect(row[column]!.isEmpty, "pooled_trusts.csv \(key): \(column) beside a suppressed count")
                }
                continue
            }
            #expect(isPublished(Double(b)) && isPublished(Double(p)), "pooled_trusts.csv \(key): \(b), \(p) not published")
            let t1 = Double(row["pilot_exposure"]!)!, t0 = Double(row["baseline_exposure"]!)!
            let exact = exactRateRatio(x1: p, t1: t1, x0: b, t0: t0)
            #expect(row["rate_ratio"]! == NumberFormat.machine(exact.estimate) && row["ci_lower"]! == NumberFormat.machine(exact.lower))
            studies[key, default: []].append(LogRateRatio(x1: p, t1: t1, x0: b, t0: t0)!)
        }
        for row in try table(out + "/tables/pooled.csv") {
            let key = "\(row["category"]!)|\(row["window"]!)"
            if let mh = Double(row["mh_rate_ratio"]!) {
                #expect(!suppressedStrata.contains(key), "pooled \(key): Mantel–Haenszel published although a ward count is suppressed")
                #expect(abs(mh - (mantelHaenszelRateRatio(strata: strata[key] ?? []).estimate ?? .nan)) < 1e-12, "pooled \(key): MH not from published counts")
            }
            if let fixed = Double(row["fixed_rate_ratio"]!) {
                #expect(!suppressedTrusts.contains(key), "pooled \(key): fixed effect published although a trust count is suppressed")
                let p = InverseVariancePooling(studies[key] ?? [])
                #expect(abs(fixed - (p?.fixed.rateRatio ?? .nan)) < 1e-12 && abs(Double(row["random_rate_ratio"]!)! - (p?.random.rateRatio ?? .nan)) < 1e-12,
                        "pooled \(key): fixed and random effects not from published counts")
                #expect(abs(Double(row["tau2"]!)! - (p?.tau2 ?? .nan)) < 1e-12)
            }
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))) as? [String: Any]
        for m in try #require(json?["pooled"] as? [[String: Any]]) {
            let key = "\(m["category"]!)|\(m["window"]!)"
            if suppressedStrata.contains(key) { #expect((m["mantel_haenszel"] as? [String: Any])?["rate_ratio"] is NSNull, "results.json \(key) MH") }
            if suppressedTrusts.contains(key) { #expect((m["random"] as? [String: Any])?["rate_ratio"] is NSNull, "results.json \(key) random") }
        }
        let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        for m in allMatches(#"\| Example[^|]*\| ([0-9*]+) \| ([0-9*]+) \|"#, in: summary) {
            for n in m where n != "*" { #expect(isPublished(Double(n)!), "summary.md shows \(n), not a published count") }
        }
    }

    /// Chart points, centre lines, limits and tooltips: every count behind them is a published one.
    func attackCharts(_ out: String) throws {
        let rows = try table(out + "/tables/spc.csv")
        #expect(!rows.isEmpty)
        var baseline: [String: (num: Double, den: Double, centre: Double, scale: Double)] = [:]
        var values: [String: [String: String]] = [:]
        for row in rows where row["kind"] != "xmr" {
            let chart = row["chart"]!, kind = row["kind"]!, scale = kind == "u" ? 1000.0 : 100.0
            let what = "spc.csv \(chart) \(row["interval"]!)"
            values[chart, default: [:]][row["interval"]!] = row["value"]!
            if row["numerator"] == "*" {
                #expect(row["value"]!.isEmpty && row["type"] == "withheld" && row["rules"]!.isEmpty, "\(what): withheld point shows a value")
                continue
            }
            let num = Double(row["numerator"]!)!, den = Double(row["denominator"]!)!
            #expect(isPublished(num), "\(what): numerator \(num) not rounded")
            if kind == "p" { #expect(isPublished(den), "\(what): denominator \(den) not rounded") }
            expectRecovered(Double(row["value"]!)! * den / scale, equals: row["numerator"]!, "\(what) value × denominator")
            if row["phase"] == "baseline" {
                var b = baseline[chart] ?? (0, 0, Double(row["centre"]!)!, scale)
                b.num += num; b.den += den
                baseline[chart] = b
            }
        }
        for (chart, b) in baseline where b.den > 0 {
            // Centre × baseline denominators is the sum of the published baseline counts, itself a published-looking sum.
            let recovered = b.centre * b.den / b.scale
            #expect(abs(recovered - b.num) < 1e-6 * max(1, b.num), "\(chart): centre line × exposure gives \(recovered), not \(b.num)")
            #expect(Int(recovered.rounded()) % policy.roundTo == 0, "\(chart): centre line encodes a count that is not rounded")
        }
        // SVG tooltips and positions carry the released values only.
        let charts = try FileManager.default.contentsOfDirectory(atPath: out + "/charts").filter { $0.hasSuffix(".svg") }
        #expect(!charts.isEmpty)
        for file in charts {
            let svg = try String(contentsOfFile: out + "/charts/" + file, encoding: .utf8)
            guard let title = firstMatch(#"<title id="[^"]*">([^<]*)</title>"#, in: svg), let shown = values[unescape(title)] else { continue }
            for tooltip in allMatches(#"<circle [^>]*><title>([0-9-]+): ([0-9.]+) —"#, in: svg) {
                let (label, value) = (tooltip[0], tooltip[1])
                guard let published = shown[label], let p = Double(published) else {
                    Issue.record("\(file): tooltip for \(label) where the table withholds the point")
                    continue
                }
                #expect(abs(Double(value)! - p) < 0.006, "\(file) \(label): tooltip \(value), table \(published)")
            }
        }
    }

    /// Uptake percentages × patients give back published counts.
    func attackUptake(_ out: String) throws {
        guard FileManager.default.fileExists(atPath: out + "/tables/protected_sleep.csv") else { return }
        for row in try table(out + "/tables/protected_sleep.csv") {
            guard let percent = Double(row["percent"]!) else { continue }
            expectRecovered(percent * Double(row["patients"]!)! / 100, equals: row["patients_protected"]!, "uptake \(row["ward"]!)")
        }
    }

    /// Fidelity percentages × protected nights, and checks rate ratios × the baseline rate, give back published counts;
    /// a row with a suppressed count has no percentage and no ratio.
    func attackFidelity(_ out: String) throws {
        guard FileManager.default.fileExists(atPath: out + "/tables/fidelity.csv") else { return }
        for row in try table(out + "/tables/fidelity.csv") {
            let what = "fidelity.csv \(row["ward"]!) \(row["period"]!)"
            for column in FidelitySection.columns where column.hasSuffix("_nights") || column.hasSuffix("checks") || column.contains("checks_") {
                guard column != "bed_nights", let v = row[column], v != "*" else { continue }
                #expect(isPublished(Double(v)!), "\(what): \(column) \(v) is not a published count")
            }
            guard let percent = Double(row["fidelity_percent"]!) else { continue }
            expectRecovered(percent * Double(row["protected_nights"]!)! / 100, equals: row["protected_nights_without_routine_check"]!,
                            "\(what) fidelity")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))) as! [String: Any]
        let fidelity = try #require(json["fidelity"] as? [String: Any])
        for c in fidelity["checks_rate_ratio"] as! [[String: Any]] {
            guard let rr = (c["rate_ratio"] as? NSNumber)?.doubleValue, let x0 = (c["baseline_checks"] as? NSNumber)?.doubleValue else {
                #expect(c["rate_ratio"] is NSNull || c["baseline_checks"] is NSNumber, "checks rate ratio beside a suppressed count")
                continue
            }
            let t0 = (c["baseline_bed_nights"] as! NSNumber).doubleValue, t1 = (c["pilot_bed_nights"] as! NSNumber).doubleValue
            expectRecovered(rr * x0 * t1 / t0, equals: (c["pilot_checks"] as? NSNumber).map { "\($0)" } ?? "*", "checks rate ratio \(c["ward"]!)")
        }
    }

    /// results.json: every count is published; the rank-sum statistic is the one the published ratings give.
    func attackJSON(_ out: String) throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json")))
        let countKeys: Set<String> = ["baseline_events", "pilot_events", "rows_read", "rows_accepted", "rows_quarantined", "patients",
                                      "patients_protected", "mentions", "before_n", "after_n", "count", "of", "baseline", "pilot",
                                      "incidents_without_time", "blank_lines", "protected_nights",
                                      "protected_nights_without_routine_check", "routine_checks_on_protected_nights",
                                      "clinical_need_checks_on_protected_nights", "enhanced_checks_on_protected_nights",
                                      "checks_in_window", "checks_without_plan", "baseline_checks", "pilot_checks"]
        func walk(_ v: Any, _ path: String) {
            if let d = v as? [String: Any] {
                for (k, x) in d {
                    if countKeys.contains(k), let n = x as? NSNumber, !path.contains("hypnotics"), !path.contains("periods") {
                        #expect(isPublished(n.doubleValue), "results.json \(path).\(k) = \(n) is not a published count")
                    }
                    walk(x, path + "." + k)
                }
            } else if let a = v as? [Any] {
                for (i, x) in a.enumerated() { walk(x, path + "[\(i)]") }
            }
        }
        walk(json, "")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json")))
        walk(manifest, "manifest")
        // The rank-sum statistic from the published rating counts (a filtered report may leave feedback out).
        guard FileManager.default.fileExists(atPath: out + "/tables/feedback.csv") else { return }
        let feedback = try table(out + "/tables/feedback.csv").filter { $0["ward"] == "all" }
        if let involvement = (json as? [String: Any])?["involvement"] as? [String: Any],
           let f = involvement["feedback"] as? [String: Any], let tests = f["ratings_before_after"] as? [[String: Any]] {
            for t in tests {
                let group = t["group"] as! String
                func values(_ stage: String) -> [Double] {
                    feedback.filter { ($0["group"] == group || group == "all") && $0["stage"] == stage }.flatMap { row in
                        (1...5).flatMap { k in Array(repeating: Double(k), count: Int(Double(row["rating_\(k)"]!) ?? .nan)) }
                    }
                }
                let w = RankSumTest(values("after"), values("before"))?.statistic
                #expect(w == (t["wilcoxon_w"] as? NSNumber)?.doubleValue, "rank-sum W for \(group) is not from the published ratings")
            }
        }
    }

    /// Free text states no count; sentences give the published counts only.
    func attackText(_ out: String) throws {
        let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        for m in allMatches(#"([0-9][0-9,]*) of ([0-9][0-9,]*) accepted incident rows"#, in: summary) {
            for n in m { #expect(isPublished(Double(n.replacingOccurrences(of: ",", with: ""))!), "summary: \(m) gives an exact row count") }
        }
        if let involvement = try? String(contentsOfFile: out + "/tables/involvement.csv", encoding: .utf8) {
            #expect(firstMatch(#"[0-9]+ responses"#, in: involvement) == nil, "involvement evidence states a count")
        }
    }

    // MARK: helpers

    func table(_ path: String) throws -> [[String: String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let records = parseCSV(text)
        guard let header = records.first else { return [] }
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.map { $0.hasPrefix("'") ? String($0.dropFirst()) : $0 })) }
    }

    func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var it = Array(text).makeIterator(), pending: Character? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" { if let n = it.next() { if n == "\"" { field.append("\"") } else { quoted = false; pending = n } } else { quoted = false } }
                else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else if c != "\r" { field.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        let r = m.numberOfRanges > 1 ? m.range(at: 1) : m.range
        return Range(r, in: text).map { String(text[$0]) }
    }

    func allMatches(_ pattern: String, in text: String) -> [[String]] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            (1..<m.numberOfRanges).compactMap { Range(m.range(at: $0), in: text).map { String(text[$0]) } }
        }
    }

    func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
