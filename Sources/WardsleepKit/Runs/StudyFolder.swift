import Foundation

/// Finds each export's file inside the study folder, and refuses anything that would read outside it.
public enum StudyFolder {
    /// The path of an export's file, or `nil` when the export is not supplied (not listed in study.yaml and no file
    /// with the default name). A listed export whose file is missing is an `InputError`; a file name that leaves the
    /// study folder (absolute, `..`, or a symbolic link pointing outside) is a `ConfigurationError`.
    public static func resolve(_ spec: ExportSpec, folder: String) throws -> String? {
        let key = "exports.\(spec.kind.rawValue).file"
        let name = spec.file
        if name.hasPrefix("/") || name.hasPrefix("~") || name.split(separator: "/").contains("..") || name.contains("\\") {
            throw ConfigurationError(file: StudyLoader.fileName, keyPath: key,
                                     message: "\"\(name)\" is outside the study folder; exports are read from the study folder only")
        }
        let path = (folder as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else {
            if spec.listed {
                throw InputError(file: name, message: "not found in the study folder, but study.yaml lists it at \(key)")
            }
            return nil
        }
        let realFolder = (folder as NSString).resolvingSymlinksInPath
        let realFile = (path as NSString).resolvingSymlinksInPath
        guard realFile.hasPrefix(realFolder.hasSuffix("/") ? realFolder : realFolder + "/") else {
            throw ConfigurationError(file: StudyLoader.fileName, keyPath: key,
                                     message: "\"\(name)\" is a link to a file outside the study folder; copy the export into the folder")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: realFile, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError(file: name, message: "is a folder, not a CSV file")
        }
        return realFile
    }
}
