import Testing
@testable import WardsleepKit

/// libcsv streaming: quoting, line numbers, byte-order marks, line endings, encodings, blank lines.
@Suite struct CSVFileReaderTests {
    struct Row: Equatable {
        var line: Int
        var fields: [String]
    }

    func read(_ bytes: [UInt8]) throws -> ([Row], CSVFileSummary) {
        let dir = TempFolder()
        let path = dir.write("x.csv", bytes: bytes)
        var rows: [Row] = []
        let summary = try CSVFileReader(path: path, displayName: "x.csv").read { r in
            rows.append(Row(line: r.line, fields: (0..<r.fieldCount).map { r.text($0) }))
        }
        return (rows, summary)
    }

    func read(_ text: String) throws -> ([Row], CSVFileSummary) { try read(Array(text.utf8)) }

    @Test func quotedCommasQuotesAndLineBreaksKeepTrueLineNumbers() throws {
        let (rows, _) = try read("a,b\n1,\"x, \"\"quoted\"\"\nsecond line\"\n2,y\n")
        #expect(rows == [
            Row(line: 1, fields: ["a", "b"]),
            Row(line: 2, fields: ["1", "x, \"quoted\"\nsecond line"]),
            Row(line: 4, fields: ["2", "y"]),
        ])
    }

    @Test func crlfLineEndingsAndCRLFInsideQuotes() throws {
        let (rows, _) = try read("a,b\r\n1,\"p\r\nq\"\r\n2,z\r\n")
        #expect(rows.map(\.line) == [1, 2, 4])
        #expect(rows[1].fields[1] == "p\r\nq")
    }

    @Test func blankLinesAreSkippedButCountedAndDoNotShiftLines() throws {
        let (rows, summary) = try read("a,b\n\n1,x\n   \n,,\n2,y\n")
        #expect(rows == [Row(line: 1, fields: ["a", "b"]), Row(line: 3, fields: ["1", "x"]), Row(line: 6, fields: ["2", "y"])])
        #expect(summary.blankLines == 3)
    }

    /// A page break a report writer put between pages (a form feed, or a vertical tab, on a line of its own, with or
    /// without spaces and commas) is a blank line like a line of spaces; inside a row such a byte is still a control
    /// character (the row keeps it, for the normaliser to refuse).
    @Test func linesOfOnlyFormFeedsOrVerticalTabsAreBlank() throws {
        let (rows, summary) = try read("ref,text\n\u{0C}\n1,first row of the export\n \u{0B} \n,\u{0C},\n2,a second\u{0C}row of it\n")
        #expect(rows == [Row(line: 1, fields: ["ref", "text"]), Row(line: 3, fields: ["1", "first row of the export"]),
                         Row(line: 6, fields: ["2", "a second\u{0C}row of it"])])
        #expect(summary.blankLines == 3)
    }

    @Test func utf8ByteOrderMarkIsRemovedFromTheFirstHeader() throws {
        let (rows, summary) = try read([0xEF, 0xBB, 0xBF] + Array("Ref,Date\n1,2\n".utf8))
        #expect(rows[0].fields == ["Ref", "Date"])
        #expect(summary.hadByteOrderMark)
    }

    /// An export saved twice by a tool that adds a mark each time begins with two: both are passed over, as the export
    /// reader does (`wardsleep init` drafts its study from this reader; it read the header as `\u{FEFF}Ref`).
    @Test func severalByteOrderMarksAreRemovedFromTheFirstHeader() throws {
        let (rows, summary) = try read([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("Ref,Date\n1,2\n".utf8))
        #expect(rows[0].fields == ["Ref", "Date"] && rows[1].line == 2)
        #expect(summary.hadByteOrderMark && summary.bytes == 19)
    }

    @Test func windows1252BytesAreConvertedNotMangled() throws {
        // "£40 – café ‘ok’" as Excel saves it on Windows: £=A3, en dash=96, é=E9, curly quotes=91/92.
        let bytes: [UInt8] = Array("id,text\n1,".utf8) + [0xA3, 0x34, 0x30, 0x20, 0x96, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x20, 0x91, 0x6F, 0x6B, 0x92] + [0x0A]
        let (rows, _) = try read(bytes)
        #expect(rows[1].fields[1] == "£40 – café ‘ok’")
        #expect(TextDecoding.decode(ArraySlice([0xE9])).1 == .windows1252)
        #expect(TextDecoding.decode(ArraySlice(Array("café".utf8))) == ("café", .utf8))
    }

    @Test func fileEndingInsideQuotesIsFlaggedOnTheRecord() throws {
        let dir = TempFolder()
        let path = dir.write("x.csv", "a,b\n1,\"never closed\n2,y\n")
        var last: CSVRecord?
        _ = try CSVFileReader(path: path, displayName: "x.csv").read { last = $0 }
        #expect(last?.endsInsideQuotes == true)
        #expect(last?.line == 2)
    }

    @Test func lastRecordWithoutNewlineIsRead() throws {
        let (rows, _) = try read("a,b\n1,x")
        #expect(rows.last == Row(line: 2, fields: ["1", "x"]))
    }

    @Test func hashAndSizeDescribeTheWholeFile() throws {
        let (_, summary) = try read("abc\n")
        #expect(summary.bytes == 4)
        // printf 'abc\n' | sha256sum
        #expect(summary.sha256 == "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb")
    }

    /// A quote followed by text (`"abc"x…`) is decided on the rest of its line, up to 1 MiB of it: whether that holds a
    /// quote that can close the field. The bytes were read in 64 KiB slices and the limit checked at a slice's end, so a
    /// closing quote 1 MiB + 32 KiB on was seen or not by where the line fell (the same line was quarantined or not as
    /// an earlier row's cell grew). Now exactly 1 MiB is looked at, wherever the line falls.
    @Test func aQuoteFollowedByTextIsDecidedTheSameWhereverItsLineFalls() throws {
        for (distance, closes) in [(CSVChunkParser.holdLimit + 32 * 1024, false), (CSVChunkParser.holdLimit - 32 * 1024, true),
                                   (CSVChunkParser.holdLimit - 1, true), (CSVChunkParser.holdLimit + 1, false)] {
            var seen: [String] = []
            for pad in [0, 1, 16_384, 40_000, 50_000, 65_535, 65_536, 131_071] {
                let line = Array("01/03/2019,A1,\"abc\"x".utf8) + [UInt8](repeating: 0x79, count: distance - 2) + Array("\"\n".utf8)
                let bytes = Array("Date,Ward,Notes\n28/01/2019,A1,".utf8) + [UInt8](repeating: 0x70, count: pad) + [0x0A]
                    + line + Array("02/03/2019,A1,\n".utf8)
                let dir = TempFolder()
                let path = dir.write("x.csv", bytes: bytes)
                var facts: [String] = []
                _ = try CSVFileReader(path: path, displayName: "x.csv").read { r in
                    facts.append("\(r.line):\(r.fieldCount):\(r.facts.textAfterQuoteColumn):\(r.undoubledQuote)")
                }
                seen.append(facts.joined(separator: " "))
            }
            #expect(Set(seen).count == 1, "a closing quote \(distance) bytes on: \(Set(seen))")
            // Closed where the text began (column 3 marked), or read on to the quote that closes it.
            #expect(seen[0] == (closes ? "1:3:0:false 2:3:0:false 3:3:0:true 4:3:0:false" : "1:3:0:false 2:3:0:false 3:3:3:false 4:3:0:false"),
                    "\(distance): \(seen[0])")
        }
    }

    @Test func emptyFileIsAnInputError() throws {
        #expect(throws: InputError(file: "x.csv", message: "the file is empty: expected a header row")) { try read("") }
    }

    @Test func utf16IsRefusedWithAClearMessage() throws {
        #expect(throws: InputError.self) { try read([0xFF, 0xFE, 0x61, 0x00]) }
    }

    /// A record ending with a carriage return alone, then a line of spaces or tabs ending with a line feed: the line
    /// feed ends a line of its own (a blank one), as the chunk line counts have it; libcsv passes over the white space,
    /// and the line feed was once taken for the second half of a CRLF pair, one line lost for each.
    @Test func aLineFeedAfterWhiteSpaceAfterACarriageReturnEndsALineOfItsOwn() throws {
        for gap in [" ", "  ", "\t", " \t ", "   \r"] {
            let text = "a,b\n1,x\r" + gap + "\n2,y\r" + gap + "\n3,\"q\"\r" + gap + "\n4,z\n"
            let (rows, summary) = try read(text)
            // Line 2 ends with the carriage return, line 3 is the gap (blank), and so on: rows on 2, 4, 6 and 8.
            let expected = [2, 4, 6, 8]
            #expect(rows.dropFirst().map(\.line) == expected, "gap \(gap.debugDescription)")
            #expect(summary.blankLines == 3, "gap \(gap.debugDescription)")
        }
    }

    /// A record longer than the limit is refused wherever it falls among the slices the parser is fed (it was checked
    /// only after each slice, so one ending before the next slice got through).
    /// A record over the limit is refused wherever it ends against the 64 KiB slices the parser is fed, with the same
    /// message each time: the column named is the one the record passes the limit in (its second here), whether it was
    /// caught as it ended or while a slice ended inside it.
    @Test func aRecordOverTheLimitIsRefusedWhereverItEnds() throws {
        let dir = TempFolder()
        let message = "a record starting here is longer than 100000 bytes (it passes that in column 2); this is not a ward export, "
            + "or a quote is unbalanced"
        for (length, refused) in [(99_990, false), (99_999, false), (100_000, true), (100_050, true)] {
            for before in [0, 10, 65_536 - 100_050 % 65_536, 131_072 - 100_020, 131_072 - 100_000, 131_072 - 99_990] {
                let text = "a\n" + String(repeating: "y", count: max(1, before)) + "\nq,\"" + String(repeating: "x", count: length) + "\"\nz\n"
                let path = dir.write("x.csv", text)
                var reader = CSVFileReader(path: path, displayName: "x.csv")
                reader.maxRecordBytes = 100_000
                var rows = 0
                let outcome = Result { try reader.read { _ in rows += 1 } }
                if refused {
                    #expect(throws: InputError.self, "length \(length), after \(before)") { try outcome.get() }
                    if case .failure(let error as InputError) = outcome {
                        #expect(error.line == 3 && error.message == message, "length \(length), after \(before): \(error)")
                    }
                } else {
                    #expect(rows == 4, "length \(length), after \(before)")
                }
            }
        }
    }

    @Test func overlongRecordStopsTheReadInsteadOfGrowingMemory() throws {
        let dir = TempFolder()
        let path = dir.write("x.csv", "a\n\"" + String(repeating: "x", count: 300_000))
        var reader = CSVFileReader(path: path, displayName: "x.csv")
        reader.maxRecordBytes = 100_000
        #expect(throws: InputError.self) { _ = try reader.read { _ in } }
    }
}
