import Foundation
import Yams

/// Reads `study.yaml` into a `StudyDefinition`. Every problem is a `ConfigurationError` naming the key path and line.
public enum StudyLoader {
    /// The file name of the study definition inside a study folder.
    public static let fileName = "study.yaml"

    /// Loads `<folder>/study.yaml`.
    public static func load(folder: String) throws -> StudyDefinition {
        let path = (folder as NSString).appendingPathComponent(fileName)
        if !PathGuard.isWithin(PathGuard.real(path), PathGuard.real(folder)) {
            throw ConfigurationError(file: fileName, keyPath: "", message: "is a link to a file outside the study folder; copy it into the folder")
        }
        guard let data = try InputFile.readSmallFile(path, displayName: fileName) else {
            let why = FileManager.default.fileExists(atPath: folder)
                ? "not found in \(folder); `wardsleep init \(folder)` writes a commented template"
                : "the study folder \(folder) does not exist"
            throw ConfigurationError(file: fileName, keyPath: "", message: why)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw notUTF8(data, file: fileName) }
        return try parse(text, file: fileName)
    }

    /// The error for a YAML file that is not UTF-8: where the first byte that is not, and what to do.
    static func notUTF8(_ data: Data, file: String) -> ConfigurationError {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || (bytes.count > 1 && bytes[1] == 0) {
            return ConfigurationError(file: file, keyPath: "", message: "is UTF-16 text; save it as UTF-8")
        }
        // The first line holding a byte that is not UTF-8 (a Windows-1252 é, say): valid lines decode on their own.
        var line = 1, start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A || i == bytes.count - 1 {
            let end = b == 0x0A ? i : i + 1
            if String(bytes: bytes[start..<end], encoding: .utf8) == nil {
                let shown = bytes[start..<end].first { $0 >= 0x80 }.map { String(format: "0x%02X", $0) } ?? "a byte"
                return ConfigurationError(file: file, keyPath: "", line: line,
                                          message: "is not UTF-8 text: this line has \(shown), which UTF-8 does not allow here (Windows-1252?); "
                                              + "save the file as UTF-8")
            }
            line += 1
            start = i + 1
        }
        return ConfigurationError(file: file, keyPath: "", message: "is not UTF-8 text; save it as UTF-8")
    }

    /// Parses the text of a study.yaml; `file` names it in messages.
    public static func parse(_ text: String, file: String = fileName) throws -> StudyDefinition {
        guard let node = try YAMLDocument.compose(text, file: file) else {
            throw ConfigurationError(file: file, keyPath: "", message: "is empty; expected at least study, periods and wards")
        }
        let raw: StudyFile
        do {
            raw = try NodeDecoder.decode(StudyFile.self, from: node)
        } catch let error as DecodingError {
            throw translate(error, node: node, file: file)
        }
        var builder = StudyBuilder(file: file, root: node)
        return try builder.build(raw)
    }

