/// The last `capacity` distinct references seen, oldest forgotten first: a ring of them and an open-addressing table of
/// places in the ring, keyed by a 64-bit hash of the reference (FNV-1a), compared in full on a match. Bounded memory
/// (about 650 KiB at the default), and no string hashed twice or allocated per reference. Incident references and
/// feedback response ids are checked with it.
struct RecentReferences {
    static let defaultCapacity = 16_384
    let capacity: Int
    /// The references, oldest at `next` once the ring is full, with their hashes.
    private var ring: [(hash: UInt64, id: String)] = []
    private var next = 0
    /// 1 + a place in `ring`, or 0 for an empty slot; four slots per reference, so probes stay short.
    private var slots: [UInt32]

    /// A window of the last `capacity` references (a power of two).
    init(capacity: Int = RecentReferences.defaultCapacity) {
        self.capacity = capacity
        slots = [UInt32](repeating: 0, count: 4 * capacity)
    }

    /// The reference's bytes hashed in place (walking a string's UTF-8 view a byte at a time costs several times the
    /// hash: this runs on the merging thread, once per row).
    private static func hash(_ id: String) -> UInt64 {
        var id = id
        return id.withUTF8 { ShortLabelKey.fnv1a($0) }
    }

    private var mask: Int { slots.count - 1 }
    private func home(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h) & mask }

    /// Adds `id`; `true` when it was not among the recent ones.
    mutating func insert(_ id: String) -> Bool {
        let h = RecentReferences.hash(id)
        var s = home(h)
        while slots[s] != 0 {
            let e = ring[Int(slots[s]) - 1]
            if e.hash == h && e.id == id { return false }
            s = (s + 1) & mask
        }
        let place: Int
        if ring.count < capacity {
            place = ring.count
            ring.append((h, id))
        } else {
            place = next
            remove(place)
            ring[place] = (h, id)
            next = (next + 1) % capacity
            // The removal may have moved entries: find the free slot again.
            s = home(h)
            while slots[s] != 0 { s = (s + 1) & mask }
        }
        slots[s] = UInt32(place + 1)
        return true
    }

    /// Takes the ring's entry at `place` out of the table, shifting back the entries after it in its probe run.
    private mutating func remove(_ place: Int) {
        var s = home(ring[place].hash)
        while Int(slots[s]) != place + 1 { s = (s + 1) & mask }
        var hole = s
        var j = (s + 1) & mask
        while slots[j] != 0 {
            let k = home(ring[Int(slots[j]) - 1].hash)
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
