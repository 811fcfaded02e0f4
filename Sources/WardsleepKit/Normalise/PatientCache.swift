/// The patients one chunk has met lately, by the raw bytes of their cell, in a small table of the chunk's own.
///
/// An overnight log checks the same few patients on each ward all night, and a ward's doses name its current patients
/// again and again. A patient named again is found here without hashing the identifier again (`PatientID`: two
/// SHA-256 compressions).
///
/// A cell always means the same patient, so an entry never goes stale: a new cell simply takes the place of the one
/// there. Cells over 16 bytes are not kept. The table is 2,048 entries (80 KB), made on first use, so it stays in the
/// processor's caches; a file naming patients in no useful order costs one look here a row and a keyed hash.
struct PatientCache {
    private struct Entry {
        var key = ShortLabelKey()
        var patient = PatientID(high: 0, low: 0)
    }

    private static let size = 2_048
    private var entries: [Entry] = []

    /// A patient cell as looked up here: its key, and the patient when this chunk has met the cell before.
    struct Lookup {
        let key: ShortLabelKey
        let patient: PatientID?
    }

    /// Looks a cell up.
    @inline(__always) func lookup(_ bytes: FieldBytes) -> Lookup {
        let key = bytes.withFieldBuffer { ShortLabelKey($0) }
        guard key.isShort, !entries.isEmpty else { return Lookup(key: key, patient: nil) }
        let e = entries[key.hash & (PatientCache.size - 1)]
        return Lookup(key: key, patient: e.key == key ? e.patient : nil)
    }

    /// Remembers the patient of a cell looked up without success.
    @inline(__always) mutating func remember(_ key: ShortLabelKey, _ patient: PatientID) {
        guard key.isShort else { return }
        if entries.isEmpty { entries = Array(repeating: Entry(), count: PatientCache.size) }
        entries[key.hash & (PatientCache.size - 1)] = Entry(key: key, patient: patient)
    }
}