    static func translate(_ error: DecodingError, node: Node, file: String) -> ConfigurationError {
        let (path, message): ([CodingKey], String)
        switch error {
        case .typeMismatch(let type, let ctx):
            path = ctx.codingPath
            message = "expected \(describe(type))\(found(at: ctx.codingPath, in: node))"
        case .valueNotFound(let type, let ctx):
            path = ctx.codingPath
            message = "expected \(describe(type)), found nothing"
        case .keyNotFound(let key, let ctx):
            path = ctx.codingPath + [key]
            message = "is required"
        case .dataCorrupted(let ctx):
            path = ctx.codingPath
            message = ctx.debugDescription.hasPrefix("unknown") ? ctx.debugDescription
                : "expected a different kind of value: \(ctx.debugDescription)"
        @unknown default:
            path = []
            message = "\(error)"
        }
        return ConfigurationError(file: file, keyPath: keyPath(path), line: line(of: path, in: node), message: message)
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "text"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") || name.hasSuffix("File") { return "a mapping of keys to values" }
            return "a \(name)"
        }
    }

    static func found(at path: [CodingKey], in node: Node) -> String {
        guard let n = self.node(at: path, in: node) else { return "" }
        switch n {
        case .scalar(let s): return ", found \"\(s.string)\""
        case .sequence: return ", found a list"
        case .mapping: return ", found a mapping"
        default: return ""
        }
    }

    /// `wards[3].beds` from a coding path.
    static func keyPath(_ path: [CodingKey]) -> String {
        var out = ""
        for key in path {
            if let i = key.intValue {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out
    }

    static func node(at path: [CodingKey], in root: Node) -> Node? {
        var current = root
        for key in path {
            switch current {
            case .mapping(let m):
                guard let next = m.first(where: { $0.key.string == key.stringValue })?.value else { return nil }
                current = next
            case .sequence(let s):
                guard let i = key.intValue, i >= 0, i < s.count else { return nil }
                current = s[s.startIndex.advanced(by: i)]
            default:
                return nil
            }
        }
        return current
    }

    /// The 1-based line of the node a key path leads to, or of the key itself for an unknown key.
    static func line(of path: [CodingKey], in root: Node) -> Int? {
        var p = path
        while !p.isEmpty {
            if let n = node(at: p, in: root), let mark = n.mark {
                if case .mapping(let m) = node(at: Array(p.dropLast()), in: root) ?? root,
                   let keyNode = m.first(where: { $0.key.string == p.last!.stringValue })?.key, let km = keyNode.mark {
                    return km.line
                }
                return mark.line
            }
            p.removeLast()
        }
        return nil
    }

    static func yamlErrorLine(_ e: YamlError) -> Int? {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        default: return nil
        }
    }

    static func yamlErrorText(_ e: YamlError) -> String {
        switch e {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        case .duplicatedKeysInMapping(let keys, _):
            return "\(keys.map { "\"\($0)\"" }.joined(separator: ", ")) given more than once in the same mapping"
        default: return "\(e)"
        }
    }
}

/// Turns the raw study file into a checked `StudyDefinition`, filling defaults.
struct StudyBuilder {
    let file: String
    let root: Node

    func fail(_ path: String, _ message: String) -> ConfigurationError {
        let keys: [CodingKey] = path.split(separator: ".").flatMap { part -> [CodingKey] in
            var keys: [CodingKey] = []
            var name = String(part)
            var indices: [Int] = []
            while let open = name.lastIndex(of: "["), let close = name.lastIndex(of: "]"), open < close {
                if let i = Int(name[name.index(after: open)..<close]) { indices.insert(i, at: 0) }
                name = String(name[..<open])
            }
            keys.append(AnyCodingKey(stringValue: name))
            keys += indices.map { AnyCodingKey(intValue: $0) }
            return keys
        }
        return ConfigurationError(file: file, keyPath: path, line: StudyLoader.line(of: keys, in: root), message: message)
    }

    mutating func build(_ raw: StudyFile) throws -> StudyDefinition {
        let version = raw.version ?? 1
        guard version == 1 else { throw fail("version", "expected 1, the only study.yaml version there is, found \(version)") }
        guard let name = raw.study?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw fail("study", "is required: the study's name, e.g. \"SleepWell pilot\"")
        }
        guard let periodsFile = raw.periods else { throw fail("periods", "is required: baseline and pilot, each with from and to dates") }
        guard let b = periodsFile.baseline else { throw fail("periods.baseline", "is required, e.g. { from: 2018-01-01, to: 2018-08-31 }") }
        guard let p = periodsFile.pilot else { throw fail("periods.pilot", "is required, e.g. { from: 2019-01-01, to: 2019-08-31 }") }
        let periods = StudyPeriods(baseline: try range(b, "periods.baseline"), pilot: try range(p, "periods.pilot"))
        try checkOrder(periods, "periods")

        var dateFormat = DateOrder.dmy
        if let f = raw.date_format {
            guard let d = DateOrder(rawValue: f.lowercased()) else { throw fail("date_format", "expected dmy, mdy or iso, found \"\(f)\"") }
            dateFormat = d
        }

