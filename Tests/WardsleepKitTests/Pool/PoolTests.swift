import Foundation
import Testing
@testable import WardsleepKit

/// The folder of the shared trusts, removed when the test process exits (a static value is never released).
nonisolated(unsafe) private var sharedTrustsFolder: String?

/// Five synthetic trusts (`wardsleep sample --seed 1…5`), each run once with `--share --unsuppressed`, shared by the
/// tests below.
final class SharedTrusts: @unchecked Sendable {
    static let five = SharedTrusts()
    let dir = TempFolder()
    /// Report folders, by seed 1…5.
    var reports: [String] = []
    var error: Error?

    init() {
        sharedTrustsFolder = dir.path
        atexit { if let folder = sharedTrustsFolder { try? FileManager.default.removeItem(atPath: folder) } }
        do {
            for seed in UInt64(1)...5 {
                let study = dir.path + "/study-\(seed)", out = dir.path + "/report-\(seed)"
                try SampleStudy.write(to: study, seed: seed)
                // Each trust its own key, as each real one has (one key is one trust to `pool`).
                var o = RunOptions(studyFolder: study, outFolder: out, environment: ["WARDSLEEP_KEY": "pool-test-trust-\(seed)-key-0123456789"],
                                   unsuppressed: true)
                o.share = true
                o.ledgerPath = dir.path + "/ledger.sqlite"
                _ = try StudyRun.run(o)
                reports.append(out)
            }
        } catch { self.error = error }
    }

    var aggregates: [String] { reports.map { $0 + "/" + TrustAggregate.fileName } }

    func trusts(_ seeds: [Int]) throws -> [PooledTrust] {
        if let error { throw error }
        return try PoolCheck.load(seeds.map { aggregates[$0 - 1] })
    }
}

/// Reads a CSV table written by wardsleep (no quoted line breaks) as dictionaries.
func csvRows(_ path: String) throws -> [[String: String]] {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
        line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    guard let header = lines.first else { return [] }
    return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
}

@Suite(.serialized) struct PoolTests {
    let shared = SharedTrusts.five

    func measure(_ r: PoolResults, _ category: String, _ window: TimeWindow) throws -> PooledMeasure {
        try #require(r.measures.first { $0.category == category && $0.window == window })
    }

    @Test func aggregateReadsBackAsWrittenAndItsHashIsTheCanonicalForm() throws {
        let trust = try shared.trusts([1])[0]
        let text = try String(contentsOfFile: shared.aggregates[0], encoding: .utf8)
        #expect(text == trust.aggregate.rendered())
        #expect(trust.sha256 == TrustAggregate.hash(trust.aggregate.document))
        // The canonical form: sorted keys, no white space, whole numbers without a point.
        #expect(JSONValue.object([("b", .double(2)), ("a", .array([.int(1), .double(0.5), .string("x\"y")]))]).canonical()
            == #"{"a":[1,0.5,"x\"y"],"b":2}"#)
        #expect(trust.aggregate.organisation == "Example Mental Health NHS Foundation Trust (seed 1)")
        #expect(!text.contains("Acute male"), "ward names are not shared")
        // Fidelity counts travel too, exactly as the trust's own restricted table has them.
        let own = try csvRows(shared.reports[0] + "/restricted/tables/fidelity.csv").first { $0["ward"] == "A1" && $0["period"] == "pilot" }!
        let shared = try #require(trust.aggregate.wards[0].fidelity?[.pilot])
        #expect(shared.protectedNights == Int(own["protected_nights"]!)! && shared.protectedNights > 0)
        #expect(shared.withoutRoutineCheck == Int(own["protected_nights_without_routine_check"]!)!)
        #expect(shared.checksInWindow == Int(own["checks_in_window"]!)! && shared.bedNights == Double(own["bed_nights"]!)!)
    }

