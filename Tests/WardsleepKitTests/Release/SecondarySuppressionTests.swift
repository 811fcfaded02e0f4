import Testing
@testable import WardsleepKit

/// `SecondarySuppression` on families of a total and its parts, under the default policy (1–7 suppressed, others
/// rounded to 5).
@Suite struct SecondarySuppressionTests {
    let policy = DisclosurePolicy()
    typealias Family = SecondarySuppression.Family<String>

    func withheld(_ counts: [String: Int], _ families: [Family]) -> Set<String> {
        SecondarySuppression.withheld(counts: counts, families: families, policy: policy)
    }

    @Test func aPartPinnedByTheTotalIsProtectedByWithholdingTheSmallestPublishedPart() {
        // 12 (shown 10) = 8 (shown 10) + 1 + 1 + 1 + 1: each * is 1. Withholding the 8 unpins them.
        let counts = ["T": 12, "a": 8, "b": 1, "c": 1, "d": 1, "e": 1]
        let family = Family(total: "T", parts: ["a", "b", "c", "d", "e"])
        #expect(SecondarySuppression.pinned(family, counts: counts, withheld: [], policy: policy))
        #expect(withheld(counts, [family]) == ["a"])
        #expect(!SecondarySuppression.pinned(family, counts: counts, withheld: ["a"], policy: policy))
        // With a larger published part beside it, the smaller one is chosen.
        // 42 (40) = 8 (10) + 28 (30) + six 1s: 42 = 8 + 28 + 6.
        let wider = ["T": 42, "a": 8, "z": 28, "b": 1, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1]
        let f2 = Family(total: "T", parts: ["a", "z", "b", "c", "d", "e", "f", "g"])
        #expect(SecondarySuppression.pinned(f2, counts: wider, withheld: [], policy: policy))
        #expect(withheld(wider, [f2]) == ["a"])
    }