        var window = ProtectedWindow.default
        if let w = raw.protected_window {
            window = ProtectedWindow(start: try clock(w.start, "protected_window.start", default: window.start),
                                     end: try clock(w.end, "protected_window.end", default: window.end))
            guard window.start != window.end else { throw fail("protected_window", "start and end are the same time; the window would be empty") }
        }

        guard let wardFiles = raw.wards, !wardFiles.isEmpty else {
            throw fail("wards", "is required: a list of wards, each with id, name, type and beds")
        }
        var wards: [WardDefinition] = []
        var labels: [String: String] = [:], ids: [String: Int] = [:]
        for (i, w) in wardFiles.enumerated() {
            let at = "wards[\(i)]"
            guard let id = w.id?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { throw fail(at, "needs an id, e.g. A1") }
            if let first = ids.updateValue(i, forKey: WardDefinition.normalisedLabel(id)) {
                throw fail("\(at).id", "ward id \(id) is already the id of wards[\(first)]; each ward needs an id of its own")
            }
            guard let beds = w.beds else { throw fail("\(at).beds", "is required: the number of beds on ward \(id)") }
            guard (1...PlausibleLimits.beds).contains(beds) else {
                throw fail("\(at).beds", "expected a number of beds from 1 to \(NumberFormat.grouped(PlausibleLimits.beds)), found \(beds)")
            }
            var overrides = PeriodOverrides()
            if let wp = w.periods {
                if let wb = wp.baseline { overrides.baseline = try range(wb, "\(at).periods.baseline") }
                if let wpp = wp.pilot { overrides.pilot = try range(wpp, "\(at).periods.pilot") }
            }
            let ward = WardDefinition(id: id, name: w.name ?? id, type: w.type ?? "unspecified", beds: beds, cbti: w.cbti ?? false,
                                      aliases: w.aliases ?? [], periods: overrides)
            try checkOrder(StudyPeriods(baseline: overrides.baseline ?? periods.baseline, pilot: overrides.pilot ?? periods.pilot), "\(at).periods")
            for label in Set([ward.id, ward.name] + ward.aliases).map(WardDefinition.normalisedLabel) {
                if let other = labels[label], other != id {
                    throw fail(at, "ward \(id) and ward \(other) both answer to \"\(label)\"; ids, names and aliases must be unique")
                }
                labels[label] = id
            }
            wards.append(ward)
        }

        var exports = ExportSettings()
        for (kind, e) in raw.exports?.byKind ?? [:] {
            exports.byKind[kind] = try exportSpec(kind, e)
        }

        var disclosure = DisclosurePolicy()
        if let d = raw.disclosure {
            if let s = d.suppress_at_or_below {
                guard (0...PlausibleLimits.disclosure).contains(s) else {
                    throw fail("disclosure.suppress_at_or_below", "expected 0 to \(NumberFormat.grouped(PlausibleLimits.disclosure)), found \(s)")
                }
                disclosure.suppressAtOrBelow = s
            }
            if let r = d.round_to {
                guard (1...PlausibleLimits.disclosure).contains(r) else {
                    throw fail("disclosure.round_to", "expected 1 (no rounding) to \(NumberFormat.grouped(PlausibleLimits.disclosure)), found \(r)")
                }
                disclosure.roundTo = r
            }
        }

        var spc = SPCSettings()
        if let s = raw.spc {
            if let v = s.interval {
                guard ["month", "week"].contains(v) else { throw fail("spc.interval", "expected month or week, found \"\(v)\"") }
                spc.interval = v
            }
            if let v = s.shift {
                guard (5...12).contains(v) else { throw fail("spc.shift", "expected 5 to 12 points, found \(v)") }
                spc.shift = v
            }
            if let v = s.trend {
                guard (5...12).contains(v) else { throw fail("spc.trend", "expected 5 to 12 points, found \(v)") }
                spc.trend = v
            }
            if let v = s.two_in_three {
                guard ["mdc2023", "legacy"].contains(v) else { throw fail("spc.two_in_three", "expected mdc2023 or legacy, found \"\(v)\"") }
                spc.twoInThree = v
            }
            if let v = s.screen_outliers { spc.screenOutliers = v }
        }

