import CLibcsv
import CSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libcsv over one stretch of a file: the whole of it, or one chunk of it read by a worker. Records are handed to
/// `body` as they complete, with true line numbers counted from `line`. Strict mode is used only to learn of broken
/// quoting; each strict error is noted and the byte re-read as below.
///
/// A quote inside a quoted field followed by text (`"He said "hi" to me"`, or `"A1"x`) is a strict error that can mean
/// two things: a quote that should have been doubled, the field going on (libcsv's lenient reading), or a field that
/// closed and has stray text after it. Read leniently, the second makes the field run on to the next quote in the file,
/// taking every row in between with it. So the rest of that line is held until its line break and then decided: when
/// it holds a quote that can close the field (one followed by a comma or the line break, doubled quotes skipped), the
/// quote was inside the field and is read leniently; otherwise the field closed at the quote, the text after it joins
/// the field unquoted, and the record is marked (`RecordFacts.textAfterQuoteColumn`) so that its row alone is
/// quarantined. The decision depends only on the bytes of the line, never on where a chunk or a read ends.
final class CSVChunkParser {
    private var parser = csv_parser()
    private let state: ParseState
    private let displayName: String
    private let maxRecordBytes: Int
    private static let strict = UInt8(CSV_REPALL_NL | CSV_STRICT), lenient = UInt8(CSV_REPALL_NL)
    /// The bytes after a quote followed by text, up to the line break that ends them, while they are being collected.
    private var held: [UInt8]?
    /// The most bytes held before deciding on what there is (a line that long is not a ward export's).
    static let holdLimit = 1 << 20

    /// A parser whose first line is `line`, measuring lines inside quoted fields against `width` header fields (0: the
    /// first record is the header and sets it); `columnLabels`, the header's, name columns in messages.
    init(displayName: String, maxRecordBytes: Int = 16 * 1024 * 1024, line: Int = 1, width: Int = 0, columnLabels: [String] = [],
         body: @escaping (CSVRecordView) throws -> Void) throws {
        self.displayName = displayName
        self.maxRecordBytes = maxRecordBytes
        state = ParseState(displayName: displayName, line: line, maxRecordBytes: maxRecordBytes, body: body)
        state.columnLabels = columnLabels
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
    var atRecordBoundary: Bool { parser.pstate == 0 && !state.inRecord && state.error == nil && held == nil }
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
        var offset = 0
        while offset < raw.count, state.error == nil {
            if held != nil {
                // Hold the rest of the line, its line break included, then decide how to read it: at most `holdLimit`
                // bytes, counted from the quote, so what is decided on is the same wherever the slices fall.
                let room = CSVChunkParser.holdLimit - held!.count
                let rest = UnsafeRawBufferPointer(rebasing: raw[offset..<min(raw.count, offset + room)])
                let lineBreak = rest.firstIndex { $0 == 0x0A || $0 == 0x0D }
                let take = lineBreak.map { $0 + 1 } ?? rest.count
                held!.append(contentsOf: rest[..<take])
                offset += take
                if lineBreak != nil || held!.count >= CSVChunkParser.holdLimit { releaseHeld() }
                continue
            }
            offset += parse(UnsafeRawBufferPointer(rebasing: raw[offset...]), holding: true)
        }
        if let error = state.error { throw error }
        if parser.entry_pos + state.byteCount + (held?.count ?? 0) > maxRecordBytes {
            throw state.overlongError(line: state.inRecord ? state.recordLine : state.line)
        }
    }

    /// What a record longer than `limit` bytes is refused with (`detail` after the limit).
    static func overlongMessage(_ limit: Int, _ detail: String = "") -> String {
        let size = limit >= 1_048_576 ? "\(limit / 1_048_576) MiB" : "\(limit) bytes"
        return "a record starting here is longer than \(size)\(detail); this is not a ward export, or a quote is unbalanced"
    }

    /// Parses `bytes` strictly until they end or a quote inside a quoted field is followed by text; returns how many
    /// were used. A quote inside an unquoted field is read as text. At a quote followed by text, `holding` starts a hold
    /// with the byte after the quote (used); otherwise parsing stops before that byte, for the caller to decide on it.
    private func parse(_ bytes: UnsafeRawBufferPointer, holding: Bool) -> Int {
        let context = UnsafeMutableRawPointer(state.record)
        let base = bytes.baseAddress!, n = bytes.count
        var offset = 0
        if n > 0 { afterCarriageReturn(bytes[0]) }
        while offset < n {
            // libcsv is stopped after each lone carriage return (one followed by a byte other than a line feed), so
            // that the state learns of the byte after it: a line feed after it and white space it skips (`\r  \n`) are
            // then never taken for a CRLF pair.
            let end = CSVChunkParser.loneCarriageReturnEnd(base, from: offset, count: n)
            offset += csv_parse(&parser, base + offset, end - offset, ws_record_add_field, recordCallback, context)
            if offset == end && end < n {
                afterCarriageReturn(bytes[end])
                continue
            }
            guard offset < n else { break }
            guard parser.status == CSV_EPARSE else {
                state.fail(InputError(file: displayName, line: state.line,
                                      message: "the CSV parser stopped: \(String(cString: csv_strerror(csv_error(&parser))))"))
                return n
            }
            parser.status = 0
            // pstate 3 is libcsv's FIELD_MIGHT_HAVE_ENDED: a quote in a quoted field followed by neither a quote, a
            // delimiter nor a line break.
            if parser.pstate == 3 {
                guard holding else { return offset }
                held = [bytes[offset]]
                return offset + 1
            }
            // A quote inside an unquoted field: harmless, kept as text.
            guard readLeniently(base + offset) else { return n }
            offset += 1
        }
        return n
    }

