import Foundation
import Yams

/// A copy of a study folder that holds one export: study.yaml with only that export under `exports`, and every other
/// file of the folder (codebooks and the like) except the other exports, hard-linked where the file system allows.
enum BenchmarkStudyCopy {
    static func make(of folder: String, keeping kind: ExportKind, leavingOut: Set<String>, into copy: String) throws {
        let fm = FileManager.default
        // Real paths, as `leavingOut` holds them (the folder may be named relative to the working folder).
        let root = PathGuard.real(folder)
        try fm.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for case let relative as String in fm.enumerator(atPath: root)?.allObjects ?? [] where relative != StudyLoader.fileName {
            let source = (root as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: source, isDirectory: &isDirectory), !isDirectory.boolValue,
                  !leavingOut.contains(PathGuard.real(source)) else { continue }
            let target = (copy as NSString).appendingPathComponent(relative)
            try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            do { try fm.linkItem(atPath: source, toPath: target) } catch { try fm.copyItem(atPath: source, toPath: target) }
        }
        let text = try String(contentsOfFile: (root as NSString).appendingPathComponent(StudyLoader.fileName), encoding: .utf8)
        guard var node = try Yams.compose(yaml: text), var top = node.mapping else {
            throw ConfigurationError(file: StudyLoader.fileName, keyPath: "", message: "expected a mapping")
        }
        if var exports = top["exports"]?.mapping {
            for key in Array(exports.keys).compactMap(\.string) where key != kind.rawValue { exports[key] = nil }
            top["exports"] = exports.isEmpty ? nil : .mapping(exports)
        }
        node.mapping = top
        try Data(Yams.serialize(node: node).utf8).write(to: URL(fileURLWithPath: (copy as NSString).appendingPathComponent(StudyLoader.fileName)))
    }
}