        var quality = QualitySettings()
        if let q = raw.quality?.max_quarantined_percent {
            guard (0...100).contains(q) else { throw fail("quality.max_quarantined_percent", "expected a percentage from 0 to 100, found \(q)") }
            quality.maxQuarantinedPercent = q
        }

        var roles: [String: StakeholderRole] = [:]
        for (label, value) in raw.involvement_roles ?? [:] {
            guard let role = StakeholderRole(rawValue: value) else {
                throw fail("involvement_roles.\(label)",
                           "expected one of \(StakeholderRole.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(value)\"")
            }
            roles[Slug.normaliseLabel(label)] = role
        }

        var definition = StudyDefinition(version: version, study: name, organisation: raw.organisation, protectedWindow: window,
                                         dateFormat: dateFormat, periods: periods, wards: wards, exports: exports,
                                         disclosure: disclosure, spc: spc, quality: quality, involvementRoles: roles,
                                         synthetic: raw.synthetic ?? false)
        for (i, label) in (raw.exclude_wards ?? []).enumerated() {
            let n = WardDefinition.normalisedLabel(label)
            guard !n.isEmpty else { throw fail("exclude_wards[\(i)]", "is empty; expected the ward label an export uses") }
            if let w = definition.wardIndex(matching: label) {
                throw fail("exclude_wards[\(i)]", "\"\(label)\" is ward \(wards[w].id) of the evaluation; a ward cannot be both in it and excluded")
            }
            definition.excludedWards.insert(n)
        }
        if let f = raw.formulary { definition.formulary = try formulary(f) }
        if let f = raw.feedback {
            if let c = f.codebook, c.hasPrefix("/") || c.split(separator: "/").contains("..") {
                throw fail("feedback.codebook", "\"\(c)\" is outside the study folder; the codebook is read from the study folder only")
            }
            definition.feedback = FeedbackSettings(codebook: f.codebook, names: f.names ?? [])
        }
        return definition
    }

    func range(_ r: RangeFile, _ at: String) throws -> DayRange {
        guard let f = r.from else { throw fail("\(at).from", "is required: the first day, yyyy-mm-dd") }
        guard let t = r.to else { throw fail("\(at).to", "is required: the last day (inclusive), yyyy-mm-dd") }
        let from = try day(f, "\(at).from"), to = try day(t, "\(at).to")
        guard from <= to else { throw fail(at, "from (\(from.iso)) is after to (\(to.iso))") }
        return DayRange(from: from, to: to)
    }

    func day(_ s: String, _ at: String) throws -> CalendarDay {
        do {
            return try FieldParsing.date(ArraySlice(Array(s.trimmingCharacters(in: .whitespaces).utf8)), order: .dmy)
        } catch {
            throw fail(at, "expected a date yyyy-mm-dd, found \"\(s)\" (\(error.reason))")
        }
    }

    func clock(_ s: String?, _ at: String, default d: ClockTime) throws -> ClockTime {
        guard let s else { return d }
        do {
            return try FieldParsing.time(ArraySlice(Array(s.trimmingCharacters(in: .whitespaces).utf8)))
        } catch {
            throw fail(at, "expected a time \"HH:MM\", found \"\(s)\"")
        }
    }

    func checkOrder(_ p: StudyPeriods, _ at: String) throws {
        if p.baseline.clamped(to: p.pilot) != nil {
            throw fail(at, "the baseline (\(p.baseline)) and pilot (\(p.pilot)) periods overlap")
        }
        if p.pilot.from < p.baseline.from {
            throw fail(at, "the pilot (\(p.pilot)) starts before the baseline (\(p.baseline))")
        }
    }
}
