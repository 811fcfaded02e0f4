/// The working form of secondary suppression (`SecondarySuppression`): the counts numbered 0..<n, and everything the
/// solver looks up on every step held in flat arrays.
///
/// What an attacker can infer is worked out by propagation to a fixed point: each family narrows its counts, and a
/// family is looked at again only when one of its counts has changed since it last was (a work list), rather than
/// every family again until a whole pass changes nothing. Each family's narrowing only ever tightens bounds and is
/// monotone, so the fixed point is the same whatever order families are looked at in: the same bounds, the same counts
/// withheld (`SuppressionSolverTests` checks this against the pass-after-pass statement on random tables). A trial
/// ("does withholding this count leave that one a single value?") looks at the families around that count first and
/// stops as soon as it is down to one value, since bounds only tighten from there (every bound holds the exact count,
/// as every family holds for the exact counts): a trial that fails, as most do, costs a few narrowings rather than a
/// propagation over the whole table. A sparse table of 400 incident categories on seven wards, 20,000 rows, took more
/// than 150 s to release before (every family narrowed again pass after pass, every trial in full), 2.7 s with these.
struct SuppressionSolver {
    typealias Family = SecondarySuppression.Family<Int>
    let families: [Family]
    /// The families flattened for propagation: family `f`'s parts are `parts[partStart[f]..<partStart[f + 1]]`, its totals
    /// (`total`, then `moreTotals`) `totals[totalStart[f]..<totalStart[f + 1]]`.
    let kinds: [SecondarySuppression.Relation], partStart: [Int], parts: [Int], totalStart: [Int], totals: [Int]
    /// Each count's families, in order, flattened the same way: `memberOf[memberStart[k]..<memberStart[k + 1]]`.
    let memberStart: [Int], memberOf: [Int]
    /// What each count's shown value stands for when it is not withheld.
    let shownLo: [Int], shownHi: [Int]
    /// The exact counts.
    let value: [Int]
    /// Whether a count is shown as a number other than zero (so may be withheld).
    let publishable: [Bool]
    /// Counts that are the same number as another (a total of one part), withheld together.
    let sameAs: [[Int]]
    /// The most parts any family has (the size of the scratch copies a narrowing takes).
    let widest: Int

    static let unbounded = SecondarySuppression.unbounded

    /// How many narrowings a propagation may take before it stops unsettled (`budget`).
    let budget: Int

    /// `passes`: the budget in passes over every family (10,000: far more than any real table needs).
    init(value: [Int], families: [Family], policy: (Int) -> DisclosurePolicy, passes: Int = 10_000) {
        budget = passes * families.count
        let n = value.count
        self.value = value
        self.families = families
        var familiesOf = [[Int]](repeating: [], count: n), sameAs = [[Int]](repeating: [], count: n)
        var kinds: [SecondarySuppression.Relation] = [], partStart = [0], parts: [Int] = [], totalStart = [0], totals: [Int] = []
        var widest = 0
        for (i, f) in families.enumerated() {
            for k in f.members { familiesOf[k].append(i) }
            // A total of one part is the same number (a group of one drug): the two are withheld together.
            if f.parts.count == 1 && (f.kind == .sum || f.kind == .union) {
                sameAs[f.total].append(f.parts[0]); sameAs[f.parts[0]].append(f.total)
            }
            widest = max(widest, f.parts.count)
            kinds.append(f.kind)
            parts += f.parts
            partStart.append(parts.count)
            totals += f.totals
            totalStart.append(totals.count)
        }
        self.sameAs = sameAs
        self.widest = widest
        (self.kinds, self.partStart, self.parts, self.totalStart, self.totals) = (kinds, partStart, parts, totalStart, totals)
        var memberStart = [0], memberOf: [Int] = []
        for k in 0..<n {
            // A count named twice in a family (it never is) would be looked at twice; once is enough.
            var last = -1
            for f in familiesOf[k] where f != last { memberOf.append(f); last = f }
            memberStart.append(memberOf.count)
        }
        (self.memberStart, self.memberOf) = (memberStart, memberOf)
        var lo = [Int](repeating: 0, count: n), hi = [Int](repeating: 0, count: n), publishable = [Bool](repeating: false, count: n)
        for k in 0..<n {
            let p = policy(k), shown = Disclosure.publish(value[k], policy: p)
            let range = Disclosure.range(of: shown, policy: p)
            lo[k] = range.lowerBound
            hi[k] = range.upperBound
            publishable[k] = value[k] > 0 && shown != .suppressed
        }
        shownLo = lo
        shownHi = hi
        self.publishable = publishable
    }

    /// A count's bounds before anything is inferred: a withheld count is 1 and up.
    @inline(__always) func lo(_ k: Int, _ withheld: [Bool]) -> Int { withheld[k] ? 1 : shownLo[k] }
    @inline(__always) func hi(_ k: Int, _ withheld: [Bool]) -> Int { withheld[k] ? Self.unbounded : shownHi[k] }

    /// Whether the count's exact value is not to be known: other than zero, and shown as standing for more than one count.
    func isProtected(_ k: Int, _ withheld: [Bool]) -> Bool { value[k] > 0 && lo(k, withheld) < hi(k, withheld) }

    /// Whether the count is shown as a number other than zero.
    func isPublished(_ k: Int, _ withheld: [Bool]) -> Bool { !withheld[k] && publishable[k] }

