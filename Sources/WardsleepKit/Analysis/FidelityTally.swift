/// Whether the protected sleep period was delivered: sleep plans joined to the overnight observation log on
/// (patient, night).
///
/// Memory never grows with the log: each check is looked up and counted, then forgotten. Up to `memoryPlans` plans are
/// held in memory (`PlanJoin`); beyond that the plans, and the checks inside the window that need them, go to
/// `PlanSpill` partitions on disk and are joined a partition at a time by `finish()`, with the same results. Sleep
/// plans are read before the log (`ExportKind` order), but either order gives the same counts.
public final class FidelityTally: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.sleepPlans, .observations] }

    /// Counts of checks inside the protected window for one ward and period.
    public struct Checks: Sendable, Equatable, Codable {
        /// Every check inside the window, whatever the plan or reason.
        public var inWindow = 0
        /// Routine checks inside the window on protected nights (lapses).
        public var routineOnProtected = 0
        /// Clinical-need checks inside the window on protected nights (legitimate overrides).
        public var clinicalNeedOnProtected = 0
        /// Enhanced-observation checks inside the window on protected nights.
        public var enhancedOnProtected = 0
        /// Checks inside the window whose patient-night has no sleep plan recorded.
        public var withoutPlan = 0

        /// Adds the counts of `other`.
        mutating func add(_ other: Checks) {
            inWindow += other.inWindow
            routineOnProtected += other.routineOnProtected
            clinicalNeedOnProtected += other.clinicalNeedOnProtected
            enhancedOnProtected += other.enhancedOnProtected
            withoutPlan += other.withoutPlan
        }

        /// Counts what a check with `reason` found (not `inWindow`, counted when the check is read).
        mutating func count(_ found: PlanJoin.Found, _ reason: ObservationReason) {
            switch found {
            case .noPlan: withoutPlan += 1
            case .unprotected: break
            case .protected:
                switch reason {
                case .routine: routineOnProtected += 1
                case .clinicalNeed: clinicalNeedOnProtected += 1
                case .enhanced: enhancedOnProtected += 1
                }
            }
        }
    }

    /// Plans held in memory before the join moves to disk: at most about 70 bytes each (a 16-byte patient-night in the
    /// plan list and in a table kept under half full), so under 5 MiB at the default (a power of two: the join moves
    /// before its table would double).
    public static let defaultMemoryPlans = 65_536
    /// Partitions on disk: each holds about 1/64 of the plans. One with more than `memoryPlans` plans is split again
    /// into as many as it needs (at most this many) before it is joined, so memory stays at the default however many
    /// plans there are.
    public static let defaultPartitions = 64
    /// How many times a partition may be split: 64⁴ partitions of 65,536 plans are more plans than a disk holds. Only
    /// plans that all name one patient-night fail to spread, and those take one entry in memory anyway.
    static let maximumLevel = 4
    private let memoryPlans: Int, partitionCount: Int
    /// Where the partitions go (`nil`: `TMPDIR`, else `/tmp`).
    private let temporaryFolder: String?

    private var join = PlanJoin()
    private var spill: PlanSpill?
    /// The temporary folder refused the partitions: the plans stay in memory.
    private var diskUnavailable = false
    /// Protected nights by ward, period and month, once the partitions on disk are joined (`finish`).
    private var joinedNights: [FidelityMonthKey: (nights: Int, withoutRoutine: Int)]?
    private var failure: OutputError?
    /// Checks by ward, then period (baseline, pilot): dense, since every check of a log of millions lands in one.
    private var checkCells: [[Checks]] = []
    /// Whether each ward has a check in the log.
    private var logged: [Bool] = []
    /// Plans naming a patient-night an earlier plan already named (the first is kept).
    private var repeats = 0
    /// Partitions split before they were joined, and the most plans any one join held (both for tests).
    private(set) var partitionsSplit = 0, largestJoin = 0

    /// Plans naming a patient-night an earlier plan already named (the first is kept).
    public var repeatedPlans: Int {
        try? finish()
        return repeats
    }

    /// The checks on `ward` in `period` (all zero when the log has none).
    public func checks(ward: Int, period: StudyPeriod) -> Checks {
        try? finish()
        return ward < checkCells.count ? checkCells[ward][FidelityTally.slot(period)] : Checks()
    }

    /// Whether `ward` has at least one check in the log: a ward without any kept no log (paper sheets not transcribed,
    /// say), which is not the same as a ward whose staff checked no one.
    public func isLogged(_ ward: Int) -> Bool { ward < logged.count && logged[ward] }

    private static func slot(_ period: StudyPeriod) -> Int { period == .baseline ? 0 : 1 }

    /// Creates an empty tally holding up to `memoryPlans` plans in memory, then `partitions` on disk in
    /// `temporaryFolder` (`nil`: `TMPDIR`, else `/tmp`).
    public init(memoryPlans: Int = FidelityTally.defaultMemoryPlans, partitions: Int = FidelityTally.defaultPartitions,
                temporaryFolder: String? = nil) {
        self.memoryPlans = memoryPlans
        partitionCount = max(1, partitions)
        self.temporaryFolder = temporaryFolder
    }

    static func key(_ patient: PatientID, _ night: CalendarDay) -> PatientNight { PlanJoin.key(patient, night) }

    /// Whether the join has moved to disk.
    var isSpilled: Bool { spill != nil }

    public func sleepPlan(_ r: SleepPlanRecord) {
        guard let period = r.period else { return }
        let k = FidelityTally.key(r.patient, r.night)
        let plan = PlanJoin.Plan(ward: Int32(r.ward), night: Int32(truncatingIfNeeded: r.night.dayNumber), period: period, protected: r.protected)
        if let spill {
            spill.write(.plan(k, plan, routineChecked: false))
            return
        }
        guard join.insert(k, plan) else { repeats += 1; return }
        if join.count >= memoryPlans && !diskUnavailable { moveToDisk() }
    }

    /// Writes the plans held so far to the partitions and goes on there. Without a usable temporary folder the plans
    /// stay in memory: the results are the same, only the memory is not bounded.
    private func moveToDisk() {
        guard let s = try? PlanSpill(partitions: partitionCount, folder: temporaryFolder) else {
            diskUnavailable = true
            return
        }
        join.forEach { key, plan, checked in s.write(.plan(key, plan, routineChecked: checked)) }
        join = PlanJoin()
        spill = s
    }

    public func observation(_ r: ObservationRecord) {
        while logged.count <= r.ward { logged.append(false); checkCells.append([Checks(), Checks()]) }
        logged[r.ward] = true
        guard let period = r.period, r.inProtectedWindow else { return }
        let p = FidelityTally.slot(period)
        checkCells[r.ward][p].inWindow += 1
        let k = FidelityTally.key(r.patient, r.night)
        if let spill {
            spill.write(.check(k, ward: r.ward, period: period, reason: r.reason))
        } else {
            checkCells[r.ward][p].count(join.check(k, reason: r.reason), r.reason)
        }
    }

    /// Joins the partitions on disk, if the plans went there, on up to `threads` threads: a plan and every check of its
    /// patient-night are in the same partition, so each is joined on its own, with its plans in memory (at most
    /// `memoryPlans` of them on each thread), and the counts are added up in partition order. Throws when a temporary
    /// file could not be written or read back (the counts would be incomplete). Later calls do nothing.
    public func finish(threads: Int = 1) throws {
        if let failure { throw failure }
        guard let spill, joinedNights == nil else { return }
        var nights: [FidelityMonthKey: (nights: Int, withoutRoutine: Int)] = [:]
        let limits = JoinLimits(memoryPlans: memoryPlans, partitions: partitionCount, folder: temporaryFolder)
        let wards = checkCells.count, shared = UncheckedBox(spill)
        do {
            // Each worker reads only its own partition's file and writes only the files of its own splits.
            try OrderedParallel.run(count: spill.partitions, threads: threads, work: { p in
                var counts = PartitionCounts(wards: wards)
                do { try FidelityTally.join(shared.value, p, limits, into: &counts) } catch { counts.error = error }
                return UncheckedBox(counts)
            }) { _, box in
                let part = box.value
                if let error = part.error { throw error }
                for w in 0..<wards { for s in 0..<2 { checkCells[w][s].add(part.checks[w][s]) } }
                repeats += part.repeats
                partitionsSplit += part.split
                largestJoin = max(largestJoin, part.largest)
                nights.merge(part.nights) { ($0.nights + $1.nights, $0.withoutRoutine + $1.withoutRoutine) }
            }
        } catch let e as OutputError {
            failure = e
            throw e
        }
        joinedNights = nights
    }

    /// How a partition is joined: the plans one join may hold, and where and into how many parts a larger one is split.
    private struct JoinLimits: Sendable {
        var memoryPlans: Int, partitions: Int, folder: String?
    }

    /// What joining one partition counted.
    private struct PartitionCounts {
        var checks: [[Checks]]
        var nights: [FidelityMonthKey: (nights: Int, withoutRoutine: Int)] = [:]
        var repeats = 0, split = 0, largest = 0
        var error: Error?
        init(wards: Int) { checks = Array(repeating: [Checks(), Checks()], count: wards) }
    }

    /// Joins partition `p` of `spill` in memory, first splitting it into partitions of the next level when it holds
    /// more than `limits.memoryPlans` plans (records keep their order, so the first plan of a patient-night stays the
    /// one kept).
    private static func join(_ spill: PlanSpill, _ p: Int, _ limits: JoinLimits, into counts: inout PartitionCounts) throws {
        let plans = spill.plansWritten[p]
        if plans > limits.memoryPlans, spill.level < FidelityTally.maximumLevel {
            let parts = min(limits.partitions, max(2, 2 * plans / max(limits.memoryPlans, 1) + 1))
            let split = try PlanSpill(partitions: parts, folder: limits.folder, level: spill.level + 1)
            try spill.read(p) { split.write($0) }
            counts.split += 1
            for q in 0..<split.partitions { try join(split, q, limits, into: &counts) }
            return
        }
        var part = PlanJoin()
        try spill.read(p) { r in
            if r.isPlan {
                if !part.insert(r.key, r.plan, routineChecked: r.routineChecked) { counts.repeats += 1 }
            } else {
                counts.checks[r.wardIndex][FidelityTally.slot(r.period)].count(part.check(r.key, reason: r.reason), r.reason)
            }
        }
        counts.largest = max(counts.largest, part.count)
        part.addProtectedNights(to: &counts.nights)
    }

    /// Protected nights, and those with no routine check in the window, by ward, period and month (first day).
    func protectedNights() -> [FidelityMonthKey: (nights: Int, withoutRoutine: Int)] {
        try? finish()
        if let joinedNights { return joinedNights }
        var out: [FidelityMonthKey: (nights: Int, withoutRoutine: Int)] = [:]
        join.addProtectedNights(to: &out)
        return out
    }
}
