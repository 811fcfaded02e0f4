import CSystem
import Foundation
import Synchronization

/// A patient as the analyses see it: a small number standing for one pseudonymised identifier within a run.
public typealias PatientID = UInt32

/// Interns patient identifiers as they are read: each distinct identifier (after `Pseudonymiser.normalise`) gets a
/// `PatientID` and its HMAC pseudonym is computed once, on first sight. Records carry only the number, so the analyses
/// hold sets of 4-byte numbers rather than strings, and the keyed hash runs once per patient, not once per row.
///
/// The identifiers themselves are kept only here, inside the ingest stage, to recognise a patient seen before; they
/// never reach a record, an analysis or an output. Memory grows with distinct patients (about 30 bytes each), never
/// with rows. One registry serves every export of a run, so a patient is the same number in the sleep plans and in the
/// administrations.
///
/// A year of administrations names hundreds of thousands of patients in no useful order, so finding one is a trip to
/// memory the caches do not hold; the table is laid out for one such trip. Nearly every identifier is held whole in its
/// 12-byte slot: a normalised identifier of up to 19 digits (an NHS number) as its value and length, one of up to 8
/// bytes (a hospital number) as its bytes; only a longer one is compared against a byte arena.
///
/// Workers on several threads register patients at once: the table is split into 64 shards by the identifier's hash,
/// each with its own lock, so two threads rarely wait for each other. A patient's number is its shard and its place in
/// the shard; which number a patient gets depends on the order threads meet patients, but no output depends on it.
public final class PatientRegistry: @unchecked Sendable {
    static let shardBits = 6
    let pseudonymiser: Pseudonymiser
    /// The shards, owned by `owners`; reached without retaining them, as they live as long as the registry.
    private let shards: [Unmanaged<Shard>]
    private let owners: [Shard]

    /// Creates an empty registry pseudonymising with `pseudonymiser`.
    public init(pseudonymiser: Pseudonymiser) {
        self.pseudonymiser = pseudonymiser
        owners = (0..<(1 << PatientRegistry.shardBits)).map { _ in Shard() }
        shards = owners.map { Unmanaged.passUnretained($0) }
    }

    /// The number of distinct patients seen.
    public var count: Int { owners.reduce(0) { $0 + $1.count } }

