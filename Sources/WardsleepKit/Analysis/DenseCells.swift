/// Totals kept side by side in one array, one cell per key in the order keys were first met, with the last key
/// remembered: the thousands of rows in a row that share a key (a sorted export stays on one ward, month and period)
/// cost one comparison each, no hashing. Each cell adds its own values in the order they arrive, exactly as a
/// dictionary entry would, so every total is the same to the last bit.
struct DenseCells<Key: Hashable, Value> {
    /// The keys, in the order first met.
    private(set) var keys: [Key] = []
    /// The value of each key, at the same place.
    private(set) var values: [Value] = []
    private var places: [Key: Int] = [:]
    private var last = -1
    /// What a new cell starts from.
    let zero: Value

    /// No cells; a new one starts at `zero`.
    init(zero: Value) { self.zero = zero }

    /// Whether no cell was made.
    var isEmpty: Bool { keys.isEmpty }

    /// The place of `key`'s cell, made (at `zero`) on first sight.
    @inline(__always) mutating func place(_ key: Key) -> Int {
        if last >= 0, keys[last] == key { return last }
        if let i = places[key] {
            last = i
            return i
        }
        last = keys.count
        keys.append(key)
        values.append(zero)
        places[key] = last
        return last
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

    /// Every cell, as a dictionary.
    var dictionary: [Key: Value] { Dictionary(uniqueKeysWithValues: zip(keys, values)) }
}
