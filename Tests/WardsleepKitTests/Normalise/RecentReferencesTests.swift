import Testing
@testable import WardsleepKit

/// The window of recent incident references against a plain model (a queue and a set): the same answer for every
/// reference of a long random stream, through many evictions and the table's backward shifts.
@Suite struct RecentReferencesTests {
    @Test func agreesWithAQueueAndASet() {
        var recent = RecentReferences(capacity: 4_096)
        var model = WindowModel<String>(capacity: recent.capacity)
        var random = SampleRandom(seed: 4_096)
        var repeats = 0
        for _ in 0..<200_000 {
            // A pool of 9,000 references: some come back within the window, some after they have left it.
            let id = "INC\(random.next() % 9_000)"
            let expected = model.insert(id)
            if !expected { repeats += 1 }
            #expect(recent.insert(id) == expected, "\(id)")
        }
        #expect(repeats > 10_000 && model.evicted > 10_000)
    }

    /// Keys that share their home slot (the low bits of `high`) and differ elsewhere are told apart, through evictions
    /// and backward shifts among long probe runs of them.
    @Test func keysSharingATagAreToldApart() {
        var recent = RecentReferences(capacity: 256)
        var model = WindowModel<ReferenceKey>(capacity: recent.capacity)
        var random = SampleRandom(seed: 256)
        for step in 0..<50_000 {
            // Eight homes, each shared by many keys differing in the high half of `high` or in `low`.
            let home = UInt64(random.next() % 8) &* 0x9E37_79B9
            let key = ReferenceKey(high: (random.next() % 40) << 32 | (home & 0xFFFF_FFFF), low: random.next() % 3)
            #expect(recent.insert(key) == model.insert(key), "step \(step)")
        }
        #expect(model.evicted > 1_000)
    }

    /// At the default window, a reference given again 16,000 incidents later (months of a large trust's reports, as
    /// when two exports with weeks in common are appended) is found; one given again 17,000 later is not.
    @Test func monthsOfIncidentsAreRemembered() {
        var recent = RecentReferences()
        let first = recent.insert("INC-FIRST"), second = recent.insert("INC-SECOND")
        var allNew = true
        for i in 0..<16_000 where !recent.insert("INC\(i)") { allNew = false }
        let again = recent.insert("INC-FIRST")
        for i in 16_000..<17_000 where !recent.insert("INC\(i)") { allNew = false }
        let late = recent.insert("INC-SECOND")
        #expect(first && second && allNew && !again && late)
    }

    /// Repeats further back than the window are counted exactly, through runs on disk: 30,000 references, then 10,000
    /// of them again in another order, then 5 of those again.
    @Test func repeatsFurtherBackAreCountedExactly() throws {
        let repeats = RepeatedReferences(memoryEntries: 1_000)
        for i in 0..<30_000 { repeats.add(ReferenceKey("INC-\(i)")) }
        for i in stride(from: 29_999, to: 0, by: -3) { repeats.add(ReferenceKey("INC-\(i)")) }
        for i in 0..<5 { repeats.add(ReferenceKey("INC-\(29_999 - 3 * i)")) }
        try repeats.finish(threads: 3)
        #expect(repeats.repeats == 10_000 + 5)
        let none = RepeatedReferences(memoryEntries: 1_000)
        for i in 0..<30_000 { none.add(ReferenceKey("INC-\(i)")) }
        #expect(none.repeats == 0)
    }

    /// A reference's key is the same for the same bytes, and differs for references a byte apart, or of another length.
    @Test func keysTellReferencesApart() {
        let ids = ["INC1", "INC2", "inc1", "INC1 ", "INC10", "", String(repeating: "x", count: 10_000), String(repeating: "x", count: 10_001)]
        #expect(Set(ids.map(ReferenceKey.init)).count == ids.count)
        #expect(ReferenceKey("INC-2019-000123") == ReferenceKey(String("INC-2019-") + "000123"))
    }
}

/// The plain model of a window of the last `capacity` distinct keys: a queue and a set.
struct WindowModel<Key: Hashable> {
    let capacity: Int
    private var queue: [Key] = [], present: Set<Key> = []
    /// Keys that have left the window.
    private(set) var evicted = 0

    init(capacity: Int) { self.capacity = capacity }

    /// Adds `key`; `true` when it was not in the window.
    mutating func insert(_ key: Key) -> Bool {
        guard !present.contains(key) else { return false }
        if queue.count - evicted == capacity {
            present.remove(queue[evicted])
            evicted += 1
        }
        queue.append(key)
        present.insert(key)
        return true
    }
}
