import Foundation
import Synchronization
import Testing
@testable import WardsleepKit

/// The label cache answers exactly as a dictionary keyed by the cell's bytes would: short labels (held as two words),
/// long ones (held in the arena), the empty label, labels that differ only past the eighth byte or only in length
/// (`A` and `A\0`), through the scan of a few labels and the hash table of many, and after its generations turn over.
@Suite struct LabelCacheTests {
    static func label(_ n: Int, _ random: inout some RandomNumberGenerator) -> [UInt8] {
        let lengths = [0, 1, 2, 7, 8, 9, 15, 16, 17, 24, 40]
        let length = lengths[Int.random(in: 0..<lengths.count, using: &random)]
        return (0..<length).map { i in i == length - 1 ? UInt8(truncatingIfNeeded: n) : UInt8(ascii: "a") + UInt8(n % 3) }
    }

    @Test(arguments: [5, 40, 3000])
    func answersAsADictionary(distinct: Int) {
        var random = SystemRandomNumberGenerator()
        let labels = (0..<distinct).map { Self.label($0, &random) } + [[], [0x41], [0x41, 0x00], Array("Zopiclone 7.5mg".utf8),
                                                                       Array("Zopiclone 7.5mg ".utf8)]
        var cache = LabelCache<Int>(limit: 1000)
        var reference: [[UInt8]: Int] = [:]
        for step in 0..<20_000 {
            let key = labels[Int.random(in: 0..<labels.count, using: &random)]
            let slice = ArraySlice(key)
            if let hit = cache.cached(slice) {
                #expect(hit == reference[key], "step \(step): \(key)")
            } else {
                let value = reference[key] ?? Int.random(in: 0..<1_000_000, using: &random)
                reference[key] = value
                cache.store(slice, value)
            }
            // The same bytes lent as a view at another offset give the same answer (the cache may have dropped its
            // older generation, so both may be a miss; a hit is the dictionary's value).
            let padded = [0xFF] + key + [0xFF]
            let fromSlice = cache.cached(slice)
            padded.withUnsafeBufferPointer { buffer in
                let fromView = cache.cached(buffer[1..<(1 + key.count)])
                #expect(fromView == fromSlice, "step \(step): \(key)")
                if let fromView { #expect(fromView == reference[key]) }
            }
        }
    }

    /// The labels met lately outlast a full generation. A file repeating a few labels among a stream of distinct ones
    /// (known wards among thousands of unknown ones) resolves the few once, where a cache emptied when full resolved
    /// them again after each emptying. A chunk cycling through more labels than one generation holds (1.25 × the
    /// limit, short and long labels) misses on at most twice the excess each time round, where emptying missed on
    /// every one. It never holds more than two generations, and every answer is right.
    @Test func labelsMetLatelyOutlastAFullGeneration() {
        let limit = 1000
        var cache = LabelCache<Int>(limit: limit)
        var resolved: [Int: Int] = [:]
        for step in 0..<20_000 {
            let frequent = step % 20, unique = 100 + step
            for (i, label) in [(frequent, "A\(frequent)"), (unique, "Unknown ward \(unique) of a long name")] {
                #expect(cache.value(for: ArraySlice(Array(label.utf8))) { _ in resolved[i, default: 0] += 1; return i } == i)
            }
            #expect(cache.count <= 2 * limit)
        }
        #expect((0..<20).allSatisfy { resolved[$0] == 1 })
        var cycling = LabelCache<Int>(limit: limit)
        let labels = (0..<1250).map { i in Array((i % 2 == 0 ? "W\(i)" : "Ward with a long name \(i)").utf8) }
        for pass in 0..<6 {
            var misses = 0
            for (i, label) in labels.enumerated() {
                #expect(cycling.value(for: ArraySlice(label)) { _ in misses += 1; return i } == i)
            }
            #expect(pass == 0 ? misses == 1250 : misses <= 500, "pass \(pass): \(misses) misses")
            #expect(cycling.count <= 2 * limit)
        }
    }

    @Test func labelsDifferingOnlyInLengthOrLateBytesAreKeptApart() {
        var cache = LabelCache<String>()
        let keys: [[UInt8]] = [[], [0x41], [0x41, 0x00], Array("abcdefgh".utf8), Array("abcdefghi".utf8), Array("abcdefghj".utf8),
                               Array("abcdefghijklmnop".utf8), Array("abcdefghijklmnopq".utf8), Array("abcdefghijklmnopr".utf8)]
        for key in keys { cache.store(ArraySlice(key), String(decoding: key, as: UTF8.self) + "|\(key.count)") }
        for key in keys { #expect(cache.cached(ArraySlice(key)) == String(decoding: key, as: UTF8.self) + "|\(key.count)") }
        #expect(cache.cached(ArraySlice(Array("abcdefghk".utf8))) == nil)
    }

    /// Every chunk starts with an empty cache; the memo they share resolves each label once for the whole export, and
    /// past its limit still answers right (resolving again rather than storing).
    @Test func chunksShareWhatALabelResolvedTo() {
        let memo = SharedLabelMemo<String>(limit: 8)
        final class Counts: Sendable { let m = Mutex<[String: Int]>([:]) }
        let counts = Counts()
        @Sendable func resolve(_ b: ArraySlice<UInt8>) -> String {
            let label = String(decoding: b, as: UTF8.self)
            counts.m.withLock { $0[label, default: 0] += 1 }
            return label.uppercased()
        }
        let labels = (0..<6).map { "drug\($0)" }
        for _ in 0..<50 {  // fifty chunks, each with its own cache
            var cache = LabelCache<String>()
            for label in labels + labels {
                let bytes = ArraySlice(Array(label.utf8))
                #expect(cache.value(for: bytes) { memo.value(for: $0, resolve) } == label.uppercased())
            }
        }
        #expect(counts.m.withLock { $0 } == Dictionary(uniqueKeysWithValues: labels.map { ($0, 1) }))
        let more = (0..<6).map { "more\($0)" }
        for label in more + more { #expect(memo.value(for: ArraySlice(Array(label.utf8)), resolve) == label.uppercased()) }
        #expect(memo.count == 8)
        #expect(counts.m.withLock { d in more.map { d[$0]! } } == [1, 1, 2, 2, 2, 2])  // the last four were not kept
        // Threads at once get the resolver's own answers.
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for i in 0..<2_000 {
                let label = "t\((i * 7 + t) % 40)"
                #expect(memo.value(for: ArraySlice(Array(label.utf8)), resolve) == label.uppercased())
            }
        }
    }

    /// The memo's bound: it keeps thousands of labels (an export naming 8,000 products resolves each once), and stops
    /// storing at its count or its bytes, still answering right past either.
    @Test func theSharedMemoIsBoundedByLabelsAndBytes() {
        let wide = SharedLabelMemo<Int>()
        for i in 0..<8_000 { _ = wide.value(for: ArraySlice(Array("Zopiclone \(i) 7.5mg tablets".utf8))) { $0.count } }
        #expect(wide.count == 8_000)
        let narrow = SharedLabelMemo<Int>(limit: 100, byteLimit: 50)
        for i in 0..<20 {
            let label = ArraySlice(Array("label\(i)".utf8))  // 6 or 7 bytes
            #expect(narrow.value(for: label) { $0.count } == label.count)
        }
        #expect(narrow.count == 8)  // 8 labels of 6 bytes (48); a ninth would pass 50 bytes
        let again = ArraySlice(Array("label0".utf8))
        #expect(narrow.value(for: again) { _ in -1 } == 6)  // kept: not resolved again
        #expect(narrow.value(for: ArraySlice(Array("label19".utf8))) { _ in -1 } == -1)  // not kept
    }

    /// Labels that share a prefix and differ only in their last bytes spread over a table's slots as random keys would
    /// (a hash whose low bits ignored the high bytes of the first word put `Ward 1` to `Ward 300` in 21 slots of 8,192,
    /// and each lookup walked a long chain): for ward names, numbered wards, staff codes and NHS numbers, of every
    /// length up to 16 bytes, the keys fill nearly as many slots as they would at random.
    @Test func keysSharingAPrefixSpreadOverTheSlots() {
        let families: [[String]] = [
            (1...300).map { "Ward \($0)" }, (0..<5_000).map { "Ward X\($0)" }, (0..<8_224).map { "W\(String(100_000 + $0).dropFirst())" },
            (0..<4_000).map { "RN\(1000 + $0)" }, (0..<4_000).map { "999000\(1000 + $0)" }, (0..<4_000).map { "Bed 1234567\(10_000 + $0)" },
            (0..<2_000).map { "A\($0)" },
        ]
        for labels in families {
            for bits in [11, 13] {
                let slots = 1 << bits
                let used = Set(labels.map { label in
                    Array(label.utf8).withUnsafeBufferPointer { ShortLabelKey($0).hash & (slots - 1) }
                }).count
                // At random, n keys fill slots × (1 − e^(−n/slots)) on average; allow 10% below that.
                let n = Double(labels.count), expected = Double(slots) * (1 - exp(-n / Double(slots)))
                #expect(Double(used) >= 0.9 * expected, "\(labels[0])…: \(used) of \(slots) slots, \(Int(expected)) expected")
            }
        }
    }

    /// A short label's key, read as whole words, holds byte `i` at byte `i % 8` of `low` (`i` < 8) or of `high`: for
    /// every length up to 16, at every offset in memory, with every byte value in every place (a byte read from
    /// outside the label, or shifted wrong, changes a word).
    @Test func aShortKeyHoldsEachByteInItsPlace() {
        var random = SystemRandomNumberGenerator()
        for length in 0...17 {
            for offset in 0..<8 {
                for _ in 0..<64 {
                    let around = (0..<(length + 16)).map { _ in UInt8.random(in: 0...255, using: &random) }
                    around.withUnsafeBufferPointer { all in
                        let label = UnsafeBufferPointer(rebasing: all[offset..<(offset + length)])
                        let key = ShortLabelKey(label)
                        guard length <= 16 else { return #expect(!key.isShort) }
                        var low: UInt64 = 0, high: UInt64 = 0
                        for (i, b) in label.enumerated() {
                            if i < 8 { low |= UInt64(b) << UInt64(8 * i) } else { high |= UInt64(b) << UInt64(8 * (i - 8)) }
                        }
                        #expect(key.length == length && key.low == low && key.high == high, "length \(length), offset \(offset)")
                    }
                }
            }
        }
    }
}
