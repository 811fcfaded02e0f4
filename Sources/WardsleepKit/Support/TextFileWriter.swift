#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends text to a file through a fixed buffer, so that large outputs (quarantine, sample exports) stream.
public final class TextFileWriter {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private let path: String
    private var closed = false

    /// Creates (or truncates) the file at `path`.
    public init(path: String) throws {
        guard let f = fopen(path, "wb") else {
            throw OutputError(file: path, reason: String(cString: strerror(errno)))
        }
        file = f
        self.path = path
        buffer.reserveCapacity(1 << 16)
    }

    /// Appends `text`.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends raw bytes.
    public func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let n = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard n == buffer.count else { throw OutputError(file: path, reason: String(cString: strerror(errno))) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file; further writes are an error.
    public func close() throws {
        guard !closed else { return }
        try flush()
        closed = true
        guard fclose(file) == 0 else { throw OutputError(file: path, reason: String(cString: strerror(errno))) }
    }

    deinit { if !closed { fclose(file) } }
}
