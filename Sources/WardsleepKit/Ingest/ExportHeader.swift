/// The header row of an export matched against the canonical fields the study maps (case and white space ignored).
public struct ExportHeader: Sendable {
    /// Column index of each mapped canonical field present in the file.
    public let index: [String: Int]
    /// The header labels as they appear in the file.
    public let labels: [String]
    /// Columns in the file that no field uses.
    public let unused: [String]
    /// The first label, trimmed and ASCII lower-cased, for a cheap test whether a row repeats the header.
    let firstLabelBytes: [UInt8]

    /// Matches `labels` against `spec`. A required field whose header is missing is a `ConfigurationError` naming the
    /// study.yaml key to set and the headers that were found; but when the labels look like a data row (a headerless
    /// export), an `InputError` naming only the columns expected, never the values found (they may identify a patient).
    public init(labels: [String], spec: ExportSpec, file: String) throws {
        self.labels = labels
        if let mismatch = HeaderNames.kindMismatch(labels, spec: spec) { throw mismatch }
        var positions: [String: [Int]] = [:]
        for (i, label) in labels.enumerated() { positions[Slug.normaliseLabel(label), default: []].append(i) }
        var index: [String: Int] = [:]
        var used = Set<Int>()
        for field in spec.fields {
            let wanted = spec.header(for: field.name)
            guard let found = positions[Slug.normaliseLabel(wanted)] else {
                if field.required {
                    if ExportHeader.looksLikeData(labels) {
                        let missing = spec.fields.filter { $0.required && positions[Slug.normaliseLabel(spec.header(for: $0.name))] == nil }
                        throw InputError(file: file, message: "no header row: the first row does not name the columns study.yaml "
                                             + "expects and looks like data (its values are not shown: they may identify a patient); "
                                             + "expected a header with the columns "
                                             + missing.map { "\"\(spec.header(for: $0.name))\"" }.joined(separator: ", "))
                    }
                    let key = "exports.\(spec.kind.rawValue).columns.\(field.name)"
                    let mapped = spec.columns[field.name] != nil ? "as study.yaml \(key) says" : "(set \(key) to map it)"
                    throw ConfigurationError(
                        file: file, keyPath: key, line: 1,
                        message: "no column \"\(wanted)\" for the required field \(field.name) \(mapped); the header has: "
                            + labels.map { "\"\($0)\"" }.joined(separator: ", ") + ExportHeader.delimiterHint(labels))
                }
                continue
            }
            guard found.count == 1 else {
                throw ConfigurationError(file: file, keyPath: "exports.\(spec.kind.rawValue).columns.\(field.name)", line: 1,
                                         message: "the column \"\(wanted)\" appears \(found.count) times in the header; it must be unique")
            }
            index[field.name] = found[0]
            used.insert(found[0])
        }
        self.index = index
        firstLabelBytes = ArraySlice(Array((labels.first ?? "").utf8)).trimmingWhitespace().map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        unused = labels.enumerated().filter { !used.contains($0.offset) }.map(\.element)
    }

    /// Whether header labels look like a row of data rather than column names: a label holding a line break, longer
    /// than 64 characters (a narrative), with 8 digits or more (an NHS number, a date and time), or made of digits and
    /// separators only (a number, date, time or telephone number).
    static func looksLikeData(_ labels: [String]) -> Bool {
        labels.contains { label in
            var digits = 0, others = 0, characters = 0
            for u in label.unicodeScalars {
                characters += 1
                if u == "\n" || u == "\r" { return true }
                if u >= "0" && u <= "9" { digits += 1 } else if !" /-:.,+()£$€%".unicodeScalars.contains(u) { others += 1 }
            }
            return characters > 64 || digits >= 8 || (digits > 0 && others == 0)
        }
    }

    /// When a header read as one or two columns holds semicolons or tabs between its labels, the file was saved with
    /// another separator (Excel does so in many locales): what to do about it; otherwise nothing.
    static func delimiterHint(_ labels: [String]) -> String {
        guard labels.count <= 2, let text = labels.first else { return "" }
        for (mark, name) in [(";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")] where text.components(separatedBy: mark).count >= 3 {
            return "; the columns look separated by \(name), not commas: save the export as comma-separated CSV (CSV UTF-8 in Excel)"
        }
        return ""
    }
}
