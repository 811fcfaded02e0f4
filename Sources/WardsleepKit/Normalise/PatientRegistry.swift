import Foundation

/// A patient as the analyses see it: a small number standing for one pseudonymised identifier within a run.
public typealias PatientID = UInt32

/// Interns patient identifiers as they are read: each distinct identifier (after `Pseudonymiser.normalise`) gets a
/// `PatientID` and its HMAC pseudonym is computed once, on first sight. Records carry only the number, so the analyses
/// hold sets of 4-byte numbers rather than strings, and the keyed hash runs once per patient, not once per row.
///
/// The identifiers themselves are kept only here, in one byte arena inside the ingest stage, to recognise a patient seen
/// before; they never reach a record, an analysis or an output. Memory grows with distinct patients (about 30 bytes
/// each), never with rows. One registry serves every export of a run, so a patient is the same number in the sleep
/// plans and in the administrations.
///
/// Workers on several threads register patients at once: the table is split into 64 shards by the identifier's hash,
/// each with its own lock, so two threads rarely wait for each other. A patient's number is its shard and its place in
/// the shard; which number a patient gets depends on the order threads meet patients, but no output depends on it.
public final class PatientRegistry: @unchecked Sendable {
    static let shardBits = 6
    let pseudonymiser: Pseudonymiser
    private let shards: [Shard]

    /// Creates an empty registry pseudonymising with `pseudonymiser`.
    public init(pseudonymiser: Pseudonymiser) {
        self.pseudonymiser = pseudonymiser
        shards = (0..<(1 << PatientRegistry.shardBits)).map { _ in Shard() }
    }

    /// The number of distinct patients seen.
    public var count: Int { shards.reduce(0) { $0 + $1.count } }

    /// The patient for an identifier's bytes, registering (and pseudonymising) it on first sight.
    public func id(for raw: some FieldByteCollection) -> PatientID {
        // Normalised on the stack: a patient seen before costs no allocation.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(raw.count, 1)) { buffer in
            let key = UnsafeBufferPointer(rebasing: buffer[0..<Pseudonymiser.normalise(raw, into: buffer)])
            let hash = PatientRegistry.hash(key)
            let s = Int(truncatingIfNeeded: hash) & ((1 << PatientRegistry.shardBits) - 1)
            let local = shards[s].id(for: key, hash: hash >> PatientRegistry.shardBits, pseudonymiser: pseudonymiser)
            return PatientID(local) << PatientID(PatientRegistry.shardBits) | PatientID(s)
        }
    }

    /// The pseudonym of a registered patient (`P-` and 20 hex digits), as `Pseudonymiser.pseudonym` gives it.
    public func pseudonym(_ id: PatientID) -> String {
        let s = Int(id & PatientID((1 << PatientRegistry.shardBits) - 1))
        return shards[s].pseudonym(Int(id >> PatientID(PatientRegistry.shardBits)))
    }

    /// FNV-1a, 64-bit: quick on short identifiers; collisions only cost a comparison.
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }

    /// One shard: identifiers end to end in a byte arena, an open-addressing table, and the pseudonyms' digests.
    private final class Shard: @unchecked Sendable {
        private let lock = NSLock()
        private var arena: [UInt8] = []
        private var ends: [UInt32] = []
        /// The first 10 bytes (80 bits) of each patient's HMAC-SHA-256, the pseudonym.
        private var digests: [UInt8] = []
        /// Patient index + 1 (0: empty), sized to a power of two.
        private var slots: [UInt32] = Array(repeating: 0, count: 64)

        var count: Int { lock.withLock { ends.count } }

        func id(for key: UnsafeBufferPointer<UInt8>, hash: UInt64, pseudonymiser: Pseudonymiser) -> Int {
            lock.lock()
            defer { lock.unlock() }
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] != 0 {
                let p = Int(slots[i] - 1)
                if matches(p, key) { return p }
                i = (i + 1) & mask
            }
            let p = ends.count
            arena.append(contentsOf: key)
            ends.append(UInt32(arena.count))
            digests.append(contentsOf: pseudonymiser.digest(Array(key)))
            slots[i] = UInt32(p + 1)
            if ends.count * 2 > slots.count { grow() }
            return p
        }

        func pseudonym(_ p: Int) -> String {
            lock.withLock { Pseudonymiser.format(digests[p * 10..<p * 10 + 10]) }
        }

        /// Whether patient `p`'s identifier is `key`, compared in place (no slice of the arena, so nothing retained).
        @inline(__always) private func matches(_ p: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
            let start = p == 0 ? 0 : Int(ends[p - 1]), end = Int(ends[p])
            guard end - start == key.count else { return false }
            guard key.count > 0 else { return true }
            return arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, key.baseAddress!, key.count) == 0 }
        }

        private func identifier(_ p: Int) -> ArraySlice<UInt8> {
            arena[(p == 0 ? 0 : Int(ends[p - 1]))..<Int(ends[p])]
        }

        private func grow() {
            var bigger = [UInt32](repeating: 0, count: slots.count * 2)
            let mask = bigger.count - 1
            for p in 0..<ends.count {
                var i = Int(truncatingIfNeeded: PatientRegistry.hash(identifier(p)) >> PatientRegistry.shardBits) & mask
                while bigger[i] != 0 { i = (i + 1) & mask }
                bigger[i] = UInt32(p + 1)
            }
            slots = bigger
        }
    }
}

/// Distinct patients, as a bitset over patient numbers: a patient is one bit, so the sets behind uptake and PRN shares
/// take an eighth of a byte per patient of the run, however many rows name them. Numbers are dense (a shard and a
/// place in it), so the set is about as long as the registry.
public struct PatientSet: Sendable, Equatable, Codable {
    private var words: [UInt64] = []
    /// Patients in the set.
    public private(set) var count = 0

    /// An empty set.
    public init() {}

    /// Whether the set has no patient.
    public var isEmpty: Bool { count == 0 }

    /// Adds a patient; `true` when it was not in the set.
    @discardableResult
    public mutating func insert(_ id: PatientID) -> Bool {
        let w = Int(id >> 6), bit = UInt64(1) << UInt64(id & 63)
        if w >= words.count { words.append(contentsOf: repeatElement(0, count: max(w + 1 - words.count, words.count / 2))) }
        guard words[w] & bit == 0 else { return false }
        words[w] |= bit
        count += 1
        return true
    }

    /// Whether a patient is in the set.
    public func contains(_ id: PatientID) -> Bool {
        let w = Int(id >> 6)
        return w < words.count && words[w] & (UInt64(1) << UInt64(id & 63)) != 0
    }

    /// Adds every patient of `other`.
    public mutating func formUnion(_ other: PatientSet) {
        if other.words.count > words.count { words.append(contentsOf: repeatElement(0, count: other.words.count - words.count)) }
        count = 0
        for i in words.indices {
            if i < other.words.count { words[i] |= other.words[i] }
            count += words[i].nonzeroBitCount
        }
    }

    public static func == (a: PatientSet, b: PatientSet) -> Bool {
        guard a.count == b.count else { return false }
        let n = max(a.words.count, b.words.count)
        return (0..<n).allSatisfy { (($0 < a.words.count ? a.words[$0] : 0)) == ($0 < b.words.count ? b.words[$0] : 0) }
    }
}
