import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Distinct patients by group (a period, say, or "given a PRN dose in the pilot") and ward, counted exactly in memory
/// that does not grow with the patients.
///
/// Each record adds one (group, patient, ward) entry. Entries gather in a buffer of fixed size; a full buffer is
/// sorted and its repeats dropped, and once the distinct entries fill more than half of it they go to a temporary
/// file as one sorted run. `finish` merges the runs (a k-way merge reading each run a block at a time), so each
/// patient of each group is met once, with every ward it was seen on. What is kept is how many patients were seen on
/// each combination of wards (`PatientSet`): a ward's patients, and the patients of any set of wards, follow from it
/// without counting anyone twice.
///
/// A patient named again soon after (the doses of one stay, the plans of one week) is dropped before the buffer by a
/// small table of the entries added lately, so a buffer fills with new entries only. The runs hold the patients'
/// keyed numbers (`PatientID`) and ward numbers, never an identifier, in an unnamed temporary file (`TemporaryFile`).
///
/// A patient's entries all fall in one of `partitions` slices of the patients' numbers (by their top bits), and each
/// run records where each slice starts, so `finish(threads:)` merges the slices on several threads, each on its own,
/// and adds up their counts: the same counts whatever the number of threads.
public final class PatientTally {
    /// One patient of one group seen on one ward.
    struct Entry: Equatable {
        var high: UInt64, low: UInt64
        var group: UInt32, ward: UInt32

        init(_ p: PatientID, group: Int, ward: Int) {
            high = p.high
            low = p.low
            self.group = UInt32(truncatingIfNeeded: group)
            self.ward = UInt32(truncatingIfNeeded: ward)
        }

        /// The merge order: patient, group, ward. Patients' numbers are uniform (they are HMACs), so the first word
        /// spreads entries evenly for `sortAndDedupe`'s buckets.
        @inline(__always) static func precedes(_ a: Entry, _ b: Entry) -> Bool {
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            if a.group != b.group { return a.group < b.group }
            return a.ward < b.ward
        }

        /// Whether two entries are the same patient of the same group.
        @inline(__always) func samePatient(_ o: Entry) -> Bool { group == o.group && high == o.high && low == o.low }
    }

    /// Entries held in memory before a run goes to disk: 24 bytes each, twice (the buffer, and its sorted copy), so
    /// 3 MiB at the default; the merge reads the runs a block at a time within the same budget.
    public static let defaultMemoryEntries = 65_536
    private static let recentSize = 4_096

    let groups: Int
    private let capacity: Int
    /// The buffer's length at which it is next compacted: the capacity, or twice what compacting kept when it could
    /// not go to disk (so sorting stays in proportion to the entries, however many stay in memory).
    private var limit: Int
    /// Compactions so far (each a sort of the buffer).
    private(set) var compactions = 0
    private let temporaryFolder: String?
    private var buffer: [Entry] = []
    /// Where `sortAndDedupe` places the buffer by bucket.
    private var scratch: [Entry] = []
    /// The entries added lately, by a hash of the entry: one met again is not added again.
    private var recent: [Entry]
    private var file: UnsafeMutablePointer<FILE>?
    /// Each run on disk: where it starts (in entries) and where each partition of it starts (from the run's start;
    /// the last is the run's length).
    private var runs: [(start: Int, bounds: [Int])] = []
    /// Partitions of the patients' numbers, by their top `partitionBits` bits, merged each on its own by `finish`.
    static let partitionBits = 6
    static var partitions: Int { 1 << partitionBits }
    private var written = 0
    /// The temporary folder refused the runs: they stay in memory (the counts are the same, the memory not bounded).
    private var diskUnavailable = false
    private var failure: OutputError?
    /// Per group: patients seen on exactly one ward, by ward; and those seen on several, by their wards.
    private var single: [[Int: Int]] = []
    private var several: [[[Int]: Int]] = []
    /// Per group and ward: the sets of wards in `several` holding it (not every set searched once per ward).
    private var severalHolding: [[Int: [[Int]]]] = []
    private var finished = false