    /// The patient for an identifier's bytes, registering (and pseudonymising) it on first sight.
    public func id(for raw: some FieldByteCollection) -> PatientID {
        // An identifier of digits alone (an NHS number written without spaces) is its own normal form: its key is read
        // straight off the cell.
        if let k = Key(digitsOf: raw) { return raw.withFieldBuffer { id(k, $0) } }
        // Normalised on the stack: a patient seen before costs no allocation.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(raw.count, 1)) { buffer in
            let key = UnsafeBufferPointer(rebasing: buffer[0..<Pseudonymiser.normalise(raw, into: buffer)])
            return id(Key(key), key)
        }
    }

    /// Asks memory for where an identifier's patient would be found (its shard's lock and the slot its probe starts
    /// at), so that `id(for:)`, a little later, finds them in the caches. A year of administrations names patients in
    /// no useful order, so otherwise each lookup waits for memory. Only for an identifier of digits alone (the common
    /// case, keyed straight off the cell); others are simply looked up.
    @inline(__always) public func prefetch(_ raw: some FieldByteCollection) {
        guard let k = Key(digitsOf: raw) else { return }
        shards[k.shard]._withUnsafeGuaranteedRef { $0.prefetch(k) }
    }

    @inline(__always) private func id(_ k: Key, _ key: UnsafeBufferPointer<UInt8>) -> PatientID {
        let s = k.shard
        let local = shards[s]._withUnsafeGuaranteedRef { $0.id(for: k, key: key, pseudonymiser: pseudonymiser) }
        return PatientID(local) << PatientID(PatientRegistry.shardBits) | PatientID(s)
    }

    /// The pseudonym of a registered patient (`P-` and 20 hex digits), as `Pseudonymiser.pseudonym` gives it.
    public func pseudonym(_ id: PatientID) -> String {
        let s = Int(id & PatientID((1 << PatientRegistry.shardBits) - 1))
        return owners[s].pseudonym(Int(id >> PatientID(PatientRegistry.shardBits)))
    }

    /// FNV-1a, 64-bit: quick on short identifiers; collisions only cost a comparison.
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }

    /// A normalised identifier as it is looked up: `value` and `kind` with `length` say which identifier it is
    /// (exactly, except for a long one, whose value is its hash).
    struct Key {
        static let digits: UInt32 = 1, short: UInt32 = 2, long: UInt32 = 3
        var value: UInt64 = 0
        var kind: UInt32
        var length: UInt32

        /// The key of a normalised identifier.
        @inline(__always) init(_ key: UnsafeBufferPointer<UInt8>) {
            if let digits = Key(digitsOf: key[...]) {
                self = digits
                return
            }
            if key.count <= 8 {
                kind = Key.short
                for (i, b) in key.enumerated() { value |= UInt64(b) << UInt64(8 * i) }
            } else {
                kind = Key.long
                value = PatientRegistry.hash(key)
            }
            length = kind == Key.long ? 0 : UInt32(key.count)
        }

        /// A key from its parts (as a slot holds them).
        init(value: UInt64, kind: UInt32, length: UInt32) {
            self.value = value
            self.kind = kind
            self.length = length
        }

        /// The key of a raw cell of 1 to 19 digits and nothing else, which `Pseudonymiser.normalise` leaves as it is;
        /// `nil` for any other cell.
        @inline(__always) init?(digitsOf raw: some FieldByteCollection) {
            guard raw.count >= 1, raw.count <= 19 else { return nil }
            var v: UInt64 = 0
            for b in raw {
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v &* 10 &+ UInt64(b &- 0x30)
            }
            self.init(value: v, kind: Key.digits, length: UInt32(raw.count))
        }

        /// A well-mixed hash of the identifier: the low bits pick the shard, the rest the place in it.
        @inline(__always) var hash: UInt64 {
            let h = (value ^ UInt64(kind << 8 | length) << 48) &* 0x9E37_79B9_7F4A_7C15
            return h ^ (h >> 29)
        }

        var shard: Int { Int(truncatingIfNeeded: hash) & ((1 << PatientRegistry.shardBits) - 1) }
    }

    /// One entry of a shard's table, in 12 bytes: a digits or short identifier whole (its value in `low` and `high`),
    /// a long one as 32 bits of its hash and where it starts in the arena; and the patient's place in the shard with
    /// the key's kind and length. `tag` 0 marks an empty slot.
    struct Slot {
        static let indexBits: UInt32 = 25
        var low: UInt32 = 0, high: UInt32 = 0
        /// Patient index (25 bits), kind (2 bits), length (5 bits: up to 19).
        var tag: UInt32 = 0

        init() {}

        init(_ key: Key, index: Int, arenaStart: Int) {
            low = UInt32(truncatingIfNeeded: key.value)
            high = key.kind == Key.long ? UInt32(arenaStart) : UInt32(truncatingIfNeeded: key.value >> 32)
            tag = UInt32(index) | key.kind << Slot.indexBits | key.length << (Slot.indexBits + 2)
        }

        var isEmpty: Bool { tag == 0 }
        var index: Int { Int(tag & (1 << Slot.indexBits - 1)) }
        var kind: UInt32 { (tag >> Slot.indexBits) & 3 }
        var length: UInt32 { tag >> (Slot.indexBits + 2) }

        /// Whether this slot holds `key` (for a long key: its hash matches; the arena decides).
        @inline(__always) func holds(_ key: Key) -> Bool {
            guard kind == key.kind, length == key.length, low == UInt32(truncatingIfNeeded: key.value) else { return false }
            return key.kind == Key.long || high == UInt32(truncatingIfNeeded: key.value >> 32)
        }

        /// The place in the table this slot belongs at (the hash, rebuilt from what the slot holds).
        func hash(arena: [UInt8]) -> UInt64 {
            if kind == Key.long {
                let start = Int(high)
                let length = Int(arena[start]) | Int(arena[start + 1]) << 8 | Int(arena[start + 2]) << 16 | Int(arena[start + 3]) << 24
                return arena.withUnsafeBufferPointer { Key(UnsafeBufferPointer(rebasing: $0[(start + 4)..<(start + 4 + length)])).hash }
            }
            return Key(value: UInt64(low) | UInt64(high) << 32, kind: kind, length: length).hash
        }
    }

    /// One shard: a table of slots, long identifiers end to end in a byte arena, and the pseudonyms' digests.
    private final class Shard: @unchecked Sendable {
        /// Futex-based, taken and released inline: a lookup holds it for a few nanoseconds.
        private let lock = Mutex(())
        /// The table, sized to a power of two.
        private var slots = [Slot](repeating: Slot(), count: 64) {
            didSet { slotsHint.store(slots.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }, ordering: .relaxed) }
        }
        /// Where the table starts, for `prefetch` (read without the lock: a stale address only brings in a useless line).
        private let slotsHint = Atomic<UInt>(0)
        private let maskHint = Atomic<Int>(63)
        private var patients = 0
        /// Long identifiers (over 8 bytes and not all digits), each its length in 4 bytes and its bytes.
        private var arena: [UInt8] = []
        /// The first 10 bytes (80 bits) of each patient's HMAC-SHA-256, the pseudonym.
        private var digests: [UInt8] = []

        init() { slotsHint.store(slots.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }, ordering: .relaxed) }

        var count: Int { lock.withLock { _ in patients } }

        /// Brings in this shard's lock (to be taken) and the slot where `key`'s probe starts.
        @inline(__always) func prefetch(_ key: Key) {
            ws_prefetch(Unmanaged.passUnretained(self).toOpaque(), 1)
            let i = Int(truncatingIfNeeded: key.hash >> PatientRegistry.shardBits) & maskHint.load(ordering: .relaxed)
            guard let base = UnsafeRawPointer(bitPattern: slotsHint.load(ordering: .relaxed)) else { return }
            ws_prefetch(base + i * MemoryLayout<Slot>.stride, 0)
        }

        func id(for key: Key, key bytes: UnsafeBufferPointer<UInt8>, pseudonymiser: Pseudonymiser) -> Int {
            lock.withLock { _ in find(key, bytes, pseudonymiser) }
        }

        private func find(_ key: Key, _ bytes: UnsafeBufferPointer<UInt8>, _ pseudonymiser: Pseudonymiser) -> Int {
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: key.hash >> PatientRegistry.shardBits) & mask
            let found: Int? = slots.withUnsafeBufferPointer { table in
                while !table[i].isEmpty {
                    if table[i].holds(key), key.kind != Key.long || matchesLong(at: Int(table[i].high), bytes) {
                        return table[i].index
                    }
                    i = (i + 1) & mask
                }
                return nil
            }
            if let found { return found }
            let p = patients
            precondition(p < 1 << Slot.indexBits - 1, "more than 33 million patients in one shard of the patient table")
            patients += 1
            slots[i] = Slot(key, index: p, arenaStart: arena.count)
            pseudonymiser.appendDigest(bytes, to: &digests)
            if key.kind == Key.long {
                let n = UInt32(bytes.count)
                arena.append(contentsOf: [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)])
                arena.append(contentsOf: bytes)
            }
            if patients * 10 > slots.count * 7 { grow() }
            return p
        }

        func pseudonym(_ p: Int) -> String {
            lock.withLock { _ in Pseudonymiser.format(digests[p * 10..<p * 10 + 10]) }
        }

        /// Whether the long identifier at `start` in the arena is `key`.
        private func matchesLong(at start: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
            arena.withUnsafeBufferPointer { a in
                let length = Int(a[start]) | Int(a[start + 1]) << 8 | Int(a[start + 2]) << 16 | Int(a[start + 3]) << 24
                return length == key.count && memcmp(a.baseAddress! + start + 4, key.baseAddress!, key.count) == 0
            }
        }

        private func grow() {
            var bigger = [Slot](repeating: Slot(), count: slots.count * 2)
            let mask = bigger.count - 1
            for slot in slots where !slot.isEmpty {
                var i = Int(truncatingIfNeeded: slot.hash(arena: arena) >> PatientRegistry.shardBits) & mask
                while !bigger[i].isEmpty { i = (i + 1) & mask }
                bigger[i] = slot
            }
            maskHint.store(mask, ordering: .relaxed)
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
