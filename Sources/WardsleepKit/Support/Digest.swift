import Crypto
import Foundation

/// SHA-256 digests as lower-case hex, the one way wardsleep writes a hash (manifest, ledger, fingerprints).
public enum Digest {
    /// Hex of any digest.
    public static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// SHA-256 of some bytes, as hex.
    public static func sha256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    /// SHA-256 of a file, read in 1 MiB pieces, as hex; `display` names the file in errors.
    public static func sha256(file path: String, display: String) throws -> String {
        // Opened as exports are: a pipe or device swapped in for an input is refused, never waited on.
        let file = try InputFile.openRegularFile(path, displayName: display)
        defer { fclose(file) }
        var hasher = SHA256()
        InputFile.forEachBlock(of: file, size: 1 << 20) { hasher.update(bufferPointer: $0) }
        return hex(hasher.finalize())
    }
}