    /// A tally of `groups` groups holding up to `memoryEntries` entries in memory, then runs on disk in
    /// `temporaryFolder` (`nil`: `TMPDIR`, else `/tmp`).
    init(groups: Int, memoryEntries: Int = PatientTally.defaultMemoryEntries, temporaryFolder: String? = nil) {
        self.groups = groups
        capacity = max(memoryEntries, 8)
        limit = capacity
        self.temporaryFolder = temporaryFolder
        recent = Array(repeating: Entry(PatientID(high: 0, low: 0), group: -1, ward: -1), count: PatientTally.recentSize)
    }

    deinit { if let file { fclose(file) } }

    /// Whether runs have gone to disk.
    var isSpilled: Bool { !runs.isEmpty }

    /// Counts `patient` in `group` on `ward` (before `finish`: a count asked for ends the counting).
    @inline(__always) func insert(_ patient: PatientID, group: Int, ward: Int) {
        assert(!finished, "a patient counted after the patient counts were finished")
        let e = Entry(patient, group: group, ward: ward)
        let h = (e.high ^ e.low &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(e.group) << 40 ^ UInt64(e.ward)) &* 0xC2B2_AE3D_27D4_EB4F
        let slot = Int(truncatingIfNeeded: h >> 52) & (PatientTally.recentSize - 1)
        if recent[slot] == e { return }
        recent[slot] = e
        if buffer.isEmpty { buffer.reserveCapacity(capacity) }
        buffer.append(e)
        if buffer.count >= limit { compact() }
    }

    /// Sorts the buffer and drops its repeats; writes it out as a run once it is more than half full of distinct
    /// entries.
    /// A write that fails is reported by `finish`; the run stops there, so what is counted after it no longer matters
    /// and the buffer is simply emptied.
    private func compact() {
        compactions += 1
        sortAndDedupe(&buffer)
        limit = max(capacity, 2 * buffer.count)
        guard buffer.count * 2 > capacity, !diskUnavailable else { return }
        if file == nil {
            do { file = try TemporaryFile.open(in: temporaryFolder, prefix: "wardsleep-patients", purpose: "") } catch {
                diskUnavailable = true
                return
            }
        }
        if failure == nil {
            let n = buffer.withUnsafeBufferPointer { fwrite($0.baseAddress, MemoryLayout<Entry>.stride, $0.count, file) }
            if n == buffer.count {
                runs.append((written, PatientTally.bounds(buffer)))
                written += n
            } else {
                failure = PatientTally.failed(String(cString: strerror(errno)))
            }
        }
        buffer.removeAll(keepingCapacity: true)
        limit = capacity
    }

    /// Sorts `entries` in merge order and drops repeats: a counting pass places each entry in a bucket by the top bits
    /// of its patient's number (about 32 entries a bucket), then each bucket is sorted on its own (by insertion when
    /// small, as numbers spread evenly; by the library sort when not, as made-up numbers in tests may not).
    private func sortAndDedupe(_ entries: inout [Entry]) {
        let n = entries.count
        guard n > 1 else { return }
        let bits = min(16, max(1, Int.bitWidth - (n / 32).leadingZeroBitCount))
        let shift = UInt64(64 - bits)
        var starts = [Int](repeating: 0, count: (1 << bits) + 1)
        for e in entries { starts[Int(truncatingIfNeeded: e.high >> shift) + 1] += 1 }
        for b in 0..<(1 << bits) { starts[b + 1] += starts[b] }
        if scratch.count < n { scratch = [Entry](repeating: entries[0], count: max(n, capacity)) }
        var next = starts
        scratch.withUnsafeMutableBufferPointer { out in
            for e in entries {
                let b = Int(truncatingIfNeeded: e.high >> shift)
                out[next[b]] = e
                next[b] += 1
            }
            for b in 0..<(1 << bits) where starts[b + 1] - starts[b] > 1 {
                var bucket = UnsafeMutableBufferPointer(rebasing: out[starts[b]..<starts[b + 1]])
                if bucket.count > 48 {
                    bucket.sort(by: Entry.precedes)
                    continue
                }
                for i in 1..<bucket.count {
                    let e = bucket[i]
                    var j = i
                    while j > 0 && Entry.precedes(e, bucket[j - 1]) {
                        bucket[j] = bucket[j - 1]
                        j -= 1
                    }
                    bucket[j] = e
                }
            }
        }
        entries.removeAll(keepingCapacity: true)
        for i in 0..<n where entries.isEmpty || scratch[i] != entries[entries.count - 1] { entries.append(scratch[i]) }
    }