    /// Tells the state the byte after the last one parsed: a record that ended with a carriage return ended a line
    /// alone unless this byte is a line feed.
    @inline(__always) private func afterCarriageReturn(_ next: UInt8) {
        if next != 0x0A && state.lastWasCR { state.lastWasCR = false }
    }

    /// The place after the first carriage return from `from` on with a byte other than a line feed after it in the
    /// `count` bytes at `base`, or `count` (a carriage return ending the bytes is decided by the bytes fed next).
    static func loneCarriageReturnEnd(_ base: UnsafeRawPointer, from: Int, count n: Int) -> Int {
        var i = from
        while i < n, let hit = memchr(base + i, 0x0D, n - i) {
            let at = base.distance(to: UnsafeRawPointer(hit))
            if at + 1 < n && base.load(fromByteOffset: at + 1, as: UInt8.self) != 0x0A { return at + 1 }
            i = at + 1
        }
        return n
    }

    /// Reads one byte in libcsv's lenient mode; `false` (with the error noted) if it fails.
    private func readLeniently(_ byte: UnsafeRawPointer) -> Bool {
        afterCarriageReturn(byte.load(as: UInt8.self))
        let context = UnsafeMutableRawPointer(state.record)
        csv_set_opts(&parser, CSVChunkParser.lenient)
        let reread = csv_parse(&parser, byte, 1, ws_record_add_field, recordCallback, context)
        csv_set_opts(&parser, CSVChunkParser.strict)
        if reread != 1 {
            state.fail(InputError(file: displayName, line: state.line,
                                  message: "the CSV parser stopped: \(String(cString: csv_strerror(csv_error(&parser))))"))
        }
        return reread == 1
    }

    /// Decides how to read the held bytes (see the type's comment), and reads them. A further quote followed by text
    /// among them is decided the same way, on what is left of them (they end where its line ends): whether a quote that
    /// can close the field follows the byte after it (`closingQuoteFollows`).
    private func releaseHeld() {
        guard let bytes = held else { return }
        held = nil
        bytes.withUnsafeBytes { h in
            // Worked out once for every place in the bytes, so that a line of many such quotes is read in linear time.
            let closes = CSVChunkParser.closingQuoteFollows(h)
            var start = 0
            while start < h.count, state.error == nil {
                if closes[start + 1] {
                    state.undoubledQuote = true
                    guard readLeniently(h.baseAddress! + start) else { return }
                    start += 1
                } else {
                    // The field closed at the quote: drop it (and any spaces after it) and go on unquoted.
                    if state.textAfterQuoteColumn == 0 { state.textAfterQuoteColumn = state.fieldCount + 1 }
                    parser.entry_pos -= parser.spaces + 1
                    parser.spaces = 0
                    parser.quoted = 0
                    parser.pstate = 2  // FIELD_BEGUN
                }
                start += parse(UnsafeRawBufferPointer(rebasing: h[start...]), holding: false)
            }
        }
    }

    /// For each place `i` in `bytes` (and the end), whether the bytes from `i` on hold a quote that can close a quoted
    /// field: one followed by a comma or a line break, or ending the bytes; doubled quotes are skipped. What a scan from
    /// `i` would find, for every `i` in one pass from the end.
    static func closingQuoteFollows(_ bytes: UnsafeRawBufferPointer) -> [Bool] {
        let n = bytes.count
        var closes = [Bool](repeating: false, count: n + 2)
        var i = n - 1
        while i >= 0 {
            if bytes[i] == 0x22 {
                if i + 1 == n {
                    closes[i] = true
                } else {
                    let next = bytes[i + 1]
                    closes[i] = next == 0x22 ? closes[i + 2] : (next == 0x2C || next == 0x0A || next == 0x0D || closes[i + 1])
                }
            } else {
                closes[i] = closes[i + 1]
            }
            i -= 1
        }
        return closes
    }

    /// Ends the file: the last record (one still inside a quoted field is marked so), then any error.
    func finish() throws {
        releaseHeld()
        // pstate 2 is libcsv's FIELD_BEGUN: still inside a quoted field when the bytes ran out.
        state.endsInsideQuotes = parser.pstate == 2 && parser.quoted != 0
        let context = UnsafeMutableRawPointer(state.record)
        csv_fini(&parser, ws_record_add_field, recordCallback, context)
        if let error = state.error { throw error }
    }
}

// libcsv's data for both callbacks is the parse state's record: fields go into it in C (`ws_record_add_field`), and
// the record callback finds the parse state through it. The state outlives every call libcsv makes (the parser holds
// it only while `feed` or `finish` runs), so the callback borrows it without retaining it.
private func recordCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    let owner = context!.assumingMemoryBound(to: ws_record.self).pointee.owner!
    Unmanaged<ParseState>.fromOpaque(owner)._withUnsafeGuaranteedRef { $0.endRecord(terminator) }
}
