import Crypto

/// A patient as the analyses see it: the first 128 bits of the keyed HMAC-SHA-256 of the normalised identifier, the
/// same for every spelling of one identifier, in every export of a run and in every run under one key.
///
/// No table of identifiers is kept: a patient's number is worked out from the cell alone, so memory does not grow with
/// the patients an export names, and workers need nothing shared to agree on it. Two patients would share a number
/// only if their HMACs agreed in 128 bits (for ten million patients, a chance near 10⁻²⁵). The pseudonym is this
/// number's first 80 bits (`pseudonym`), so the number is no more revealing than the pseudonym the product documents.
public struct PatientID: Hashable, Comparable, Sendable, Codable {
    /// Bits 0–63 of the HMAC (big-endian).
    public var high: UInt64
    /// Bits 64–127.
    public var low: UInt64

    /// A number from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The pseudonym: `P-` and the first 20 hex digits (80 bits), as `Pseudonymiser.pseudonym(for:)` gives it.
    public var pseudonym: String { Pseudonymiser.format(leadingBytes(10)) }

    /// The first `n` (up to 16) bytes, big-endian.
    func leadingBytes(_ n: Int) -> [UInt8] {
        (0..<n).map { i -> UInt8 in
            let word: UInt64 = i < 8 ? high : low
            return UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * (i % 8)))
        }
    }

    public static func < (a: PatientID, b: PatientID) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

extension Pseudonymiser {
    /// The patient of an identifier already normalised.
    func patientID(normalised: UnsafeBufferPointer<UInt8>) -> PatientID {
        var h = inner
        h.update(bufferPointer: UnsafeRawBufferPointer(normalised))
        let innerHash = h.finalize()
        var mac = outer
        innerHash.withUnsafeBytes { mac.update(bufferPointer: $0) }
        return mac.finalize().withUnsafeBytes { raw in
            PatientID(high: UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)),
                      low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    /// The patient of a raw identifier cell.
    public func patientID(for raw: some FieldByteCollection) -> PatientID {
        raw.withFieldBuffer { cell in Pseudonymiser.withNormalised(cell) { patientID(normalised: $0) } }
    }

    /// Calls `body` with an identifier cell in its normal form (`normalise`), made on the stack: a cell of digits alone
    /// (an NHS number written without spaces) is its own normal form and is passed as it stands.
    static func withNormalised<R>(_ cell: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if !cell.isEmpty, cell.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return body(cell) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(cell.count, 1)) { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[0..<Pseudonymiser.normalise(cell[...], into: buffer)]))
        }
    }
}
