/// One coded field of one export as a normaliser reads it: a cell's bytes → canonical value → typed value, worked out
/// once per distinct label (a `LabelCache` keyed by the bytes), so a row costs a cache probe and allocates nothing.
struct CodedColumn<Value> {
    /// The field.
    let coded: CodedField
    /// Its name, as rows look it up.
    let name: FieldName
    /// Normalised label → typed value (defaults with the study's own labels added).
    let table: [String: Value]
    var cache = LabelCache<Value?>()

    /// A column whose canonical values become typed values through `typed` (a canonical value it returns `nil` for is
    /// left out, so labels mapped to it are unmapped).
    init(_ coded: CodedField, spec: ExportSpec, _ typed: (String) -> Value?) {
        self.coded = coded
        name = FieldName(coded.field)
        var t: [String: Value] = [:]
        for (label, canonical) in coded.table(adding: spec.values[coded.field] ?? [:]) {
            if let v = typed(canonical) { t[label] = v }
        }
        table = t
    }

    /// A column over a ready table (labels normalised).
    init(_ coded: CodedField, table: [String: Value]) {
        self.coded = coded
        name = FieldName(coded.field)
        self.table = table
    }

    /// The value a label maps to, or `nil` when it maps to none.
    func resolve(_ bytes: some FieldByteCollection) -> Value? { table[Slug.normaliseLabel(TextDecoding.decode(bytes).0)] }

    /// The row's value of the field: `nil` when the cell is empty (recorded as a problem when `required`) or its label
    /// is unmapped (recorded, with `CodedField.unmappedReason`).
    mutating func value(_ row: inout ExportRow, required: Bool = false) -> Value? {
        guard let bytes = required ? row.requiredBytes(name) : row.bytes(name) else { return nil }
        let v: Value?
        if let hit = cache.cached(bytes) {
            v = hit
        } else {
            v = resolve(bytes)  // the shared table is touched only on a miss
            cache.store(bytes, v)
        }
        if let v { return v }
        row.reject(coded.field, coded.unmappedReason)
        return nil
    }
}

/// A yes/no flag: `nil` for a value mapped to unknown (not recorded).
enum FlagValue: Sendable {
    case yes, no, unknown

    init?(canonical: String) {
        switch canonical {
        case "yes": self = .yes
        case "no": self = .no
        case "unknown": self = .unknown
        default: return nil
        }
    }

    /// true, false, or `nil` for unknown.
    var bool: Bool? { self == .unknown ? nil : self == .yes }
}

/// A multi-valued coded field (`decided_by`): each part of a cell mapped on its own, once per distinct cell.
struct CodedListColumn {
    let coded: CodedField
    let table: [String: String]
    /// The canonical values, or the first part that maps to nothing.
    var cache = LabelCache<Result<DecisionRoles, UnmappedPart>>()

    /// The first unmapped part of a cell.
    struct UnmappedPart: Error { let label: String }

    init(_ coded: CodedField, spec: ExportSpec) {
        self.coded = coded
        table = coded.table(adding: spec.values[coded.field] ?? [:])
    }

    /// The canonical roles a cell names; none when the cell is empty. A part that maps to nothing is recorded as a
    /// problem (showing that part) and the row gets `nil`.
    mutating func values(_ row: inout ExportRow) -> DecisionRoles? {
        guard let bytes = row.bytes(coded.field) else { return DecisionRoles() }
        let table = self.table
        let result = cache.value(for: bytes) { b -> Result<DecisionRoles, UnmappedPart> in
            var out: [String] = []
            for part in CodedField.split(TextDecoding.decode(b).0) {
                guard let v = table[Slug.normaliseLabel(part)] else { return .failure(UnmappedPart(label: part)) }
                out.append(v)
            }
            return .success(DecisionRoles(out))
        }
        switch result {
        case .success(let v): return v
        case .failure(let part):
            row.reject(coded.field, coded.unmappedReason, value: part.label)
            return nil
        }
    }
}
