extension SuppressionSolver {
    /// Every count's bounds, narrowed family by family until no family narrows any further (a fixed point), with the
    /// work list of families still to look at: the one place the solver narrows bounds (`inferred`, and the search in
    /// `SuppressionSearch`).
    ///
    /// Two ways of use. Kept whole (every count's bounds held), it can `journal` each change so that a trial is taken
    /// back with `undo`. Sparse (`stamped`), a count's bounds are read from `initial` the first time a family it is in is
    /// put on the list, so a narrowing that settles near one count never touches the rest of the table.
    struct Propagation {
        var lo: [Int], hi: [Int]
        /// The work list, a ring of family numbers, each on it at most once (`queued`).
        private var queue: [Int], queued: [Bool]
        private var head = 0, waiting = 0
        /// While on, each change first records the count and its bounds before it (`undo`).
        var journaling = false
        private var journal: [Int] = []
        /// Sparse use: a count's bounds are its `initial` ones until `stamp` says they were read in this `epoch`.
        private var stamp: [UInt32], epoch: UInt32 = 0
        /// The counts the narrowing under way changed, in order (`run` puts their families on the list).
        fileprivate var pending: [Int] = []
        /// A narrowing's copy of its family's parts' bounds before it.
        fileprivate var scratchLo: [Int], scratchHi: [Int]

        init(lo: [Int], hi: [Int], families: Int, widest: Int, stamped: Bool = false) {
            scratchLo = [Int](repeating: 0, count: widest)
            scratchHi = scratchLo
            self.lo = lo
            self.hi = hi
            queue = [Int](repeating: 0, count: max(1, families))
            queued = [Bool](repeating: false, count: families)
            stamp = stamped ? [UInt32](repeating: 0, count: lo.count) : []
        }

        /// Nothing left on the work list.
        var isSettled: Bool { waiting == 0 }

        /// Puts family `f` on the work list unless it is on it already.
        mutating func enqueue(_ f: Int) {
            guard !queued[f] else { return }
            queued[f] = true
            var tail = head + waiting
            if tail >= queue.count { tail -= queue.count }
            queue[tail] = f
            waiting += 1
        }

        /// Empties the work list (after a trial stopped early).
        mutating func clearQueue() {
            while waiting > 0 {
                queued[queue[head]] = false
                head += 1
                if head == queue.count { head = 0 }
                waiting -= 1
            }
        }

        /// Sets a count's bounds, recording the old ones while journaling.
        mutating func set(_ k: Int, lo newLo: Int, hi newHi: Int) {
            if journaling {
                journal.append(k)
                journal.append(lo[k])
                journal.append(hi[k])
            }
            pending.append(k)
            lo[k] = newLo
            hi[k] = newHi
        }

        /// Takes back every change since journaling began, and stops journaling.
        mutating func undo() {
            var i = journal.count
            while i > 0 {
                i -= 3
                lo[journal[i]] = journal[i + 1]
                hi[journal[i]] = journal[i + 2]
            }
            journal.removeAll(keepingCapacity: true)
            journaling = false
        }

        /// Keeps every change since journaling began, and stops journaling.
        mutating func commit() {
            journal.removeAll(keepingCapacity: true)
            journaling = false
        }

        /// Sparse use: begins again, every count back at its `initial` bounds.
        mutating func restart() {
            clearQueue()
            epoch &+= 1
            if epoch == 0 {
                for i in stamp.indices { stamp[i] = 0 }
                epoch = 1
            }
        }

        /// Sparse use: reads the bounds of every count of family `f` not yet read in this epoch from `initial`.
        mutating func read(_ f: Int, of solver: SuppressionSolver, initial: (Int) -> (lo: Int, hi: Int)) {
            solver.forEachMember(of: f) { k in read(count: k, initial: initial) }
        }

        /// Sparse use: reads count `k`'s bounds from `initial` unless read in this epoch already.
        @inline(__always) mutating func read(count k: Int, initial: (Int) -> (lo: Int, hi: Int)) {
            if stamp[k] != epoch {
                stamp[k] = epoch
                (lo[k], hi[k]) = initial(k)
            }
        }

        enum Outcome { case settled, pinned, outOfBudget }

        /// Narrows until the work list is empty (`settled`), the `watched` count is down to one value (`pinned`: the
        /// bounds are then not final, and the list not empty), or `budget` narrowings, or narrowings of `work` parts
        /// in all, are spent (`outOfBudget`). In
        /// sparse use, `initial` gives the bounds of each count a family put on the list holds, read first. A change
        /// puts back on the list only families of at most `largest` parts (fewer families narrow less: bounds stay
        /// wider than the fixed point's).
        mutating func run(_ solver: SuppressionSolver, watching watched: Int = -1, budget: Int,
                          work: Int = .max, largest: Int = .max, initial: (Int) -> (lo: Int, hi: Int) = { _ in (0, 0) }) -> Outcome {
            var budget = budget, work = work
            let sparse = !stamp.isEmpty
            while waiting > 0 {
                if budget == 0 || work <= 0 { return .outOfBudget }
                budget -= 1
                let f = queue[head]
                head += 1
                if head == queue.count { head = 0 }
                waiting -= 1
                queued[f] = false
                work -= solver.partCount(f) + 1
                pending.removeAll(keepingCapacity: true)
                solver.narrow(f, &self)
                // Every family of a count that changed is looked at again.
                var pinned = false
                for k in pending {
                    if k == watched && lo[k] == hi[k] { pinned = true }
                    for g in solver.familiesOf(k) where !queued[g] && solver.partCount(g) <= largest {
                        if sparse { read(g, of: solver, initial: initial) }
                        enqueue(g)
                    }
                }
                if pinned { return .pinned }
            }
            return .settled
        }
    }

