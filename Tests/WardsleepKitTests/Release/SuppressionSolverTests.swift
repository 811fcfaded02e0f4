import Testing
@testable import WardsleepKit

/// `SuppressionSolver` (a work list of families, in arrays, with trials that stop once a count is pinned) against the
/// plain statement of secondary suppression it replaced: every family narrowed in order, pass after pass, until a pass
/// changes nothing, and every trial worked out in full (with the same rule for a count no withholding can unpin). On random tables of wards, categories and periods (sums, the
/// protected window's bounds, unions of patients, and parts adding up to at most their totals), with counts as sparse
/// as a small study's, both infer the same bounds and withhold the same counts.
@Suite struct SuppressionSolverTests {
    typealias Family = SecondarySuppression.Family<String>

    /// The plain statement, as `SecondarySuppression` first computed it.
    enum Plain {
        static func inferred(counts: [String: Int], families: [Family], withheld: Set<String>,
                             policy: DisclosurePolicy) -> [String: (lo: Int, hi: Int)] {
            let unbounded = SecondarySuppression.unbounded
            var known: [String: (lo: Int, hi: Int)] = [:]
            for f in families {
                for k in f.members where known[k] == nil { known[k] = SecondarySuppression.bounds(k, counts, withheld, { _ in policy }) }
            }
            func plus(_ a: Int, _ b: Int) -> Int { min(unbounded, a + b) }
            var changed = true, rounds = 0
            while changed && rounds < 10_000 {
                changed = false
                rounds += 1
                for f in families {
                    let parts = f.parts.map { known[$0]! }
                    let sumLo = parts.reduce(0) { plus($0, $1.lo) }
                    let finiteHi = parts.filter { $0.hi < unbounded }.reduce(0) { plus($0, $1.hi) }
                    let open = parts.filter { $0.hi >= unbounded }.count
                    if f.kind == .atMost {
                        let totals = f.totals.map { known[$0]! }
                        let totalsOpen = totals.filter { $0.hi >= unbounded }.count
                        let totalsHi = totals.filter { $0.hi < unbounded }.reduce(0) { plus($0, $1.hi) }
                        for (k, t) in zip(f.totals, totals) where totalsOpen - (t.hi >= unbounded ? 1 : 0) == 0 {
                            let lo = max(t.lo, sumLo - (totalsHi - (t.hi < unbounded ? t.hi : 0)))
                            if lo != t.lo { known[k] = (lo, t.hi); changed = true }
                        }
                        guard totalsOpen == 0 else { continue }
                        for (k, p) in zip(f.parts, parts) {
                            let hi = min(p.hi, totalsHi - (sumLo - p.lo))
                            if hi != p.hi { known[k] = (p.lo, hi); changed = true }
                        }
                        continue
                    }
                    let maxLo = parts.map(\.lo).max() ?? 0
                    var total = known[f.total]!
                    var newTotal = total
                    switch f.kind {
                    case .sum: newTotal = (lo: max(total.lo, sumLo), hi: open > 0 ? total.hi : min(total.hi, finiteHi))
                    case .union: newTotal = (lo: max(total.lo, maxLo), hi: open > 0 ? total.hi : min(total.hi, finiteHi))
                    case .bound: newTotal = (lo: max(total.lo, maxLo), hi: total.hi)
                    case .atMost: break
                    }
                    if newTotal != total { known[f.total] = newTotal; total = newTotal; changed = true }
                    for (k, p) in zip(f.parts, parts) {
                        let othersOpen = open - (p.hi >= unbounded ? 1 : 0) > 0
                        var next = p
                        next.hi = min(next.hi, total.hi)
                        if f.kind == .sum, total.hi < unbounded { next.hi = min(next.hi, total.hi - (sumLo - p.lo)) }
                        if f.kind != .bound, !othersOpen { next.lo = max(next.lo, total.lo - (finiteHi - (p.hi < unbounded ? p.hi : 0))) }
                        if next != p { known[k] = next; changed = true }
                    }
                }
            }
            return known
        }

        /// Whether a count is shown as a number other than zero (so may be withheld).
        static func isPublished(_ key: String, _ counts: [String: Int], _ withheld: Set<String>, _ policy: (String) -> DisclosurePolicy) -> Bool {
            guard !withheld.contains(key), let n = counts[key], n > 0 else { return false }
            return Disclosure.publish(n, policy: policy(key)) != .suppressed
        }

