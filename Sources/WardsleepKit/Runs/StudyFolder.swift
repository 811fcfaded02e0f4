import Foundation

/// Finds each file a study names inside the study folder, and refuses anything that would read outside it.
public enum StudyFolder {
    /// The study folder a command was given: the folder itself, or the folder of a `study.yaml` named instead (as an
    /// analyst may type `wardsleep run data/sample/study.yaml`). Any other file is a `UsageError` naming the folder
    /// wanted.
    public static func argument(_ path: String) throws -> String {
        // An empty argument (`wardsleep validate ""`, an unset variable) would be the current folder, which no default
        // depends on.
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError(option: "DIR", value: path, message: "is empty; give the study folder, which holds study.yaml and the exports")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { return path }
        let parent = (path as NSString).deletingLastPathComponent
        if (path as NSString).lastPathComponent == "study.yaml" { return parent.isEmpty ? "." : parent }
        throw UsageError(option: "DIR", value: path,
                         message: "is a file; give the study folder, which holds study.yaml and the exports"
                            + (parent.isEmpty ? "" : ", such as \(parent)"))
    }

    /// The path of an export's file, or `nil` when the export is not supplied (not listed in study.yaml and no file
    /// with the default name). A listed export whose file is missing is an `InputError`; a file name that leaves the
    /// study folder (absolute, `..`, or a symbolic link anywhere on the way pointing outside) is a `ConfigurationError`.
    public static func resolve(_ spec: ExportSpec, folder: String) throws -> String? {
        let key = "exports.\(spec.kind.rawValue).file"
        guard let path = try file(spec.file, key: key, folder: folder, what: .export) else {
            if spec.listed {
                throw InputError(file: spec.file, message: "not found in the study folder, but study.yaml lists it at \(key)")
            }
            return nil
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError(file: spec.file, message: "is a folder, not a CSV file")
        }
        return path
    }

    /// The path of the study's own feedback codebook (`feedback.codebook`), or `nil` when it names none.
    public static func codebook(_ study: StudyDefinition, folder: String) throws -> String? {
        guard let name = study.feedback.codebook else { return nil }
        guard let path = try file(name, key: "feedback.codebook", folder: folder, what: .codebook) else {
            throw ConfigurationError(file: StudyLoader.fileName, keyPath: "feedback.codebook", message: "cannot read \"\(name)\" in the study folder")
        }
        return path
    }

    /// What a study-named file is, for messages.
    public enum Role: Sendable {
        /// An export (`exports.<kind>.file`).
        case export
        /// The feedback codebook (`feedback.codebook`).
        case codebook
        /// Another file of the study folder, named by wardsleep.
        case other
    }

    /// The real path of the file `name` in the study folder (every link on the way followed), or `nil` when nothing
    /// is there. A name or link that leads outside the study folder is a `ConfigurationError` against `key`.
    public static func file(_ name: String, key: String, folder: String, what: Role) throws -> String? {
        let (thing, rule) = what == .export ? ("export", "exports are read from the study folder only")
            : what == .codebook ? ("codebook", "the codebook is read from the study folder only")
            : ("file", "files are read from the study folder only")
        if name.hasPrefix("/") || name.hasPrefix("~") || name.split(separator: "/").contains("..") || name.contains("\\") {
            throw ConfigurationError(file: StudyLoader.fileName, keyPath: key, message: "\"\(name)\" is outside the study folder; \(rule)")
        }
        let realFolder = PathGuard.real(folder)
        let realFile = PathGuard.real((folder as NSString).appendingPathComponent(name))
        if realFile == realFolder {
            throw ConfigurationError(file: StudyLoader.fileName, keyPath: key,
                                     message: "\"\(name)\" names the study folder itself; expected the name of the \(thing)'s file in it")
        }
        guard PathGuard.isWithin(realFile, realFolder) else {
            throw ConfigurationError(file: StudyLoader.fileName, keyPath: key,
                                     message: "\"\(name)\" is a link to a file outside the study folder; copy the \(thing) into the folder")
        }
        return FileManager.default.fileExists(atPath: realFile) ? realFile : nil
    }
}

extension StudyAnalyses {
    /// The analyses of the study in `folder`, with any study-specific feedback codebook it holds.
    public convenience init(study: StudyDefinition, folder: String) throws {
        self.init(study: study, codebook: try StudyAnalyses.codebook(study, folder: folder),
                  occupancySupplied: try StudyFolder.resolve(study.exports[.occupancy], folder: folder) != nil)
    }

    /// The default codebook merged with the study's own (`feedback.codebook` in study.yaml).
    static func codebook(_ study: StudyDefinition, folder: String) throws -> Codebook {
        guard let name = study.feedback.codebook, let path = try StudyFolder.codebook(study, folder: folder) else { return Codebook.standard() }
        guard let data = try InputFile.readSmallFile(path, displayName: name) else {
            throw ConfigurationError(file: StudyLoader.fileName, keyPath: "feedback.codebook", message: "cannot read \"\(name)\" in the study folder")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw StudyLoader.notUTF8(data, file: name) }
        return Codebook.standard().merged(with: try Codebook.parse(text, file: name))
    }
}
