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
        let dest = OutputStaging.resolved(destination)  // one lock for a folder, whatever link names it
        path = dest + ".lock"
        let folder = PathGuard.parent(of: path)
        if !folder.isEmpty {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw OutputError(file: folder, error: error, consequence: "nothing was written")
            }
        }
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
                throw OutputError(file: path, reason: String(cString: strerror(errno)), consequence: "nothing was written")
            }
            let text = RunLock.smallText(path)
            let holder = text.flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let holder, RunLock.isAlive(holder) {
                throw LockError(destination: dest, holder: holder)
            }
            // Only a lock wardsleep wrote (a PID, or nothing when a run died before writing it) is taken over.
            guard holder != nil || text?.isEmpty == true else {
                throw UsageError(option: "--out", value: destination, message: "\(path) exists and is not a wardsleep lock file; refusing to remove it")
            }
            unlink(path)  // stale: its process is gone
        }
        throw LockError(destination: dest, holder: nil)
    }

    /// The text of a file of at most 64 bytes; `nil` when it is larger, unreadable or not UTF-8.
    static func smallText(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: 65)) ?? Data()  // nil at the end of the file
        return data.count <= 64 ? String(data: data, encoding: .utf8) : nil
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