    @Test func poolingOneTrustGivesItsOwnMantelHaenszel() throws {
        let r = PoolAnalysis.analyse(try shared.trusts([1]), style: .exact)
        let own = try csvRows(shared.reports[0] + "/restricted/tables/incidents_pooled.csv")
        #expect(own.count == r.measures.count)
        for row in own {
            let m = try measure(r, row["category"]!, TimeWindow(rawValue: row["window"]!)!)
            guard let expected = Double(row["mh_rate_ratio"]!) else { #expect(m.mantelHaenszel?.estimate == nil); continue }
            #expect(abs(m.mantelHaenszel!.estimate! - expected) < 1e-12, "\(row)")
            #expect(abs(m.mantelHaenszel!.lower! - Double(row["ci_lower"]!)!) < 1e-12)
            #expect(abs(m.mantelHaenszel!.upper! - Double(row["ci_upper"]!)!) < 1e-12)
        }
    }

    @Test func poolingFiveTrustsEqualsOneStudyHoldingAllTheirWards() throws {
        let r = PoolAnalysis.analyse(try shared.trusts([1, 2, 3, 4, 5]), style: .exact)
        // Every ward of every trust, from each trust's own exact incidents table, as one study's strata.
        var strata: [String: [RateStratum]] = [:]
        for report in shared.reports {
            for row in try csvRows(report + "/restricted/tables/incidents.csv") where row["scope"] == "ward" {
                strata["\(row["category"]!)|\(row["window"]!)", default: []].append(RateStratum(
                    x1: Int(row["pilot_events"]!)!, t1: Double(row["pilot_exposure"]!)!,
                    x0: Int(row["baseline_events"]!)!, t0: Double(row["baseline_exposure"]!)!))
            }
        }
        #expect(r.measures.count == strata.count)
        for m in r.measures {
            let one = mantelHaenszelRateRatio(strata: strata["\(m.category)|\(m.window.rawValue)"]!)
            #expect(m.mantelHaenszel?.strata == 35)
            #expect(m.mantelHaenszel?.estimate == one.estimate && m.mantelHaenszel?.lower == one.lower && m.mantelHaenszel?.upper == one.upper,
                    "\(m.category) \(m.window)")
        }
    }

    func expectClose(_ a: Double?, _ b: Double, _ what: String) {
        #expect(a != nil && abs(a! - b) < 1e-6 * max(1, abs(b)), "\(what): \(String(describing: a)) against metafor \(b)")
    }

    func expectMetafor(_ p: InverseVariancePooling?, fixed: [Double], random: [Double], tau2: Double, i2: Double, q: Double, qP: Double) {
        expectClose(p?.fixed.rateRatio, fixed[0], "FE"); expectClose(p?.fixed.lower, fixed[1], "FE lower")
        expectClose(p?.fixed.upper, fixed[2], "FE upper"); expectClose(p?.fixed.p, fixed[3], "FE p")
        expectClose(p?.random.rateRatio, random[0], "DL"); expectClose(p?.random.lower, random[1], "DL lower")
        expectClose(p?.random.upper, random[2], "DL upper"); expectClose(p?.random.p, random[3], "DL p")
        expectClose(p?.tau2, tau2, "tau2"); expectClose(p?.i2, i2, "I2"); expectClose(p?.q, q, "Q"); expectClose(p?.qP, qP, "Q p")
    }

    /// Expected values from R 4 / metafor 3.8-1:
    /// d <- escalc(measure = "IRR", x1i = x1, t1i = t1, x2i = x0, t2i = t0)
    /// rma(yi, vi, data = d, method = "FE"); rma(yi, vi, data = d, method = "DL")
    /// with t1 = c(26443, 26571, 26567, 26421, 26292), t0 = c(26849, 26968, 27178, 26885, 27018) (each trust's occupied bed days).
    @Test func poolingFiveTrustsMatchesMetafor() throws {
        let r = PoolAnalysis.analyse(try shared.trusts([1, 2, 3, 4, 5]), style: .exact)
        let all = try measure(r, "all", .allDay)
        #expect(all.trusts.map(\.pilot) == [912, 911, 877, 938, 939] && all.trusts.map(\.baseline) == [1003, 947, 941, 981, 905])
        #expect(all.trusts.map(\.pilotExposure) == [26443, 26571, 26567, 26421, 26292])
        // x1 = c(912, 911, 877, 938, 939), x0 = c(1003, 947, 941, 981, 905)
        expectMetafor(all.pooling, fixed: [0.97693799437887852, 0.9381160888472041, 1.0173664605132628, 0.25942148345802313],
                      random: [0.97703034133686617, 0.93235255180535159, 1.0238490644385814, 0.33053318204110271],
                      tau2: 0.00071121851521370352, i2: 24.940966814640994, q: 5.3291387195488671, qP: 0.2551615175750267)
        // x1 = c(58, 53, 58, 68, 60), x0 = c(63, 79, 69, 74, 70): τ² = 0, so DL equals FE.
        expectMetafor(try measure(r, "all", .protected).pooling,
                      fixed: [0.85386114524734968, 0.73171073716825619, 0.99640311167863138, 0.044887156894989066],
                      random: [0.85386114524734968, 0.73171073716825619, 0.99640311167863138, 0.044887156894989066],
                      tau2: 0, i2: 0, q: 2.1976613650037846, qP: 0.69945745362393696)
        // Security in the protected window: trust 3 has no pilot events, so ½ is added to both its counts.
        // x1 = c(6, 3, 0, 8, 6), x0 = c(3, 4, 4, 2, 6)
        let security = try measure(r, "security", .protected)
        #expect(security.trusts.map(\.pilot) == [6, 3, 0, 8, 6] && security.trusts.map(\.baseline) == [3, 4, 4, 2, 6])
        expectMetafor(security.pooling, fixed: [1.2998087536997234, 0.6704330770328959, 2.5200170666870751, 0.43758268282350271],
                      random: [1.2677016959712142, 0.55472988409553625, 2.8970272488357987, 0.57375922445826133],
                      tau2: 0.27316950894580472, i2: 31.167936229590985, q: 5.8112451972122976, qP: 0.21369502616830904)
    }