    @Test func partsAddingUpToAtMostTheTotalsAreNarrowedAndProtected() {
        // u + a + b ≤ A + B, every count shown 10 (8 to 12): the parts' least, 24, is the totals' most, so each part is
        // pinned at 8 and each total at 12.
        let counts = ["A": 12, "B": 12, "u": 8, "a": 8, "b": 8]
        let family = Family(total: "A", parts: ["u", "a", "b"], kind: .atMost, moreTotals: ["B"])
        #expect(family.holds(counts) && !family.holds(["A": 12, "B": 12, "u": 9, "a": 8, "b": 8]))
        let known = SecondarySuppression.inferred(counts: counts, families: [family], withheld: [], policy: policy)
        #expect(known["u"]! == (8, 8) && known["a"]! == (8, 8) && known["A"]! == (12, 12), "\(known)")
        let out = withheld(counts, [family])
        #expect(!out.isEmpty)
        let after = SecondarySuppression.inferred(counts: counts, families: [family], withheld: out, policy: policy)
        for k in counts.keys where !out.contains(k) { #expect(after[k]!.lo < after[k]!.hi, "\(k): \(after[k]!)") }
        // With room (a part of 8 shown 10 against totals of 20 and 20), nothing is withheld.
        #expect(withheld(["A": 20, "B": 20, "u": 8, "a": 8, "b": 8], [family]).isEmpty)
    }

    @Test func whenEveryPartIsSuppressedTheTotalIsWithheld() {
        // 12 parts of 1: a total of 12 (shown 10, so at most 12) pins every part to 1.
        var counts = ["T": 12]
        for i in 0..<12 { counts["p\(i)"] = 1 }
        let family = Family(total: "T", parts: (0..<12).map { "p\($0)" })
        #expect(withheld(counts, [family]) == ["T"])
    }

    @Test func familiesWithRoomPublishEverything() {
        // 20 (shown 20) = 12 (10) + 3 + 5: the * could be 1 to 7 as far as the total says.
        let counts = ["T": 20, "a": 12, "b": 3, "c": 5]
        #expect(withheld(counts, [Family(total: "T", parts: ["a", "b", "c"])]).isEmpty)
        // Zeros are shown and never withheld; a total of zero pins nothing.
        #expect(withheld(["T": 0, "a": 0, "b": 0], [Family(total: "T", parts: ["a", "b"])]).isEmpty)
        // Exact parts summing to a suppressed total (1 + 0): the total is pinned to 1 with the part... both hidden.
        #expect(withheld(["T": 1, "a": 1, "b": 0], [Family(total: "T", parts: ["a", "b"])]).isEmpty)
    }

    @Test func whatOneFamilyTellsNarrowsAnother() {
        // T = 12 (shown 10) = a + b with a = 11 (10) and b = 1 (*): alone, b could be 1 to 4. But U = 48 (50) = a + x with
        // x = 37 (35) puts a at 11 or more (48 − 37), and then b ≤ 12 − 11 = 1: pinned, through two families.
        let counts = ["T": 12, "a": 11, "b": 1, "U": 48, "x": 37]
        let f = Family(total: "T", parts: ["a", "b"]), g = Family(total: "U", parts: ["a", "x"])
        #expect(!SecondarySuppression.pinned(f, counts: counts, withheld: [], policy: policy))
        let known = SecondarySuppression.inferred(counts: counts, families: [f, g], withheld: [], policy: policy)
        #expect(known["a"]! == (11, 11) && known["b"]! == (1, 1))
        // Withholding a would not be enough (U and x still put it at 11 or more); withholding x is (a then stands for 8 to
        // 12 again), and then b is 1 to 4, and no count but the zeros has a single value.
        let w = withheld(counts, [f, g])
        #expect(w == ["x"])
        let after = SecondarySuppression.inferred(counts: counts, families: [f, g], withheld: w, policy: policy)
        for k in ["T", "a", "b", "U", "x"] { #expect(after[k]!.lo < after[k]!.hi, "\(k): \(after[k]!)") }
    }

    /// The probe's first finding: four wards of 12 (each shown 10, so at most 12) and a study total of 48 (shown 50, so at
    /// least 48) gave every count back exactly, none of them `*`. A rounded count pinned is withheld against too.
    @Test func aRoundedCountPinnedExactlyIsProtected() {
        let counts = ["T": 48, "a": 12, "b": 12, "c": 12, "d": 12]
        let family = Family(total: "T", parts: ["a", "b", "c", "d"])
        #expect(SecondarySuppression.pinned(family, counts: counts, withheld: [], policy: policy))
        let w = withheld(counts, [family])
        #expect(w.count == 1)
        let known = SecondarySuppression.inferred(counts: counts, families: [family], withheld: w, policy: policy)
        for k in ["T", "a", "b", "c", "d"] { #expect(known[k]!.lo < known[k]!.hi, "\(k): \(known[k]!)") }
        // With no rounding every published count is exact by design: nothing to protect.
        let exact = DisclosurePolicy(suppressAtOrBelow: 7, roundTo: 1)
        #expect(SecondarySuppression.withheld(counts: counts, families: [family], policy: exact).isEmpty)
    }

    /// The probe's second finding: a cell's protected-window count is at most its 24-hour count (a bound), and the fourth:
    /// patients on all wards are at least those on each ward and at most their sum (a union).
    @Test func boundsAndUnionsNarrowLikeSums() {
        // 24 h: C1 = 6 (*), with the study's 24 h for C1 at most 14 and W2's 8: W1 C1 ≤ 6. Protected: study C1 at least 13
        // with W2's at most 7: W1's ≥ 6. Bound: W1's protected ≤ its 24 h. Together W1's both are 6.
        var counts = ["S24": 14, "W1_24": 6, "W2_24": 8, "Sp": 13, "W1p": 6, "W2p": 7]
        var families = [Family(total: "S24", parts: ["W1_24", "W2_24"]), Family(total: "Sp", parts: ["W1p", "W2p"])]
        counts["S24"] = 14
        let alone = SecondarySuppression.inferred(counts: counts, families: families, withheld: [], policy: policy)
        families.append(Family(total: "W1_24", parts: ["W1p"], kind: .bound))
        families.append(Family(total: "W2_24", parts: ["W2p"], kind: .bound))
        let together = SecondarySuppression.inferred(counts: counts, families: families, withheld: [], policy: policy)
        #expect(together["W1p"]!.hi <= alone["W1p"]!.hi && together["W1_24"]!.lo >= alone["W1_24"]!.lo)
        let w = withheld(counts, families)
        let after = SecondarySuppression.inferred(counts: counts, families: families, withheld: w, policy: policy)
        for k in counts.keys where counts[k]! > 0 { #expect(after[k]!.lo < after[k]!.hi, "\(k): \(after[k]!) withholding \(w)") }
        // Union: 43 patients in all (shown 45, so at least 43), 12, 12, 12 on three wards (shown 10, so at most 12) and 7 on
        // a fourth (*): 43 ≤ 12 + 12 + 12 + x gives x ≥ 7, so x = 7.
        let patients = ["all": 43, "a": 12, "b": 12, "c": 12, "d": 7]
        let union = Family(total: "all", parts: ["a", "b", "c", "d"], kind: .union)
        #expect(union.holds(patients))
        #expect(SecondarySuppression.pinned(union, counts: patients, withheld: [], policy: policy))
        let wu = withheld(patients, [union])
        let afterUnion = SecondarySuppression.inferred(counts: patients, families: [union], withheld: wu, policy: policy)
        for k in patients.keys { #expect(afterUnion[k]!.lo < afterUnion[k]!.hi, "\(k): \(afterUnion[k]!) withholding \(wu)") }
        // A union holds when the total lies between the largest part and the sum; a bound when no part exceeds it.
        #expect(!Family(total: "all", parts: ["a", "b"], kind: .union).holds(["all": 30, "a": 12, "b": 12]))
        #expect(!Family(total: "a", parts: ["b"], kind: .bound).holds(["a": 3, "b": 4]))
    }

    @Test func countsShownElsewhereAreNeverChosenAndCountsWithheldElsewhereStayWithheld() {
        // 12 (10) = 8 (10) + four 1s: the 8 is shown in another report as it is (fixed), so the total is withheld instead.
        let counts = ["T": 12, "a": 8, "b": 1, "c": 1, "d": 1, "e": 1]
        let family = Family(total: "T", parts: ["a", "b", "c", "d", "e"])
        #expect(SecondarySuppression.withheld(counts: counts, families: [family], policy: policy, fixed: ["a"]) == ["T"])
        // Withheld already by the other report: nothing more is needed, and it stays withheld.
        #expect(SecondarySuppression.withheld(counts: counts, families: [family], policy: policy, initial: ["a"]) == ["a"])
        // Nothing can be withheld at all: given up, not looped on.
        #expect(SecondarySuppression.withheld(counts: counts, families: [family], policy: policy, fixed: ["a", "T"]).isEmpty)
    }

    /// A ward's `*` of 7 whose categories are seven `*`s and three zeros is 7 whatever else is withheld (each `*` is at
    /// least 1, zeros are never withheld, and a `*` is at most 7). Withholding everything around it one count at a time
    /// hid the study's totals to no purpose; nothing is withheld for it now, and it is left as it is.
    @Test func aCountNoWithholdingCouldUnpinIsGivenUpWithoutWithholdingAnything() {
        var counts = ["W": 7, "X": 45, "S": 52]
        let categories = (0..<10).map { "c\($0)" }
        for (i, c) in categories.enumerated() { counts[c] = i < 7 ? 1 : 0 }
        let families = [Family(total: "W", parts: categories), Family(total: "S", parts: ["W", "X"])]
        #expect(SecondarySuppression.pinned(families[0], counts: counts, withheld: [], policy: policy))
        #expect(withheld(counts, families).isEmpty)
        // Still 7 (the residual that interval reasoning cannot hide without withholding zeros).
        let known = SecondarySuppression.inferred(counts: counts, families: families, withheld: [], policy: policy)
        #expect(known["W"]! == (7, 7))
        // A ward of 12 (shown 10, so at most 12) with a category of 8 (at least 8) and four `*`s is pinned too, but
        // withholding the 8 leaves it more than one value: the 8 is withheld, as before.
        var other = ["W": 12, "X": 45, "S": 57]
        for (i, c) in categories.enumerated() { other[c] = i == 0 ? 8 : i < 5 ? 1 : 0 }
        #expect(SecondarySuppression.pinned(families[0], counts: other, withheld: [], policy: policy))
        #expect(withheld(other, families) == ["c0"])
    }

    @Test func withholdingSpreadsAcrossFamiliesUntilNoneIsPinned() {
        // Two families sharing the part "a": unpinning the first must not pin the second.
        let counts = ["T": 12, "a": 8, "b": 1, "c": 1, "d": 1, "e": 1, "U": 10, "x": 2]
        let families = [Family(total: "T", parts: ["a", "b", "c", "d", "e"]), Family(total: "U", parts: ["a", "x"])]
        let w = withheld(counts, families)
        for f in families { #expect(!SecondarySuppression.pinned(f, counts: counts, withheld: w, policy: policy), "\(f.total) \(w)") }
        let known = SecondarySuppression.inferred(counts: counts, families: families, withheld: w, policy: policy)
        for k in ["b", "c", "d", "e", "x"] { #expect(known[k]!.lo < known[k]!.hi, "\(k): \(known[k]!)") }
    }
}

/// `Disclosure.range(of:)`, the inverse of `publish` the suppression reasons with: every count lies in the range of
/// what it is published as, and every count in that range is published as the same, under several policies.
@Suite struct PublishedRangeTests {
    @Test func theRangeOfAPublishedCountIsExactlyTheCountsPublishedAsIt() {
        for policy in [DisclosurePolicy(), DisclosurePolicy(suppressAtOrBelow: 5, roundTo: 10), DisclosurePolicy(suppressAtOrBelow: 0, roundTo: 1),
                       DisclosurePolicy(suppressAtOrBelow: 10, roundTo: 3)] {
            for n in 0...400 {
                let shown = Disclosure.publish(n, policy: policy)
                let range = Disclosure.range(of: shown, policy: policy)
                #expect(range.contains(n), "\(n) \(policy)")
                #expect(range.allSatisfy { Disclosure.publish($0, policy: policy) == shown }, "\(n) \(policy): \(range)")
                // Nothing just outside the range is published the same.
                #expect(Disclosure.publish(range.upperBound + 1, policy: policy) != shown, "\(n) \(policy)")
                if range.lowerBound > 0 { #expect(Disclosure.publish(range.lowerBound - 1, policy: policy) != shown, "\(n) \(policy)") }
            }
        }
    }
}