        static func withheld(counts: [String: Int], families: [Family], policy: DisclosurePolicy,
                             initial: Set<String>, fixed: Set<String>) -> Set<String> {
            let p: (String) -> DisclosurePolicy = { _ in policy }
            var withheld = initial, givenUp = Set<String>(), triedAll = Set<String>()
            var familiesOf: [String: [Int]] = [:], sameAs: [String: [String]] = [:]
            for (i, f) in families.enumerated() {
                for k in f.members { familiesOf[k, default: []].append(i) }
                if f.parts.count == 1 && (f.kind == .sum || f.kind == .union) {
                    sameAs[f.total, default: []].append(f.parts[0]); sameAs[f.parts[0], default: []].append(f.total)
                }
            }
            func withholding(_ key: String, in set: Set<String>) -> Set<String> {
                var out = set, next = [key]
                while let k = next.popLast() { if !fixed.contains(k), out.insert(k).inserted { next += sameAs[k] ?? [] } }
                return out
            }
            func isPinned(_ k: String, _ known: [String: (lo: Int, hi: Int)], _ withheld: Set<String>) -> Bool {
                SecondarySuppression.isProtected(k, counts, withheld, p) && known[k]!.lo == known[k]!.hi
            }
            while true {
                let known = inferred(counts: counts, families: families, withheld: withheld, policy: policy)
                guard let key = families.lazy.flatMap(\.members).first(where: { !givenUp.contains($0) && isPinned($0, known, withheld) })
                else { return withheld }
                func around(_ keys: [String]) -> [String] {
                    let mine = Set(keys.flatMap { familiesOf[$0] ?? [] }).sorted().map { families[$0] }
                    return mine.flatMap(\.parts).sorted(by: { (counts[$0] ?? 0) < (counts[$1] ?? 0) }) + mine.flatMap(\.totals)
                }
                let near = around([key]), far = around(near)
                var candidates: [String] = [], seen: Set<String> = [key]
                for k in near + far where !fixed.contains(k) && isPublished(k, counts, withheld, p) && seen.insert(k).inserted {
                    candidates.append(k)
                }
                candidates = candidates.enumerated().sorted { ((counts[$0.element] ?? 0), $0.offset) < ((counts[$1.element] ?? 0), $1.offset) }.map(\.element)
                if !fixed.contains(key), isPublished(key, counts, withheld, p) { candidates.append(key) }
                guard let smallest = candidates.first else { givenUp.insert(key); continue }
                // A count that withholding every candidate at once leaves pinned is given up before anything is withheld.
                if triedAll.insert(key).inserted {
                    let all = candidates.reduce(withheld) { withholding($1, in: $0) }
                    if isPinned(key, inferred(counts: counts, families: families, withheld: all, policy: policy), all) { givenUp.insert(key); continue }
                }
                let unpinning = candidates.prefix(64).first { c in
                    let trial = withholding(c, in: withheld)
                    return !isPinned(key, inferred(counts: counts, families: families, withheld: trial, policy: policy), trial)
                }
                withheld = withholding(unpinning ?? smallest, in: withheld)
            }
        }
    }