    /// Where each partition of sorted `entries` starts, and (last) their count.
    private static func bounds(_ entries: [Entry]) -> [Int] {
        var bounds = [Int](repeating: entries.count, count: partitions + 1)
        var p = 0
        for (i, e) in entries.enumerated() {
            let q = Int(truncatingIfNeeded: e.high >> UInt64(64 - partitionBits))
            while p <= q { bounds[p] = i; p += 1 }
        }
        return bounds
    }

    /// Patients counted in one partition, or in all: per group, those seen on one ward by ward, and those seen on
    /// several by their wards.
    private struct Counts: Sendable {
        var single: [[Int: Int]], several: [[[Int]: Int]]

        init(groups: Int) {
            single = Array(repeating: [:], count: groups)
            several = Array(repeating: [:], count: groups)
        }

        /// Counts the distinct entries of one partition, given in merge order.
        mutating func count(_ each: ((Entry) -> Void) throws -> Void) rethrows {
            var current: Entry?
            var wards: [Int] = []
            func close() {
                guard let c = current else { return }
                let g = Int(c.group)
                if wards.count == 1 { single[g][wards[0], default: 0] += 1 } else { several[g][wards, default: 0] += 1 }
                wards.removeAll(keepingCapacity: true)
            }
            try each { e in
                if let c = current, c.samePatient(e) {
                    if wards.last != Int(e.ward) { wards.append(Int(e.ward)) }
                    return
                }
                close()
                current = e
                wards.append(Int(e.ward))
            }
            close()
        }

        /// Adds the counts of another partition (which holds other patients).
        mutating func add(_ other: Counts) {
            for g in single.indices {
                single[g].merge(other.single[g], uniquingKeysWith: +)
                several[g].merge(other.several[g], uniquingKeysWith: +)
            }
        }
    }

    /// What the partitions' merges read: the runs' file, the runs and the buffer, shared read-only by the threads.
    private final class Sources: @unchecked Sendable {
        let descriptor: Int32, runs: [(start: Int, bounds: [Int])], buffer: [Entry], bufferBounds: [Int], block: Int
        init(descriptor: Int32, runs: [(start: Int, bounds: [Int])], buffer: [Entry], block: Int) {
            self.descriptor = descriptor
            self.runs = runs
            self.buffer = buffer
            bufferBounds = PatientTally.bounds(buffer)
            self.block = block
        }
    }

    /// Merges the runs and counts the patients, the partitions merged on up to `threads` threads. Throws when a
    /// temporary file could not be written or read back (the counts would be incomplete). Later calls do nothing.
    func finish(threads: Int = 1) throws {
        if let failure { throw failure }
        guard !finished else { return }
        sortAndDedupe(&buffer)
        scratch = []
        var total = Counts(groups: groups)
        do {
            if let file, !runs.isEmpty {
                guard fflush(file) == 0 else { throw PatientTally.failed(String(cString: strerror(errno))) }
                // Read buffers share one budget (the memory of the buffer) over the threads, at least 64 entries a run.
                let working = OrderedParallel.workers(min(threads, PatientTally.partitions))
                let sources = Sources(descriptor: fileno(file), runs: runs, buffer: buffer,
                                      block: max(64, capacity / ((runs.count + 1) * working)))
                let groups = self.groups
                try OrderedParallel.run(count: PatientTally.partitions, threads: working, work: { p in
                    var counts = Counts(groups: groups)
                    do {
                        try counts.count { try PatientTally.merge(sources, partition: p, $0) }
                        return Result<Counts, OutputError>.success(counts)
                    } catch {
                        return .failure(error as? OutputError ?? PatientTally.failed("\(error)"))
                    }
                }, merge: { _, result in total.add(try result.get()) })
            } else {
                total.count { each in for e in buffer { each(e) } }
            }
        } catch let e as OutputError {
            failure = e
            throw e
        }
        single = total.single
        several = total.several
        severalHolding = several.map { sets in
            var holding: [Int: [[Int]]] = [:]
            for wards in sets.keys { for w in wards { holding[w, default: []].append(wards) } }
            return holding
        }
        buffer = []
        if let file { fclose(file) }
        file = nil
        finished = true
    }