    /// A trust with no events in a category in either period keeps its place (½ added to both counts) and shows no rate
    /// ratio of its own; one with none in one period gets ½ added to both.
    /// R: escalc(measure = "IRR", x1i = c(0, 5, 0), t1i = c(100, 120, 90), x2i = c(0, 3, 4), t2i = c(110, 100, 80));
    /// rma(yi, vi, method = "FE"); rma(yi, vi, method = "DL")
    @Test func trustWithZeroEventsInACategory() throws {
        func trust(_ name: String, _ x1: Int, _ t1: Double, _ x0: Int, _ t0: Double) -> PooledTrust {
            let a = TrustAggregate(study: "S", organisation: name, toolVersion: WardsleepVersion.current,
                                   periods: ["2018-01-01", "2018-08-31", "2019-01-01", "2019-08-31"], exposureUnit: .occupiedBedDays,
                                   disclosure: DisclosurePolicy(), categories: ["all", "falls"], windows: [.allDay],
                                   hypnoticsKind: nil, wards: [.init(baselineExposure: t0, pilotExposure: t1, incidents: [
                                       .init(category: "all", window: .allDay, baseline: x0 + 20, pilot: x1 + 20),
                                       .init(category: "falls", window: .allDay, baseline: x0, pilot: x1),
                                   ])])
            return PooledTrust(file: name + ".json", sha256: TrustAggregate.hash(a.document), aggregate: a)
        }
        let trusts = [trust("A", 0, 100, 0, 110), trust("B", 5, 120, 3, 100), trust("C", 0, 90, 4, 80)]
        try PoolCheck.check(trusts)
        let falls = try measure(PoolAnalysis.analyse(trusts, style: .exact), "falls", .allDay)
        #expect(falls.trusts[0].ratio?.estimate == nil, "no events in either period: no rate ratio")
        #expect(falls.trusts[2].ratio?.estimate == 0 && falls.trusts[2].ratio?.lower == 0)
        #expect(falls.pooling?.k == 3)
        expectMetafor(falls.pooling, fixed: [0.8554659128166362, 0.25220490298639153, 2.9016958803163648, 0.80219672854475443],
                      random: [0.72010024691782604, 0.14971657268642491, 3.4635067869018314, 0.68198426127388445],
                      tau2: 0.50011539031059082, i2: 21.676921294977625, q: 2.5535257718000715, qP: 0.27893879725558723)
        let json = PoolTables.json(PoolAnalysis.analyse(trusts, style: .exact))
        #expect(json.contains(#""name": "A",\#n          "rate_ratio": null,"#))
    }

    // MARK: errors (exit 2)

    func pool(_ files: [String], _ dir: TempFolder) throws -> (status: Int32, out: String, err: String) {
        try runWardsleep(["pool"] + files + ["--out", dir.path + "/pooled"])
    }

    /// An aggregate file as a JSON document.
    func document(_ path: String) throws -> JSONValue {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        return try #require(JSONValue(foundation: object))
    }

