import Testing
@testable import WardsleepKit

/// The memo of values met lately: it answers as a dictionary would for whatever it still holds, keeps what was met in
/// the last generation however many values came before, and never holds more than two generations.
@Suite struct RecentMemoTests {
    @Test func answersAsADictionaryForWhatItHolds() {
        var memo = RecentMemo<Int, String>(limit: 64)
        var random = SampleRandom(seed: 11)
        for step in 0..<20_000 {
            let key = Int(random.uniform() * 300)
            if let v = memo.value(for: key) { #expect(v == "v\(key)", "step \(step)") } else { memo.add(key, "v\(key)") }
            #expect(memo.count <= 128)
        }
    }

    /// A few values repeated among a stream of distinct ones are made once (a memo emptied when full made them again
    /// after each emptying); a cycle through 1.25 × the limit misses on at most twice the excess each time round.
    @Test func valuesMetLatelyOutlastAFullGeneration() {
        var memo = RecentMemo<String, Int>(limit: 100)
        var made: [Int: Int] = [:]
        for step in 0..<5_000 {
            for k in [step % 10, 1_000 + step] { #expect(memo.value(for: "k\(k)") { made[k, default: 0] += 1; return k } == k) }
            #expect(memo.count <= 200)
        }
        #expect((0..<10).allSatisfy { made[$0] == 1 })
        var cycling = RecentMemo<Int, Int>(limit: 100)
        for pass in 0..<6 {
            var misses = 0
            for k in 0..<125 { #expect(cycling.value(for: k) { misses += 1; return k } == k) }
            #expect(pass == 0 ? misses == 125 : misses <= 50, "pass \(pass): \(misses) misses")
        }
        // A value found in the older generation moves to the newer, so it survives the next turn-over.
        var kept = RecentMemo<Int, Int>(limit: 4)
        for k in 0..<4 { kept.add(k, k) }
        kept.add(4, 4)  // turns over: 0–3 older, 4 newer
        #expect(kept.value(for: 0) == 0)  // moved to the newer
        for k in 5..<7 { kept.add(k, k) }  // newer full (4, 0, 5, 6)
        kept.add(7, 7)  // turns over again: 1–3 dropped
        #expect(kept.value(for: 0) == 0 && kept.value(for: 1) == nil)
        // Adding a key the full newer generation already holds replaces it without turning over.
        var same = RecentMemo<Int, Int>(limit: 2)
        same.add(1, 1); same.add(2, 2); same.add(2, 20)
        #expect(same.value(for: 1) == 1 && same.value(for: 2) == 20 && same.count == 2)
    }
}
