/// Secondary suppression: counts withheld beyond the small ones, so that no suppressed count can be worked out from a
/// published total and its published parts.
///
/// A total rounded to 5 stands for any of five counts, a rounded part for five, a suppressed one for 1 to 7. When the
/// total's largest possible value is the sum of its parts' smallest (a study total of 10, one ward of 10 and four wards
/// at `*`: 12 = 8 + 1 + 1 + 1 + 1), every part is pinned: each `*` was exactly 1. For every family of a total and the
/// parts it adds up, each hidden count's possible values are worked out as an attacker would, from the bounds of the
/// others; while one is pinned to a single value, the smallest published part (else the total) is withheld too, shown
/// as `*`, and the family checked again. A withheld count stands for any count from 1 up, so withholding only widens
/// what can be inferred, in every family it belongs to: the loop ends. Zeros are never withheld (they are no one).
enum SecondarySuppression {
    /// A total and the parts that add up to it exactly.
    struct Family<Key: Hashable> {
        var total: Key
        var parts: [Key]
    }

    /// The counts to withhold besides those the policy suppresses, given every count and every family.
    static func withheld<Key: Hashable>(counts: [Key: Int], families: [Family<Key>], policy: DisclosurePolicy) -> Set<Key> {
        var withheld = Set<Key>()
        var changed = true
        while changed {
            changed = false
            for family in families where pinned(family, counts: counts, withheld: withheld, policy: policy) {
                // The smallest published part, else the total: the least that unpins the family.
                let candidates = family.parts.filter { isPublished($0, counts, withheld, policy) }
                    .sorted { (counts[$0] ?? 0) < (counts[$1] ?? 0) }
                if let part = candidates.first {
                    withheld.insert(part)
                } else if isPublished(family.total, counts, withheld, policy) {
                    withheld.insert(family.total)
                } else {
                    continue  // nothing left to withhold
                }
                changed = true
            }
        }
        return withheld
    }

    /// Whether a count is shown as a number other than zero (so may be withheld).
    static func isPublished<Key: Hashable>(_ key: Key, _ counts: [Key: Int], _ withheld: Set<Key>, _ policy: DisclosurePolicy) -> Bool {
        guard !withheld.contains(key), let n = counts[key], n > 0 else { return false }
        return Disclosure.publish(n, policy: policy) != .suppressed
    }

    /// The counts a shown count could stand for: a zero is zero; `*` is 1 to the threshold, or (withheld) 1 and up; a
    /// rounded count the counts above the threshold that round to it.
    static func bounds<Key: Hashable>(_ key: Key, _ counts: [Key: Int], _ withheld: Set<Key>,
                                      _ policy: DisclosurePolicy) -> (lo: Int, hi: Int, hidden: Bool) {
        if withheld.contains(key) { return (1, unbounded, true) }
        let shown = Disclosure.publish(counts[key] ?? 0, policy: policy)
        let range = Disclosure.range(of: shown, policy: policy)
        return (range.lowerBound, range.upperBound, shown == .suppressed)
    }

    /// No upper bound (a withheld count), kept small enough that sums of a few cannot overflow.
    static let unbounded = Int.max / 4

    /// Whether some hidden count of the family (a part, or the total) can be only one value, given the others' bounds.
    static func pinned<Key: Hashable>(_ family: Family<Key>, counts: [Key: Int], withheld: Set<Key>, policy: DisclosurePolicy) -> Bool {
        let total = bounds(family.total, counts, withheld, policy)
        let parts = family.parts.map { bounds($0, counts, withheld, policy) }
        // The parts' smallest sum, and their largest: the sum of the bounded ones, and how many have no upper bound.
        let sumLo = parts.reduce(0) { $0 + $1.lo }
        let finiteHi = parts.filter { $0.hi < unbounded }.reduce(0) { $0 + $1.hi }, openEnded = parts.filter { $0.hi >= unbounded }.count
        for p in parts where p.hidden {
            let upper = min(p.hi, total.hi - (sumLo - p.lo))
            let othersOpen = openEnded - (p.hi >= unbounded ? 1 : 0) > 0
            let lower = othersOpen ? p.lo : max(p.lo, total.lo - (finiteHi - (p.hi < unbounded ? p.hi : 0)))
            if upper <= lower { return true }
        }
        if total.hidden {
            let most = openEnded > 0 ? total.hi : min(total.hi, finiteHi)
            if most <= max(total.lo, sumLo) { return true }
        }
        return false
    }
}
