import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lock file beside a report folder holding the PID of the run writing it, so two runs never write the same output.
/// A lock left by a process that no longer exists (a run that was killed) is taken over.
public final class RunLock {
    /// The lock file.
    public let path: String
    private var held = false

    /// Takes the lock for `destination`, or throws `LockError` when a live process holds it.
    public init(destination: String) throws {
        let dest = (destination as NSString).standardizingPath
        path = dest + ".lock"
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        for _ in 0..<3 {
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            if fd >= 0 {
                let text = "\(getpid())\n"
                _ = text.withCString { write(fd, $0, strlen($0)) }
                close(fd)
                held = true
                return
            }
            guard errno == EEXIST else {
                throw ConfigurationError(file: path, keyPath: "--out", message: "cannot create the lock file: \(String(cString: strerror(errno)))")
            }
            let holder = (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let holder, RunLock.isAlive(holder) {
                throw LockError(destination: dest, holder: holder)
            }
            unlink(path)  // stale: its process is gone
        }
        throw LockError(destination: dest, holder: nil)
    }

    /// Whether a process with this PID exists.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Releases the lock.
    public func release() {
        if held { unlink(path); held = false }
    }

    deinit { release() }
}

/// Another run holds the lock: exits 75 (temporary failure; try again later).
public struct LockError: WardsleepFailure, Equatable {
    /// The report folder.
    public var destination: String
    /// The PID holding the lock, when known.
    public var holder: Int32?
    public var exitStatus: ExitStatus { .locked }
    public var description: String {
        "\(destination) is being written by another wardsleep run\(holder.map { " (PID \($0))" } ?? ""); try again when it has finished"
    }
}
