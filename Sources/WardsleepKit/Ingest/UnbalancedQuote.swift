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
///    another stray quote or by a field opening with a line break).
///
/// A record on one line is never judged, so rows without line breaks cost nothing. What can still go unseen: a stray
/// quote closed in the same column of a later row with no quote in between, when no line it covers has the header's
/// number of delimiters (rows with extra empty fields, say). What is quarantined although legitimate: a narrative
/// whose lines happen to hold exactly those numbers of commas; the message names the line.
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
    /// The record judged against a header of `headerFields` columns: a stray quote, or `nil` (see `UnbalancedQuote`).
    public func unbalancedQuote(headerFields: Int) -> UnbalancedQuote? {
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
            } else if rowLikeLine > 0 {
                evidence = "line \(rowLikeLine) reads as a row of its own"
            } else {
                return nil
            }
        }
        return UnbalancedQuote(line: line, openLine: max(line, quoteLine), endLine: endLine,
                               rows: max(1, endLine - line + 1 - innerBlankLines), evidence: evidence, column: facts.quoteColumn)
    }
}
