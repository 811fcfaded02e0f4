/// Evidence of the order an export writes its slash dates in: dates that can only be day first (`25/03/2019`) or only
/// month first (`03/25/2019`), counted, with the first of each kind. A file whose only evidence contradicts
/// `date_format` is a configuration error, not thousands of quarantined rows and silently swapped days ≤ 12.
struct DateEvidence: Sendable {
    /// Dates whose first part is above 12 (day first).
    var dayFirst = 0
    /// Dates whose second part is above 12 (month first).
    var monthFirst = 0
    /// The first of each: line, field and value.
    var firstDayFirst: (line: Int, field: String, value: String)?
    var firstMonthFirst: (line: Int, field: String, value: String)?
    /// Which first examples are still wanted.
    var examplesWanted = Wanted.both

    /// Which kinds still want a first example.
    struct Wanted {
        var dayFirst: Bool, monthFirst: Bool
        static let both = Wanted(dayFirst: true, monthFirst: true)
    }

    /// What later rows should still make an example of: the kinds this evidence has no example of yet.
    var stillWanted: Wanted { Wanted(dayFirst: firstDayFirst == nil, monthFirst: firstMonthFirst == nil) }

    /// Notes one date cell (no allocation unless it is the first evidence of its kind in the file so far).
    @inline(__always) mutating func note(_ bytes: some FieldByteCollection, line: Int, field: String) {
        if let order = FieldParsing.evidentOrder(bytes) { note(order, bytes, line: line, field: field) }
    }

    /// Notes a date cell that can only be read in `order`.
    mutating func note(_ order: DateOrder, _ bytes: some FieldByteCollection, line: Int, field: String) {
        switch order {
        case .dmy:
            dayFirst += 1
            if examplesWanted.dayFirst, firstDayFirst == nil { firstDayFirst = (line, field, String(decoding: bytes, as: UTF8.self)) }
        case .mdy:
            monthFirst += 1
            if examplesWanted.monthFirst, firstMonthFirst == nil {
                firstMonthFirst = (line, field, String(decoding: bytes, as: UTF8.self))
            }
        case .iso: break
        }
    }

    /// Adds evidence found later in the file.
    mutating func merge(_ later: DateEvidence) {
        dayFirst += later.dayFirst
        monthFirst += later.monthFirst
        if firstDayFirst == nil { firstDayFirst = later.firstDayFirst }
        if firstMonthFirst == nil { firstMonthFirst = later.firstMonthFirst }
    }

    /// The file-level error when every date that tells the orders apart contradicts `order`; `nil` otherwise (a file
    /// with evidence both ways keeps its per-row problems).
    func contradiction(of order: DateOrder, file: String, header: ExportHeader, spec: ExportSpec) -> ConfigurationError? {
        let (count, first, written, other): (Int, (line: Int, field: String, value: String)?, String, DateOrder)
        switch order {
        case .dmy where dayFirst == 0: (count, first, written, other) = (monthFirst, firstMonthFirst, "month first (mm/dd/yyyy)", .mdy)
        case .mdy where monthFirst == 0: (count, first, written, other) = (dayFirst, firstDayFirst, "day first (dd/mm/yyyy)", .dmy)
        default: return nil
        }
        guard count > 0, let first else { return nil }
        let column = header.index[first.field].map { header.labels[$0] } ?? spec.header(for: first.field)
        let part = order == .dmy ? "second" : "first"
        return ConfigurationError(
            file: file, keyPath: "date_format", line: first.line,
            message: "this export writes its dates \(written), not \(order.pattern) as study.yaml says: "
                + "\(NumberFormat.grouped(count)) \(count == 1 ? "date has" : "dates have") a \(part) part above 12 "
                + "(the first on line \(first.line), column \"\(column)\": \"\(first.value)\") and none can only be read "
                + "\(order.pattern); set date_format: \(other.rawValue) in study.yaml (or exports.\(spec.kind.rawValue).date_format: "
                + "\(other.rawValue) for this export alone)")
    }
}
