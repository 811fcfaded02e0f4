/// Secondary suppression: counts withheld beyond the small ones, so that no suppressed count, and no rounded count
/// exactly, can be worked out from the published counts and how they relate.
///
/// A total rounded to 5 stands for any of five counts, a rounded part for five, a suppressed one for 1 to 7. When the
/// total's largest possible value is the sum of its parts' smallest (a study total of 10, one ward of 10 and four wards
/// at `*`: 12 = 8 + 1 + 1 + 1 + 1), every part is pinned: each `*` was exactly 1. Every count's possible values are
/// worked out as an attacker would, from every family (a sum, a union or a bound: `Relation`) at once, each narrowing
/// the others (a withheld count that one family narrows to 6–14 narrows the others it is in). While a count is pinned to
/// a single value, the first published count near it (in a family it is in, or one further out, smallest first) whose
/// withholding leaves it more than one value is withheld too, shown as `*`, and everything worked out again. A withheld
/// count stands for any count from 1 up, so withholding only widens what can be inferred; each round withholds one more
/// count or finds none left to withhold: the loop ends. Zeros are never withheld (they are no one).
enum SecondarySuppression {
    /// How a family's parts make its total.
    enum Relation {
        /// The total is the sum of the parts (a study's incidents and its wards').
        case sum
        /// The total is at least each part and at most their sum (patients on any ward and on each ward: one may be on
        /// several).
        case union
        /// The total is at least each part (incidents in the protected window and over 24 hours).
        case bound
        /// The parts add up to at most the totals (`total` and `moreTotals`) together: incidents with no recorded time
        /// and those in the protected window, on every ward in both periods, are at most all incidents over 24 hours.
        case atMost
    }

    /// A total and its parts.
    struct Family<Key: Hashable> {
        var total: Key
        var parts: [Key]
        /// How the parts make the total.
        var kind: Relation = .sum
        /// Further totals, added to `total` (`.atMost` only).
        var moreTotals: [Key] = []

        /// The family's totals.
        var totals: [Key] { [total] + moreTotals }
        /// Every count in the family.
        var members: [Key] { [total] + moreTotals + parts }

        /// Whether exact counts bear the relation out (one that does not hold is none an attacker could use either).
        func holds(_ counts: [Key: Int]) -> Bool {
            let values = parts.map { counts[$0] ?? 0 }, total = counts[total] ?? 0
            switch kind {
            case .sum: return !parts.isEmpty && values.reduce(0, +) == total
            case .union: return !parts.isEmpty && values.allSatisfy { $0 <= total } && total <= values.reduce(0, +)
            case .bound: return !parts.isEmpty && values.allSatisfy { $0 <= total }
            case .atMost: return !parts.isEmpty && values.reduce(0, +) <= totals.reduce(0) { $0 + (counts[$1] ?? 0) }
            }
        }
    }

    /// The counts to withhold besides those the policy suppresses, given every count and every family; `initial` are
    /// withheld already (by another report showing the same counts), and `fixed` are shown elsewhere as they are, so
    /// withholding them here would hide nothing.
    static func withheld<Key: Hashable>(counts: [Key: Int], families: [Family<Key>], policy: DisclosurePolicy,
                                        initial: Set<Key> = [], fixed: Set<Key> = []) -> Set<Key> {
        withheld(counts: counts, families: families, policyOf: { _ in policy }, initial: initial, fixed: fixed)
    }

    /// The same, each count shown under its own policy (a pooled report shows each trust's counts under the trust's).
    /// The counts are numbered first and solved by number, in arrays (`SuppressionSolver`): a key such as
    /// `ReleaseFamilies.Ref` is slow to hash, and the solver looks counts up many times over.
    static func withheld<Key: Hashable>(counts: [Key: Int], families: [Family<Key>], policyOf policy: (Key) -> DisclosurePolicy,
                                        initial: Set<Key> = [], fixed: Set<Key> = []) -> Set<Key> {
        let (keys, number, solver) = numbered(counts: counts, families: families, policyOf: policy)
        var start = [Bool](repeating: false, count: keys.count), shownElsewhere = start
        for k in initial { if let i = number[k] { start[i] = true } }
        for k in fixed { if let i = number[k] { shownElsewhere[i] = true } }
        let out = solver.solve(initial: start, fixed: shownElsewhere)
        return initial.union(keys.indices.lazy.filter { out[$0] }.map { keys[$0] })
    }

