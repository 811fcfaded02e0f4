import CSystem
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The patients of a run met lately, by identifier, so that an identifier seen before is not hashed again
/// (`PatientID`: two SHA-256 compressions and the hashing library's allocations, several times a lookup here). Shared
/// by every thread, in a fixed amount of memory: 64 shards of 2,048 slots (4 MiB at most, mapped from the system as
/// zero pages, so a study with few patients touches little of it), each with its own lock.
///
/// A shard more than 70% full is emptied and starts again, so memory never grows with the patients; a trust's
/// inpatients over a year (thousands to tens of thousands; up to about 90,000) stay here for the whole run, and an
/// export naming a million patients in no useful order is hashed more often, never answered wrongly. Only identifiers held whole in a slot are
/// kept: up to 19 digits (an NHS number, as its value) or up to 8 other bytes (a hospital number). A longer one is
/// hashed each time a chunk has not met it lately (`PatientCache`).
///
/// The identifiers themselves are kept only here, inside the ingest stage, for as long as their slot; they never reach
/// a record, an analysis, a temporary file or an output.
final class PatientMemo: @unchecked Sendable {
    static let shardBits = 6
    static let slotsPerShard = 2_048
    private let pseudonymiser: Pseudonymiser
    /// The shards, owned by `owners`; reached without retaining them, as they live as long as the memo.
    private let shards: [Unmanaged<Shard>]
    private let owners: [Shard]
    /// Every shard's slots, in one mapping (`nil` when the system refused it: then the memo keeps nothing).
    private let table: UnsafeMutableRawPointer?
    private static let tableBytes = (1 << shardBits) * slotsPerShard * MemoryLayout<Slot>.stride

