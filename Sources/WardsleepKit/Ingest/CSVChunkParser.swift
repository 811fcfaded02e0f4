import CLibcsv

/// libcsv over one stretch of a file: the whole of it, or one chunk of it read by a worker. Records are handed to
/// `body` as they complete, with true line numbers counted from `line`. Strict mode is used only to learn of undoubled
/// quotes: each strict error is noted and the byte re-read leniently.
final class CSVChunkParser {
    private var parser = csv_parser()
    private let state: ParseState
    private let displayName: String
    private let maxRecordBytes: Int
    private static let strict = UInt8(CSV_REPALL_NL | CSV_STRICT), lenient = UInt8(CSV_REPALL_NL)

    /// A parser whose first line is `line`, measuring lines inside quoted fields against `width` header fields (0: the
    /// first record is the header and sets it).
    init(displayName: String, maxRecordBytes: Int = 16 * 1024 * 1024, line: Int = 1, width: Int = 0,
         body: @escaping (CSVRecordView) throws -> Void) throws {
        self.displayName = displayName
        self.maxRecordBytes = maxRecordBytes
        state = ParseState(body: body)
        state.line = line
        state.recordLine = line
        state.width = width
        guard csv_init(&parser, CSVChunkParser.strict) == 0 else {
            throw InputError(file: displayName, message: "cannot initialise the CSV parser")
        }
    }

    deinit { csv_free(&parser) }

    /// The line the parser is on.
    var line: Int { state.line }
    /// Lines that held no data.
    var blankLines: Int { state.blankLines }
    /// Whether the bytes so far ended exactly between records (outside any quoted field): where a chunk boundary can
    /// be trusted. Quote parity alone cannot tell; libcsv's state can.
    var atRecordBoundary: Bool { parser.pstate == 0 && !state.inRecord && state.error == nil }
    /// Whether the last record ended with a carriage return (so a line feed right after it belongs to it).
    var lastWasCR: Bool { state.lastWasCR }

    /// Parses `raw`, calling the body for each record completed; throws the first error met. Long stretches go through
    /// in 64 KiB slices, so an overlong record is stopped before it is held whole.
    func feed(_ raw: UnsafeRawBufferPointer) throws {
        var at = 0
        while at < raw.count {
            let end = min(raw.count, at + CSVFileReader.chunkSize)
            try feedSlice(UnsafeRawBufferPointer(rebasing: raw[at..<end]))
            at = end
        }
    }

    private func feedSlice(_ raw: UnsafeRawBufferPointer) throws {
        guard raw.count > 0 else { return }
        let context = Unmanaged.passUnretained(state).toOpaque()
        let base = raw.baseAddress!, n = raw.count
        var offset = 0
        while offset < n {
            offset += csv_parse(&parser, base + offset, n - offset, fieldCallback, recordCallback, context)
            guard offset < n else { break }
            guard parser.status == CSV_EPARSE else {
                state.fail(InputError(file: displayName, line: state.line,
                                      message: "the CSV parser stopped: \(String(cString: csv_strerror(csv_error(&parser))))"))
                break
            }
            // pstate 3 is libcsv's FIELD_MIGHT_HAVE_ENDED: a quote in a quoted field followed by neither a
            // quote, a delimiter nor a line break. (A quote inside an unquoted field is harmless and not noted.)
            if parser.pstate == 3 { state.undoubledQuote = true }
            parser.status = 0
            csv_set_opts(&parser, CSVChunkParser.lenient)
            let reread = csv_parse(&parser, base + offset, 1, fieldCallback, recordCallback, context)
            csv_set_opts(&parser, CSVChunkParser.strict)
            guard reread == 1 else {
                state.fail(InputError(file: displayName, line: state.line,
                                      message: "the CSV parser stopped: \(String(cString: csv_strerror(csv_error(&parser))))"))
                break
            }
            offset += 1
        }
        if let error = state.error { throw error }
        if parser.entry_pos + state.byteCount > maxRecordBytes {
            throw InputError(file: displayName, line: state.inRecord ? state.recordLine : state.line,
                             message: "a record starting here is longer than \(maxRecordBytes / 1_048_576) MiB; "
                                 + "this is not a ward export, or a quote is unbalanced")
        }
    }

    /// Ends the file: the last record (one still inside a quoted field is marked so), then any error.
    func finish() throws {
        // pstate 2 is libcsv's FIELD_BEGUN: still inside a quoted field when the bytes ran out.
        state.endsInsideQuotes = parser.pstate == 2 && parser.quoted != 0
        let context = Unmanaged.passUnretained(state).toOpaque()
        csv_fini(&parser, fieldCallback, recordCallback, context)
        if let error = state.error { throw error }
    }
}

// The parse state outlives every call libcsv makes (the parser holds it only while `feed` or `finish` runs), so the
// callbacks borrow it without retaining it: a retain and a release per field would be a tenth of the reading time.
private func fieldCallback(_ p: UnsafeMutableRawPointer?, _ count: Int, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<ParseState>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.addField(p, count) }
}

private func recordCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<ParseState>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.endRecord(terminator) }
}
