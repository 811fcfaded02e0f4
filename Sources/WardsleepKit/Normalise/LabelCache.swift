/// Remembers what a raw cell resolved to (a ward index, a list of roles), keyed by the cell's bytes, so that the
/// thousands of rows repeating the same few labels are not normalised again each time. Bounded: when full it is
/// emptied, so memory stays flat whatever the input.
struct LabelCache<Value> {
    private var entries: [Key: Value] = [:]
    /// The most entries kept.
    let limit: Int

    init(limit: Int = 4096) { self.limit = limit }

    /// The cached value for `bytes`, computing and storing it on a miss.
    mutating func value(for bytes: ArraySlice<UInt8>, _ compute: (ArraySlice<UInt8>) -> Value) -> Value {
        let key = Key(bytes: Array(bytes))
        if let v = entries[key] { return v }
        let v = compute(bytes)
        if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
        entries[key] = v
        return v
    }

    /// Raw cell bytes, hashed in one call rather than byte by byte.
    struct Key: Hashable {
        var bytes: [UInt8]
        func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
    }
}