    /// An empty memo hashing with `pseudonymiser`.
    init(pseudonymiser: Pseudonymiser) {
        self.pseudonymiser = pseudonymiser
        let mapped = mmap(nil, PatientMemo.tableBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        table = mapped == MAP_FAILED ? nil : mapped
        let base = table?.bindMemory(to: Slot.self, capacity: (1 << PatientMemo.shardBits) * PatientMemo.slotsPerShard)
        owners = (0..<(1 << PatientMemo.shardBits)).map { s in Shard(slots: base.map { $0 + s * PatientMemo.slotsPerShard }) }
        shards = owners.map { Unmanaged.passUnretained($0) }
    }

    deinit { if let table { munmap(table, PatientMemo.tableBytes) } }

    /// The patient of an identifier's raw cell.
    func id(for raw: FieldBytes) -> PatientID {
        raw.withFieldBuffer { cell in
            Pseudonymiser.withNormalised(cell) { normalised in
                guard let k = Key(normalised: normalised) else { return pseudonymiser.patientID(normalised: normalised) }
                return id(k, normalised)
            }
        }
    }

    /// Asks memory for the slot where a cell of digits alone would be found (the common case), so that `id(for:)`, a
    /// little later, finds it in the caches: an export names patients in no useful order.
    @inline(__always) func prefetch(_ raw: FieldBytes) {
        guard let k = Key(digitsOf: raw) else { return }
        shards[k.shard]._withUnsafeGuaranteedRef { $0.prefetch(k) }
    }

    /// The patient of a normalised identifier whose key is `k`.
    @inline(__always) private func id(_ k: Key, _ normalised: UnsafeBufferPointer<UInt8>) -> PatientID {
        let shard = shards[k.shard]
        if let known = shard._withUnsafeGuaranteedRef({ $0.find(k) }) { return known }
        let id = pseudonymiser.patientID(normalised: normalised)
        shard._withUnsafeGuaranteedRef { $0.store(k, id) }
        return id
    }

    /// A normalised identifier held whole: a value of up to 19 digits, or up to 8 other bytes, with its kind and
    /// length (so `0123` and `123` differ).
    struct Key: Equatable {
        static let digits: UInt32 = 1, short: UInt32 = 2
        var value: UInt64
        var kind: UInt32
        var length: UInt32

        /// The key of a raw cell of 1 to 19 digits and nothing else, which `Pseudonymiser.normalise` leaves as it is.
        @inline(__always) init?(digitsOf raw: FieldBytes) {
            guard raw.count >= 1, raw.count <= 19 else { return nil }
            var v: UInt64 = 0
            for b in raw {
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v &* 10 &+ UInt64(b &- 0x30)
            }
            value = v
            kind = Key.digits
            length = UInt32(raw.count)
        }

        /// The key of a normalised identifier, or `nil` when it is too long to be held whole.
        init?(normalised: UnsafeBufferPointer<UInt8>) {
            if let d = Key(digitsOf: normalised[...]) {
                self = d
                return
            }
            guard !normalised.isEmpty, normalised.count <= 8 else { return nil }
            var v: UInt64 = 0
            for (i, b) in normalised.enumerated() { v |= UInt64(b) << UInt64(8 * i) }
            value = v
            kind = Key.short
            length = UInt32(normalised.count)
        }

        /// A well-mixed hash: the low bits pick the shard, the rest the place in it.
        @inline(__always) var hash: UInt64 {
            let h = (value ^ UInt64(kind << 8 | length) << 48) &* 0x9E37_79B9_7F4A_7C15
            return h ^ (h >> 29)
        }

        var shard: Int { Int(truncatingIfNeeded: hash) & ((1 << PatientMemo.shardBits) - 1) }
    }

    /// One slot: a key and its patient. `length` 0 (all zero bytes, as the mapping starts) marks an empty slot.
    struct Slot {
        var value: UInt64 = 0
        var kind: UInt32 = 0, length: UInt32 = 0
        var id = PatientID(high: 0, low: 0)

        /// Whether this slot holds `k`'s patient.
        @inline(__always) func holds(_ k: Key) -> Bool { value == k.value && kind == k.kind && length == k.length }
    }

    /// One shard: a fixed table of slots, emptied when it fills.
    private final class Shard: @unchecked Sendable {
        /// Futex-based, taken and released inline: a lookup holds it for a few nanoseconds.
        private let lock = Mutex(())
        /// The shard's slots in the memo's mapping, or `nil` (nothing is kept).
        private let slots: UnsafeMutablePointer<Slot>?
        private var used = 0

        init(slots: UnsafeMutablePointer<Slot>?) { self.slots = slots }

        @inline(__always) private static func start(_ k: Key) -> Int {
            Int(truncatingIfNeeded: k.hash >> PatientMemo.shardBits) & (PatientMemo.slotsPerShard - 1)
        }

        /// Brings in this shard's lock (to be taken) and the slot where `key`'s probe starts.
        @inline(__always) func prefetch(_ key: Key) {
            guard let slots else { return }
            ws_prefetch(Unmanaged.passUnretained(self).toOpaque(), 1)
            ws_prefetch(UnsafeRawPointer(slots + Shard.start(key)), 0)
        }

        func find(_ k: Key) -> PatientID? {
            guard let slots else { return nil }
            return lock.withLock { _ in
                var i = Shard.start(k)
                while slots[i].length != 0 {
                    if slots[i].holds(k) { return slots[i].id }
                    i = (i + 1) & (PatientMemo.slotsPerShard - 1)
                }
                return nil
            }
        }

        func store(_ k: Key, _ id: PatientID) {
            guard let slots else { return }
            lock.withLock { _ in
                if used * 10 >= PatientMemo.slotsPerShard * 7 {
                    slots.update(repeating: Slot(), count: PatientMemo.slotsPerShard)
                    used = 0
                }
                var i = Shard.start(k)
                while slots[i].length != 0 {
                    // Another thread stored the same patient since `find`.
                    if slots[i].holds(k) { return }
                    i = (i + 1) & (PatientMemo.slotsPerShard - 1)
                }
                slots[i] = Slot(value: k.value, kind: k.kind, length: k.length, id: id)
                used += 1
            }
        }
    }
}
