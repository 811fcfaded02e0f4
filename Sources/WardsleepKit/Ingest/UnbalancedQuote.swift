/// A stray quote: a `"` that opened a field and, not closed where it should have been, made libcsv read the lines
/// after it as text of that one field, so that the rows on those lines would vanish into it.
///
/// RFC 4180 lets a quoted field hold line breaks, so a record spanning several lines is not wrong in itself (a comment
/// or a narrative typed over several lines, commas and doubled quotes included). Such a record is judged a stray quote
/// when any of these holds:
///
/// 1. the file ends inside the quoted field;
/// 2. a quote inside a quoted field is not doubled: RFC 4180 requires `""`, and the next quote a stray one runs into
///    is usually the opening quote of a later field (`,"Self harm"`), which is not;
/// 3. the record does not have the header's number of fields (fewer, or extra ones that are not empty) and the text
///    with line breaks holds a delimiter: the swallowed cells shifted the columns (without a delimiter in it, the line
///    break is prose typed over two lines, and the row is ragged: one row, "ragged row");
/// 4. the lines it covers read as rows of their own: a line wholly inside a quoted field has exactly the header's
///    number of delimiters (or more, with nothing after them but spaces), as a swallowed row has; or the field's text
///    on its first line holds exactly the delimiters that would complete the row it opens in, and on its last line
///    exactly those that begin a row up to its column (a stray quote closed in the same column of a later row, by
///    another stray quote or by a field opening with a line break). When the export has a date column (`date`,
///    `datetime` or `night`), such a line must also hold a date where the row's date would be (`looksLikeDate`): a
///    swallowed row has one, and a comment listing seven things over two lines (`lights, doors, checks, …`) has not.
///
/// A record on one line is never judged, so rows without line breaks cost nothing. What can still go unseen: a stray
/// quote closed in the same column of a later row with no quote in between, when no line it covers has the header's
/// number of delimiters (rows with extra empty fields, say) or a date in its place. What is quarantined although
/// legitimate: a narrative whose lines happen to hold exactly those numbers of commas, and a date where the row's
/// date would be (or in an export with no date column, any text there); the message names the line.
///
/// A stray quote's record is quarantined as every physical line it covers (blank lines aside), so that rows read =
/// accepted + quarantined counts the lines of the file, not what survived the parser.
public struct UnbalancedQuote: Equatable, Sendable {
    /// The line the record starts on.
    public var line: Int
    /// The line on which the quoted field that swallowed the others opens.
    public var openLine: Int
    /// The last line of the record.
    public var endLine: Int
    /// The rows read the record stands for: its lines that are not blank.
    public var rows: Int
    /// Which of the rules found it, for people (`the file ends inside it`).
    public var evidence: String
    /// 1 + the field (0-based) whose quote swallowed the others (0 when not known).
    public var column = 0

    /// The reason recorded in the quarantine.
    public var reason: String {
        let opens = openLine == line ? "this line" : "line \(openLine)"
        guard endLine > openLine else {
            return "unbalanced quote: the file ends inside a quoted field that starts on \(openLine == line ? "this row" : opens)"
        }
        let swallowed = endLine == openLine + 1 ? "line \(endLine)" : "lines \(openLine + 1) to \(endLine)"
        return "unbalanced quote: a quoted field opens on \(opens) and swallows \(swallowed) (\(evidence)); "
            + "quarantined as \(rows) row\(rows == 1 ? "" : "s")"
    }
}

extension CSVRecordShape {
    /// The record judged against a header of `headerFields` columns whose date is in `dateColumn` (0-based; -1: none):
    /// a stray quote, or `nil` (see `UnbalancedQuote`).
    public func unbalancedQuote(headerFields: Int, dateColumn: Int = -1) -> UnbalancedQuote? {
        let evidence: String
        if endsInsideQuotes {
            // A closing quote followed by text (`"A1"x,`) is read as a quote inside the field, which then runs on.
            evidence = undoubledQuote ? "the file ends inside it; a quote in it is followed by text, not by a comma or the end of the line"
                : "the file ends inside it"
        } else {
            guard endLine > line else { return nil }
            if undoubledQuote {
                evidence = "a quote inside it is not doubled"
            } else if facts.lineBreakFieldHoldsDelimiter,
                      fieldCount < headerFields || (headerFields..<max(headerFields, fieldCount)).contains(where: { !isBlankField($0) }) {
                evidence = "the row then has \(fieldCount) fields where the header has \(headerFields)"
            } else if rowLikeLine > 0, let rowLine = swallowedRowLine(width: headerFields, dateColumn: dateColumn) {
                evidence = "line \(rowLine) reads as a row of its own"
            } else {
                return nil
            }
        }
        return UnbalancedQuote(line: line, openLine: max(line, quoteLine), endLine: endLine,
                               rows: max(1, endLine - line + 1 - innerBlankLines), evidence: evidence, column: facts.quoteColumn)
    }
}

