extension SuppressionSolver {
    /// The counts withheld: `initial`, and those secondary suppression adds (see `SecondarySuppression`): the same
    /// counts as `solveByRecomputing`, round for round, worked out by `SuppressionSearch`.
    func solve(initial: [Bool], fixed: [Bool]) -> [Bool] {
        SuppressionSearch(self, initial: initial, fixed: fixed).run() ?? solveByRecomputing(initial: initial, fixed: fixed)
    }
}

/// Secondary suppression's rounds (`SuppressionSolver.solveByRecomputing` states them) without working every bound out
/// again in each: a table of thousands of wards pins a count on most of them, and a round that worked out the whole
/// table took time in proportion to it, so the whole took time in proportion to its square (a study of 5,000 wards,
/// more than a minute).
///
/// - **What a round changes.** The bounds are kept from round to round (`known`, a fixed point). Withholding a count can
///   only widen bounds, and only those of counts the families had narrowed that are joined to it through families by
///   counts the families had narrowed: every other count keeps its bounds, since each narrowing that made them is made
///   again from the same bounds. So those counts go back to the bounds they start from, the families they are in are
///   looked at again, and the result is the fixed point worked out from the start (narrowing from any bounds that hold
///   every value the fixed point holds ends there).
/// - **Which count next.** A count pinned in one round and not withheld in it was pinned in the round before, since
///   bounds only widen; the counts pinned are kept in a heap by their place in the families, and a round looks only at
///   those whose bounds changed.
/// - **Trials.** Whether withholding some counts leaves a count pinned is first tried near it: from the bounds every
///   count starts from, narrowing only the families a change reaches, beginning with the count's own. Pinned there is
///   pinned (narrowing fewer families only leaves bounds wider); anything else is worked out in full, as a round is.
/// - **Withholding everything around a count at once** is tried first, as `solveByRecomputing` tries it: near the count,
///   first with every count any round could withhold withheld (pinned so is pinned with fewer). When that does not
///   settle it, the trials of single counts come first, since one that unpins the count shows that all of them would.
///
/// A propagation that runs out of budget (none does on a real table) leaves no fixed point to go on from: the rounds
/// are then worked out from the start (`run` returns `nil`).
final class SuppressionSearch {
    typealias Propagation = SuppressionSolver.Propagation
    let solver: SuppressionSolver
    let fixed: [Bool]
    var withheld: [Bool]
    /// Every count's bounds with `withheld` withheld: a fixed point, between rounds.
    var known: Propagation
    /// A trial's bounds near one count, read as they start when first reached.
    var nearby: Propagation
    var givenUp: [Bool], triedAll: [Bool]
    /// Every count any round could withhold: those withheld, those published and not shown elsewhere, and the counts
    /// that are the same number as those.
    let mayBeWithheld: [Bool]
    /// Where a count is first named in the families (their totals, then their parts), and the pinned counts by it.
    let rank: [Int]
    var heap: [Int] = []
    /// Marks, each current while it equals `mark`: counts and families reached, and a trial's counts.
    var countMark: [UInt32], familyMark: [UInt32], trialMark: [UInt32], aroundMark: [UInt32]
    var mark: UInt32 = 0
    var settled = true

    init(_ solver: SuppressionSolver, initial: [Bool], fixed: [Bool]) {
        self.solver = solver
        self.fixed = fixed
        withheld = initial
        let n = solver.value.count, families = solver.families.count
        known = Propagation(lo: (0..<n).map { solver.lo($0, initial) }, hi: (0..<n).map { solver.hi($0, initial) },
                            families: families, widest: solver.widest)
        nearby = Propagation(lo: known.lo, hi: known.hi, families: families, widest: solver.widest, stamped: true)
        givenUp = [Bool](repeating: false, count: n)
        triedAll = givenUp
        var rank = [Int](repeating: Int.max, count: n), position = 0
        for f in solver.families {
            for k in f.members {
                rank[k] = min(rank[k], position)
                position += 1
            }
        }
        self.rank = rank
        var mayBeWithheld = initial, next = (0..<n).filter { !fixed[$0] && solver.isPublished($0, initial) }
        while let k = next.popLast() {
            if !fixed[k], !mayBeWithheld[k] { mayBeWithheld[k] = true; next += solver.sameAs[k] }
        }
        self.mayBeWithheld = mayBeWithheld
        countMark = [UInt32](repeating: 0, count: n)
        trialMark = countMark
        familyMark = [UInt32](repeating: 0, count: families)
        aroundMark = familyMark
        for f in 0..<families { known.enqueue(f) }
        settled = known.run(solver, budget: solver.budget) == .settled
    }