    /// Every family in the order a trial watching `key` looks at them: the families `key` is in, then those of their
    /// counts, then the rest in order.
    func order(around key: Int) -> [Int] {
        var order: [Int] = [], placed = [Bool](repeating: false, count: families.count)
        for f in memberOf[memberStart[key]..<memberStart[key + 1]] where !placed[f] { placed[f] = true; order.append(f) }
        var i = 0
        while i < order.count && i < 64 {
            let f = order[i]
            for k in parts[partStart[f]..<partStart[f + 1]] + totals[totalStart[f]..<totalStart[f + 1]] {
                for g in memberOf[memberStart[k]..<memberStart[k + 1]] where !placed[g] { placed[g] = true; order.append(g) }
            }
            i += 1
        }
        for f in families.indices where !placed[f] { order.append(f) }
        return order
    }

    /// The bounds every count is inferred to lie in. With `watching`, stops as soon as that count has one value left and
    /// says so (`pinned`; the bounds are then not final), looking at families in `order` first (`order(around:)`).
    func inferred(withheld: [Bool], watching watched: Int = -1, order: [Int]? = nil) -> (lo: [Int], hi: [Int], pinned: Bool) {
        let n = value.count
        var p = Propagation(lo: (0..<n).map { lo($0, withheld) }, hi: (0..<n).map { hi($0, withheld) },
                            families: families.count, widest: widest)
        // The work list: every family once to begin with, then each family of a count that changed, once at a time.
        for f in order ?? Array(families.indices) { p.enqueue(f) }
        let outcome = p.run(self, watching: watched, budget: budget)
        return (p.lo, p.hi, outcome == .pinned)
    }

    /// `withheld` with `key` withheld too, and every count that is the same number as it (not those shown elsewhere).
    func withholding(_ key: Int, in withheld: [Bool], fixed: [Bool]) -> [Bool] {
        var out = withheld, next = [key]
        while let k = next.popLast() {
            if !fixed[k], !out[k] { out[k] = true; next += sameAs[k] }
        }
        return out
    }

    /// The counts withheld: `initial`, and those secondary suppression adds (see `SecondarySuppression`), each round
    /// working out every bound again from the start. `solve` (`SuppressionSearch`) withholds the same counts, working
    /// out only what a round changes; this is what it falls back on when a propagation does not settle in `budget`.
    func solveByRecomputing(initial: [Bool], fixed: [Bool]) -> [Bool] {
        var withheld = initial, givenUp = [Bool](repeating: false, count: value.count), triedAll = givenUp
        while true {
            let known = inferred(withheld: withheld)
            // A protected count (`*` or rounded) the families leave a single value for; the first in the families'
            // order, so that every run withholds the same counts.
            let pinned = families.lazy.flatMap(\.members).first {
                !givenUp[$0] && isProtected($0, withheld) && known.lo[$0] == known.hi[$0]
            }
            guard let key = pinned else { return withheld }
            // The published counts of the families it is in and of theirs one family further out (a pin can come through
            // a chain: a ward's months pin its total, which pins its category), smallest first, then the count itself
            // when published (shown as `*`, it may stand for more): the first whose withholding leaves it more than one
            // value, else the smallest (and the next round goes on from there).
            func around(_ keys: [Int]) -> [Int] {
                let mine = Set(keys.flatMap { memberOf[memberStart[$0]..<memberStart[$0 + 1]] }).sorted().map { families[$0] }
                return mine.flatMap(\.parts).sorted(by: { value[$0] < value[$1] }) + mine.flatMap(\.totals)
            }
            let near = around([key]), far = around(near)
            var candidates: [Int] = [], seen: Set<Int> = [key]
            for k in near + far where !fixed[k] && isPublished(k, withheld) && seen.insert(k).inserted {
                candidates.append(k)
            }
            // The smallest first, wherever it is (a ward's month before the ward's total in the table).
            candidates = candidates.enumerated().sorted { (value[$0.element], $0.offset) < (value[$1.element], $1.offset) }.map(\.element)
            if !fixed[key], isPublished(key, withheld) { candidates.append(key) }
            guard let smallest = candidates.first else { givenUp[key] = true; continue }  // nothing left to withhold around it
            let nearFirst = order(around: key)
            // Withholding more only widens what can be inferred, so if withholding every candidate at once leaves the
            // count pinned, no choice among them will: it is pinned by what is never withheld (zeros, `*`s, counts shown
            // elsewhere; seven categories at `*` and the rest zero pin a ward's `*` to 7), and withholding them one by one
            // would only hide counts to no purpose, up to the study's totals. Given up at once instead.
            if !triedAll[key] {
                triedAll[key] = true
                var all = withheld
                for c in candidates { all = withholding(c, in: all, fixed: fixed) }
                if isProtected(key, all) && inferred(withheld: all, watching: key, order: nearFirst).pinned { givenUp[key] = true; continue }
            }
            let unpinning = candidates.prefix(64).first { c in
                let trial = withholding(c, in: withheld, fixed: fixed)
                return !isProtected(key, trial) || !inferred(withheld: trial, watching: key, order: nearFirst).pinned
            }
            withheld = withholding(unpinning ?? smallest, in: withheld, fixed: fixed)
        }
    }
}
