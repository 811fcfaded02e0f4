/// Totals kept side by side in one array, one cell per key in the order keys were first met, with the last key
/// remembered: the thousands of rows in a row that share a key (a sorted export stays on one ward, month and period)
/// cost one comparison each, no hashing. Each cell adds its own values in the order they arrive, exactly as a
/// dictionary entry would, so every total is the same to the last bit.
///
/// Each key is held once, in `keys`; the table that finds a key's place holds only places (4 bytes a slot, where a
/// dictionary of places would hold every key again): a study of thousands of wards has a cell per ward-month.
struct DenseCells<Key: Hashable, Value> {
    /// The keys, in the order first met.
    private(set) var keys: [Key] = []
    /// The value of each key, at the same place.
    private(set) var values: [Value] = []
    /// Each key's place + 1 (0: an empty slot), at the slot its hash gives or the next free one after it; a power of
    /// two, at least twice the keys.
    private var slots: [Int32] = []
    private var last = -1
    /// What a new cell starts from.
    let zero: Value

    /// No cells; a new one starts at `zero`.
    init(zero: Value) { self.zero = zero }

    /// Whether no cell was made.
    var isEmpty: Bool { keys.isEmpty }

    /// The place of `key`'s cell, or `nil`, and the slot that holds it or would.
    @inline(__always) private func find(_ key: Key) -> (place: Int?, slot: Int) {
        guard !slots.isEmpty else { return (nil, 0) }
        let mask = slots.count - 1
        var s = key.hashValue & mask
        while slots[s] != 0 {
            let i = Int(slots[s]) - 1
            if keys[i] == key { return (i, s) }
            s = (s + 1) & mask
        }
        return (nil, s)
    }

    /// The place of `key`'s cell, made (at `zero`) on first sight.
    @inline(__always) mutating func place(_ key: Key) -> Int {
        if last >= 0, keys[last] == key { return last }
        let (found, slot) = find(key)
        if let i = found {
            last = i
            return i
        }
        last = keys.count
        keys.append(key)
        values.append(zero)
        if keys.count * 2 > slots.count { rehash() } else { slots[slot] = Int32(last + 1) }
        return last
    }

    /// Twice the slots (at least 64), every key placed again.
    private mutating func rehash() {
        slots = Array(repeating: 0, count: max(64, slots.count * 2))
        let mask = slots.count - 1
        for (i, key) in keys.enumerated() {
            var s = key.hashValue & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = Int32(i + 1)
        }
    }

    /// The place of `key`'s cell, trying `hint` first (a place the caller kept, e.g. the last one for the same ward,
    /// when rows take turns between a few keys) and then updating it.
    @inline(__always) mutating func place(_ key: Key, hint: inout Int) -> Int {
        if hint >= 0, hint < keys.count, keys[hint] == key { return hint }
        hint = place(key)
        return hint
    }

    /// The value at a place given by `place(_:)`, changed in place.
    subscript(place i: Int) -> Value {
        get { values[i] }
        _modify { yield &values[i] }
    }

    /// Every cell, as a dictionary (a copy of them all: to look a few up, use `value(_:)`).
    var dictionary: [Key: Value] { Dictionary(uniqueKeysWithValues: zip(keys, values)) }

    /// The value of `key`'s cell, or `nil` when it has none.
    func value(_ key: Key) -> Value? { find(key).place.map { values[$0] } }
}

/// Patient-nights (`PatientNight`) to the place of their sleep plan: an open-addressing table with a multiplicative
/// hash, since every check of an observation log is looked up in it (a `Dictionary` hashes each key with SipHash,
/// several times slower). Memory grows with the plans, never with the log.
struct PatientNightIndex {
    /// Key and value + 1 (0: empty), sized to a power of two.
    private var keys: [PatientNight] = Array(repeating: PatientNight(high: 0, low: 0), count: 64)
    private var values: [Int32] = Array(repeating: 0, count: 64)
    private(set) var count = 0

    @inline(__always) private static func slot(_ key: PatientNight, _ mask: Int) -> Int { Int(truncatingIfNeeded: key.hash) & mask }

    /// The value stored for `key`, if any.
    subscript(key: PatientNight) -> Int32? {
        let mask = keys.count - 1
        var i = PatientNightIndex.slot(key, mask)
        while values[i] != 0 {
            if keys[i] == key { return values[i] - 1 }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Stores `value` for `key` unless the key is already there; `true` when it was stored.
    mutating func insert(_ key: PatientNight, _ value: Int32) -> Bool {
        let mask = keys.count - 1
        var i = PatientNightIndex.slot(key, mask)
        while values[i] != 0 {
            if keys[i] == key { return false }
            i = (i + 1) & mask
        }
        keys[i] = key
        values[i] = value + 1
        count += 1
        if count * 2 > keys.count { grow() }
        return true
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: PatientNight(high: 0, low: 0), count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        let mask = keys.count - 1
        for j in oldKeys.indices where oldValues[j] != 0 {
            var i = PatientNightIndex.slot(oldKeys[j], mask)
            while values[i] != 0 { i = (i + 1) & mask }
            keys[i] = oldKeys[j]
            values[i] = oldValues[j]
        }
    }
}