    /// The counts withheld, or `nil` when a propagation ran out of budget.
    func run() -> [Bool]? {
        guard settled else { return nil }
        for k in withheld.indices where isPinned(k) { push(k) }
        while let key = next() {
            // Withholding everything around it at once leaves it pinned: given up (`solveByRecomputing`). Tried first
            // with every count that could ever be withheld withheld (it needs nothing worked out around the count, and
            // pinned so is pinned with fewer withheld), first through small families only, then with those around it.
            if !triedAll[key], provenPinned(key, withholding: { self.mayBeWithheld[$0] }, largest: 64)
                || provenPinned(key, withholding: { self.mayBeWithheld[$0] })
                || provenPinned(key, withholding: { self.isAroundCandidate($0, of: key) }) {
                triedAll[key] = true
                givenUp[key] = true
                continue
            }
            let (first, all) = candidates(key)
            guard let smallest = first.first else { givenUp[key] = true; continue }
            var unpinned = false
            for c in first {
                let trial = closure([c])
                if provenPinned(key, withholding: { self.trialMark[$0] == self.mark }) { continue }
                guard let pinned = widen(trial, watching: key, keep: true) else { return nil }
                if !pinned { unpinned = true; break }
            }
            if unpinned { triedAll[key] = true; continue }
            if !triedAll[key] {
                triedAll[key] = true
                guard let pinned = widen(closure(all), watching: key, keep: false) else { return nil }
                if pinned { givenUp[key] = true; continue }
            }
            guard widen(closure([smallest]), watching: -1, keep: true) != nil else { return nil }
        }
        return withheld
    }

    /// A fresh mark.
    func newMark() -> UInt32 {
        mark &+= 1
        if mark == 0 {
            for i in countMark.indices { countMark[i] = 0; trialMark[i] = 0 }
            for i in familyMark.indices { familyMark[i] = 0; aroundMark[i] = 0 }
            mark = 1
        }
        return mark
    }

    /// A protected count, not given up, that the families leave one value.
    func isPinned(_ k: Int) -> Bool {
        !givenUp[k] && known.lo[k] == known.hi[k] && solver.isProtected(k, withheld)
    }

    // MARK: The heap of pinned counts, by rank

