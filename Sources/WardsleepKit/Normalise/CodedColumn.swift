/// One coded field of one export as a normaliser reads it: a cell's bytes → canonical value → typed value, worked out
/// once per distinct label (a `LabelCache` keyed by the bytes), so a row costs a cache probe and allocates nothing.
///
/// The row's work is done by `CodedLookup`, which is not generic: it finds the place of the label's value among the
/// column's `values`, and only the last step, reading that place, knows the type. (A generic row path was compiled
/// once for all the small enum types and reached their values through calls by pointer on every row.)
struct CodedColumn<Value> {
    /// The label lookup, in places among `values`.
    var lookup: CodedLookup
    /// The column's typed values, in the order `lookup` places them.
    let values: [Value]

    var coded: CodedField { lookup.coded }

    /// A column whose canonical values become typed values through `typed` (a canonical value it returns `nil` for is
    /// left out, so labels mapped to it are unmapped).
    init(_ coded: CodedField, spec: ExportSpec, _ typed: (String) -> Value?) {
        var t: [String: Value] = [:]
        for (label, canonical) in coded.table(adding: spec.values[coded.field] ?? [:]) {
            if let v = typed(canonical) { t[label] = v }
        }
        self.init(coded, table: t)
    }

    /// A column over a ready table (labels normalised).
    init(_ coded: CodedField, table: [String: Value]) {
        var places: [String: Int32] = [:]
        var values: [Value] = []
        for (label, v) in table.sorted(by: { $0.key < $1.key }) {
            places[label] = Int32(values.count)
            values.append(v)
        }
        lookup = CodedLookup(coded, places: places)
        self.values = values
    }

    /// The value a label maps to, or `nil` when it maps to none.
    func resolve(_ bytes: some FieldByteCollection) -> Value? { lookup.resolve(bytes).map { values[Int($0)] } }

    /// The row's value of the field: `nil` when the cell is empty (recorded as a problem when `required`) or its label
    /// is unmapped (recorded, with `CodedField.unmappedReason`).
    @inline(__always) mutating func value(_ row: inout ExportRow, required: Bool = false) -> Value? {
        let place = lookup.place(&row, required: required)
        return place < 0 ? nil : values[place]
    }
}

/// The label side of a `CodedColumn`: normalised label → place of its typed value, with a cache of the cells seen.
struct CodedLookup {
    /// The field.
    let coded: CodedField
    /// Its name, as rows look it up.
    let name: FieldName
    /// Normalised label → place among the column's values.
    let places: [String: Int32]
    /// Cell bytes → place, or -1 when the label maps to nothing.
    var cache = LabelCache<Int32>()

    init(_ coded: CodedField, places: [String: Int32]) {
        self.coded = coded
        name = FieldName(coded.field)
        self.places = places
    }

    /// The place a label's value has, or `nil` when it maps to none.
    func resolve(_ bytes: some FieldByteCollection) -> Int32? { places[Slug.normaliseLabel(TextDecoding.decode(bytes).0)] }

    /// The place of the row's value: -1 when the cell is empty (recorded as a problem when `required`) or its label
    /// is unmapped (recorded, with `CodedField.unmappedReason`).
    mutating func place(_ row: inout ExportRow, required: Bool) -> Int {
        guard let bytes = required ? row.requiredBytes(name) : row.bytes(name) else { return -1 }
        let p: Int32
        if let hit = cache.cached(bytes) {
            p = hit
        } else {
            p = resolve(bytes) ?? -1  // the shared table is touched only on a miss
            cache.store(bytes, p)
        }
        if p >= 0 { return Int(p) }
        row.reject(coded.field, coded.unmappedReason)
        return -1
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
