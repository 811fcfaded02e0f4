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
    /// study.yaml key to set and the headers that were found.
    public init(labels: [String], spec: ExportSpec, file: String) throws {
        self.labels = labels
        var positions: [String: [Int]] = [:]
        for (i, label) in labels.enumerated() { positions[Slug.normaliseLabel(label), default: []].append(i) }
        var index: [String: Int] = [:]
        var used = Set<Int>()
        for field in spec.fields {
            let wanted = spec.header(for: field.name)
            guard let found = positions[Slug.normaliseLabel(wanted)] else {
                if field.required {
                    let key = "exports.\(spec.kind.rawValue).columns.\(field.name)"
                    let mapped = spec.columns[field.name] != nil ? "as study.yaml \(key) says" : "(set \(key) to map it)"
                    throw ConfigurationError(
                        file: file, keyPath: key, line: 1,
                        message: "no column \"\(wanted)\" for the required field \(field.name) \(mapped); the header has: "
                            + labels.map { "\"\($0)\"" }.joined(separator: ", "))
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
}
