import Crypto
import Foundation

/// Replaces patient identifiers with keyed HMAC-SHA-256 pseudonyms on ingest, so no identifier travels further.
///
/// The same identifier under the same key always gives the same pseudonym (so patients can be counted and linked
/// across exports), and without the key the pseudonym cannot be reversed or recomputed.
public struct Pseudonymiser: Sendable {
    /// Where the key came from; recorded in the manifest (the key itself never is).
    public enum KeySource: String, Sendable, Codable {
        /// The `WARDSLEEP_KEY` environment variable.
        case environment
        /// A key file named with `--key-file`.
        case keyFile = "key file"
        /// The fixed demonstration key, allowed only for synthetic studies made by `wardsleep sample`.
        case syntheticDemo = "demo key (synthetic study only)"
    }

    /// The environment variable holding the key.
    public static let environmentVariable = "WARDSLEEP_KEY"
    /// The shortest key accepted, in bytes.
    public static let minimumKeyBytes = 16
    /// The demonstration key: public, so it protects nothing; used only for synthetic sample studies.
    static let demoKey = "wardsleep-DEMO-KEY-synthetic-data-only-not-for-patient-data"

    /// HMAC-SHA-256 (RFC 2104) with the key already absorbed: SHA-256 after the key's inner pad, and after its outer
    /// pad. Each identifier copies the two and costs two compressions on concrete SHA-256 states, without the generic
    /// HMAC type's per-call overhead (several times the hashing itself, paid for every patient cell a chunk has not
    /// met lately: `PatientID`).
    let inner: SHA256, outer: SHA256
    /// Where the key came from.
    public let source: KeySource

    /// Creates a pseudonymiser from key text.
    public init(keyText: String, source: KeySource) throws {
        let trimmed = keyText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count >= Pseudonymiser.minimumKeyBytes else {
            throw ConfigurationError(file: source == .environment ? Pseudonymiser.environmentVariable : "key file", keyPath: "",
                                     message: "the pseudonymisation key is shorter than \(Pseudonymiser.minimumKeyBytes) bytes; use a long random secret")
        }
        (inner, outer) = Pseudonymiser.keyedStates(Array(trimmed.utf8))
        self.source = source
    }

    /// SHA-256 after `key ⊕ ipad` and after `key ⊕ opad`, the key first hashed when longer than a block (RFC 2104).
    static func keyedStates(_ key: [UInt8]) -> (inner: SHA256, outer: SHA256) {
        let block = 64
        var padded = key.count > block ? Array(SHA256.hash(data: key)) : key
        padded += repeatElement(0, count: block - padded.count)
        var inner = SHA256(), outer = SHA256()
        inner.update(data: padded.map { $0 ^ 0x36 })
        outer.update(data: padded.map { $0 ^ 0x5C })
        return (inner, outer)
    }

    /// Finds the key for the study in `folder`: `--key-file` first (refused inside the study folder), then
    /// `WARDSLEEP_KEY`, then the demo key for a `synthetic: true` study whose exports are exactly the files
    /// `wardsleep sample` generated (`SyntheticFiles`); any other synthetic study without a key is a `ConfigurationError`.
    /// Returns `nil` when there is no key; exports with patient identifiers then cannot be read.
    public static func resolve(keyFile: String?, environment: [String: String], study: StudyDefinition, folder: String) throws -> Pseudonymiser? {
        if let keyFile {
            try PathGuard.checkKeyFile(keyFile, studyFolder: folder)
            // A key file that is not there is an input that cannot be read (exit 3), like a missing export.
            guard FileManager.default.fileExists(atPath: keyFile) else {
                throw InputError(file: keyFile, message: "no such key file; --key-file names the file that holds the study's key")
            }
            // Read as an export is opened: a pipe or device given as the key file is refused at once, never waited on.
            let data: Data?
            do { data = try InputFile.readSmallFile(keyFile, displayName: keyFile, limit: 64 << 10) } catch {
                throw ConfigurationError(file: keyFile, keyPath: "--key-file",
                                         message: "is not an ordinary file of at most 64 KiB; a key file holds the key and nothing else")
            }
            guard let data, let text = String(data: data, encoding: .utf8) else {
                throw ConfigurationError(file: keyFile, keyPath: "--key-file", message: "cannot read the key file")
            }
            return try Pseudonymiser(keyText: text, source: .keyFile)
        }
        if let text = environment[environmentVariable], !text.isEmpty {
            return try Pseudonymiser(keyText: text, source: .environment)
        }
        if study.synthetic {
            try SyntheticFiles.verify(study, folder: folder)
            return try Pseudonymiser(keyText: demoKey, source: .syntheticDemo)
        }
        return nil
    }

    /// The pseudonym for an identifier: `P-` and 20 hex digits (80 bits) of HMAC-SHA-256 over the normalised identifier.
    public func pseudonym(for identifier: String) -> String { pseudonym(bytes: ArraySlice(Array(identifier.utf8))) }

    /// The pseudonym for an identifier given as UTF-8 bytes.
    public func pseudonym(bytes: some FieldByteCollection) -> String { patientID(for: bytes).pseudonym }

    /// The first 10 bytes (80 bits) of HMAC-SHA-256 over an identifier already normalised.
    func digest(_ normalised: [UInt8]) -> [UInt8] {
        normalised.withUnsafeBufferPointer { patientID(normalised: $0) }.leadingBytes(10)
    }

    /// `P-` and the digest bytes in hex.
    static func format<C: Collection>(_ digest: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = [UInt8(ascii: "P"), UInt8(ascii: "-")]
        out.reserveCapacity(22)
        for byte in digest {
            out.append(Pseudonymiser.hexDigits[Int(byte >> 4)])
            out.append(Pseudonymiser.hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Identifier normalisation before hashing: trimmed and ASCII letters upper-cased; an NHS number written with spaces
    /// or hyphens (`943 476 5919`) becomes its ten digits, so every spelling of one patient gives one pseudonym.
    public static func normalise(_ identifier: String) -> String {
        String(decoding: normalise(ArraySlice(Array(identifier.utf8))), as: UTF8.self)
    }

    static func normalise(_ bytes: some FieldByteCollection) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in count = normalise(bytes, into: buffer) }
    }

    /// `normalise` into memory the caller provides (at least `bytes.count` long); returns the length written.
    static func normalise(_ bytes: some FieldByteCollection, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var lo = bytes.startIndex, hi = bytes.endIndex
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
        var n = 0
        var digitsOnly = true
        for b in bytes[lo..<hi] {
            if b == 0x20 || b == UInt8(ascii: "-") { continue }
            if b < 0x30 || b > 0x39 { digitsOnly = false; break }
            out[n] = b
            n += 1
        }
        if digitsOnly && n == 10 { return n }
        n = 0
        for b in bytes[lo..<hi] {
            out[n] = b >= 0x61 && b <= 0x7A ? b - 0x20 : b
            n += 1
        }
        return n
    }
}
