import CSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a report into a temporary folder beside its destination and renames it into place only when complete,
/// so an interrupted run leaves the previous report as it was.
public final class OutputStaging {
    /// The final report folder.
    public let destination: String
    /// The temporary folder being written.
    public let staging: String
    private var committed = false

    /// Where a report for `destination` goes: its real path, so that a symbolic link named as the report folder is
    /// written through to the folder it names (putting the report in place would otherwise replace the link itself).
    public static func resolved(_ destination: String) -> String { PathGuard.real(destination) }

    /// Creates the staging folder next to `destination`, resolved (`resolved`), creating the parent folders as needed.
    public init(destination: String) throws {
        let dest = OutputStaging.resolved(destination)
        self.destination = dest
        let parent = PathGuard.parent(of: dest)
        let folder = OutputStaging.folder(for: dest)
        // A folder of this name left by an earlier process with the same number is removed only when it is this
        // program's (empty, marked as staging, or a report holding nothing unlisted); anything else stops the run. Checked
        // before the staging path is set, so that a refusal never reaches `deinit`, which removes the staging folder.
        if FileManager.default.fileExists(atPath: folder), !OutputStaging.isOwn(folder) {
            throw UsageError(option: "--out", value: dest, message: "a folder \((folder as NSString).lastPathComponent) beside it "
                             + "holds files wardsleep did not write; move it away and run again")
        }
        staging = folder
        do {
            try FileManager.default.createDirectory(atPath: parent.isEmpty ? "." : parent, withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: staging) { try FileManager.default.removeItem(atPath: staging) }
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            // Marks the folder as this program's staging, for `recover` (taken out before the folder becomes the report).
            guard FileManager.default.createFile(atPath: (staging as NSString).appendingPathComponent(OutputStaging.marker), contents: Data()) else {
                throw OutputError(file: staging, reason: "cannot create a file in it", consequence: nil)
            }
        } catch let e as WardsleepFailure {
            throw e
        } catch {
            throw OutputError(file: dest, error: error)
        }
    }

    /// The file that marks a staging folder while it is written.
    static let marker = ".wardsleep-staging"

    /// The staging folder of this process for `destination` (standardized): `.<name>.tmp-<pid>` beside it.
    static func folder(for destination: String) -> String {
        let parent = PathGuard.parent(of: destination)
        return ((parent.isEmpty ? "." : parent) as NSString)
            .appendingPathComponent(".\((destination as NSString).lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
    }

    /// The path of `relative` inside the staging folder, nothing created.
    public func location(_ relative: String) -> String { (staging as NSString).appendingPathComponent(relative) }

    /// The path of a file inside the staging folder (parent folders created).
    public func path(_ relative: String) throws -> String {
        let p = (staging as NSString).appendingPathComponent(relative)
        do {
            try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw OutputError(file: (p as NSString).deletingLastPathComponent, error: error)
        }
        return p
    }

    /// Writes a whole text file into the staging folder.
    public func write(_ relative: String, _ text: String) throws {
        let p = try path(relative)
        let w = try TextFileWriter(path: p)
        try w.write(text)
        try w.close()
    }

    /// Writes a file in pieces, as `stream` hands them on.
    public func write(_ relative: String, streaming stream: ((String) throws -> Void) throws -> Void) throws {
        let p = try path(relative)
        let w = try TextFileWriter(path: p)
        try stream { try w.write($0) }
        try w.close()
    }

    /// Replaces the destination (or `target`, a folder beside it) with the staged folder: one atomic exchange where the
    /// system offers it, so a reader (or a run killed at any moment) sees either the old report or the new one, never
    /// neither.
    public func commit(to target: String? = nil) throws {
        let destination = target.map(OutputStaging.resolved) ?? self.destination
        do {
            try FileManager.default.removeItem(atPath: location(OutputStaging.marker))
            try exchange(destination)
        } catch let e as WardsleepFailure { throw e } catch { throw OutputError(file: destination, error: error) }
    }

    private func exchange(_ destination: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: destination) {
            if ws_rename_exchange(staging, destination) == 0 {
                committed = true
                try? fm.removeItem(atPath: staging)  // now holds the previous report
                return
            }
            // No exchange on this system: move the old report aside, the new one in; `recover` mends an interruption.
            let old = staging.replacingOccurrences(of: ".tmp-", with: ".old-")
            if fm.fileExists(atPath: old) { try fm.removeItem(atPath: old) }
            try fm.moveItem(atPath: destination, toPath: old)
            try fm.moveItem(atPath: staging, toPath: destination)
            committed = true
            try? fm.removeItem(atPath: old)
            return
        }
        try fm.moveItem(atPath: staging, toPath: destination)
        committed = true
    }

    /// Tidies up after runs that were killed: staging folders of processes that no longer exist are removed, and a
    /// previous report moved aside but never replaced is put back. Only folders this program wrote are touched: a
    /// staging folder still marked as one, or a report holding nothing its manifest does not list; a folder of the
    /// same name holding anything else is left alone.
    public static func recover(destination: String) {
        let dest = OutputStaging.resolved(destination)
        let parent = PathGuard.parent(of: dest).isEmpty ? "." : PathGuard.parent(of: dest)
        let name = (dest as NSString).lastPathComponent
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: parent)) ?? [] {
            for marker in [".tmp-", ".old-"] where entry.hasPrefix(".\(name)\(marker)") {
                guard let pid = Int32(entry.dropFirst(name.count + 1 + marker.count)), !RunLock.isAlive(pid) else { continue }
                let path = (parent as NSString).appendingPathComponent(entry)
                guard isOwn(path, staging: marker == ".tmp-") else { continue }
                if marker == ".old-" && !fm.fileExists(atPath: dest) {
                    try? fm.moveItem(atPath: path, toPath: dest)
                } else {
                    try? fm.removeItem(atPath: path)
                }
            }
        }
    }

    /// Whether the folder at `path` is this program's to remove: empty, a staging folder still marked as one (when
    /// `staging`), or a report holding nothing its manifest does not list.
    static func isOwn(_ path: String, staging: Bool = true) -> Bool {
        PathGuard.entries(path).isEmpty
            || (staging && FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(marker)))
            || (PathGuard.isReport(path) && PathGuard.unlisted(path).isEmpty)
    }

    /// `error` with, when it is a write the system refused, what that means for the report at `destination`: the
    /// previous report is left as it was, or none was written.
    public static func explain(_ error: Error, destination: String) -> Error {
        guard var failure = error as? OutputError, failure.consequence == nil else { return error }
        let staging = folder(for: OutputStaging.resolved(destination)) + "/"
        if failure.file.hasPrefix(staging) { failure.file = "the new report's " + failure.file.dropFirst(staging.count) }
        failure.consequence = FileManager.default.fileExists(atPath: destination)
            ? "the previous report in \(destination) is left as it was" : "no report was written to \(destination)"
        return failure
    }

    /// Removes the staging folder unless it was committed.
    public func discard() {
        if !committed { try? FileManager.default.removeItem(atPath: staging) }
    }

    deinit { discard() }
}

extension OutputError {
    /// An output error from a Foundation file error, with the system's own words for it (`No space left on device`).
    public init(file: String, error: Error, consequence: String? = nil) {
        var reason = error.localizedDescription
        let ns = error as NSError
        if let posix = (ns.userInfo[NSUnderlyingErrorKey] as? NSError) ?? (ns.domain == NSPOSIXErrorDomain ? ns : nil),
           posix.domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32(posix.code)))
        }
        self.init(file: file, reason: reason, consequence: consequence)
    }
}
