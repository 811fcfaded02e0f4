import CSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state libcsv's callbacks share during one read. The record being read is assembled in memory the state owns
/// (its bytes, and where each field ends: a `ws_record`, which libcsv's field callback fills in C), grown as needed and
/// reused for every record: a record is lent to the body as a view of it, so reading allocates nothing per record and
/// counts no references.
final class ParseState {
    /// The record being assembled; libcsv's callbacks are given it as their data.
    let record: UnsafeMutablePointer<ws_record>
    var bytes: UnsafeMutablePointer<UInt8> { record.pointee.bytes }
    var ends: UnsafeMutablePointer<Int> { record.pointee.ends }
    var byteCount: Int { record.pointee.byte_count }
    var fieldCount: Int { record.pointee.field_count }
    var recordLine: Int { record.pointee.record_line }
    var inRecord: Bool { record.pointee.in_record != 0 }
    var line: Int {
        get { record.pointee.line }
        set { record.pointee.line = newValue }
    }
    var lastWasCR: Bool {
        get { record.pointee.last_was_cr != 0 }
        set { record.pointee.last_was_cr = newValue ? 1 : 0 }
    }
    var blankLines = 0
    var endsInsideQuotes = false
    /// The first error met; fields are ignored from then on.
    var error: Error? {
        if record.pointee.out_of_memory != 0 && failure == nil {
            return InputError(file: displayName, line: recordLine, message: "out of memory: the record starting here could not be held")
        }
        return failure
    }
    private var failure: Error?
    /// Borrows each record for the length of the call.
    let body: (CSVRecordView) throws -> Void
    /// Fields in the first record (the header), against which lines inside quoted fields are measured.
    var width = 0
    // Facts about the record being read, for telling a stray quote from a quoted field with line breaks.
    var undoubledQuote = false
    /// 1 + the field (0-based) whose closing quote is followed by text, read unquoted (0: none).
    var textAfterQuoteColumn = 0
    var quoteLine = 0
    var innerBlankLines = 0
    var rowLikeLine = 0
    var lineBreakFieldHoldsDelimiter = false
    /// 1 + the field `quoteLine` is the line of (see `RecordFacts.quoteColumn`).
    var quoteColumn = 0

    /// The file, as messages name it.
    let displayName: String
    /// The most bytes a record's fields may hold (`CSVChunkParser`).
    let maxRecordBytes: Int
    /// The header's labels, when known, to name the column in which a record passes `maxRecordBytes`.
    var columnLabels: [String] = []

    /// A state whose first line is `line`.
    init(displayName: String, line: Int, maxRecordBytes: Int, body: @escaping (CSVRecordView) throws -> Void) {
        self.displayName = displayName
        self.maxRecordBytes = maxRecordBytes
        self.body = body
        record = .allocate(capacity: 1)
        if ws_record_init(record, line) != 0 { record.pointee.failed = 1; record.pointee.out_of_memory = 1 }
        record.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        ws_record_free(record)
        record.deallocate()
    }

