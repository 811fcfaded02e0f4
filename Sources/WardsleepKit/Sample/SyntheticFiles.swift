import Foundation

/// `synthetic-files.sha256`: the SHA-256 of every file `wardsleep sample` generated, in `sha256sum` format. The public
/// demo key pseudonymises a `synthetic: true` study only while every export it reads is one of these files, byte for
/// byte, so the flag alone never unlocks the demo key for real data.
public enum SyntheticFiles {
    /// The marker's file name in the study folder.
    public static let fileName = "synthetic-files.sha256"

    /// Writes the marker for `names` (files in `folder`), one `<sha256>  <name>` line each.
    public static func write(folder: String, names: [String]) throws {
        var text = ""
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            text += "\(try Digest.sha256(file: path, display: name))  \(name)\n"
        }
        let w = try TextFileWriter(path: (folder as NSString).appendingPathComponent(fileName))
        try w.write(text)
        try w.close()
    }

    /// The hashes the marker in `folder` records, by file name; `nil` when there is no marker. Lines that are not
    /// `<64 hex digits>  <name>` are ignored.
    static func recorded(folder: String) throws -> [String: String]? {
        guard let path = try StudyFolder.file(fileName, key: "synthetic", folder: folder, what: .other),
              let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size <= 1 << 20,
              let text = try InputFile.readSmallFile(path, displayName: fileName).flatMap({ String(data: $0, encoding: .utf8) }) else { return nil }
        var hashes: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let hash = line.prefix(64)
            guard hash.count == 64, hash.allSatisfy(\.isHexDigit), line.dropFirst(64).hasPrefix("  ") else { continue }
            hashes[String(line.dropFirst(66))] = hash.lowercased()
        }
        return hashes
    }

    /// Confirms that every export the study in `folder` reads is a file `wardsleep sample` generated, unchanged;
    /// otherwise a `ConfigurationError` against `synthetic` says which file and why.
    public static func verify(_ study: StudyDefinition, folder: String) throws {
        let advice = "so the public demo key cannot be used; set WARDSLEEP_KEY or pass --key-file"
        guard let hashes = try recorded(folder: folder) else {
            throw ConfigurationError(file: StudyLoader.fileName, keyPath: "synthetic",
                                     message: "is true, but the folder has no \(fileName) from `wardsleep sample` to show its exports are synthetic, \(advice)")
        }
        let realFolder = PathGuard.real(folder)
        for kind in ExportKind.allCases {
            let spec = study.exports[kind]
            guard let path = try StudyFolder.resolve(spec, folder: folder) else { continue }
            let name = String(path.dropFirst(realFolder.count + (realFolder.hasSuffix("/") ? 0 : 1)))
            guard let recorded = hashes[name] else {
                throw ConfigurationError(file: StudyLoader.fileName, keyPath: "synthetic",
                                         message: "is true, but \(spec.file) is not a file `wardsleep sample` generated (\(fileName) does not list it), \(advice)")
            }
            guard try Digest.sha256(file: path, display: spec.file) == recorded else {
                throw ConfigurationError(file: StudyLoader.fileName, keyPath: "synthetic",
                                         message: "is true, but \(spec.file) has changed since `wardsleep sample` generated it (its SHA-256 differs from \(fileName)), \(advice)")
            }
        }
    }
}
