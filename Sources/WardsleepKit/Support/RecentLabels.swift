/// The last few labels met, compared in place (a short label is an inline value, so equality is a comparison of two
/// words): what a set of labels is asked first, so that most rows of an export hash nothing.
struct RecentLabels {
    private var labels: [String] = []
    private var next = 0
    static let capacity = 32

    func contains(_ label: String) -> Bool { labels.contains(label) }

    /// Remembers `label`, in place of the oldest once full.
    mutating func add(_ label: String) {
        if labels.count < RecentLabels.capacity {
            labels.append(label)
        } else {
            labels[next] = label
            next = (next + 1) % RecentLabels.capacity
        }
    }
}