    /// The record's bytes so far.
    private var recordBytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: bytes, count: byteCount) }

    func fail(_ e: Error) {
        if error == nil { failure = e }
        record.pointee.failed = 1
    }

    /// Counts the line breaks inside a quoted field (CRLF, LF or CR) so later records keep their true line numbers,
    /// and looks at each line wholly inside the field: blank, or shaped like a row of its own. Line breaks are found
    /// sixteen bytes at a time, and each line is measured as a whole (`lineShape`), not byte by byte.
    func countLines(_ field: UnsafeRawBufferPointer, column: Int) {
        guard let base = field.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var firstLineCommas = 0
        var shape = (commas: 0, lastContentColumn: -1)
        var anyComma = false
        ParseState.forEachLine(base, field.count) { index, start, count, brokenAfter in
            shape = ParseState.lineShape(base + start, count)
            anyComma = anyComma || shape.commas > 0
            guard brokenAfter else { return }
            if index > 0 {
                if shape.lastContentColumn < 0 {
                    innerBlankLines += 1
                } else if rowLikeLine == 0, ParseState.readsAsRow(shape, width: width) {
                    rowLikeLine = line
                }
            } else {
                firstLineCommas = shape.commas
            }
            line += 1
        }
        if rowLikeLine == 0, ParseState.closesAsRow(firstLineCommas: firstLineCommas, lastLineCommas: shape.commas, column: column, width: width) {
            rowLikeLine = line
        }
        if anyComma { lineBreakFieldHoldsDelimiter = true }
    }

    /// Calls `body` with each line of a field's `n` bytes at `base`, in order: its number (0: the one the field starts
    /// on), where it starts, its length, and whether a line break ends it (the field's last line has none). A line
    /// break is CRLF, LF or a CR alone; breaks are found sixteen bytes at a time.
    @inline(__always) static func forEachLine(_ base: UnsafePointer<UInt8>, _ n: Int, _ body: (Int, Int, Int, Bool) -> Void) {
        var from = 0, index = 0
        while true {
            let at = Int(ws_first_line_break(base + from, UInt(n - from))) + from
            body(index, from, at - from, at < n)
            guard at < n else { return }
            index += 1
            from = at + 1
            if base[at] == 0x0D, from < n, base[from] == 0x0A { from += 1 }  // CRLF is one break
        }
    }

    /// Whether a line wholly inside a quoted field, of `shape` (`lineShape`), reads as a row of its own by its commas:
    /// the header's number of them, or more with nothing after them but white space.
    @inline(__always) static func readsAsRow(_ shape: (commas: Int, lastContentColumn: Int), width: Int) -> Bool {
        width >= 2 && shape.lastContentColumn >= 0 && shape.commas >= width - 1 && shape.lastContentColumn <= width - 1
    }

    /// Whether a quoted field in `column` with line breaks has, on its first line, the commas that complete the row it
    /// opens in and, on its last, those that begin a row up to its column (a stray quote closed in the same column of
    /// a later row).
    @inline(__always) static func closesAsRow(firstLineCommas: Int, lastLineCommas: Int, column: Int, width: Int) -> Bool {
        width >= 2 && column < width && firstLineCommas == width - 1 - column && lastLineCommas == column
    }

    /// One line's commas, and how many commas come before its last byte that is neither a comma nor white space (-1
    /// when there is none: a blank line).
    @inline(__always) static func lineShape(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> (commas: Int, lastContentColumn: Int) {
        let commas = Int(ws_count_commas(bytes, UInt(count)))
        var i = count - 1, trailing = 0
        while i >= 0 {
            let b = bytes[i]
            if b == 0x2C { trailing += 1 } else if !CSVRecordView.isBlankLineSpace(b) { break }
            i -= 1
        }
        return (commas, i < 0 ? -1 : commas - trailing)
    }

    /// Counts the line breaks inside the record's fields, field by field in order, once the record is complete: each
    /// break is found in the record's bytes sixteen at a time, and the field holding it is counted (only quoted fields
    /// can hold them, and few do).
    private func countInnerLineBreaks() {
        let all = recordBytes
        guard let base = all.baseAddress else { return }
        var from = 0, i = 0
        while from < all.count {
            let at = Int(ws_first_line_break(base + from, UInt(all.count - from))) + from
            guard at < all.count else { return }
            while ends[i] <= at { i += 1 }  // the field holding the break: it starts at or before it, and ends after it
            let start = i == 0 ? 0 : ends[i - 1]
            if quoteLine == 0 {
                quoteLine = line
                quoteColumn = i + 1
            }
            countLines(UnsafeRawBufferPointer(start: base + start, count: ends[i] - start), column: i)
            from = ends[i]
            i += 1
        }
    }

    /// The error of a record on `line` whose fields pass `maxRecordBytes`, naming the column they pass it in: the first
    /// field to end past it, or else the field being read. That column is the same wherever the record is caught (when
    /// it ends, or when a slice the parser is fed ends inside it), and a quote that never closes is in it.
    func overlongError(line: Int) -> InputError {
        var field = fieldCount
        for i in 0..<fieldCount where ends[i] > maxRecordBytes {
            field = i
            break
        }
        let column = field < columnLabels.count ? "column \"\(ExportRow.visible(columnLabels[field]))\"" : "column \(field + 1)"
        return InputError(file: displayName, line: line,
                          message: CSVChunkParser.overlongMessage(maxRecordBytes, " (it passes that in \(column))"))
    }

    func endRecord(_ terminator: Int32) {
        guard error == nil else { return }
        if inRecord {
            // Checked here as well as after each slice the parser is fed (`CSVChunkParser.feed`), so that a record over
            // the limit is refused wherever the slices fall, not only when one ends inside it.
            guard byteCount <= maxRecordBytes else {
                fail(overlongError(line: recordLine))
                return
            }
            // Whether the record holds a line break, tab or control character anywhere: one pass over its bytes,
            // sixteen at a time. Nearly every record holds none, and is then not looked at again for them.
            let unusual = byteCount > 0 && ws_has_low_byte(bytes, UInt(byteCount)) != 0
            if unusual { countInnerLineBreaks() }
            let atEnd = terminator == -1 && endsInsideQuotes
            var endLine = line
            let openLine = atEnd ? unterminatedField(endLine: &endLine) : quoteLine
            let record = CSVRecordView(
                facts: RecordFacts(line: recordLine, endsInsideQuotes: atEnd, endLine: endLine, undoubledQuote: undoubledQuote,
                                   textAfterQuoteColumn: textAfterQuoteColumn,
                                   quoteLine: openLine, innerBlankLines: innerBlankLines, rowLikeLine: rowLikeLine,
                                   lineBreakFieldHoldsDelimiter: lineBreakFieldHoldsDelimiter,
                                   quoteColumn: atEnd ? fieldCount : quoteColumn),
                bytes: recordBytes, ends: UnsafeBufferPointer(start: ends, count: fieldCount), mayHoldControlBytes: unusual)
            // A quote left open at the end of the file is never a blank line, even with nothing inside it.
            // Blank when every byte of every field is white space (a page's form feed or vertical tab included:
            // `isBlankLineSpace`): one scan of the record's bytes, which stops at the first byte of a real row.
            let blank = !atEnd && !recordBytes.contains { !CSVRecordView.isBlankLineSpace($0) }
            if blank { blankLines += 1 } else {
                if width == 0 { width = record.fieldCount }
                do { try body(record) } catch { fail(error) }
            }
            ws_record_clear(self.record)
            if quoteLine != 0 || undoubledQuote || textAfterQuoteColumn != 0 {  // only on records with line breaks or broken quoting
                undoubledQuote = false
                textAfterQuoteColumn = 0
                quoteLine = 0
                quoteColumn = 0
                innerBlankLines = 0
                rowLikeLine = 0
                lineBreakFieldHoldsDelimiter = false
            }
            if terminator == 0x0D || terminator == 0x0A { line += 1 }
            lastWasCR = terminator == 0x0D
        } else if terminator == 0x0A && lastWasCR {
            lastWasCR = false  // the LF of a CRLF pair
        } else if terminator == 0x0A || terminator == 0x0D {
            blankLines += 1
            line += 1
            lastWasCR = terminator == 0x0D
        }
    }

    /// When the file ends inside a quoted field (the record's last), that field is the one whose quote never closed:
    /// returns the line it opens on. The text after its last line break is the file's last line: none at all when
    /// empty (the file ended with a line break), a blank line when only spaces.
    func unterminatedField(endLine: inout Int) -> Int {
        let start = fieldCount > 1 ? ends[fieldCount - 2] : 0
        guard fieldCount > 0, case let end = ends[fieldCount - 1], end > start else { return line }
        var breaks = 0
        var previousCR = false
        for b in UnsafeBufferPointer(start: bytes + start, count: end - start) {
            if b == 0x0A { breaks += previousCR ? 0 : 1 } else if b == 0x0D { breaks += 1 }
            previousCR = b == 0x0D
        }
        var i = end - 1
        while i > start, bytes[i] == 0x20 || bytes[i] == 0x09 { i -= 1 }
        if bytes[i] == 0x0A || bytes[i] == 0x0D {
            if i == end - 1 { endLine -= 1 } else { innerBlankLines += 1 }
        }
        return line - breaks
    }
}
