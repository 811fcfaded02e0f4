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
    /// The counts are numbered first and solved by number: a key such as `ReleaseFamilies.Ref` is slow to hash, and the
    /// solver looks counts up many times over.
    static func withheld<Key: Hashable>(counts: [Key: Int], families: [Family<Key>], policyOf policy: (Key) -> DisclosurePolicy,
                                        initial: Set<Key> = [], fixed: Set<Key> = []) -> Set<Key> {
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
        var numberedCounts: [Int: Int] = [:]  // a count in no family plays no part
        for (k, n) in counts { if let i = number[k] { numberedCounts[i] = n } }
        let policies = keys.map(policy)
        let out = solve(counts: numberedCounts, families: numberedFamilies, policyOf: { policies[$0] },
                        initial: Set(initial.compactMap { number[$0] }), fixed: Set(fixed.compactMap { number[$0] }))
        return initial.union(out.map { keys[$0] })
    }

    /// The solver, over any keys (numbers, as `withheld` gives them).
    static func solve<Key: Hashable>(counts: [Key: Int], families: [Family<Key>], policyOf policy: (Key) -> DisclosurePolicy,
                                     initial: Set<Key>, fixed: Set<Key>) -> Set<Key> {
        var withheld = initial, givenUp = Set<Key>()
        var familiesOf: [Key: [Int]] = [:], sameAs: [Key: [Key]] = [:]
        for (i, f) in families.enumerated() {
            for k in f.members { familiesOf[k, default: []].append(i) }
            // A total of one part is the same number (a group of one drug): the two are withheld together.
            if f.parts.count == 1 && (f.kind == .sum || f.kind == .union) {
                sameAs[f.total, default: []].append(f.parts[0]); sameAs[f.parts[0], default: []].append(f.total)
            }
        }
        func withholding(_ key: Key, in set: Set<Key>) -> Set<Key> {
            var out = set, next = [key]
            while let k = next.popLast() {
                if !fixed.contains(k), out.insert(k).inserted { next += sameAs[k] ?? [] }
            }
            return out
        }
        func isPinned(_ k: Key, _ known: [Key: (lo: Int, hi: Int)], _ withheld: Set<Key>) -> Bool {
            isProtected(k, counts, withheld, policy) && known[k]!.lo == known[k]!.hi
        }
        while true {
            let known = inferred(counts: counts, families: families, withheld: withheld, policyOf: policy)
            // A protected count (`*` or rounded) the families leave a single value for; the first in the families'
            // order, so that every run withholds the same counts.
            let pinned = families.lazy.flatMap(\.members).first { !givenUp.contains($0) && isPinned($0, known, withheld) }
            guard let key = pinned else { return withheld }
            // The published counts of the families it is in and of theirs one family further out (a pin can come through
            // a chain: a ward's months pin its total, which pins its category), smallest first, then the count itself
            // when published (shown as `*`, it may stand for more): the first whose withholding leaves it more than one
            // value, else the smallest (and the next round goes on from there).
            func around(_ keys: [Key]) -> [Key] {
                let mine = Set(keys.flatMap { familiesOf[$0] ?? [] }).sorted().map { families[$0] }
                return mine.flatMap(\.parts).sorted(by: { (counts[$0] ?? 0) < (counts[$1] ?? 0) }) + mine.flatMap(\.totals)
            }
            let near = around([key]), far = around(near)
            var candidates: [Key] = [], seen: Set<Key> = [key]
            for k in near + far where !fixed.contains(k) && isPublished(k, counts, withheld, policy) && seen.insert(k).inserted {
                candidates.append(k)
            }
            // The smallest first, wherever it is (a ward's month before the ward's total in the table).
            candidates = candidates.enumerated().sorted { ((counts[$0.element] ?? 0), $0.offset) < ((counts[$1.element] ?? 0), $1.offset) }.map(\.element)
            if !fixed.contains(key), isPublished(key, counts, withheld, policy) { candidates.append(key) }
            guard let smallest = candidates.first else { givenUp.insert(key); continue }  // nothing left to withhold around it
            let unpinning = candidates.prefix(64).first { c in
                let trial = withholding(c, in: withheld)
                return !isPinned(key, inferred(counts: counts, families: families, withheld: trial, policyOf: policy), trial)
            }
            withheld = withholding(unpinning ?? smallest, in: withheld)
        }
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
        var known: [Key: (lo: Int, hi: Int)] = [:]
        for f in families { for k in f.members where known[k] == nil { known[k] = bounds(k, counts, withheld, policy) } }
        func plus(_ a: Int, _ b: Int) -> Int { min(unbounded, a + b) }  // both at most `unbounded`: no overflow
        var changed = true, rounds = 0
        while changed && rounds < 10_000 {
            changed = false
            rounds += 1
            for f in families {
                if f.kind == .atMost {
                    if narrowAtMost(f, &known) { changed = true }
                    continue
                }
                let parts = f.parts.map { known[$0]! }
                let sumLo = parts.reduce(0) { plus($0, $1.lo) }
                let finiteHi = parts.filter { $0.hi < unbounded }.reduce(0) { plus($0, $1.hi) }
                let open = parts.filter { $0.hi >= unbounded }.count
                let maxLo = parts.map(\.lo).max() ?? 0
                var total = known[f.total]!
                // The total: a sum lies between the parts' sums; a union between its largest part and their sum; a
                // bound is at least its largest part.
                var newTotal = total
                switch f.kind {
                case .sum: newTotal = (lo: max(total.lo, sumLo), hi: open > 0 ? total.hi : min(total.hi, finiteHi))
                case .union: newTotal = (lo: max(total.lo, maxLo), hi: open > 0 ? total.hi : min(total.hi, finiteHi))
                case .bound: newTotal = (lo: max(total.lo, maxLo), hi: total.hi)
                case .atMost: break
                }
                if newTotal != total { known[f.total] = newTotal; total = newTotal; changed = true }
                for (k, p) in zip(f.parts, parts) {
                    let othersLo = sumLo - p.lo
                    let othersOpen = open - (p.hi >= unbounded ? 1 : 0) > 0
                    let othersHi = finiteHi - (p.hi < unbounded ? p.hi : 0)
                    var next = p
                    // Every part is at most the total; a sum's part at most the total less the others' least.
                    next.hi = min(next.hi, total.hi)
                    if f.kind == .sum, total.hi < unbounded { next.hi = min(next.hi, total.hi - othersLo) }
                    // A sum's or a union's part is at least the total less the others' most.
                    if f.kind != .bound, !othersOpen { next.lo = max(next.lo, total.lo - othersHi) }
                    if next != p { known[k] = next; changed = true }
                }
            }
        }
        return known
    }

    /// Narrows an `.atMost` family's counts (parts adding up to at most the totals): each total is at least the parts'
    /// least less the other totals' most, each part at most the totals' most less the other parts' least. Whether any
    /// count changed.
    private static func narrowAtMost<Key: Hashable>(_ f: Family<Key>, _ known: inout [Key: (lo: Int, hi: Int)]) -> Bool {
        func plus(_ a: Int, _ b: Int) -> Int { min(unbounded, a + b) }
        let parts = f.parts.map { known[$0]! }, totals = f.totals.map { known[$0]! }
        let partsLo = parts.reduce(0) { plus($0, $1.lo) }
        let totalsOpen = totals.filter { $0.hi >= unbounded }.count
        let totalsHi = totals.filter { $0.hi < unbounded }.reduce(0) { plus($0, $1.hi) }
        var changed = false
        for (k, t) in zip(f.totals, totals) {
            let othersOpen = totalsOpen - (t.hi >= unbounded ? 1 : 0) > 0
            guard !othersOpen else { continue }
            let othersHi = totalsHi - (t.hi < unbounded ? t.hi : 0)
            let lo = max(t.lo, partsLo - othersHi)
            if lo != t.lo { known[k] = (lo, t.hi); changed = true }
        }
        guard totalsOpen == 0 else { return changed }
        for (k, p) in zip(f.parts, parts) {
            let hi = min(p.hi, totalsHi - (partsLo - p.lo))
            if hi != p.hi { known[k] = (p.lo, hi); changed = true }
        }
        return changed
    }

    /// Whether a count is shown as a number other than zero (so may be withheld).
    static func isPublished<Key: Hashable>(_ key: Key, _ counts: [Key: Int], _ withheld: Set<Key>, _ policy: (Key) -> DisclosurePolicy) -> Bool {
        guard !withheld.contains(key), let n = counts[key], n > 0 else { return false }
        return Disclosure.publish(n, policy: policy(key)) != .suppressed
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
