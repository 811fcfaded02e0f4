/// One data row of an export, read through its header. Typed accessors return `nil` and record a `DataProblem` when
/// a value cannot be used; a row with any problem is quarantined instead of becoming a record.
public struct ExportRow {
    /// The record libcsv produced, lent for as long as the row is normalised: fields are read as views into it.
    public let record: CSVRecordView
    /// The layout, borrowed: it outlives every row read through it (`withRow` holds it), and rows on several threads
    /// share it, so taking a reference per row would make the threads contend for its reference count.
    private let borrowedLayout: Unmanaged<ExportLayout>
    /// The layout, for the paths a problem takes (a reference is taken only there).
    var layout: ExportLayout { borrowedLayout.takeUnretainedValue() }
    /// The problems found so far in this row (none for nearly every row: kept as `nil` then, so a clean row holds no
    /// array to release).
    private var found: [DataProblem]?
    /// The problems found so far in this row.
    public var problems: [DataProblem] { found ?? [] }
    /// Whether no problem has been found in this row.
    @inline(__always) public var isClean: Bool { found == nil }
    /// The encodings fields of this row needed (for the manifest).
    public private(set) var sawWindows1252 = false
    /// The rows read this row stands for: 1, or every line an unbalanced quote swallowed into it.
    public private(set) var rows = 1
    /// Blank lines inside the unbalanced quote this row is, if it is one (counted as blank lines, not rows).
    private(set) var swallowedBlankLines = 0
    /// Why the whole row is kept out of the analysis by design (a ward in `exclude_wards`), if it is: such a row is
    /// counted as accepted and set aside, never quarantined, whatever else is wrong with it.
    public private(set) var setAsideReason: String?
    /// Slash dates in this row that can only be read day first, or only month first.
    var dateEvidence = DateEvidence()
    /// The reader's last date in a common layout, lent for the row (see `FieldParsing.commonDateTime`); `nil`: none.
    private let dayMemo: UnsafeMutablePointer<DayMemo>?

    private init(record: CSVRecordView, layout: Unmanaged<ExportLayout>, dayMemo: UnsafeMutablePointer<DayMemo>?) {
        self.record = record
        borrowedLayout = layout
        self.dayMemo = dayMemo
    }

    /// Calls `body` with the row of `record`. The row lends its fields as views into the record's bytes, valid only
    /// during the call: the row must not outlive it, and anything kept from a field copies its bytes.
    /// `examplesWanted` says which kinds of telling date the rows before this one have not yet shown an example of: a
    /// row writes out an example's text only when it is the first of its kind (not on every row with such a date).
    /// `dayMemo`, the reader's own, remembers the last date read in a common layout from one row to the next.
    static func withRow<R>(_ record: CSVRecordView, layout: ExportLayout, examplesWanted: DateEvidence.Wanted = .both,
                           dayMemo: UnsafeMutablePointer<DayMemo>? = nil, _ body: (inout ExportRow) throws -> R) rethrows -> R {
        try withExtendedLifetime(layout) {
            var row = ExportRow(record: record, layout: .passUnretained(layout), dayMemo: dayMemo)
            row.dateEvidence.examplesWanted = examplesWanted
            return try body(&row)
        }
    }

    /// The column of `field`, looked up in the borrowed layout.
    @inline(__always) private func column(_ field: String) -> Int? {
        borrowedLayout._withUnsafeGuaranteedRef { $0.column(field) }
    }

    /// The trimmed bytes of a field named by a `FieldName`: its column is one load from the layout.
    @inline(__always) func bytes(_ field: FieldName) -> FieldBytes? {
        let i = borrowedLayout._withUnsafeGuaranteedRef { $0.column(field) }
        guard i >= 0, i < record.fieldCount else { return nil }
        return record.trimmedField(i)
    }

    /// A required field named by a `FieldName`, recording "empty required field" when missing.
    @inline(__always) mutating func requiredBytes(_ field: FieldName) -> FieldBytes? {
        guard let b = bytes(field) else { return missing(field.name) }
        return b
    }

    var header: ExportHeader { layout.header }
    var spec: ExportSpec { layout.spec }
    var file: String { layout.spec.file }

    /// The 1-based line the row starts on.
    public var line: Int { record.line }

    /// Whether the export has a column for `field`.
    @inline(__always) public func has(_ field: String) -> Bool { column(field) != nil }

