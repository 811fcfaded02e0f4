import Foundation

/// Writes a report into a temporary folder beside its destination and renames it into place only when complete,
/// so an interrupted run leaves the previous report as it was.
public final class OutputStaging {
    /// The final report folder.
    public let destination: String
    /// The temporary folder being written.
    public let staging: String
    private var committed = false

    /// Creates the staging folder next to `destination` (creating the parent folders as needed).
    public init(destination: String) throws {
        let dest = (destination as NSString).standardizingPath
        self.destination = dest
        let parent = (dest as NSString).deletingLastPathComponent
        let name = (dest as NSString).lastPathComponent
        staging = ((parent.isEmpty ? "." : parent) as NSString)
            .appendingPathComponent(".\(name).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(atPath: parent.isEmpty ? "." : parent, withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: staging) { try FileManager.default.removeItem(atPath: staging) }
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw ConfigurationError(file: dest, keyPath: "--out", message: "cannot create the report folder: \(error.localizedDescription)")
        }
    }

    /// The path of `relative` inside the staging folder, nothing created.
    public func location(_ relative: String) -> String { (staging as NSString).appendingPathComponent(relative) }

    /// The path of a file inside the staging folder (parent folders created).
    public func path(_ relative: String) throws -> String {
        let p = (staging as NSString).appendingPathComponent(relative)
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return p
    }

    /// Writes a whole text file into the staging folder.
    public func write(_ relative: String, _ text: String) throws {
        let p = try path(relative)
        let w = try TextFileWriter(path: p)
        try w.write(text)
        try w.close()
    }

    /// Replaces the destination with the staged folder.
    public func commit() throws {
        let fm = FileManager.default
        let old = staging.replacingOccurrences(of: ".tmp-", with: ".old-")
        if fm.fileExists(atPath: destination) {
            if fm.fileExists(atPath: old) { try fm.removeItem(atPath: old) }
            try fm.moveItem(atPath: destination, toPath: old)
        }
        try fm.moveItem(atPath: staging, toPath: destination)
        committed = true
        if fm.fileExists(atPath: old) { try? fm.removeItem(atPath: old) }
    }

    /// Removes the staging folder unless it was committed.
    public func discard() {
        if !committed { try? FileManager.default.removeItem(atPath: staging) }
    }

    deinit { discard() }
}
