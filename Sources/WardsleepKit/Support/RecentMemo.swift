/// A bounded memo of what was worked out lately, in two generations: values are added to the newer, and when it holds
/// `limit` it becomes the older and the older is dropped; a value found in the older moves to the newer. So the values
/// met lately stay (a file cycling through more distinct labels than one generation holds still finds them, where a
/// memo emptied when full would miss on every row from then on), and memory stays flat whatever the input: at most
/// `2 × limit` entries.
///
/// The memos of shown values (`ShownValues`) and redacted quarantine values (`QuarantineWriter`) are this type;
/// `LabelCache`, keyed by a cell's bytes without making a key, keeps the same two generations over its own tables.
struct RecentMemo<Key: Hashable, Value> {
    private var newer: [Key: Value] = [:], older: [Key: Value] = [:]
    /// The most entries one generation holds.
    let limit: Int

    init(limit: Int) {
        precondition(limit > 0, "a memo holds at least one value")
        self.limit = limit
    }

    /// The value remembered for `key`, or `nil`; one found in the older generation moves to the newer.
    mutating func value(for key: Key) -> Value? {
        if let v = newer[key] { return v }
        guard let v = older[key] else { return nil }
        add(key, v)
        return v
    }

    /// Remembers `value` for `key` in the newer generation, turning the generations over first when it is full.
    mutating func add(_ key: Key, _ value: Value) {
        if newer.count >= limit, newer[key] == nil {
            older = newer
            newer = [:]
            newer.reserveCapacity(limit)
        }
        newer[key] = value
    }

    /// The value for `key`, remembered, or worked out by `make` and remembered.
    mutating func value(for key: Key, _ make: () throws -> Value) rethrows -> Value {
        if let v = value(for: key) { return v }
        let v = try make()
        add(key, v)
        return v
    }

    /// Entries held, in both generations.
    var count: Int { newer.count + older.count }
}