    /// Whether the export has a column for `field`.
    @inline(__always) func has(_ field: FieldName) -> Bool { borrowedLayout._withUnsafeGuaranteedRef { $0.column(field) } >= 0 }

    /// The trimmed bytes of `field`, or `nil` when the column is absent or the cell is empty.
    /// The view is valid only while the row is (inside `withRow`).
    @inline(__always) public func bytes(_ field: String) -> FieldBytes? {
        guard let i = column(field), i < record.fieldCount else { return nil }
        return record.trimmedField(i)
    }

    private mutating func add(_ problem: DataProblem) {
        if found == nil { found = [problem] } else { found!.append(problem) }
    }

    /// Records a problem with `field` (or the whole row when `field` is empty).
    public mutating func reject(_ field: String, _ reason: String, value: String? = nil) {
        reject(field, reason, value: value, column: header.index[field].map { header.labels[$0] } ?? (field.isEmpty ? "" : spec.header(for: field)))
    }

    /// Records a problem with the cell in column `index` (0-based), naming the column whether or not study.yaml reads
    /// it; its value is shown only when it is a field wardsleep reads (an unread column may hold anything).
    private mutating func reject(column index: Int, _ reason: String) {
        let field = header.index.first { $0.value == index }?.key ?? ""
        reject(field, reason, value: field.isEmpty ? "" : nil, column: columnLabel(index))
    }

    /// The header's label of column `index` (0-based), or its number for a field past the header's.
    private func columnLabel(_ index: Int) -> String {
        index < header.labels.count ? header.labels[index] : "\(index + 1)"
    }

    private mutating func reject(_ field: String, _ reason: String, value: String?, column: String) {
        let shown = ExportRow.shown(value ?? bytes(field).map { TextDecoding.decode($0).0 } ?? "", field: field)
        add(DataProblem(export: spec.kind, file: file, line: line, column: column, field: field, value: shown, reason: reason))
    }

    /// A field's value as a problem shows it: withheld for identifiers and free text, redacted unless it is a date or
    /// time, control characters made visible, at most 80 characters. Each distinct value is worked out once
    /// (`ShownValues`).
    static func shown(_ value: String, field: String) -> String {
        ShownValues.shared.shown(value, field: field, showing)
    }

    /// `shown`, worked out.
    static func showing(_ value: String, field: String) -> String {
        var shown = value
        if DataProblem.withheldFields.contains(field) && !shown.isEmpty { shown = "[withheld]" }
        if !DataProblem.verbatimFields.contains(field) { shown = Redactor.standard.excerpt(shown, maxLength: 80) }
        shown = ExportRow.visible(shown)
        if shown.count > 80 { shown = String(shown.prefix(77)) + "..." }
        return shown
    }

    /// Checks the field count against the header; extra fields are tolerated only when they are empty.
    mutating func checkShape() {
        let (width, firstLabel, dateColumn) = borrowedLayout._withUnsafeGuaranteedRef { ($0.width, $0.firstLabel, $0.dateColumn) }
        if let stray = record.unbalancedQuote(headerFields: width, dateColumn: dateColumn) {
            rows = stray.rows
            swallowedBlankLines = record.innerBlankLines
            // The column whose quote swallowed the lines after it, named; the row as a whole is what is quarantined.
            let column = stray.column == 0 ? "" : columnLabel(stray.column - 1)
            add(DataProblem(export: spec.kind, file: file, line: line, column: column, field: "", value: "", reason: stray.reason,
                            rows: stray.rows))
        } else if record.facts.textAfterQuoteColumn > 0 {
            let column = record.facts.textAfterQuoteColumn - 1
            reject(column: column, "text after a closing quote in column \"\(columnLabel(column))\": a quoted value must end at its closing quote, "
                + "followed by a comma or the end of the line (the row was read as if it did)")
        } else if record.fieldCount == width, record.fieldCount > 0,
                  record.trimmedField(0, lowercasedEquals: firstLabel),
                  // The first field has just been matched (after a second export's byte-order mark, if any).
                  (1..<record.fieldCount).allSatisfy({ Slug.normaliseLabel(record.text($0)) == Slug.normaliseLabel(header.labels[$0]) }) {
            reject("", "repeated header row: the export looks like two files joined together")
        } else if record.fieldCount < width || (record.fieldCount > width && (width..<record.fieldCount).contains(where: { !record.isBlankField($0) })) {
            reject("", raggedReason(fields: record.fieldCount))
        } else if let control = record.firstControlCharacter(checked: UnsafeBufferPointer(borrowedLayout._withUnsafeGuaranteedRef { $0.controlChecked })) {
            // Invisible in every output, a control character would make a label that reads as another (`Viol\0ence`
            // beside `Violence`): a damaged row, not text.
            let field = header.index.first { $0.value == control.field }?.key
            reject(column: control.field, "control character \(ExportRow.controlName(control.byte))" + (field == nil ? " in column \"\(columnLabel(control.field))\"" : "")
                   + ": text in an export holds none (the file may be damaged or not a text export)")
        }
    }

