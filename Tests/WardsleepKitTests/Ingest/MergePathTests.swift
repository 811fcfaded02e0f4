import CSystem
import Testing
@testable import WardsleepKit

/// Small pieces of the per-row path: set-aside reasons counted without hashing, literal set-aside reasons, and the
/// line-break check on each field.
@Suite struct MergePathTests {
    @Test func setAsideReasonsAreCountedByReason() {
        var counts = ReasonCounts()
        let reasons = ["outside both periods", "not given (refused)", "outside both periods", "excluded by design", "not given (refused)",
                       String("outside both ") + "periods"]  // equal text made at run time counts with the literal
        for r in reasons { counts.add(r) }
        #expect(counts.counts == ["outside both periods": 3, "not given (refused)": 2, "excluded by design": 1])
        #expect(ReasonCounts().counts.isEmpty)
    }

    @Test func notGivenReasonsNameTheStatus() throws {
        let context = NormaliseContext(study: testStudy(), pseudonymiser: nil)
        let normaliser = HypnoticAdministrationNormaliser(context: context)
        let day = CalendarDay(year: 2018, month: 3, day: 1)!
        for status in AdministrationStatus.allCases {
            let r = HypnoticAdministrationRecord(day: day, time: nil, ward: 0, patient: 0, drug: Formulary.builtIn().index(named: "zopiclone")!,
                                                 doseMg: 7.5, status: status, prn: nil,
                                                 timing: EventTiming(day: day, time: nil, periods: context.study.periods, window: .default))
            #expect(normaliser.setAsideReason(r) == (status == .given ? nil : "not given (\(status.rawValue))"))
        }
    }

    @Test func lineBreaksAndCommasAreFoundInShortAndLongRuns() {
        for length in [1, 5, 15, 16, 17, 32, 33, 200] {
            for at in Set([0, length / 2, length - 1]) {
                for byte: UInt8 in [0x0A, 0x0D, 0x2C, 0x41] {
                    var field = [UInt8](repeating: 0x20, count: length)
                    field[at] = byte
                    let first = field.withUnsafeBufferPointer { Int(ws_first_line_break($0.baseAddress!, UInt(length))) }
                    let commas = field.withUnsafeBufferPointer { Int(ws_count_commas($0.baseAddress!, UInt(length))) }
                    #expect(first == (byte == 0x0A || byte == 0x0D ? at : length), "length \(length), at \(at), byte \(byte)")
                    #expect(commas == (byte == 0x2C ? 1 : 0), "length \(length), at \(at), byte \(byte)")
                }
            }
        }
        let many = [UInt8](repeating: 0x2C, count: 100)
        #expect(many.withUnsafeBufferPointer { ws_count_commas($0.baseAddress!, 100) } == 100)
    }

    /// Records with line breaks inside quoted fields (LF, CR, CRLF; blank lines, of spaces, tabs, form feeds or vertical
    /// tabs; lines shaped like rows), read by the reader, against a plain byte-by-byte reading of the same fields: the
    /// lines every record starts and ends on, the first line inside quotes, the blank lines inside, the line that reads
    /// as a row, and whether a field with a break holds a comma.
    @Test func linesInsideQuotedFieldsAreCountedAsAPlainReadingCountsThem() throws {
        var random = SampleRandom(seed: 12)
        let pieces = ["a", "b c", " ", "\t", ",", ",,", "\n", "\r", "\r\n", "x,y", ",z", "\n\n", "  ,  ", "\u{0C}", "\u{0B}"]
        for _ in 0..<40 {
            let width = 2 + Int(random.next() % 4)
            var text = (0..<width).map { "h\($0)" }.joined(separator: ",") + "\n"
            for _ in 0..<60 {
                let fields = (0..<width).map { _ -> String in
                    guard random.chance(0.5) else { return random.chance(0.5) ? "v" : "" }
                    let body = (0..<Int(random.next() % 40)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
                    return "\"" + body + "\""
                }
                text += fields.joined(separator: ",") + (random.chance(0.3) ? "\r\n" : "\n")
            }
            var records: [CSVRecord] = []
            _ = try CSVFileReader(text: text, displayName: "t.csv").read { records.append($0) }
            for r in records.dropFirst() {
                var expected = PlainLineCount(line: r.line, width: width)
                for i in 0..<r.fieldCount { expected.field(Array(r.field(i)), column: i) }
                #expect(r.endLine == expected.line && r.quoteLine == expected.quoteLine && r.innerBlankLines == expected.innerBlankLines
                        && r.rowLikeLine == expected.rowLikeLine
                        && r.facts.lineBreakFieldHoldsDelimiter == expected.holdsDelimiter, "record on line \(r.line)")
            }
        }
    }
}

/// The line counting of a record's quoted fields, byte by byte: the reference the reader's counting is checked against.
private struct PlainLineCount {
    var line: Int
    let width: Int
    var quoteLine = 0, innerBlankLines = 0, rowLikeLine = 0, holdsDelimiter = false

    init(line: Int, width: Int) {
        self.line = line
        self.width = width
    }

    mutating func field(_ field: [UInt8], column: Int) {
        guard field.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return }
        if quoteLine == 0 { quoteLine = line }
        var previousCR = false, inner = false
        var commas = 0, lastContentColumn = -1, firstLineCommas = 0
        for b in field {
            if b == 0x0A || b == 0x0D {
                if b == 0x0A && previousCR { previousCR = false; continue }
                previousCR = b == 0x0D
                if inner {
                    if lastContentColumn < 0 {
                        innerBlankLines += 1
                    } else if rowLikeLine == 0, width >= 2, commas >= width - 1, lastContentColumn <= width - 1 {
                        rowLikeLine = line
                    }
                } else {
                    firstLineCommas = commas
                }
                line += 1
                inner = true
                commas = 0
                lastContentColumn = -1
            } else {
                previousCR = false
                if b == 0x2C { commas += 1 } else if ![0x20, 0x09, 0x0B, 0x0C].contains(b) { lastContentColumn = commas }
            }
        }
        if rowLikeLine == 0, width >= 2, column < width, firstLineCommas == width - 1 - column, commas == column {
            rowLikeLine = line
        }
        if field.contains(0x2C) { holdsDelimiter = true }
    }
}
