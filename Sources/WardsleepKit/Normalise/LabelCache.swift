/// Remembers what a raw cell resolved to (a ward index, a pseudonym, a list of roles), keyed by the cell's bytes, so
/// that the many rows repeating the same few labels are not resolved again each time. A hit allocates nothing. Bounded:
/// when full it is emptied, so memory stays flat whatever the input.
struct LabelCache<Value> {
    private var buckets: [Int: [(key: [UInt8], value: Value)]] = [:]
    private var count = 0
    /// The most entries kept.
    let limit: Int

    init(limit: Int = 4096) { self.limit = limit }

    /// The cached value for `bytes`, computing and storing it on a miss.
    mutating func value(for bytes: ArraySlice<UInt8>, _ compute: (ArraySlice<UInt8>) -> Value) -> Value {
        var hasher = Hasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        let hash = hasher.finalize()
        if let bucket = buckets[hash] {
            for entry in bucket where entry.key.elementsEqual(bytes) { return entry.value }
        }
        let v = compute(bytes)
        if count >= limit {
            buckets.removeAll(keepingCapacity: true)
            count = 0
        }
        buckets[hash, default: []].append((Array(bytes), v))
        count += 1
        return v
    }
}