    /// Calls `body` with every distinct entry of one partition, in order: its slice of each run on disk and of the
    /// buffer, merged.
    private static func merge(_ sources: Sources, partition p: Int, _ body: (Entry) -> Void) throws {
        var readers = try sources.runs.map {
            try RunReader(descriptor: sources.descriptor, start: $0.start + $0.bounds[p], count: $0.bounds[p + 1] - $0.bounds[p],
                          block: sources.block)
        }
        readers.append(RunReader(entries: sources.buffer[sources.bufferBounds[p]..<sources.bufferBounds[p + 1]]))
        // A binary heap of the readers not yet exhausted, each with its current entry.
        var heap: [(entry: Entry, reader: Int)] = readers.indices.compactMap { r in readers[r].current.map { ($0, r) } }
        func siftDown(_ start: Int) {
            var i = start
            let item = heap[i]
            while true {
                let l = 2 * i + 1
                guard l < heap.count else { break }
                let r = l + 1
                let c = r < heap.count && Entry.precedes(heap[r].entry, heap[l].entry) ? r : l
                guard Entry.precedes(heap[c].entry, item.entry) else { break }
                heap[i] = heap[c]
                i = c
            }
            heap[i] = item
        }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        var last: Entry?
        while !heap.isEmpty {
            let (e, r) = heap[0]
            if e != last { body(e) }
            last = e
            if try readers[r].advance() {
                heap[0].entry = readers[r].current!
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            if !heap.isEmpty { siftDown(0) }
        }
    }

    /// The patients of `group` seen on `ward` (finishing the tally first if need be). A run finishes the tally before
    /// it asks, and stops there when a temporary file failed; counts that could not be completed are never answered.
    func patients(group: Int, ward: Int) -> PatientSet {
        do { try finish() } catch { preconditionFailure("patient counts asked for after a temporary file failed: \(error)") }
        guard group < single.count else { return PatientSet() }
        var byWards: [[Int]: Int] = [:]
        if let n = single[group][ward] { byWards[[ward]] = n }
        for wards in severalHolding[group][ward] ?? [] { byWards[wards] = several[group][wards] }
        return PatientSet(byWards: byWards)
    }

    private static func failed(_ reason: String) -> OutputError {
        OutputError(file: "a temporary file of the patient counts", reason: reason, consequence: "no report was written")
    }

    /// One sorted run read a block at a time (or the buffer, read in place).
    private struct RunReader {
        private let descriptor: Int32?
        private var next: Int, remaining: Int
        private let block: Int
        private var entries: ArraySlice<Entry>
        private var at = 0
        private(set) var current: Entry?

        init(descriptor: Int32, start: Int, count: Int, block: Int) throws {
            self.descriptor = descriptor
            next = start
            remaining = count
            self.block = block
            entries = []
            _ = try advance()
        }

        init(entries: ArraySlice<Entry>) {
            descriptor = nil
            next = 0
            remaining = 0
            block = 0
            self.entries = entries
            current = entries.first
            at = entries.startIndex + 1
        }

        /// Moves to the next entry; `false` at the end of the run.
        mutating func advance() throws -> Bool {
            if at < entries.endIndex {
                current = entries[at]
                at += 1
                return true
            }
            guard let descriptor, remaining > 0 else {
                current = nil
                return false
            }
            let n = min(block, remaining)
            let read = [Entry](unsafeUninitializedCapacity: n) { out, count in
                let read = pread(descriptor, out.baseAddress, n * MemoryLayout<Entry>.stride, off_t(next * MemoryLayout<Entry>.stride))
                count = read < 0 ? 0 : read / MemoryLayout<Entry>.stride
            }
            guard read.count == n else { throw PatientTally.failed("read error") }
            entries = read[...]
            next += n
            remaining -= n
            current = entries[0]
            at = 1
            return true
        }
    }
}
