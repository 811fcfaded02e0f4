import Foundation

/// Remembers what a raw cell resolved to (a ward index, a category, a list of roles), keyed by the cell's bytes, so
/// that the many rows repeating the same few labels are not resolved again each time.
///
/// Bounded, in two generations of `LabelTable` (as `RecentMemo`): labels are stored in the newer, and when it holds
/// `limit` it becomes the older and the older is dropped; a label found in the older moves to the newer. A chunk
/// cycling through more distinct labels than one generation holds (thousands of unknown wards) still finds them, and
/// memory stays flat whatever the input. A hit in the newer generation, nearly every row, is one table probe.
struct LabelCache<Value> {
    private var newer = LabelTable<Value>(), older = LabelTable<Value>()
    /// The most labels one generation holds.
    let limit: Int

    init(limit: Int = 4096) {
        precondition(limit > 0, "a cache holds at least one label")
        self.limit = limit
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
    @inline(__always) mutating func cached(_ bytes: some FieldByteCollection) -> Value? {
        if let hit = newer.cached(bytes) { return hit }
        return older.count > 0 ? movedFromOlder(bytes) : nil
    }

    /// The older generation's value for `bytes`, stored in the newer, or `nil`.
    private mutating func movedFromOlder(_ bytes: some FieldByteCollection) -> Value? {
        guard let v = older.lookup(bytes) else { return nil }
        store(bytes, v)
        return v
    }

    /// Remembers `v` for `bytes` (after `cached` missed), turning the generations over first when the newer is full.
    mutating func store(_ bytes: some FieldByteCollection, _ v: Value) {
        if newer.count >= limit {
            swap(&newer, &older)
            newer.removeAll()
        }
        newer.store(bytes, v)
    }

    /// Labels held, in both generations.
    var count: Int { newer.count + older.count }
}

/// One table of labels and what they resolved to, unbounded (`LabelCache` bounds it).
///
/// A label of up to 16 bytes (nearly every coded label: `Given`, `Y`, `A1`, `Zopiclone`) is held as two machine words
/// and its length, found by a multiplicative hash of the two words and compared as integers: no call to `memcmp`, no
/// loop over its bytes. Longer labels sit in a byte arena and are found by an FNV-1a hash (the one seen last first).
/// A hit allocates nothing.
struct LabelTable<Value> {
    private var keys: [ShortLabelKey] = []
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var values: [Value] = []
    private var slots: [Int32] = Array(repeating: -1, count: 64)
    private var last = -1

    init() {}

    /// An empty table with room for `count` labels made at once (no array grown by doubling on the way).
    init(exactly count: Int) {
        keys.reserveCapacity(count)
        starts.reserveCapacity(count)
        values.reserveCapacity(count)
        var size = 64
        while size < 2 * (count + 1) { size *= 2 }
        slots = Array(repeating: -1, count: size)
    }

    private func key(_ i: Int) -> ArraySlice<UInt8> {
        arena[starts[i]..<(i + 1 < starts.count ? starts[i + 1] : arena.count)]
    }

