import Synchronization

/// The values problems show (`ExportRow.shown`: withheld, redacted, made visible, cut to 80 characters), remembered by
/// field and value. A study whose mapping misses a label quarantines every row holding it, and redacting the same label
/// again on each of a million rows took more time than reading them: here each distinct value is redacted once.
///
/// Shared by every thread that reads an export (the showing is a function of field and value alone, so a value shown
/// on one thread is what any other would show). Bounded, in two generations: values are added to the newer, and when
/// it holds `limit` it becomes the older and the older is dropped; a value found in the older moves to the newer. So
/// the values met lately stay (a file cycling through more distinct labels than one generation holds still finds
/// them), values longer than `longestKept` bytes are shown afresh each time, and memory stays flat whatever the input.
final class ShownValues: Sendable {
    /// The memo every reader shares.
    static let shared = ShownValues()
    /// The most values one generation holds.
    static let limit = 8_192
    /// The longest value held (bytes): longer ones are rare labels, and are not kept.
    static let longestKept = 128

    private struct Key: Hashable {
        let field: String, value: String
    }

    private struct Generations {
        var newer: [Key: String] = [:], older: [Key: String] = [:]

        mutating func add(_ key: Key, _ text: String) {
            if newer.count >= ShownValues.limit {
                older = newer
                newer = [:]
            }
            newer[key] = text
        }
    }

    private let memo = Mutex(Generations())

    /// `value` of `field` as `show` shows it, from the memo when it has been shown lately.
    func shown(_ value: String, field: String, _ show: (String, String) -> String) -> String {
        guard value.utf8.count <= ShownValues.longestKept else { return show(value, field) }
        let key = Key(field: field, value: value)
        let known: String? = memo.withLock { m in
            if let text = m.newer[key] { return text }
            guard let text = m.older[key] else { return nil }
            m.add(key, text)
            return text
        }
        if let known { return known }
        // Shown outside the lock: another thread may show the same value at the same time, to the same result.
        let text = show(value, field)
        memo.withLock { $0.add(key, text) }
        return text
    }

    /// Values held, in both generations (for tests).
    var count: Int { memo.withLock { $0.newer.count + $0.older.count } }
}
