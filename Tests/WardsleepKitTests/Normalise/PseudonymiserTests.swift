import Crypto
import Foundation
import Testing
@testable import WardsleepKit

/// The pseudonym is HMAC-SHA-256 as RFC 2104 defines it, whatever the length of the key: checked against values computed
/// independently, and against the library's own HMAC type for random keys and identifiers.
@Suite struct PseudonymiserTests {
    /// Values from Python's standard library:
    /// `"P-" + hmac.new(key.encode(), identifier.encode(), hashlib.sha256).hexdigest()[:20]`.
    @Test func pseudonymsAreTheKeyedHMACOfTheIdentifier() throws {
        let long = String(repeating: "K", count: 65) + "-longer-than-a-block"
        let expected: [(key: String, identifier: String, pseudonym: String)] = [
            ("wardsleep-bench-key-synthetic-data-only", "9434765919", "P-457ee497858ff2ec63e4"),
            ("wardsleep-bench-key-synthetic-data-only", "L4321", "P-3636c8b8b8c883dc37ae"),
            ("wardsleep-bench-key-synthetic-data-only", "A", "P-56632c723029f55def62"),
            (String(repeating: "k", count: 64), "9434765919", "P-aed28753933645fe01ad"),  // a key exactly one block long
            (String(repeating: "k", count: 64), "L4321", "P-7c6a842afcd2d8382334"),
            (long, "9434765919", "P-e546e657929babdf2b25"),  // longer than a block: the key is hashed first
            (long, "A", "P-c837324a8a8da49a0e5a"),
            ("sixteen-byte-key", "9434765919", "P-4a933f9ba575caa7fa44"),
            ("sixteen-byte-key", "L4321", "P-5711892a29de58905714"),
        ]
        for (key, identifier, pseudonym) in expected {
            let p = try Pseudonymiser(keyText: key, source: .environment)
            #expect(p.pseudonym(for: identifier) == pseudonym, "\(key) \(identifier)")
            // A record's patient number begins with the pseudonym.
            #expect(p.patientID(for: ArraySlice(Array(identifier.utf8))).pseudonym == pseudonym)
        }
    }

    @Test func theKeyedStatesGiveWhatTheHMACTypeGives() throws {
        var random = SampleRandom(seed: 2104)
        for _ in 0..<500 {
            let keyLength = 16 + Int(random.next() % 140)
            let key = (0..<keyLength).map { _ in UInt8(0x21 + random.next() % 94) }
            let identifier = (0..<Int(random.next() % 80)).map { _ in UInt8(random.next() % 256) }
            let p = try Pseudonymiser(keyText: String(decoding: key, as: UTF8.self), source: .keyFile)
            let reference = HMAC<SHA256>.authenticationCode(for: identifier, using: SymmetricKey(data: key))
            #expect(p.digest(identifier) == Array(Array(reference).prefix(10)), "key of \(keyLength) bytes")
        }
    }
}