    /// Whether long entry `i`'s key is `bytes`: compared in place, without making a slice of the arena.
    @inline(__always) private func matchesLong(_ i: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[i], end = i + 1 < starts.count ? starts[i + 1] : arena.count
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { a in memcmp(a.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0 }
    }

    /// The value held for `bytes`, or `nil`, remembering the label met last (a long label is checked against it first).
    @inline(__always) mutating func cached(_ bytes: some FieldByteCollection) -> Value? {
        bytes.withFieldBuffer { b in
            let k = ShortLabelKey(b)
            guard let i = find(k, b) else { return nil }
            last = i
            return values[i]
        }
    }

    /// The value held for `bytes`, or `nil`, changing nothing (not even the label met last): for a cache filled once
    /// and from then on only read, by any number of threads at once.
    @inline(__always) func lookup(_ bytes: some FieldByteCollection) -> Value? {
        bytes.withFieldBuffer { b in find(ShortLabelKey(b), b).map { values[$0] } }
    }

    /// Labels held.
    var count: Int { values.count }

    /// The entry whose key is `k` (`b` when it is long). A short key goes straight to its hash slot: checking the last
    /// label first, or scanning the few there are in order, costs a mispredicted branch or more on every row whose
    /// label differs from the row before (wards, drugs, patients), and the hash is two multiplications.
    @inline(__always) private func find(_ k: ShortLabelKey, _ b: UnsafeBufferPointer<UInt8>) -> Int? {
        if !k.isShort, last >= 0, !keys[last].isShort, matchesLong(last, b) { return last }
        let mask = slots.count - 1
        var s = slot(k, b) & mask
        while slots[s] >= 0 {
            let i = Int(slots[s])
            if k.isShort ? keys[i] == k : (!keys[i].isShort && matchesLong(i, b)) { return i }
            s = (s + 1) & mask
        }
        return nil
    }

    /// Where a key's probe starts.
    @inline(__always) private func slot(_ k: ShortLabelKey, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        k.isShort ? k.hash : Int(truncatingIfNeeded: ShortLabelKey.fnv1a(b))
    }

    /// Empties the table, keeping its storage.
    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        for j in slots.indices { slots[j] = -1 }
        last = -1
    }

    /// Remembers `v` for `bytes` (after `cached` or `lookup` missed).
    mutating func store(_ bytes: some FieldByteCollection, _ v: Value) {
        bytes.withFieldBuffer { b in
            let k = ShortLabelKey(b)
            let mask = slots.count - 1
            var s = slot(k, b) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            let i = values.count
            keys.append(k)
            starts.append(arena.count)
            if !k.isShort { arena.append(contentsOf: b) }
            values.append(v)
            slots[s] = Int32(i)
            last = i
        }
        if values.count * 2 > slots.count { rehash() }
    }

    private mutating func rehash() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for i in values.indices {
            var s = (keys[i].isShort ? keys[i].hash : Int(truncatingIfNeeded: ShortLabelKey.fnv1a(key(i)))) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(i)
        }
    }
}

/// A label of at most 16 bytes as two words (zero-padded) and its length; length -1 for a longer label.
struct ShortLabelKey: Equatable {
    var low: UInt64 = 0, high: UInt64 = 0, length = -1

    /// No label (length -1): equal to no short key.
    init() {}

    /// The key of `bytes`, or one with length -1 when they are longer than 16 bytes: byte `i` of the label is byte
    /// `i % 8` (least significant first) of `low` for `i` < 8, of `high` after. Read as whole words, never outside the
    /// label: two overlapping loads (of 8 or 4 bytes, the second shifted into place) or, below 4 bytes, the first,
    /// middle and last byte, so that making a key costs no loop.
    @inline(__always) init(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n <= 16 else { return }
        length = n
        guard n > 0, let p = UnsafeRawPointer(bytes.baseAddress) else { return }
        @inline(__always) func word(_ at: Int) -> UInt64 { UInt64(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        @inline(__always) func half(_ at: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        }
        if n >= 8 {
            low = word(0)
            if n > 8 { high = word(n - 8) >> UInt64(8 * (16 - n)) }
        } else if n >= 4 {
            low = half(0) | half(n - 4) << UInt64(8 * (n - 4))
        } else {
            low = UInt64(bytes[0]) | UInt64(bytes[n / 2]) << UInt64(8 * (n / 2)) | UInt64(bytes[n - 1]) << UInt64(8 * (n - 1))
        }
    }

    var isShort: Bool { length >= 0 }

    /// FNV-1a, 64-bit, for a label too long to be its own key: quick on short text; collisions only cost a comparison.
    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }

    /// A hash of the two words and the length in which every bit of the label moves the low bits a table is indexed
    /// by: the words combined, then MurmurHash3's 64-bit finaliser. Labels that share a prefix and differ in their
    /// last bytes (`Ward 12`, `Ward 13`; `Ward X4711`) sit in the high bytes of `low`, and a product alone carries a
    /// difference only upwards: the three hundred labels `Ward 1` to `Ward 300` fell in 21 slots of 8,192.
    var hash: Int {
        var h = low &+ (high ^ UInt64(truncatingIfNeeded: length)) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return Int(truncatingIfNeeded: h)
    }
}