    /// Writes an aggregate edited by `edit` (its hash recomputed unless `keepHash`) and returns its path.
    func edited(_ dir: TempFolder, _ name: String, from seed: Int, keepHash: Bool = false, _ edit: (inout TrustAggregate) -> Void) throws -> String {
        var a = try shared.trusts([seed])[0].aggregate
        edit(&a)
        var text = a.rendered()
        if keepHash {
            let original = try String(contentsOfFile: shared.aggregates[seed - 1], encoding: .utf8)
            let hash = try #require(original.range(of: #""sha256": "[0-9a-f]{64}""#, options: .regularExpression))
            text = text.replacingOccurrences(of: #""sha256": "[0-9a-f]{64}""#, with: String(original[hash]), options: .regularExpression)
        }
        return dir.write(name, text)
    }

    @Test func mismatchedSchemaVersionIsAClearError() throws {
        let dir = TempFolder()
        let original = try String(contentsOfFile: shared.aggregates[1], encoding: .utf8)
        let v2 = dir.write("v2.json", original.replacingOccurrences(of: "\"schema_version\": 1,", with: "\"schema_version\": 2,"))
        let r = try pool([shared.aggregates[0], v2], dir)
        #expect(r.status == 2)
        #expect(r.err == "wardsleep: error: \(v2): schema_version: is 2, but this wardsleep (\(WardsleepVersion.current)) reads aggregates of "
                + "schema version 1; ask the trust to run `wardsleep run --share` again with this version\n")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/pooled"))
    }

