import Synchronization

/// The values problems show (`ExportRow.shown`: withheld, redacted, made visible, cut to 80 characters), remembered by
/// field and value. A study whose mapping misses a label quarantines every row holding it, and redacting the same label
/// again on each of a million rows took more time than reading them: here each distinct value is redacted once.
///
/// Shared by every thread that reads an export (the showing is a function of field and value alone, so a value shown
/// on one thread is what any other would show). Bounded, in two generations (`RecentMemo`): the values met lately
/// stay, values longer than `longestKept` bytes are shown afresh each time, and memory stays flat whatever the input.
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

    private let memo = Mutex(RecentMemo<Key, String>(limit: ShownValues.limit))

    /// `value` of `field` as `show` shows it, from the memo when it has been shown lately.
    func shown(_ value: String, field: String, _ show: (String, String) -> String) -> String {
        guard value.utf8.count <= ShownValues.longestKept else { return show(value, field) }
        let key = Key(field: field, value: value)
        let known = memo.withLock { $0.value(for: key) }
        if let known { return known }
        // Shown outside the lock: another thread may show the same value at the same time, to the same result.
        let text = show(value, field)
        memo.withLock { $0.add(key, text) }
        return text
    }

    /// Values held, in both generations (for tests).
    var count: Int { memo.withLock { $0.count } }
}