    /// A random table: counts by ward, category and period over 24 hours and in the protected window, their totals by
    /// ward, by category and for the study, patients by ward and in all, and the families among them that the exact
    /// counts bear out.
    static func table(_ random: inout SampleRandom, wards: ClosedRange<Int> = 2...10, categories: ClosedRange<Int> = 1...5)
        -> (counts: [String: Int], families: [Family]) {
        let wards = wards.lowerBound + Int(random.next() % UInt64(wards.count))
        let categories = categories.lowerBound + Int(random.next() % UInt64(categories.count))
        let sparse = random.next() % 3 == 0
        var counts: [String: Int] = [:], families: [Family] = []
        func add(_ f: Family) { if f.holds(counts) { families.append(f) } }
        for period in ["b", "p"] {
            for w in 0..<wards {
                // Half the wards are tight: one category just past the threshold and the others at 1, so the ward's
                // total, rounded, can leave its `*`s a single value; the rest mostly none or a few, now and then more.
                let tight = random.next() % 2 == 0
                for c in 0..<categories {
                    let draw = Int(random.next() % 10)
                    let day = tight ? (c == 0 ? 8 + Int(random.next() % 2) : 1)
                        : draw < 4 ? 0 : draw < 8 ? 1 + Int(random.next() % (sparse ? 2 : 3)) : 8 + Int(random.next() % 5)
                    let night = Int(random.next() % UInt64(day + 1))
                    counts["\(period)w\(w)c\(c)"] = day
                    counts["\(period)w\(w)c\(c)n"] = night
                    add(Family(total: "\(period)w\(w)c\(c)", parts: ["\(period)w\(w)c\(c)n"], kind: .bound))
                }
                for suffix in ["", "n"] {
                    counts["\(period)w\(w)\(suffix)"] = (0..<categories).reduce(0) { $0 + counts["\(period)w\(w)c\($1)\(suffix)"]! }
                    add(Family(total: "\(period)w\(w)\(suffix)", parts: (0..<categories).map { "\(period)w\(w)c\($0)\(suffix)" }))
                }
                // Patients: at most the incidents, at least one when there are any.
                let day = counts["\(period)w\(w)"]!
                counts["\(period)w\(w)pt"] = day == 0 ? 0 : 1 + Int(random.next() % UInt64(day))
            }
            for suffix in ["", "n"] {
                for c in 0..<categories {
                    counts["\(period)c\(c)\(suffix)"] = (0..<wards).reduce(0) { $0 + counts["\(period)w\($1)c\(c)\(suffix)"]! }
                    add(Family(total: "\(period)c\(c)\(suffix)", parts: (0..<wards).map { "\(period)w\($0)c\(c)\(suffix)" }))
                }
                counts["\(period)\(suffix)"] = (0..<categories).reduce(0) { $0 + counts["\(period)c\($1)\(suffix)"]! }
                add(Family(total: "\(period)\(suffix)", parts: (0..<categories).map { "\(period)c\($0)\(suffix)" }))
                add(Family(total: "\(period)\(suffix)", parts: (0..<wards).map { "\(period)w\($0)\(suffix)" }))
            }
            let wardPatients = (0..<wards).map { counts["\(period)w\($0)pt"]! }
            counts["\(period)pt"] = min(wardPatients.reduce(0, +), (wardPatients.max() ?? 0) + Int(random.next() % 4))
            add(Family(total: "\(period)pt", parts: (0..<wards).map { "\(period)w\($0)pt" }, kind: .union))
            add(Family(total: "\(period)", parts: ["\(period)n"], kind: .bound))
            add(Family(total: "\(period)", parts: ["\(period)n", "\(period)w0c0n"], kind: .atMost, moreTotals: ["\(period)w0"]))
        }
        return (counts, families)
    }

    @Test func theSolverWithholdsWhatThePlainStatementWithholds() {
        var random = SampleRandom(seed: 2026)
        var withheldSome = 0, cases = 0
        for round in 0..<160 {
            let (counts, families) = Self.table(&random)
            let policy = round % 4 == 3 ? DisclosurePolicy(suppressAtOrBelow: 5, roundTo: 10) : DisclosurePolicy()
            let keys = counts.keys.sorted()
            // Now and then, counts withheld by another report already, or shown elsewhere as they are.
            var initial = Set<String>(), fixed = Set<String>()
            if round % 5 == 1 { for k in keys where counts[k]! > 7 && random.next() % 8 == 0 { initial.insert(k) } }
            if round % 5 == 2 { for k in keys where random.next() % 8 == 0 { fixed.insert(k) } }
            let expected = Plain.withheld(counts: counts, families: families, policy: policy, initial: initial, fixed: fixed)
            let got = SecondarySuppression.withheld(counts: counts, families: families, policy: policy, initial: initial, fixed: fixed)
            #expect(got == expected, "round \(round): \(got.symmetricDifference(expected).sorted())")
            // What an attacker infers, before and after: the same bounds for every count.
            for hidden in [Set<String>(), expected] {
                let a = Plain.inferred(counts: counts, families: families, withheld: hidden, policy: policy)
                let b = SecondarySuppression.inferred(counts: counts, families: families, withheld: hidden, policy: policy)
                #expect(a.count == b.count && a.allSatisfy { entry in b[entry.key].map { $0 == entry.value } ?? false },
                        "round \(round): bounds differ")
            }
            cases += 1
            if expected.count > initial.count { withheldSome += 1 }
        }
        // The tables are sparse enough that secondary suppression has work to do in many of them.
        #expect(cases == 160 && withheldSome >= 30, "\(withheldSome) of \(cases) tables needed counts withheld")
    }
}
