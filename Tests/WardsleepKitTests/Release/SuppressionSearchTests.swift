import Testing
@testable import WardsleepKit

/// `SuppressionSolver.solve` (`SuppressionSearch`: bounds kept from round to round and widened only where a withheld
/// count reaches, pinned counts in a heap, trials tried near the count first) against `solveByRecomputing`, which works
/// every bound out again from the start in every round and every trial, on random tables larger than
/// `SuppressionSolverTests`' (up to 40 wards, some shown exactly), where rounds go on from one another: the same counts
/// withheld, to the count. (`SuppressionSolverTests` checks both against the plain statement on smaller tables.) Each
/// test here fails with the widening cut short (only the counts withheld, or only one family out) or with withheld
/// counts not looked at again as pinned ones.
@Suite struct SuppressionSearchTests {
    typealias Family = SecondarySuppression.Family<String>

    /// Both ways, on one table: (search, recomputing, the counts withheld at the start).
    static func solved(_ counts: [String: Int], _ families: [Family], policy: DisclosurePolicy, initial: Set<String> = [],
                       fixed: Set<String> = []) -> (search: Set<String>, recomputing: Set<String>) {
        let (keys, number, solver) = SecondarySuppression.numbered(counts: counts, families: families, policyOf: { _ in policy })
        var start = [Bool](repeating: false, count: keys.count), shownElsewhere = start
        for k in initial { if let i = number[k] { start[i] = true } }
        for k in fixed { if let i = number[k] { shownElsewhere[i] = true } }
        let a = solver.solve(initial: start, fixed: shownElsewhere), b = solver.solveByRecomputing(initial: start, fixed: shownElsewhere)
        return (Set(keys.indices.filter { a[$0] }.map { keys[$0] }), Set(keys.indices.filter { b[$0] }.map { keys[$0] }))
    }

    @Test func theSearchWithholdsWhatRecomputingWithholds() {
        var random = SampleRandom(seed: 1203)
        var rounds = 0, withheldSome = 0, total = 0
        for round in 0..<64 {
            let (counts, families) = SuppressionSolverTests.table(&random, wards: 8...40, categories: 3...6)
            // Counts shown exactly now and then: a withheld count is then often pinned by the others in its families,
            // and withheld counts must be looked at again as pinned ones.
            let policy = round % 4 == 3 ? DisclosurePolicy(suppressAtOrBelow: 5, roundTo: 10)
                : round % 4 == 2 ? DisclosurePolicy(suppressAtOrBelow: 3, roundTo: 1) : DisclosurePolicy()
            let keys = counts.keys.sorted()
            var initial = Set<String>(), fixed = Set<String>()
            if round % 5 == 1 { for k in keys where counts[k]! > 7 && random.next() % 8 == 0 { initial.insert(k) } }
            if round % 5 == 2 { for k in keys where random.next() % 8 == 0 { fixed.insert(k) } }
            let (search, recomputing) = Self.solved(counts, families, policy: policy, initial: initial, fixed: fixed)
            #expect(search == recomputing, "round \(round): \(search.symmetricDifference(recomputing).sorted())")
            rounds += 1
            if recomputing.count > initial.count { withheldSome += 1 }
            total += recomputing.count - initial.count
        }
        // Many tables need counts withheld, often dozens, each round going on from the last (28 tables, 1,069 counts).
        #expect(rounds == 64 && withheldSome >= 20 && total >= 500, "\(withheldSome) of \(rounds) tables needed counts withheld, \(total) in all")
    }

    /// A chain: each ward's total is rounded and its two categories are `*`, and every ward's first category is also a
    /// part of the next ward's "carried" count, so withholding a count on one ward widens bounds wards away. Rounds that
    /// widened only the counts withheld, or only their own families, would keep bounds the chain no longer gives.
    @Test func aWithheldCountWidensBoundsAlongAChainOfFamilies() {
        for wards in [3, 8, 25] {
            var counts: [String: Int] = [:], families: [Family] = []
            for w in 0..<wards {
                counts["w\(w)a"] = 1 + w % 3
                counts["w\(w)b"] = 9 + w % 4
                counts["w\(w)"] = counts["w\(w)a"]! + counts["w\(w)b"]!
                families.append(Family(total: "w\(w)", parts: ["w\(w)a", "w\(w)b"]))
                if w > 0 {
                    counts["c\(w)"] = counts["w\(w - 1)a"]! + counts["w\(w)a"]!
                    families.append(Family(total: "c\(w)", parts: ["w\(w - 1)a", "w\(w)a"]))
                }
            }
            counts["all"] = (0..<wards).reduce(0) { $0 + counts["w\($1)"]! }
            families.append(Family(total: "all", parts: (0..<wards).map { "w\($0)" }))
            for policy in [DisclosurePolicy(), DisclosurePolicy(suppressAtOrBelow: 2, roundTo: 3)] {
                let (search, recomputing) = Self.solved(counts, families, policy: policy)
                #expect(search == recomputing, "\(wards) wards: \(search.symmetricDifference(recomputing).sorted())")
                // Nothing protected is left a single value.
                let known = SecondarySuppression.inferred(counts: counts, families: families, withheld: search, policy: policy)
                for (k, b) in known where SecondarySuppression.isProtected(k, counts, search, { _ in policy }) {
                    #expect(b.lo < b.hi, "\(wards) wards: \(k) pinned at \(b.lo)")
                }
            }
        }
    }
}

extension SuppressionSearchTests {
    /// A propagation that does not settle within its budget leaves no fixed point for the rounds to go on from: the
    /// search says so, and `solve` works the rounds out from the start instead.
    @Test func aPropagationOutOfBudgetFallsBackToRecomputing() {
        let counts = ["T": 12, "a": 8, "b": 1, "c": 1, "d": 1, "e": 1]
        let families = [Family(total: "T", parts: ["a", "b", "c", "d", "e"])]
        let keys = counts.keys.sorted(), number = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        let numbered = families.map {
            SecondarySuppression.Family<Int>(total: number[$0.total]!, parts: $0.parts.map { number[$0]! })
        }
        let none = [Bool](repeating: false, count: keys.count)
        for passes in [0, 10_000] {
            let solver = SuppressionSolver(value: keys.map { counts[$0]! }, families: numbered, policy: { _ in DisclosurePolicy() },
                                           passes: passes)
            let search = SuppressionSearch(solver, initial: none, fixed: none).run()
            #expect((search == nil) == (passes == 0))
            #expect(solver.solve(initial: none, fixed: none) == solver.solveByRecomputing(initial: none, fixed: none))
        }
        // With the budget, the 8 is withheld to protect the four 1s.
        let (search, _) = Self.solved(counts, families, policy: DisclosurePolicy())
        #expect(search == ["a"])
    }
}