    /// Calls `body` with each count of family `f`: its parts, then its totals.
    @inline(__always) func forEachMember(of f: Int, _ body: (Int) -> Void) {
        for k in parts[partStart[f]..<partStart[f + 1]] { body(k) }
        for k in totals[totalStart[f]..<totalStart[f + 1]] { body(k) }
    }

    /// How many parts family `f` has.
    @inline(__always) func partCount(_ f: Int) -> Int { partStart[f + 1] - partStart[f] }

    /// The families count `k` is in, in order.
    @inline(__always) func familiesOf(_ k: Int) -> ArraySlice<Int> { memberOf[memberStart[k]..<memberStart[k + 1]] }

    /// Narrows the counts of family `f` from their bounds in `p`, adding those that changed to `p.pending`.
    func narrow(_ f: Int, _ p: inout Propagation) {
        let unbounded = Self.unbounded
        @inline(__always) func plus(_ a: Int, _ b: Int) -> Int { min(unbounded, a + b) }  // both at most `unbounded`
        let kind = kinds[f], firstPart = partStart[f], partCount = partStart[f + 1] - firstPart
        // The parts as they were before this narrowing (every new bound is worked out from these).
        var sumLo = 0, finiteHi = 0, open = 0, maxLo = 0
        for j in 0..<partCount {
            let k = parts[firstPart + j], lo = p.lo[k], hi = p.hi[k]
            p.scratchLo[j] = lo
            p.scratchHi[j] = hi
            sumLo = plus(sumLo, lo)
            if hi < unbounded { finiteHi = plus(finiteHi, hi) } else { open += 1 }
            maxLo = max(maxLo, lo)
        }
        if kind == .atMost {
            // Parts adding up to at most the totals: each total is at least the parts' least less the other totals'
            // most, each part at most the totals' most less the other parts' least.
            let firstTotal = totalStart[f], totalCount = totalStart[f + 1] - firstTotal
            var totalsOpen = 0, totalsHi = 0
            for j in 0..<totalCount {
                let t = totals[firstTotal + j]
                if p.hi[t] < unbounded { totalsHi = plus(totalsHi, p.hi[t]) } else { totalsOpen += 1 }
            }
            // Each total's new least uses the others' most, which narrowing a total's least leaves as it was.
            for j in 0..<totalCount {
                let t = totals[firstTotal + j], tLo = p.lo[t], tHi = p.hi[t]
                let othersOpen = totalsOpen - (tHi >= unbounded ? 1 : 0) > 0
                guard !othersOpen else { continue }
                let newLo = max(tLo, sumLo - (totalsHi - (tHi < unbounded ? tHi : 0)))
                if newLo != tLo { p.set(t, lo: newLo, hi: tHi) }
            }
            guard totalsOpen == 0 else { return }
            for j in 0..<partCount {
                let newHi = min(p.scratchHi[j], totalsHi - (sumLo - p.scratchLo[j]))
                if newHi != p.scratchHi[j] { p.set(parts[firstPart + j], lo: p.scratchLo[j], hi: newHi) }
            }
            return
        }
        // The total: a sum lies between the parts' sums; a union between its largest part and their sum; a bound is at
        // least its largest part.
        let total = totals[totalStart[f]]
        let oldLo = p.lo[total], oldHi = p.hi[total]
        var tLo = oldLo, tHi = oldHi
        switch kind {
        case .sum: tLo = max(tLo, sumLo); if open == 0 { tHi = min(tHi, finiteHi) }
        case .union: tLo = max(tLo, maxLo); if open == 0 { tHi = min(tHi, finiteHi) }
        case .bound: tLo = max(tLo, maxLo)
        case .atMost: break
        }
        if tLo != oldLo || tHi != oldHi { p.set(total, lo: tLo, hi: tHi) }
        for j in 0..<partCount {
            let pLo = p.scratchLo[j], pHi = p.scratchHi[j]
            let othersOpen = open - (pHi >= unbounded ? 1 : 0) > 0
            var nextLo = pLo, nextHi = pHi
            // Every part is at most the total; a sum's part at most the total less the others' least.
            nextHi = min(nextHi, tHi)
            if kind == .sum, tHi < unbounded { nextHi = min(nextHi, tHi - (sumLo - pLo)) }
            // A sum's or a union's part is at least the total less the others' most.
            if kind != .bound, !othersOpen { nextLo = max(nextLo, tLo - (finiteHi - (pHi < unbounded ? pHi : 0))) }
            if nextLo != pLo || nextHi != pHi { p.set(parts[firstPart + j], lo: nextLo, hi: nextHi) }
        }
    }
}
