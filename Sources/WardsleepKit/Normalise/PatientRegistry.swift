import Foundation

/// A patient as the analyses see it: a small number standing for one pseudonymised identifier within a run.
public typealias PatientID = UInt32

/// Interns patient identifiers as they are read: each distinct identifier (after `Pseudonymiser.normalise`) gets a
/// `PatientID` and its HMAC pseudonym is computed once, on first sight. Records carry only the number, so the analyses
/// hold sets of 4-byte numbers rather than strings, and the keyed hash runs once per patient, not once per row.
///
/// The identifiers themselves are kept only here, in one byte arena inside the ingest stage, to recognise a patient seen
/// before; they never reach a record, an analysis or an output. Memory grows with distinct patients (about 30 bytes
/// each), never with rows. One registry serves every export of a run, so a patient is the same number in the sleep
/// plans and in the administrations.
public final class PatientRegistry: @unchecked Sendable {
    let pseudonymiser: Pseudonymiser
    private let lock = NSLock()
    /// Normalised identifiers, end to end.
    private var arena: [UInt8] = []
    /// Where each patient's identifier ends in the arena (start: the previous end).
    private var ends: [UInt32] = []
    /// The first 10 bytes (80 bits) of each patient's HMAC-SHA-256, the pseudonym.
    private var digests: [UInt8] = []
    /// Open-addressing table of patient index + 1 (0: empty), sized to a power of two.
    private var slots: [UInt32] = Array(repeating: 0, count: 1024)
    private var scratch: [UInt8] = []

    /// Creates an empty registry pseudonymising with `pseudonymiser`.
    public init(pseudonymiser: Pseudonymiser) { self.pseudonymiser = pseudonymiser }

    /// The number of distinct patients seen.
    public var count: Int { lock.withLock { ends.count } }

    /// The patient for an identifier's bytes, registering (and pseudonymising) it on first sight.
    public func id(for raw: ArraySlice<UInt8>) -> PatientID {
        lock.lock()
        defer { lock.unlock() }
        Pseudonymiser.normalise(raw, into: &scratch)
        let hash = PatientRegistry.hash(scratch)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] != 0 {
            let p = Int(slots[i] - 1)
            if identifier(p).elementsEqual(scratch) { return PatientID(p) }
            i = (i + 1) & mask
        }
        let p = ends.count
        arena.append(contentsOf: scratch)
        ends.append(UInt32(arena.count))
        digests.append(contentsOf: pseudonymiser.digest(scratch))
        slots[i] = UInt32(p + 1)
        if ends.count * 2 > slots.count { grow() }
        return PatientID(p)
    }

    /// The pseudonym of a registered patient (`P-` and 20 hex digits), as `Pseudonymiser.pseudonym` gives it.
    public func pseudonym(_ id: PatientID) -> String {
        lock.withLock {
            let d = digests[Int(id) * 10..<Int(id) * 10 + 10]
            return Pseudonymiser.format(d)
        }
    }

    private func identifier(_ p: Int) -> ArraySlice<UInt8> {
        arena[(p == 0 ? 0 : Int(ends[p - 1]))..<Int(ends[p])]
    }

    private func grow() {
        var bigger = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for p in 0..<ends.count {
            var i = Int(truncatingIfNeeded: PatientRegistry.hash(identifier(p))) & mask
            while bigger[i] != 0 { i = (i + 1) & mask }
            bigger[i] = UInt32(p + 1)
        }
        slots = bigger
    }

    /// FNV-1a, 64-bit: quick on short identifiers; collisions only cost a comparison.
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }
}