extension CSVRecordShape {
    /// The first line inside the record's quoted fields that reads as a row of its own (rule 4 of `UnbalancedQuote`),
    /// with a date where the row's date would be when `dateColumn` is not -1; `nil` when there is none. The parser
    /// noted the first line that does by its commas alone (`rowLikeLine`); this looks again, only at records it noted.
    func swallowedRowLine(width: Int, dateColumn: Int) -> Int? {
        guard dateColumn >= 0 else { return rowLikeLine > 0 ? rowLikeLine : nil }
        var line = self.line
        for column in 0..<fieldCount {
            let found: Int? = withFieldBytes(column) { field in
                guard let base = field.baseAddress else { return nil }
                var found: Int?
                var first: (start: Int, count: Int, commas: Int) = (0, 0, 0)
                var last = first
                ParseState.forEachLine(base, field.count) { index, start, count, brokenAfter in
                    let shape = ParseState.lineShape(base + start, count)
                    if index == 0 { first = (start, count, shape.commas) }
                    last = (start, count, shape.commas)
                    guard brokenAfter else { return }
                    if found == nil, index > 0, ParseState.readsAsRow(shape, width: width),
                       UnbalancedQuote.looksLikeDate(UnbalancedQuote.commaSeparated(base + start, count, dateColumn)) {
                        found = line
                    }
                    line += 1
                }
                guard found == nil, last.start > 0 else { return found }
                if ParseState.closesAsRow(firstLineCommas: first.commas, lastLineCommas: last.commas, column: column, width: width) {
                    // The row's date is on the first line when it is in this column or after, else on the last.
                    let date = dateColumn >= column ? UnbalancedQuote.commaSeparated(base + first.start, first.count, dateColumn - column)
                        : UnbalancedQuote.commaSeparated(base + last.start, last.count, dateColumn)
                    if UnbalancedQuote.looksLikeDate(date) { return line }
                }
                return nil
            }
            if let found { return found }
        }
        return nil
    }
}

extension UnbalancedQuote {
    /// Field `index` (0-based) of a line split at every comma, as it would have been read had the line been a row;
    /// empty when the line has fewer fields.
    static func commaSeparated(_ line: UnsafePointer<UInt8>, _ count: Int, _ index: Int) -> UnsafeBufferPointer<UInt8> {
        var start = 0, field = 0
        for i in 0...count where i == count || line[i] == 0x2C {
            if field == index { return UnsafeBufferPointer(start: line + start, count: i - start) }
            field += 1
            start = i + 1
        }
        return UnsafeBufferPointer(start: line, count: 0)
    }

    /// Whether a cell reads as a date in any order wardsleep reads (with a time after it or not), or has a date's shape
    /// (three parts of digits or a month's name between the same separator, as `31/02/2019` and `05/03/19` have):
    /// what a row's date cell holds, wrong or right.
    static func looksLikeDate(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        var lo = 0, hi = cell.count
        while lo < hi, cell[lo] == 0x20 || cell[lo] == 0x09 || cell[lo] == 0x22 { lo += 1 }
        while hi > lo, cell[hi - 1] == 0x20 || cell[hi - 1] == 0x09 || cell[hi - 1] == 0x22 { hi -= 1 }
        let trimmed = UnsafeBufferPointer(rebasing: cell[lo..<hi])
        guard !trimmed.isEmpty else { return false }
        if (try? FieldParsing.date(trimmed[...], order: .dmy)) != nil || (try? FieldParsing.date(trimmed[...], order: .mdy)) != nil {
            return true
        }
        let datePart = trimmed[trimmed.startIndex..<FieldParsing.dateEnd(trimmed[...])]
        guard let separator = datePart.first(where: { $0 == 0x2F || $0 == 0x2D || $0 == 0x2E }) else { return false }
        let parts = datePart.split(separator: separator, omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { part in
            (1...4).contains(part.count) && part.allSatisfy(FieldParsing.isDigit) || FieldParsing.monthNumber(part) != nil
        }
    }
}
