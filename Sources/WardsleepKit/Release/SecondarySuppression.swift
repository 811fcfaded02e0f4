/// Secondary suppression: counts withheld beyond the small ones, so that no suppressed count can be worked out from a
/// published total and its published parts.
///
/// A total rounded to 5 stands for any of five counts, a rounded part for five, a suppressed one for 1 to 7. When the
/// total's largest possible value is the sum of its parts' smallest (a study total of 10, one ward of 10 and four wards
/// at `*`: 12 = 8 + 1 + 1 + 1 + 1), every part is pinned: each `*` was exactly 1. Every count's possible values are
/// worked out as an attacker would, from all the families of a total and the parts it adds up at once (a withheld count
/// that one family narrows to 6–14 narrows the others it is in); while a hidden count is pinned to a single value, the
/// smallest published part of a family it is in (else a total) is withheld too, shown as `*`, and everything worked out
/// again. A withheld count stands for any count from 1 up, so withholding only widens what can be inferred; each round
/// withholds one more count or finds none left to withhold: the loop ends. Zeros are never withheld (they are no one).
enum SecondarySuppression {
    /// A total and the parts that add up to it exactly.
    struct Family<Key: Hashable> {
        var total: Key
        var parts: [Key]
    }

    /// The counts to withhold besides those the policy suppresses, given every count and every family; `initial` are
    /// withheld already (by another report showing the same counts), and `fixed` are shown elsewhere as they are, so
    /// withholding them here would hide nothing.
    static func withheld<Key: Hashable>(counts: [Key: Int], families: [Family<Key>], policy: DisclosurePolicy,
                                        initial: Set<Key> = [], fixed: Set<Key> = []) -> Set<Key> {
        var withheld = initial, givenUp = Set<Key>()
        var familiesOf: [Key: [Int]] = [:], sameAs: [Key: [Key]] = [:]
        for (i, f) in families.enumerated() {
            for k in [f.total] + f.parts { familiesOf[k, default: []].append(i) }
            // A total of one part is the same number (a group of one drug): the two are withheld together.
            if f.parts.count == 1 { sameAs[f.total, default: []].append(f.parts[0]); sameAs[f.parts[0], default: []].append(f.total) }
        }
        func withholding(_ key: Key, in set: Set<Key>) -> Set<Key> {
            var out = set, next = [key]
            while let k = next.popLast() {
                if !fixed.contains(k), out.insert(k).inserted { next += sameAs[k] ?? [] }
            }
            return out
        }
        func isPinned(_ k: Key, _ known: [Key: (lo: Int, hi: Int)], _ withheld: Set<Key>) -> Bool {
            (counts[k] ?? 0) > 0 && isHidden(k, counts, withheld, policy) && known[k]!.lo == known[k]!.hi
        }
        while true {
            let known = inferred(counts: counts, families: families, withheld: withheld, policy: policy)
            // A hidden count the families leave a single value for (zeros are shown, and are no one); the first in the
            // families' order, so that every run withholds the same counts.
            let pinned = families.lazy.flatMap { [$0.total] + $0.parts }.first { !givenUp.contains($0) && isPinned($0, known, withheld) }
            guard let key = pinned else { return withheld }
            // The published parts of the families it is in, smallest first, then their published totals: the first whose
            // withholding leaves it more than one value, else the smallest (and the next round goes on from there).
            let mine = (familiesOf[key] ?? []).map { families[$0] }
            var candidates: [Key] = []
            for k in mine.flatMap(\.parts).sorted(by: { (counts[$0] ?? 0) < (counts[$1] ?? 0) })
                + mine.map(\.total) where k != key && !fixed.contains(k) && isPublished(k, counts, withheld, policy) && !candidates.contains(k) {
                candidates.append(k)
            }
            guard let smallest = candidates.first else { givenUp.insert(key); continue }  // nothing left to withhold around it
            let unpinning = candidates.first { c in
                let trial = withholding(c, in: withheld)
                return !isPinned(key, inferred(counts: counts, families: families, withheld: trial, policy: policy), trial)
            }
            withheld = withholding(unpinning ?? smallest, in: withheld)
        }
    }

    /// Whether a count is shown as `*` (suppressed, or withheld).
    static func isHidden<Key: Hashable>(_ key: Key, _ counts: [Key: Int], _ withheld: Set<Key>, _ policy: DisclosurePolicy) -> Bool {
        bounds(key, counts, withheld, policy).hidden
    }

    /// What an attacker can infer of every count in a family from all the families together: each count starts at the
    /// range its shown value stands for, and every family narrows its total to its parts' sum and each part to the total
    /// less the others, over and over until nothing changes (a count narrowed by one family narrows the others it is in).
    static func inferred<Key: Hashable>(counts: [Key: Int], families: [Family<Key>], withheld: Set<Key>,
                                        policy: DisclosurePolicy) -> [Key: (lo: Int, hi: Int)] {
        var known: [Key: (lo: Int, hi: Int)] = [:]
        for f in families { for k in [f.total] + f.parts where known[k] == nil { let b = bounds(k, counts, withheld, policy); known[k] = (b.lo, b.hi) } }
        func plus(_ a: Int, _ b: Int) -> Int { min(unbounded, a + b) }  // both at most `unbounded`: no overflow
        var changed = true, rounds = 0
        while changed && rounds < 10_000 {
            changed = false
            rounds += 1
            for f in families {
                let parts = f.parts.map { known[$0]! }
                let sumLo = parts.reduce(0) { plus($0, $1.lo) }
                let finiteHi = parts.filter { $0.hi < unbounded }.reduce(0) { plus($0, $1.hi) }
                let open = parts.filter { $0.hi >= unbounded }.count
                var total = known[f.total]!
                let newTotal = (lo: max(total.lo, sumLo), hi: open > 0 ? total.hi : min(total.hi, finiteHi))
                if newTotal != total { known[f.total] = newTotal; total = newTotal; changed = true }
                for (k, p) in zip(f.parts, parts) {
                    let othersLo = sumLo - p.lo
                    let othersOpen = open - (p.hi >= unbounded ? 1 : 0) > 0
                    let othersHi = finiteHi - (p.hi < unbounded ? p.hi : 0)
                    var next = p
                    if total.hi < unbounded { next.hi = min(next.hi, total.hi - othersLo) }
                    if !othersOpen { next.lo = max(next.lo, total.lo - othersHi) }
                    if next != p { known[k] = next; changed = true }
                }
            }
        }
        return known
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
        let known = inferred(counts: counts, families: [family], withheld: withheld, policy: policy)
        return ([family.total] + family.parts).contains { k in
            (counts[k] ?? 0) > 0 && isHidden(k, counts, withheld, policy) && known[k]!.lo == known[k]!.hi
        }
    }
}
