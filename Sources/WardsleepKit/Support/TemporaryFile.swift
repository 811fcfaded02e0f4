import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unnamed temporary files for work that would not fit in memory (`PlanSpill`, `PatientTally`): created in `TMPDIR`
/// (or `/tmp`), readable by the owner only, and unlinked at once, so nothing is left behind whatever happens to the run.
enum TemporaryFile {
    /// The folder temporary files go to: `folder`, else `TMPDIR`, else `/tmp`.
    static func folder(_ folder: String?) -> String {
        folder ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    /// Opens a new unnamed file for reading and writing; `purpose` says what could not be done when it fails.
    static func open(in folder: String?, prefix: String, purpose: String) throws -> UnsafeMutablePointer<FILE> {
        let folder = TemporaryFile.folder(folder)
        var template = Array("\(folder)/\(prefix).XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw OutputError(file: folder, reason: String(cString: strerror(errno)), consequence: purpose) }
        unlink(template)
        guard let file = fdopen(fd, "w+b") else {
            close(fd)
            throw OutputError(file: folder, reason: String(cString: strerror(errno)), consequence: purpose)
        }
        return file
    }
}