    /// The counts of `families` numbered in the order the families name them (a count in no family plays no part), and
    /// the solver over them.
    static func numbered<Key: Hashable>(counts: [Key: Int], families: [Family<Key>], policyOf policy: (Key) -> DisclosurePolicy)
        -> (keys: [Key], number: [Key: Int], solver: SuppressionSolver) {
        var keys: [Key] = [], number: [Key: Int] = [:]
        func numbered(_ k: Key) -> Int {
            if let n = number[k] { return n }
            number[k] = keys.count
            keys.append(k)
            return keys.count - 1
        }
        let numberedFamilies = families.map { f in
            Family<Int>(total: numbered(f.total), parts: f.parts.map(numbered), kind: f.kind, moreTotals: f.moreTotals.map(numbered))
        }
        let policies = keys.map(policy)
        let solver = SuppressionSolver(value: keys.map { counts[$0] ?? 0 }, families: numberedFamilies, policy: { policies[$0] })
        return (keys, number, solver)
    }

    /// Whether the count's exact value is not to be known: a count other than zero shown as `*`, or rounded (shown as
    /// standing for more than one count). A count the policy shows exactly (`round_to: 1`) is known anyway.
    static func isProtected<Key: Hashable>(_ key: Key, _ counts: [Key: Int], _ withheld: Set<Key>, _ policy: (Key) -> DisclosurePolicy) -> Bool {
        guard (counts[key] ?? 0) > 0 else { return false }
        let b = bounds(key, counts, withheld, policy)
        return b.lo < b.hi
    }

    /// What an attacker can infer of every count in a family from all the families together: each count starts at the
    /// range its shown value stands for, and every family narrows its total to its parts' sum and each part to the total
    /// less the others, over and over until nothing changes (a count narrowed by one family narrows the others it is in).
    static func inferred<Key: Hashable>(counts: [Key: Int], families: [Family<Key>], withheld: Set<Key>,
                                        policy: DisclosurePolicy) -> [Key: (lo: Int, hi: Int)] {
        inferred(counts: counts, families: families, withheld: withheld, policyOf: { _ in policy })
    }

    /// The same, each count shown under its own policy.
    static func inferred<Key: Hashable>(counts: [Key: Int], families: [Family<Key>], withheld: Set<Key>,
                                        policyOf policy: (Key) -> DisclosurePolicy) -> [Key: (lo: Int, hi: Int)] {
        let (keys, number, solver) = numbered(counts: counts, families: families, policyOf: policy)
        var hidden = [Bool](repeating: false, count: keys.count)
        for k in withheld { if let i = number[k] { hidden[i] = true } }
        let known = solver.inferred(withheld: hidden)
        var out: [Key: (lo: Int, hi: Int)] = [:]
        for (i, k) in keys.enumerated() { out[k] = (known.lo[i], known.hi[i]) }
        return out
    }

    /// The counts a shown count could stand for: a zero is zero; `*` is 1 to the threshold, or (withheld) 1 and up; a
    /// rounded count the counts above the threshold that round to it.
    static func bounds<Key: Hashable>(_ key: Key, _ counts: [Key: Int], _ withheld: Set<Key>,
                                      _ policy: (Key) -> DisclosurePolicy) -> (lo: Int, hi: Int) {
        if withheld.contains(key) { return (1, unbounded) }
        let range = Disclosure.range(of: Disclosure.publish(counts[key] ?? 0, policy: policy(key)), policy: policy(key))
        return (range.lowerBound, range.upperBound)
    }

    /// No upper bound (a withheld count), kept small enough that sums of a few cannot overflow.
    static let unbounded = Int.max / 4

    /// Whether some protected count of the family (a part, or the total) can be only one value, given the others' bounds.
    static func pinned<Key: Hashable>(_ family: Family<Key>, counts: [Key: Int], withheld: Set<Key>, policy p: DisclosurePolicy) -> Bool {
        let policy: (Key) -> DisclosurePolicy = { _ in p }
        let known = inferred(counts: counts, families: [family], withheld: withheld, policyOf: policy)
        return family.members.contains { k in
            isProtected(k, counts, withheld, policy) && known[k]!.lo == known[k]!.hi
        }
    }
}