    @Test func tamperedAggregateIsRefused() throws {
        let dir = TempFolder()
        let tampered = try edited(dir, "tampered.json", from: 2, keepHash: true) { $0.wards[0].incidents[0].pilot -= 40 }
        let r = try pool([shared.aggregates[0], tampered], dir)
        #expect(r.status == 2)
        #expect(r.err == "wardsleep: error: \(tampered): sha256: does not match the file's content: the aggregate was changed after wardsleep "
                + "wrote it; ask the trust for the file as `wardsleep run --share` wrote it\n")
        // Not JSON, or not an aggregate.
        let junk = dir.write("junk.json", "{\"schema_version\": 1}")
        #expect(try pool([junk], dir).err == "wardsleep: error: \(junk): is not a wardsleep aggregate (no \"kind\": \"wardsleep aggregate\"); "
                + "expected the restricted/aggregate.json that `wardsleep run --share` writes\n")
    }

    @Test func duplicateFilesAndTrustsAreClearErrors() throws {
        let dir = TempFolder()
        let same = try pool([shared.aggregates[0], shared.aggregates[1], shared.aggregates[0]], dir)
        #expect(same.status == 2)
        let sha = try shared.trusts([1])[0].sha256
        #expect(same.err == "wardsleep: error: \(shared.aggregates[0]) and \(shared.aggregates[0]) are the same aggregate (identical content, "
                + "SHA-256 \(sha.prefix(12))…); give each trust's aggregate once\n")
        // The same trust twice (its seed-2 figures under seed 1's name).
        let again = try edited(dir, "again.json", from: 2) { $0.organisation = "example mental health NHS foundation trust (seed 1)" }
        let twice = try pool([shared.aggregates[0], again], dir)
        #expect(twice.status == 2)
        #expect(twice.err == "wardsleep: error: \(again) and \(shared.aggregates[0]) both come from example mental health NHS foundation trust "
                + "(seed 1); give each trust's aggregate once (pool a trust's latest run only)\n")
        // The probe's try: the same trust under a new organisation name (its study.yaml edited), so twice its counts.
        // Its salt, made from its key, is the same: refused all the same.
        let renamed = try edited(dir, "renamed.json", from: 1) { $0.organisation = "Renamed Trust" }
        let salted = try pool([shared.aggregates[0], renamed], dir)
        #expect(salted.status == 2)
        #expect(salted.err.hasPrefix("wardsleep: error: \(renamed) and \(shared.aggregates[0]) were made with the same trust key (the same "
                + "salt), so come from one trust, whatever their organisation names (Example Mental Health NHS Foundation Trust (seed 1), "
                + "Renamed Trust)"), "\(salted.err)")
    }

    @Test func differingCategoriesNameWhatEachTrustLacks() throws {
        let dir = TempFolder()
        // A trust without the category: its incidents are not in its total either.
        func dropping(_ category: String) -> (inout TrustAggregate) -> Void {
            { a in
                a.categories.removeAll { $0 == category }
                for w in a.wards.indices {
                    for dropped in a.wards[w].incidents where dropped.category == category {
                        let all = a.wards[w].incidents.firstIndex { $0.category == IncidentCounts.allCategories && $0.window == dropped.window }!
                        a.wards[w].incidents[all].baseline -= dropped.baseline
                        a.wards[w].incidents[all].pilot -= dropped.pilot
                    }
                    a.wards[w].incidents.removeAll { $0.category == category }
                }
            }
        }
        let noAwol = try edited(dir, "no-awol.json", from: 2, dropping("awol"))
        let noDeath = try edited(dir, "no-death.json", from: 3) { a in dropping("death")(&a); dropping("security")(&a) }
        let r = try pool([shared.aggregates[0], noAwol, noDeath], dir)
        #expect(r.status == 2)
        #expect(r.err == "wardsleep: error: the trusts' incident categories differ: \(noAwol) (Example Mental Health NHS Foundation Trust (seed 2)) "
                + "lacks awol; \(noDeath) (Example Mental Health NHS Foundation Trust (seed 3)) lacks death, security; map each trust's "
                + "categories to the same names (exports.incidents.categories in its study.yaml) and run it again with --share\n")
    }

    /// The probe's tampering, each with the file's hash recomputed so that only the counts themselves can give it away:
    /// every one is refused, naming the ward and what does not add up.
    @Test func countsThatCannotBelongTogetherAreRefused() throws {
        let dir = TempFolder()
        func refused(_ name: String, _ edit: @escaping (inout TrustAggregate) -> Void, _ message: String) throws {
            let file = try edited(dir, name, from: 2, edit)
            let r = try pool([shared.aggregates[0], file], dir)
            #expect(r.status == 2 && r.err.contains(message), "\(name): \(r.err)")
        }
        try refused("no-exposure.json", { $0.wards[0].baselineExposure = 0 }, "wards[0].baseline_exposure: is 0, yet all in 24h counts incidents")
        try refused("night.json", { a in
            let i = a.wards[0].incidents.firstIndex { $0.category == "all" && $0.window == .protected }!
            a.wards[0].incidents[i].pilot = 5_000
        }, "wards[0].incidents: counts more all incidents in the protected window than over 24 hours in the pilot")
        try refused("category.json", { a in
            let i = a.wards[0].incidents.firstIndex { $0.category == "violence" && $0.window == .allDay }!
            a.wards[0].incidents[i].baseline += 1
        }, "wards[0].incidents: its categories add up to")
        try refused("patients.json", { a in a.wards[0].protectedSleep!.patientsProtected = 1_000_000 },
                    "wards[0].protected_sleep.patients_protected: is more than patients")
        try refused("no-wards.json", { $0.wards = [] }, "wards: lists no ward")
    }

    @Test func differentWindowsExposuresAndNoIncidentsAreListedTogether() throws {
        let dir = TempFolder()
        let oneWindow = try edited(dir, "24h.json", from: 2) { a in
            a.windows = [.allDay]
            for w in a.wards.indices { a.wards[w].incidents.removeAll { $0.window == .protected } }
        }
        let days = try edited(dir, "days.json", from: 3) { $0.exposureUnit = .days }
        let none = try edited(dir, "none.json", from: 4) { a in
            a.categories = []
            for w in a.wards.indices { a.wards[w].incidents = [] }
        }
        let r = try pool([shared.aggregates[0], oneWindow, days, none], dir)
        #expect(r.status == 2)
        let t = { (n: Int) in "Example Mental Health NHS Foundation Trust (seed \(n))" }
        #expect(r.err == """
            wardsleep: error: the aggregates cannot be pooled:
              - \(none) (\(t(4))) has no incident counts (its study had no incidents export); leave it out or run it with one
              - the trusts counted different windows: \(shared.aggregates[0]) (\(t(1))) 24h and protected; \(oneWindow) (\(t(2))) 24h; \(days) (\(t(3))) 24h and protected; run each study without --window
              - the trusts' exposures differ: \(shared.aggregates[0]) (\(t(1))) occupied bed days; \(oneWindow) (\(t(2))) occupied bed days; \(days) (\(t(3))) days; \(none) (\(t(4))) occupied bed days; every trust needs an occupancy export (or none does) for rates to be pooled

            """)
    }

    /// In a releasable copy a trust's small count is suppressed, and its rate ratio, the fixed and random effects that
    /// need it, and the Mantel–Haenszel estimate that needs its wards' counts, are withheld; the exact copy has them all.
    @Test func aSuppressedTrustCountWithholdsWhatItWouldGiveAway() throws {
        let trusts = try shared.trusts([1, 2, 3, 4, 5])
        let released = try measure(PoolAnalysis.analyse(trusts, style: .published(PoolAnalysis.strictest(trusts))), "death", .allDay)
        let exact = try measure(PoolAnalysis.analyse(trusts, style: .exact), "death", .allDay)
        #expect(exact.trusts[0].baseline == 4 && exact.trusts[0].pilot == 4 && abs(exact.trusts[0].ratio!.estimate! - 26849 / 26443.0) < 1e-12)
        #expect(released.trusts[0].baseline == nil && released.trusts[0].pilot == nil && released.trusts[0].ratio == nil)
        #expect(released.trusts[1].pilot == 10 && released.trusts[1].baseline == nil, "9 is published as 10, 4 suppressed")
        #expect(released.pooling == nil && exact.pooling != nil)
        #expect(released.poolingWithheld == "a trust's count is a small number (suppressed), so the trusts' rate ratios are not pooled")
        #expect(released.mantelHaenszel == nil && exact.mantelHaenszel?.estimate != nil)
        #expect(released.mantelHaenszelWithheld == "a ward's count is a small number (suppressed), so no pooled estimate is published")
        // Large counts are rounded, and the statistics come from the rounded ones.
        let all = try measure(PoolAnalysis.analyse(trusts, style: .published(DisclosurePolicy())), "all", .allDay)
        #expect(all.trusts.map(\.pilot) == [910, 910, 875, 940, 940])
        #expect(all.trusts[0].ratio == exactRateRatio(x1: 910, t1: 26443, x0: 1005, t0: 26849))
    }

    @Test func dosesGivenShowTheirDDDsOnlyInTheExactCopy() throws {
        func trust(_ name: String, _ kind: HypnoticsExportKind, _ ddd: (Double, Double)) -> PooledTrust {
            var ward = TrustAggregate.Ward(baselineExposure: 1000, pilotExposure: 900, incidents: [.init(category: "all", window: .allDay, baseline: 50, pilot: 40)])
            ward.ddd = ddd
            let a = TrustAggregate(study: "S", organisation: name, toolVersion: WardsleepVersion.current,
                                   periods: ["2018-01-01", "2018-08-31", "2019-01-01", "2019-08-31"], exposureUnit: .occupiedBedDays,
                                   disclosure: DisclosurePolicy(), categories: ["all"], windows: [.allDay], hypnoticsKind: kind, wards: [ward])
            return PooledTrust(file: name, sha256: name, aggregate: a)
        }
        let issues = [trust("A", .issues, (300, 200)), trust("B", .issues, (100, 90))]
        let shown = PoolAnalysis.analyse(issues, style: .published(DisclosurePolicy())).hypnotics
        #expect(shown.map(\.trust) == [0, 1, nil])
        #expect(shown[2].baselineDDD == 400 && shown[2].pilotDDD == 290 && shown[2].per100(.baseline) == 20 && shown[2].per100(.pilot) == 290 / 1800 * 100)
        let doses = [trust("A", .administrations, (300, 200)), trust("B", .administrations, (100, 90))]
        let released = PoolAnalysis.analyse(doses, style: .published(DisclosurePolicy())).hypnotics
        #expect(released.count == 2 && released.allSatisfy { $0.baselineDDD == nil && $0.pilotDDD == nil && $0.per100(.pilot) == nil })
        #expect(PoolAnalysis.analyse(doses, style: .exact).hypnotics[1].pilotDDD == 90)
    }

    @Test func poolWritesAReportAndGuardsItsOutFolder() throws {
        let dir = TempFolder()
        let files = Array(shared.aggregates.prefix(2))
        let r = try pool(files, dir)
        #expect(r.status == 0, "\(r.err)")
        for f in ["summary.md", "report.html", "results.json", "manifest.json", "tables/pooled.csv", "tables/pooled_trusts.csv",
                  "tables/pooled_strata.csv", "tables/pooled_hypnotics.csv", "charts/forest-1.svg"] {
            #expect(dir.exists("pooled/" + f), "\(f) missing")
        }
        #expect(dir.read("pooled/report.html")?.contains("class=\"chart forest\"") == true)
        #expect(!dir.exists("pooled/restricted"))
        // The rates' unit as the tables give them.
        #expect(dir.read("pooled/summary.md")?.contains("Rates are per 1,000 occupied bed days (bed-nights in the protected window).") == true)
        // Each aggregate's SHA-256 is published: the aggregates carry a salt from their trust's key, so the hash of a
        // guessed aggregate (counts tried one by one, the salt unknown) never matches it.
        for file in files {
            let doc = try document(file)
            guard case .string(let hash)? = doc["sha256"], case .string? = doc["salt"] else { Issue.record("\(file): no salt"); continue }
            #expect(dir.read("pooled/results.json")?.contains(hash) == true)
            #expect(TrustAggregate.hash(doc.removing("sha256").removing("salt")) != hash)
        }
        // An aggregate without a salt (written before them): its hash stays out of the releasable copy.
        var old = try AggregateReader.read(files[0]).aggregate
        old.salt = nil
        let unsalted = dir.write("unsalted.json", old.rendered())
        guard case .string(let oldHash)? = try document(unsalted)["sha256"] else { Issue.record("no hash"); return }
        #expect(try runWardsleep(["pool", unsalted, files[1], "--out", dir.path + "/pooled-unsalted"]).status == 0)
        for f in ["summary.md", "report.html", "results.json", "manifest.json"] {
            let text = try #require(dir.read("pooled-unsalted/" + f))
            #expect(!text.contains(oldHash) && !text.contains(String(oldHash.prefix(16))), "\(f)")
        }
        #expect(dir.read("pooled-unsalted/results.json")?.contains("\"aggregate_sha256\": \"restricted copy only\"") == true)
        let exact = try runWardsleep(["pool"] + files + ["--out", dir.path + "/exact", "--unsuppressed"])
        #expect(exact.status == 0)
        #expect(dir.read("exact/restricted/summary.md")?.hasPrefix("# Pooled evaluation of protected sleep: 2 trusts\n\n> **Restricted: exact counts.**") == true)
        let manifest = try #require(dir.read("exact/manifest.json"))
        #expect(manifest.contains("\"path\": \"restricted/results.json\",\n      \"sensitivity\": \"restricted\""))
        #expect(manifest.contains("\"path\": \"results.json\",\n      \"sensitivity\": \"releasable\""))
        #expect(manifest.contains("\"file\": \"\(files[0])\""))
        #expect(manifest.range(of: "\"sha256\": \"[0-9a-f]{64}\"", options: .regularExpression) != nil)  // beside the exact copy
        // Again into the same folder: it is a report wardsleep wrote.
        #expect(try pool(files, dir).status == 0)
        // Never over an aggregate, a folder holding one, or a folder wardsleep did not write.
        let before = try Data(contentsOf: URL(fileURLWithPath: files[0]))
        for out in [files[0], (files[0] as NSString).deletingLastPathComponent, shared.dir.path] {
            let refused = try runWardsleep(["pool"] + files + ["--out", out])
            #expect(refused.status == 64, "\(out): \(refused.err)")
        }
        let over = try runWardsleep(["pool"] + files + ["--out", files[0]])
        #expect(over.err == "wardsleep: error: --out \(files[0]): is the aggregate \(files[0]); refusing to overwrite it\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: files[0])) == before)
        // --share covers the whole study: no filters.
        let filtered = try runWardsleep(["run", packageRoot() + "/data/sample", "--share", "--ward", "A1", "--out", dir.path + "/x"])
        #expect(filtered.status == 64)
        let months = try runWardsleep(["run", packageRoot() + "/data/sample", "--share", "--months", "jan-mar", "--out", dir.path + "/z"])
        #expect(months.status == 64 && months.err.contains("--months"))
        var o = RunOptions(studyFolder: packageRoot() + "/data/sample", outFolder: dir.path + "/y", environment: [:])
        o.share = true
        o.scope.categories = ["violence"]
        o.ledgerPath = dir.path + "/l.sqlite"
        #expect(throws: UsageError(option: "--share", value: "", message: "shares the whole study for pooling, so it cannot be combined with "
                                   + "--ward, --category, --from, --to, --months or --window")) { try StudyRun.run(o) }
        #expect(!dir.exists("y"))
    }
}