    func push(_ k: Int) {
        heap.append(k)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard rank[heap[i]] < rank[heap[parent]] else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    func pop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var least = i
            if l < heap.count && rank[heap[l]] < rank[heap[least]] { least = l }
            if r < heap.count && rank[heap[r]] < rank[heap[least]] { least = r }
            guard least != i else { return }
            heap.swapAt(i, least)
            i = least
        }
    }

    /// The first pinned count in the families' order (left on the heap: it may stay pinned this round).
    func next() -> Int? {
        while let k = heap.first {
            if isPinned(k) { return k }
            pop()
        }
        return nil
    }

    // MARK: What to withhold

    /// `seeds`, and every count that is the same number as one of them (not those withheld or shown elsewhere), marked
    /// as a trial's (`trialMark`).
    func closure(_ seeds: [Int]) -> [Int] {
        let m = newMark()
        var out: [Int] = [], next = seeds
        while let k = next.popLast() {
            if !fixed[k], !withheld[k], trialMark[k] != m {
                trialMark[k] = m
                out.append(k)
                next += solver.sameAs[k]
            }
        }
        return out
    }

    /// The published counts around `key` (`solveByRecomputing`'s `around`: those of the families it is in and of theirs
    /// one family further out), in its order (smallest first, ties as they come), the first 64 of them (with `key`
    /// itself when fewer than 64 and published), and all of them.
    func candidates(_ key: Int) -> (first: [Int], all: [Int]) {
        let s = solver, m = newMark()
        // The families `key` is in, then those of every count in them, in order.
        let mine = Array(s.familiesOf(key))
        var further: [Int] = []
        for f in mine { s.forEachMember(of: f) { k in for g in s.familiesOf(k) where familyMark[g] != m { familyMark[g] = m; further.append(g) } } }
        further.sort()
        // Every published count of their parts, then of their totals, once, numbered as it comes.
        var all: [Int] = [], first: [(value: Int, order: Int, key: Int)] = []
        countMark[key] = m
        func take(_ k: Int) {
            guard countMark[k] != m else { return }
            countMark[k] = m
            guard !fixed[k], s.isPublished(k, withheld) else { return }
            let entry = (value: s.value[k], order: all.count, key: k)
            all.append(k)
            // The 64 smallest so far, in order.
            if first.count == 64 {
                guard (entry.value, entry.order) < (first[63].value, first[63].order) else { return }
                first.removeLast()
            }
            var at = first.count
            while at > 0 && (entry.value, entry.order) < (first[at - 1].value, first[at - 1].order) { at -= 1 }
            first.insert(entry, at: at)
        }
        for group in [mine, further] {
            for f in group { for k in s.parts[s.partStart[f]..<s.partStart[f + 1]] { take(k) } }
            for f in group { for k in s.totals[s.totalStart[f]..<s.totalStart[f + 1]] { take(k) } }
        }
        var firstKeys = first.map(\.key)
        if !fixed[key], s.isPublished(key, withheld) {
            all.append(key)
            if firstKeys.count < 64 { firstKeys.append(key) }
        }
        return (firstKeys, all)
    }

    /// Whether `k` would be withheld by withholding every count around `key` (`candidates(key).all`, and the counts that
    /// are the same number as those), worked out for `k` alone: whether a family it is in is one of those around `key`.
    func isAroundCandidate(_ k: Int, of key: Int) -> Bool {
        if aroundKey != key || aroundMarkValue != mark { markAround(key) }
        func candidate(_ j: Int) -> Bool {
            !fixed[j] && solver.isPublished(j, withheld) && solver.familiesOf(j).contains { aroundMark[$0] == aroundMarkValue }
        }
        if withheld[k] || fixed[k] { return false }
        if candidate(k) { return true }
        // The same number as a candidate, through counts neither withheld nor shown elsewhere (a few at most).
        guard !solver.sameAs[k].isEmpty else { return false }
        var seen = [k], next = solver.sameAs[k]
        while let j = next.popLast() {
            guard !seen.contains(j), !fixed[j], !withheld[j] else { continue }
            seen.append(j)
            if candidate(j) { return true }
            next += solver.sameAs[j]
        }
        return false
    }
    private var aroundKey = -1, aroundMarkValue: UInt32 = 0

    /// Marks the families around `key` (those of every count in the families it is in).
    private func markAround(_ key: Int) {
        let m = newMark(), s = solver
        for f in s.familiesOf(key) { s.forEachMember(of: f) { k in for g in s.familiesOf(k) { aroundMark[g] = m } } }
        aroundKey = key
        aroundMarkValue = m
    }

    // MARK: Bounds

    /// Whether narrowing near `key`, from the bounds every count starts from with the counts `inTrial` says withheld
    /// too, pins it: its own families first, then those of the counts of its smaller families, then each family a change
    /// reaches, up to a few thousand narrowings (and parts narrowed in proportion to its own families), each of at most
    /// `largest` parts. `false` says only that this did not show it.
    func provenPinned(_ key: Int, withholding inTrial: (Int) -> Bool, largest: Int = .max) -> Bool {
        let s = solver, unbounded = SuppressionSolver.unbounded
        func initial(_ k: Int) -> (lo: Int, hi: Int) {
            withheld[k] || inTrial(k) ? (1, unbounded) : (s.shownLo[k], s.shownHi[k])
        }
        nearby.restart()
        nearby.read(count: key, initial: initial)
        for f in s.familiesOf(key) where s.partCount(f) <= largest {
            nearby.read(f, of: s, initial: initial)
            nearby.enqueue(f)
        }
        for f in s.familiesOf(key) where s.partCount(f) <= min(64, largest) {
            s.forEachMember(of: f) { k in
                for g in s.familiesOf(k) where s.partCount(g) <= largest {
                    nearby.read(g, of: s, initial: initial)
                    nearby.enqueue(g)
                }
            }
        }
        if nearby.lo[key] == nearby.hi[key] { return true }
        // Work for each family of the count looked at a few times over, and a few thousand parts besides.
        let work = 4_096 + 4 * s.familiesOf(key).reduce(0) { $0 + min(largest, s.partCount($1)) + 1 }
        return nearby.run(s, watching: key, budget: 4_096, work: work, largest: largest, initial: initial) == .pinned
            || nearby.lo[key] == nearby.hi[key]
    }

    /// Withholds `counts` (`closure`'s), works out what that changes, and says whether `watched` is still pinned (for
    /// no count watched, `false`); keeps the change when `keep` and the count is no longer pinned or none is watched,
    /// else takes it back. `nil` when the propagation ran out of budget.
    func widen(_ counts: [Int], watching watched: Int, keep: Bool) -> Bool? {
        let s = solver
        known.journaling = true
        for c in counts { withheld[c] = true }
        // The counts whose bounds may change: those withheld, and every count the families narrowed joined to them by
        // such counts; and the families they are in.
        let m = newMark()
        var reached: [Int] = [], families: [Int] = []
        for c in counts where countMark[c] != m { countMark[c] = m; reached.append(c) }
        var i = 0
        while i < reached.count {
            let r = reached[i]
            i += 1
            for f in s.familiesOf(r) where familyMark[f] != m {
                familyMark[f] = m
                families.append(f)
                s.forEachMember(of: f) { k in
                    if countMark[k] != m && (known.lo[k] != s.lo(k, withheld) || known.hi[k] != s.hi(k, withheld)) {
                        countMark[k] = m
                        reached.append(k)
                    }
                }
            }
        }
        for k in reached { known.set(k, lo: s.lo(k, withheld), hi: s.hi(k, withheld)) }
        if watched >= 0 && countMark[watched] == m { for f in s.familiesOf(watched) { known.enqueue(f) } }
        for f in families { known.enqueue(f) }
        let outcome = known.run(s, watching: watched, budget: s.budget)
        guard outcome != .outOfBudget else { return nil }
        let pinned = watched >= 0 && known.lo[watched] == known.hi[watched]
        if keep && !pinned {
            known.commit()
            for k in reached where isPinned(k) { push(k) }
        } else {
            known.clearQueue()
            known.undo()
            for c in counts { withheld[c] = false }
        }
        return pinned
    }
}