    /// Why a row with `fields` fields is refused, the header having another number; naming the first control
    /// character in the row, if any (a line of NUL bytes, say: the file may be damaged there).
    private func raggedReason(fields: Int) -> String {
        let reason = "ragged row: \(fields) field\(fields == 1 ? "" : "s") where the header has \(header.labels.count)"
        guard let control = record.firstControlByte() else { return reason }
        return reason + "; it holds control character \(ExportRow.controlName(control)) (the file may be damaged there)"
    }

    /// A value as a message shows it, with nothing in it that cannot be seen: a control character as `?`, a tab as
    /// `\t`, and a character that takes no space (a zero-width space, a byte-order mark, a soft hyphen, a direction
    /// mark, a C1 control such as U+0085) as `\u{200B}`, so that `A<tab>1` or `<zero-width space>A2` does not read as
    /// the ward `A1` or `A2`.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value >= 0x7F }) else { return text }
        var out = ""
        for u in text.unicodeScalars {
            if u == "\t" {
                out += "\\t"
            } else if u.value < 0x20 || u.value == 0x7F {
                out += "?"
            } else if u.properties.generalCategory == .format || u.value == 0x2028 || u.value == 0x2029 || (0x80...0x9F).contains(u.value) {
                out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// How a message names a control character: `0x00 (NUL)`.
    static func controlName(_ b: UInt8) -> String {
        let names: [UInt8: String] = [0x00: "NUL", 0x0B: "vertical tab", 0x0C: "form feed", 0x1A: "SUB", 0x1B: "ESC", 0x7F: "DEL"]
        let hex = String(b, radix: 16, uppercase: true)
        return "0x" + (hex.count < 2 ? "0" + hex : hex) + (names[b].map { " (\($0))" } ?? "")
    }

    /// A required field's bytes, recording "empty required field" when missing.
    @inline(__always) mutating func requiredBytes(_ field: String) -> FieldBytes? {
        guard let b = bytes(field) else { return missing(field) }
        return b
    }

    /// Records that a required field is empty (or its column absent); no bytes.
    private mutating func missing(_ field: String) -> FieldBytes? {
        reject(field, "empty required field: \(field) must have a value", value: "")
        return nil
    }

    // The typed readers below find their column inline, where the field name is a literal and its bucket is worked
    // out at compile time, and do the rest out of line, with the cell's bytes.

    /// Text of a field; `required` records a problem when it is empty.
    @inline(__always) public mutating func text(_ field: String, required: Bool = false) -> String? {
        guard let b = required ? requiredBytes(field) : bytes(field) else { return nil }
        return text(of: b)
    }

    /// Text of a field named by a `FieldName`.
    @inline(__always) mutating func text(_ field: FieldName, required: Bool = false) -> String? {
        guard let b = required ? requiredBytes(field) : bytes(field) else { return nil }
        return text(of: b)
    }

    private mutating func text(of b: FieldBytes) -> String {
        let (s, encoding) = TextDecoding.decode(b)
        if encoding == .windows1252 { sawWindows1252 = true }
        return s
    }

    /// Applies a typed parser, recording its issue against `field`.
    @inline(__always) public mutating func parse<T>(_ field: String, required: Bool = false,
                                                    _ parser: (FieldBytes) throws(FieldIssue) -> T) -> T? {
        guard let b = required ? requiredBytes(field) : bytes(field) else { return nil }
        do {
            return try parser(b)
        } catch {
            reject(field, error.reason)
            return nil
        }
    }

    /// Applies a typed parser to a field named by a `FieldName`.
    @inline(__always) mutating func parse<T>(_ field: FieldName, required: Bool = false,
                                             _ parser: (FieldBytes) throws(FieldIssue) -> T) -> T? {
        guard let b = required ? requiredBytes(field) : bytes(field) else { return nil }
        do {
            return try parser(b)
        } catch {
            reject(field.name, error.reason)
            return nil
        }
    }

    /// Keeps the whole row out of the analysis by design (counted, not quarantined).
    public mutating func setAside(_ reason: String) { setAsideReason = reason }

    /// A date field (`dd/mm/yyyy`, or as `order` says; ISO always), noting which order it can only be read in.
    @inline(__always) public mutating func date(_ field: String, required: Bool = false, order: DateOrder) -> CalendarDay? {
        guard let b = required ? requiredBytes(field) : bytes(field) else { return nil }
        return date(of: b, field: field, order: order)
    }

    /// A date field named by a `FieldName`.
    @inline(__always) mutating func date(_ field: FieldName, required: Bool = false, order: DateOrder) -> CalendarDay? {
        guard let b = required ? requiredBytes(field) : bytes(field) else { return nil }
        return date(of: b, field: field.name, order: order)
    }

    /// A date (and time) cell in a common layout, read in one pass with the reader's memo, its evidence noted; `nil`
    /// for any other cell, which the caller reads the general way.
    @inline(__always) private mutating func commonDateTime(_ b: FieldBytes, field: String, order: DateOrder) -> (CalendarDay, ClockTime?)? {
        guard let common = b.withFieldBuffer({ FieldParsing.commonDateTime($0, order: order, memo: dayMemo) }) else { return nil }
        if let evident = common.evident { dateEvidence.note(evident, b, line: line, field: field) }
        return (common.day, common.time)
    }

    private mutating func date(of b: FieldBytes, field: String, order: DateOrder) -> CalendarDay? {
        if let common = commonDateTime(b, field: field, order: order) { return common.0 }
        dateEvidence.note(b, line: line, field: field)
        do { return try FieldParsing.date(b, order: order) } catch {
            do { return try withFullYear(error, b) { (full: [UInt8]) throws(FieldIssue) in try FieldParsing.date(full[...], order: order) } } catch {
                reject(field, error.reason)
            }
            return nil
        }
    }

    /// A date refused for its two-digit year, read again with the year in full when the export says which century
    /// (`two_digit_years`); otherwise the refusal, saying how to set it. Other refusals are passed on.
    private func withFullYear<T>(_ issue: FieldIssue, _ b: FieldBytes, _ parse: ([UInt8]) throws(FieldIssue) -> T) throws(FieldIssue) -> T {
        guard issue.reason.hasPrefix(FieldParsing.twoDigitYear) else { throw issue }
        let (base, kind) = borrowedLayout._withUnsafeGuaranteedRef { ($0.twoDigitYears, $0.spec.kind) }
        guard let base else {
            throw FieldIssue(issue.reason + ", or set exports.\(kind.rawValue).two_digit_years in study.yaml (2000: 19 is 2019)")
        }
        guard let full = FieldParsing.withFullYear(b, base: base) else { throw issue }
        return try parse(full)
    }

    /// A date with an optional time, noting which order the date can only be read in.
    @inline(__always) public mutating func dateTime(_ field: String, required: Bool = false,
                                                    order: DateOrder) -> (CalendarDay, ClockTime?)? {
        guard let b = required ? requiredBytes(field) : bytes(field) else { return nil }
        return dateTime(of: b, field: field, order: order)
    }

    /// A date with an optional time in a field named by a `FieldName`.
    @inline(__always) mutating func dateTime(_ field: FieldName, required: Bool = false, order: DateOrder) -> (CalendarDay, ClockTime?)? {
        guard let b = required ? requiredBytes(field) : bytes(field) else { return nil }
        return dateTime(of: b, field: field.name, order: order)
    }

    private mutating func dateTime(of b: FieldBytes, field: String, order: DateOrder) -> (CalendarDay, ClockTime?)? {
        if let common = commonDateTime(b, field: field, order: order) { return common }
        dateEvidence.note(b, line: line, field: field)
        do { return try FieldParsing.dateTime(b, order: order) } catch {
            do { return try withFullYear(error, b) { (full: [UInt8]) throws(FieldIssue) in try FieldParsing.dateTime(full[...], order: order) } } catch {
                reject(field, error.reason)
            }
            return nil
        }
    }

    /// A label from a fixed vocabulary (`aliases` maps normalised labels to values).
    public mutating func choice<T>(_ field: String, required: Bool = true, _ aliases: [String: T], expected: String) -> T? {
        guard let label = text(field, required: required) else { return nil }
        guard let v = aliases[Slug.normaliseLabel(label)] else {
            reject(field, "unknown \(field): expected \(expected)")
            return nil
        }
        return v
    }
}
