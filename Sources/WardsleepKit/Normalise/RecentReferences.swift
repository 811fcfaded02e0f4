/// The last `capacity` distinct references seen, oldest forgotten first: a ring of their keys and an open-addressing
/// table of places in the ring. A reference is held as its 128-bit key (`ReferenceKey`), not as text, so memory is the
/// same however long the references are (512 KiB at the default; a window of 10 KB references held as text took
/// 160 MiB), and nothing is allocated per reference. Incident references and feedback response ids are checked with it;
/// a repeat further back than the window is counted by `RepeatedReferences`.
struct RecentReferences {
    static let defaultCapacity = 16_384
    let capacity: Int
    /// The references' keys, oldest at `next` once the ring is full.
    private var ring: [ReferenceKey] = []
    private var next = 0
    /// 1 + a place in `ring`, or 0 for an empty slot; four slots per reference, so probes stay short.
    private var slots: [UInt32]

    /// A window of the last `capacity` references (a power of two).
    init(capacity: Int = RecentReferences.defaultCapacity) {
        self.capacity = capacity
        slots = [UInt32](repeating: 0, count: 4 * capacity)
    }

    private var mask: Int { slots.count - 1 }
    private func home(_ key: ReferenceKey) -> Int { Int(truncatingIfNeeded: key.high) & mask }

    /// Adds `id`; `true` when it was not among the recent ones.
    mutating func insert(_ id: String) -> Bool { insert(ReferenceKey(id)) }

    /// Adds a reference by its key; `true` when it was not among the recent ones.
    mutating func insert(_ key: ReferenceKey) -> Bool {
        var s = home(key)
        while slots[s] != 0 {
            if ring[Int(slots[s]) - 1] == key { return false }
            s = (s + 1) & mask
        }
        let place: Int
        if ring.count < capacity {
            place = ring.count
            ring.append(key)
        } else {
            place = next
            remove(place)
            ring[place] = key
            next = (next + 1) % capacity
            // The removal may have moved entries: find the free slot again.
            s = home(key)
            while slots[s] != 0 { s = (s + 1) & mask }
        }
        slots[s] = UInt32(place + 1)
        return true
    }

    /// Takes the ring's entry at `place` out of the table, shifting back the entries after it in its probe run.
    private mutating func remove(_ place: Int) {
        var s = home(ring[place])
        while Int(slots[s]) != place + 1 { s = (s + 1) & mask }
        var hole = s
        var j = (s + 1) & mask
        while slots[j] != 0 {
            let k = home(ring[Int(slots[j]) - 1])
            // Entry j may fill the hole when its home is not in the cyclic range (hole, j].
            let between = hole <= j ? (k > hole && k <= j) : (k > hole || k <= j)
            if !between {
                slots[hole] = slots[j]
                hole = j
            }
            j = (j + 1) & mask
        }
        slots[hole] = 0
    }
}

/// A reference (an incident's, a feedback response's) as 128 bits: two 64-bit hashes of its bytes (FNV-1a, and a
/// multiply-and-fold hash with other constants), worked out in one pass over the bytes in place. Two different
/// references share a key with a chance of the order of 2⁻¹²⁸, far below that of a wrong byte on the disk the export came from.
struct ReferenceKey: Hashable, Sendable {
    let high: UInt64, low: UInt64

    /// A key given by its two halves (for tests: keys that share bits).
    init(high: UInt64, low: UInt64) { (self.high, self.low) = (high, low) }

    init(_ id: String) {
        var id = id
        (high, low) = id.withUTF8 { bytes in
            var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
            for x in bytes {
                a = (a ^ UInt64(x)) &* 0x100_0000_01b3
                b = (b ^ UInt64(x)) &* 0xFF51_AFD7_ED55_8CCD
                b ^= b >> 29
            }
            a ^= a >> 29
            b = (b ^ (b >> 32)) &* 0xC4CE_B9FE_1A85_EC53
            return (a, b ^ (b >> 29))
        }
    }
}
