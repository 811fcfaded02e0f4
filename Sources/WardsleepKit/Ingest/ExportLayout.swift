import Synchronization

/// The header and settings every row of one export shares, held once by reference. Immutable once made (so it can be
/// shared by the workers).
final class ExportLayout: @unchecked Sendable {
    let header: ExportHeader
    let spec: ExportSpec
    /// Where two-digit years start (`two_digit_years`), or `nil` when they are refused.
    let twoDigitYears: Int?
    /// The column plan: each canonical field the header has, with its column, resolved once. A field name is found by
    /// its length and its first byte (for the short literals normalisers name fields with, read without touching any
    /// heap memory), which pick one of 64 buckets; a bucket lists the few names that share it, each
    /// compared in full. The entries live in memory owned by the layout, so a lookup retains nothing.
    private let plan: UnsafeMutableBufferPointer<(field: String, column: Int)>
    /// For each bucket, the first plan entry in it (-1: none) and how many follow it in `plan`.
    private let buckets: UnsafeMutableBufferPointer<(first: Int, count: Int)>
    /// The column of each field by its `FieldName.id` (-1: none), up to the highest id among the header's fields.
    private let columnsByID: UnsafeMutableBufferPointer<Int>

    /// The header's number of fields, and its first label trimmed and lower-cased: every row is checked against them,
    /// so they are held here rather than read out of the header (which would retain its arrays) on every row.
    let width: Int
    let firstLabel: UnsafeMutableBufferPointer<UInt8>
    /// The column of the row's date (`date`, `datetime` or `night`; -1 when the export has none), where a line inside
    /// a quoted field must hold a date to read as a swallowed row (`UnbalancedQuote`).
    let dateColumn: Int
    /// For each column, whether a control character in it makes the row damaged (`CSVRecordView.firstControlCharacter`):
    /// the columns a field reads as a label, code, number, date or identifier. Free text (`freeTextFields`) is redacted
    /// and shown without control characters, and a column no field reads (`unreadFields`, or one study.yaml maps to no
    /// field) is never looked at.
    /// (Held in memory the layout owns, as `firstLabel` is, so that asking for it on every row retains nothing.)
    let controlChecked: UnsafeMutableBufferPointer<Bool>

    /// Fields of free text: a stray control character in one is dropped where the text is shown, not a damaged row.
    static let freeTextFields: Set<String> = ["description", "text", "activity", "evidence"]
    /// Fields an export may have that nothing reads (the observation log's `staff`: mapped so that it is known, never
    /// read, so that no staff name reaches any output).
    static let unreadFields: Set<String> = ["staff"]

    init(header: ExportHeader, spec: ExportSpec) {
        self.header = header
        self.spec = spec
        var checked = Array(repeating: false, count: header.labels.count)
        for (field, column) in header.index
        where column < checked.count && !ExportLayout.freeTextFields.contains(field) && !ExportLayout.unreadFields.contains(field) {
            checked[column] = true
        }
        controlChecked = .allocate(capacity: checked.count)
        _ = controlChecked.initialize(from: checked)
        twoDigitYears = spec.twoDigitYears
        width = header.labels.count
        dateColumn = header.index["date"] ?? header.index["datetime"] ?? header.index["night"] ?? -1
        firstLabel = .allocate(capacity: header.firstLabelBytes.count)
        _ = firstLabel.initialize(from: header.firstLabelBytes)
        let columns = header.index.sorted { (ExportLayout.bucket($0.key), $0.value) < (ExportLayout.bucket($1.key), $1.value) }
        plan = .allocate(capacity: columns.count)
        buckets = .allocate(capacity: 64)
        buckets.initialize(repeating: (-1, 0))
        for (i, entry) in columns.enumerated() {
            (plan.baseAddress! + i).initialize(to: (entry.key, entry.value))
            let b = ExportLayout.bucket(entry.key)
            if buckets[b].first < 0 { buckets[b].first = i }
            buckets[b].count += 1
        }
        let ids = header.index.map { (FieldName.id(of: $0.key), $0.value) }
        columnsByID = .allocate(capacity: (ids.map(\.0).max() ?? -1) + 1)
        columnsByID.initialize(repeating: -1)
        for (id, column) in ids { columnsByID[id] = column }
    }

    deinit {
        _ = plan.deinitialize()
        plan.deallocate()
        buckets.deallocate()
        columnsByID.deallocate()
        firstLabel.deallocate()
        controlChecked.deallocate()
    }

    /// The bucket of a field name: its length and its first byte, mixed. (The first byte by subscript: `utf8.first` went
    /// through a call to a library's copy of `Collection.first`, on every field of every row.)
    @inline(__always) static func bucket(_ field: String) -> Int {
        let utf8 = field.utf8
        let first = utf8.isEmpty ? 0 : utf8[utf8.startIndex]
        return (utf8.count &* 7 &+ Int(first) &* 3) & 63
    }

    /// The column of `field`, or `nil` when the export has none (for a literal, its bucket is worked out at compile time).
    @inline(__always) func column(_ field: String) -> Int? {
        let b = buckets[ExportLayout.bucket(field)]
        guard b.first >= 0 else { return nil }
        for i in b.first..<(b.first + b.count) where plan[i].field == field { return plan[i].column }
        return nil
    }

    /// The column of `field`, or -1 when the export has none. (A field of the header has an id below the table's end:
    /// the layout registered it when it was made.)
    @inline(__always) func column(_ field: FieldName) -> Int { field.id < columnsByID.count ? columnsByID[field.id] : -1 }
}

/// A field name with a small number of its own, for a normaliser to read a field by: its column is then one load
/// from the layout (`ExportLayout.column(_:)`), not a search comparing names. Ids are handed out once per distinct name
/// for the life of the process, so a name has the same id in every layout.
struct FieldName: Sendable {
    let name: String
    let id: Int

    init(_ name: String) {
        self.name = name
        id = FieldName.id(of: name)
    }

    private static let ids = Mutex<[String: Int]>([:])

    /// The id of `name`, given it the first time it is asked for.
    static func id(of name: String) -> Int {
        ids.withLock { ids in
            if let id = ids[name] { return id }
            ids[name] = ids.count
            return ids.count - 1
        }
    }
}
