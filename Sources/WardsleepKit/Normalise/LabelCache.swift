import Foundation

/// Remembers what a raw cell resolved to (a ward index, a category, a list of roles), keyed by the cell's bytes, so
/// that the many rows repeating the same few labels are not resolved again each time. A hit allocates nothing and
/// hashes nothing when the label is the one seen last (the common case down a sorted export); otherwise it is one
/// FNV-1a hash and a probe of an open-addressing table whose keys sit in one byte arena. Bounded: when full it is
/// emptied, so memory stays flat whatever the input.
struct LabelCache<Value> {
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var values: [Value] = []
    private var slots: [Int32] = Array(repeating: -1, count: 64)
    private var last = -1
    /// The most entries kept.
    let limit: Int

    init(limit: Int = 4096) { self.limit = limit }

    private func key(_ i: Int) -> ArraySlice<UInt8> {
        arena[starts[i]..<(i + 1 < starts.count ? starts[i + 1] : arena.count)]
    }

    /// Whether entry `i`'s key is `bytes`: compared in place, without making a slice of the arena (a slice would
    /// retain and release it on every probe).
    @inline(__always) private func matches(_ i: Int, _ bytes: some FieldByteCollection) -> Bool {
        let start = starts[i], end = i + 1 < starts.count ? starts[i + 1] : arena.count
        guard end - start == bytes.count else { return false }
        guard !bytes.isEmpty else { return true }
        return arena.withUnsafeBufferPointer { a in
            bytes.withFieldBuffer { b in memcmp(a.baseAddress! + start, b.baseAddress!, b.count) == 0 }
        }
    }

    /// The cached value for `bytes`, computing and storing it on a miss.
    mutating func value<Bytes: FieldByteCollection>(for bytes: Bytes, _ compute: (Bytes) -> Value) -> Value {
        if let hit = cached(bytes) { return hit }
        let v = compute(bytes)
        store(bytes, v)
        return v
    }

    /// The cached value for `bytes`, or `nil` on a miss. With `store`, a caller whose resolver is shared between threads
    /// (a table, a closure) reaches it only on a miss: a hit retains nothing another thread also retains.
    mutating func cached(_ bytes: some FieldByteCollection) -> Value? {
        if last >= 0, matches(last, bytes) { return values[last] }
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: PatientRegistry.hash(bytes)) & mask
        while slots[s] >= 0 {
            let i = Int(slots[s])
            if matches(i, bytes) { last = i; return values[i] }
            s = (s + 1) & mask
        }
        return nil
    }

    /// Remembers `v` for `bytes` (after `cached` missed).
    mutating func store(_ bytes: some FieldByteCollection, _ v: Value) {
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: PatientRegistry.hash(bytes)) & mask
        while slots[s] >= 0 { s = (s + 1) & mask }
        if values.count >= limit {
            arena.removeAll(keepingCapacity: true)
            starts.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            for j in slots.indices { slots[j] = -1 }
            last = -1
            return
        }
        let i = values.count
        starts.append(arena.count)
        arena.append(contentsOf: bytes)
        values.append(v)
        slots[s] = Int32(i)
        last = i
        if values.count * 2 > slots.count { rehash() }
    }

    private mutating func rehash() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for i in values.indices {
            var s = Int(truncatingIfNeeded: PatientRegistry.hash(key(i))) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(i)
        }
    }
}
