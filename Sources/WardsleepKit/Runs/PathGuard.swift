import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a path really leads, and the one set of checks every path option goes through before anything is written:
/// no output may be, hold or replace the study folder, one of its inputs, the key file or the run ledger, and no folder
/// wardsleep did not write is ever replaced.
///
/// Paths are compared by their real location: every symbolic link on the way followed (relative or absolute, chained),
/// `.` and `..` applied after each link, and a path that does not exist yet placed under the real location of its
/// nearest existing ancestor. Nothing here writes.
public enum PathGuard {
    /// The real absolute path of `path`, which need not exist.
    public static func real(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        var resolved: [String] = expanded.hasPrefix("/") ? [] : components(currentFolder())
        var pending = components(expanded).reversed() as [String]
        var links = 0
        while let part = pending.popLast() {
            if part == "." { continue }
            if part == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            let candidate = "/" + (resolved + [part]).joined(separator: "/")
            // A loop of links is left unresolved: the system refuses it (ELOOP) too.
            guard links < 64, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: candidate) else {
                resolved.append(part)
                continue
            }
            links += 1
            if target.hasPrefix("/") { resolved = [] }
            pending += components(target).reversed()
        }
        return "/" + resolved.joined(separator: "/")
    }

    /// Whether the real path `path` is `folder` (a real path) or lies inside it.
    public static func isWithin(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// The folder holding `path`: `""` for a bare name, `/` for a name at the root. (Foundation's
    /// `deletingLastPathComponent` traps on one-character relative paths such as `r` on Linux.)
    public static func parent(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        var head = p[..<slash]
        while head.hasSuffix("/") { head = head.dropLast() }
        return head.isEmpty ? "/" : String(head)
    }

    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    static func currentFolder() -> String {
        guard let cwd = getcwd(nil, 0) else { return FileManager.default.currentDirectoryPath }
        defer { free(cwd) }
        return String(cString: cwd)
    }

    /// A file or folder that no output may be or hold, with how messages name it.
    public struct Protected: Sendable, Equatable {
        /// What it is to the run.
        public enum Kind: Sendable, Equatable {
            /// The study folder.
            case studyFolder
            /// A file the study reads.
            case input
            /// Something else a run keeps (the key file, the run ledger).
            case other
        }

        /// How messages name it: `study.yaml`, `incidents.csv (exports.incidents.file)`, `the key file`.
        public var label: String
        /// What it is.
        public var kind: Kind
        /// Its real path.
        public var real: String

        /// Creates a protected path; `path` is made real.
        public init(_ label: String, path: String, kind: Kind = .input) {
            self.label = label
            self.kind = kind
            real = PathGuard.real(path)
        }

        /// `the study folder`, `an input of the study (study.yaml)`, `the key file`.
        var named: String {
            switch kind {
            case .studyFolder: return "the study folder"
            case .input: return "an input of the study (\(label))"
            case .other: return label
            }
        }
    }

    /// Everything a study reads: the study folder, study.yaml, each export and the codebook it names (where study.yaml
    /// loads), and the key file. Problems with the study itself are left for the run to report. `study` is the
    /// study.yaml of `folder` when the caller has loaded it already (`nil`: it is loaded here).
    public static func studyInputs(folder: String, keyFile: String?, study loaded: StudyDefinition? = nil) -> [Protected] {
        var inputs = [Protected("the study folder", path: folder, kind: .studyFolder),
                      Protected(StudyLoader.fileName, path: (folder as NSString).appendingPathComponent(StudyLoader.fileName))]
        if let study = loaded ?? (try? StudyLoader.load(folder: folder)) {
            for kind in ExportKind.allCases {
                let spec = study.exports[kind]
                if let path = try? StudyFolder.resolve(spec, folder: folder) {
                    inputs.append(Protected("exports.\(kind.rawValue).file: \(spec.file)", path: path))
                }
            }
            if let name = study.feedback.codebook, let path = try? StudyFolder.codebook(study, folder: folder) {
                inputs.append(Protected("feedback.codebook: \(name)", path: path))
            }
        }
        let marker = (folder as NSString).appendingPathComponent(SyntheticFiles.fileName)
        if FileManager.default.fileExists(atPath: marker) { inputs.append(Protected(SyntheticFiles.fileName, path: marker)) }
        if let keyFile, !keyFile.isEmpty { inputs.append(Protected("the key file", path: keyFile, kind: .other)) }
        return inputs
    }

    /// The real places a path option may write: the path with every link followed, and the path with its parent's
    /// links followed but not its own last component (which a rename replaces).
    static func places(_ path: String) -> [String] {
        let expanded = (path as NSString).expandingTildeInPath
        let folder = parent(of: expanded)
        let last = (expanded as NSString).lastPathComponent
        let literal = (real(folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(last)
        let full = real(path)
        return full == literal ? [full] : [full, literal]
    }

    /// Refuses `path` when it is, or holds, one of `protected`; `holds` false checks only that it is none of them.
    static func refuseOverlap(_ path: String, option: String, protected: [Protected], holds: Bool = true) throws {
        let candidates = places(path)
        for p in protected {
            if candidates.contains(p.real) {
                let verb = p.kind == .studyFolder ? "write over" : "overwrite"
                throw UsageError(option: option, value: path, message: "is \(p.named); refusing to \(verb) it")
            }
            if holds && candidates.contains(where: { isWithin(p.real, $0) }) {
                throw UsageError(option: option, value: path, message: "holds \(p.named); refusing to replace it")
            }
        }
    }

    /// Refuses an empty path.
    static func refuseEmpty(_ path: String, option: String, what: String) throws {
        guard !path.isEmpty else { throw UsageError(option: option, value: "", message: "is empty; name the \(what)") }
    }

    /// Refuses a path below an existing file and, unless `dotAllowed`, one whose last part is `.`, `..` or `/` (a
    /// rename cannot replace those).
    static func refuseUnnamed(_ path: String, option: String, what: String, dotAllowed: Bool = false) throws {
        let last = ((path as NSString).expandingTildeInPath as NSString).lastPathComponent
        if !dotAllowed && (path.hasSuffix("/.") || path.hasSuffix("/..") || last == "." || last == ".." || last == "/") {
            throw UsageError(option: option, value: path, message: "does not name a \(what) of its own; name a new one")
        }
        // The nearest existing ancestor must be a folder.
        var ancestor = parent(of: real(path))
        while ancestor != "/" && !FileManager.default.fileExists(atPath: ancestor) { ancestor = parent(of: ancestor) }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: ancestor, isDirectory: &isFolder), !isFolder.boolValue {
            throw UsageError(option: option, value: path, message: "cannot be created: \(ancestor) is a file, not a folder")
        }
    }

    /// What is at `path` now (following links): nothing, a folder, or something else.
    enum Existing { case none, folder, file }

    static func existing(_ path: String) -> Existing {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: (path as NSString).expandingTildeInPath, isDirectory: &isFolder) else { return .none }
        return isFolder.boolValue ? .folder : .file
    }

    static func entries(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: (path as NSString).expandingTildeInPath)) ?? []
    }

    /// Checks a report folder (`run --out`) before anything is written: refused when it is or holds the study folder or
    /// one of `protected`, is a file, or is a folder that is neither empty nor a report wardsleep wrote.
    public static func checkReportFolder(_ path: String, option: String = "--out", protected: [Protected]) throws {
        try refuseEmpty(path, option: option, what: "report folder")
        try refuseOverlap(path, option: option, protected: protected)
        try refuseUnnamed(path, option: option, what: "report folder")
        // Inside another report, this one would be a folder that report's manifest does not list: the next run into that
        // report would refuse (or, before that check, remove it).
        var parent = (real(path) as NSString).deletingLastPathComponent, steps = 0
        while parent != "/" && !parent.isEmpty && steps < 256 {
            if isReport(parent) {
                throw UsageError(option: option, value: path, message: "is inside the report folder \(parent), which a run into it "
                                 + "replaces whole; name a folder outside it")
            }
            parent = (parent as NSString).deletingLastPathComponent
            steps += 1
        }
        switch existing(path) {
        case .none: return
        case .file: throw UsageError(option: option, value: path, message: "is a file, not a folder; refusing to overwrite it")
        case .folder:
            guard !entries(path).isEmpty else { return }
            guard isReport(path) else {
                throw UsageError(option: option, value: path, message: "is a folder wardsleep did not write (it is not empty and has no "
                                 + "manifest.json from wardsleep); refusing to replace it; name a new or empty folder")
            }
            // A report folder is replaced whole: anything in it that its manifest does not list (notes of the analyst's
            // own) would go with it.
            let foreign = unlisted(path)
            guard foreign.isEmpty else {
                throw UsageError(option: option, value: path, message: "holds files wardsleep did not write ("
                                 + foreign.joined(separator: ", ") + "); refusing to replace it; move them out, or name a new or empty folder")
            }
        }
    }

    /// What a report folder holds that its `manifest.json` does not list as an output (a folder counts when no listed
    /// output is inside it), the first `limit` in name order; every entry when the manifest lists none. Links are not
    /// followed.
    public static func unlisted(_ folder: String, limit: Int = 3) -> [String] {
        let root = (folder as NSString).expandingTildeInPath
        var listed = Set<String>(), folders = Set<String>()
        if let data = (try? InputFile.readSmallFile(root + "/manifest.json", displayName: "manifest.json")) ?? nil,
           let manifest = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
           let outputs = manifest["outputs"] as? [[String: Any]] {
            for case let path as String in outputs.map({ $0["path"] }) {
                listed.insert(path)
                var parent = (path as NSString).deletingLastPathComponent
                while !parent.isEmpty { folders.insert(parent); parent = (parent as NSString).deletingLastPathComponent }
            }
        }
        var out: [String] = []
        guard let walk = FileManager.default.enumerator(atPath: root) else { return [] }
        while let relative = walk.nextObject() as? String {
            let type = walk.fileAttributes?[.type] as? FileAttributeType
            if type == .typeDirectory {
                if !folders.contains(relative) { out.append(relative + "/"); walk.skipDescendants() }
            } else if !listed.contains(relative) || type != .typeRegular {
                out.append(relative)
            }
        }
        return Array(out.sorted().prefix(limit))
    }

    /// Whether `folder` holds a report wardsleep wrote: a `manifest.json` naming wardsleep as the tool.
    public static func isReport(_ folder: String) -> Bool {
        let path = ((folder as NSString).expandingTildeInPath as NSString).appendingPathComponent("manifest.json")
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size < 64 << 20,
              let data = (try? InputFile.readSmallFile(path, displayName: "manifest.json")) ?? nil,
              let manifest = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let tool = manifest["tool"] as? [String: Any] else { return false }
        return tool["name"] as? String == "wardsleep" && manifest["schema_version"] is Int
    }

    /// Checks the run ledger's file: refused when it is an input or the study folder, lies in the report folder (which
    /// each run replaces), or is a folder. Whether an existing file is a ledger is for `RunLedger` to check.
    public static func checkLedger(_ path: String, option: String = "--ledger", protected: [Protected], reportFolder: String?) throws {
        try refuseEmpty(path, option: option, what: "run ledger file")
        try refuseOverlap(path, option: option, protected: protected, holds: false)
        try refuseUnnamed(path, option: option, what: "run ledger file")
        if existing(path) == .folder {
            throw UsageError(option: option, value: path, message: "is a folder; name the run ledger's file, e.g. \(RunLedger.defaultPath)")
        }
        if let reportFolder, places(path).contains(where: { isWithin($0, real(reportFolder)) }) {
            throw UsageError(option: option, value: path, message: "is inside the report folder \(reportFolder), which each run replaces; "
                             + "keep the ledger outside it")
        }
    }

    /// Checks a key file: it must lie outside the study folder, which is shared and copied with its exports.
    public static func checkKeyFile(_ path: String, studyFolder: String, option: String = "--key-file") throws {
        guard !path.isEmpty else { throw UsageError(option: option, value: "", message: "is empty; name the file holding the key") }
        if isWithin(real(path), real(studyFolder)) {
            throw UsageError(option: option, value: path, message: "is inside the study folder; keep the key outside it, where the "
                             + "exports and reports that are shared never carry it")
        }
    }

    /// Checks `validate --quarantine`: refused inside the study folder (its files would replace the exports), when it
    /// is or holds an input, is a file, or is a folder that is neither empty nor one holding only quarantine files.
    public static func checkQuarantineFolder(_ path: String, option: String = "--quarantine", studyFolder: String,
                                             protected: [Protected]) throws {
        try refuseEmpty(path, option: option, what: "quarantine folder")
        if places(path).contains(where: { isWithin($0, real(studyFolder)) }) {
            throw UsageError(option: option, value: path, message: "is inside the study folder, where quarantine files would overwrite "
                             + "the exports; name a folder outside it")
        }
        try refuseOverlap(path, option: option, protected: protected)
        try refuseUnnamed(path, option: option, what: "quarantine folder", dotAllowed: true)
        switch existing(path) {
        case .none: return
        case .file: throw UsageError(option: option, value: path, message: "is a file, not a folder; refusing to overwrite it")
        case .folder:
            let header = (QuarantineWriter.header.joined(separator: ",") + "\n").utf8
            let foreign = entries(path).first { name in
                guard ExportKind.allCases.contains(where: { "\($0.rawValue).csv" == name }),
                      let h = FileHandle(forReadingAtPath: ((path as NSString).expandingTildeInPath as NSString).appendingPathComponent(name)),
                      let start = try? h.read(upToCount: header.count) else { return true }
                try? h.close()
                return !start.elementsEqual(header)
            }
            if let foreign {
                throw UsageError(option: option, value: path, message: "holds \(foreign), which is not a quarantine file wardsleep wrote; "
                                 + "refusing to write into it; name a new or empty folder")
            }
        }
    }

    /// Checks `sample --out`: a new or empty folder, or with `force` any folder (files of the sample's names replaced).
    public static func checkSampleFolder(_ path: String, option: String = "--out", force: Bool) throws {
        try refuseEmpty(path, option: option, what: "folder for the sample study")
        try refuseUnnamed(path, option: option, what: "folder for the sample study", dotAllowed: true)
        switch existing(path) {
        case .none: return
        case .file: throw UsageError(option: option, value: path, message: "is a file, not a folder; refusing to overwrite it")
        case .folder:
            if !force && !entries(path).isEmpty {
                throw UsageError(option: option, value: path, message: "is not empty; pass --force to write the sample into it "
                                 + "(replacing its study.yaml and any exports of the same names)")
            }
        }
    }

    /// Checks `init DIR --from-exports EXPORTS` before anything is written: `DIR` must be a folder (or new), its
    /// study.yaml neither a link nor, without `force`, an existing file; each export copied in (`files`, when `EXPORTS`
    /// is another folder) must be new there, or byte-for-byte the file already there, and never a link.
    public static func checkDraftFolder(_ path: String, exports: String, files: [String], force: Bool, option: String = "DIR") throws {
        try refuseEmpty(path, option: option, what: "study folder")
        try refuseUnnamed(path, option: option, what: "study folder", dotAllowed: true)
        if existing(path) == .file { throw UsageError(option: option, value: path, message: "is a file, not a folder; refusing to overwrite it") }
        let yaml = (path as NSString).appendingPathComponent(StudyLoader.fileName)
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: yaml)) != nil {
            throw UsageError(option: option, value: path, message: "its study.yaml is a symbolic link; refusing to write through it")
        }
        if existing(yaml) != .none && !force {
            throw UsageError(option: option, value: path, message: "already holds a study.yaml; pass --force to replace it")
        }
        guard real(exports) != real(path) else { return }
        for name in files {
            let to = (path as NSString).appendingPathComponent(name)
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: to)) != nil
            if link || (existing(to) != .none
                        && !FileManager.default.contentsEqual(atPath: (exports as NSString).appendingPathComponent(name), andPath: to)) {
                throw UsageError(option: option, value: path,
                                 message: "already holds a different \(name); wardsleep never replaces a file it did not write")
            }
        }
    }

    /// Checks `bench --keep`: each `rows-N` folder in it must be new, empty, or one that an earlier bench wrote (only
    /// its study.yaml, marked as a benchmark study, and its hypnotics.csv), since both files are replaced.
    public static func checkBenchFolder(_ path: String, option: String = "--keep") throws {
        try refuseEmpty(path, option: option, what: "folder for the benchmark studies")
        switch existing(path) {
        case .none: return
        case .file: throw UsageError(option: option, value: path, message: "is a file, not a folder; refusing to overwrite it")
        case .folder:
            let names = Set(entries(path))
            let yaml = (path as NSString).appendingPathComponent("study.yaml")
            let marked = ((try? InputFile.readSmallFile(yaml, displayName: "study.yaml", limit: 1 << 20)) ?? nil)
                .map { String(decoding: $0, as: UTF8.self).hasPrefix("# Benchmark study (synthetic)") } ?? false
            if !names.isEmpty && !(names.isSubset(of: ["study.yaml", "hypnotics.csv"]) && marked) {
                throw UsageError(option: option, value: path, message: "holds files an earlier bench did not write; "
                                 + "choose a new or empty folder (its study.yaml and hypnotics.csv would be replaced)")
            }
        }
    }

    /// Checks every path option of a run before anything is opened or written: the key file (outside the study
    /// folder), the report folder (`--out` or `<study>/reports`) and the folder a run over the quality threshold writes
    /// beside it, and the run ledger (`--ledger` or `<study>/.wardsleep/ledger.sqlite`). `study` is the study.yaml of
    /// the run's folder when it has been loaded already.
    public static func checkRun(_ options: RunOptions, study: StudyDefinition? = nil) throws {
        let folder = options.studyFolder
        if let keyFile = options.keyFile { try checkKeyFile(keyFile, studyFolder: folder) }
        let protected = studyInputs(folder: folder, keyFile: options.keyFile, study: study)
        let ledger = options.ledger
        let out = options.reportFolder
        for (path, option) in [(out, options.outFolder == nil ? "report folder" : "--out"),
                               (StudyRun.qualityFailedFolder(out), "report folder for a run over the quality threshold")] {
            try checkReportFolder(path, option: option, protected: protected + [Protected("the run ledger", path: ledger, kind: .other)])
        }
        try checkLedger(ledger, option: options.ledgerPath == nil ? "run ledger" : "--ledger", protected: protected, reportFolder: out)
        try checkLedger(ledger, option: options.ledgerPath == nil ? "run ledger" : "--ledger", protected: [],
                        reportFolder: StudyRun.qualityFailedFolder(out))
        // Nor the folder a run without --out writes: every such run would find a file in its way.
        let defaultOut = (real(folder) as NSString).appendingPathComponent(StudyRun.defaultReportFolderName)
        if options.outFolder != nil, real(out) != real(defaultOut) {
            for report in [defaultOut, StudyRun.qualityFailedFolder(defaultOut)] where places(ledger).contains(real(report)) {
                throw UsageError(option: "--ledger", value: ledger, message: "is the folder a run of this study without --out writes its "
                                 + "report to (\(report)); name a file elsewhere, e.g. \(RunLedger.defaultPath)")
            }
        }
    }
}
