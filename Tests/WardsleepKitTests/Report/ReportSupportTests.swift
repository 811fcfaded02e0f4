import Testing
@testable import WardsleepKit

/// Disclosure control, Excel-safe CSV, JSON rendering and number formatting.
@Suite struct ReportSupportTests {
    let policy = DisclosurePolicy()

    @Test func smallCountsAreSuppressedAndOthersRoundedToFive() {
        #expect(Disclosure.publish(0, policy: policy) == .value(0))
        for n in 1...7 { #expect(Disclosure.publish(n, policy: policy) == .suppressed) }
        #expect(Disclosure.publish(8, policy: policy) == .value(10))
        #expect(Disclosure.publish(12, policy: policy) == .value(10))
        #expect(Disclosure.publish(13, policy: policy) == .value(15))
        #expect(Disclosure.publish(173, policy: policy) == .value(175))
        #expect(Disclosure.publish(10, policy: DisclosurePolicy(suppressAtOrBelow: 10, roundTo: 1)) == .suppressed)
        #expect(Disclosure.publish(11, policy: DisclosurePolicy(suppressAtOrBelow: 10, roundTo: 1)) == .value(11))
        #expect(CountStyle.published(policy).show(1234) == "1,235")
        #expect(CountStyle.exact.show(1234) == "1,234")
    }

    @Test func csvCellsThatExcelWouldRunAreNeutralised() {
        #expect(CSVOutput.cell("=HYPERLINK(\"http://x\",\"click\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"")
        #expect(CSVOutput.cell("+cmd") == "'+cmd")
        #expect(CSVOutput.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVOutput.cell("-24.3") == "-24.3")
        #expect(CSVOutput.cell("-") == "'-")
        #expect(CSVOutput.line(["a,b", "c\nd", "plain"]) == "\"a,b\",\"c\nd\",plain\n")
        #expect(CSVOutput.exportLine(["=x", "y"]) == "=x,y\n")
        // A comma or quote carrying a combining mark is one character to Swift but a comma or quote to a CSV reader:
        // still quoted, and read back as written.
        let marked = ["a,\u{301}b", "\"\u{301}q\"", "plain é", "x\r\ny"]
        let line = CSVOutput.exportLine(marked)
        #expect(line == "\"a,\u{301}b\",\"\"\"\u{301}q\"\"\",plain é,\"x\r\ny\"\n")
        var read: [String] = []
        _ = try? CSVFileReader(text: line, displayName: "t.csv").read { r in read = (0..<r.fieldCount).map { r.text($0) } }
        #expect(read == marked)
    }

    /// results.json is written in pieces, each section built as it is written: joined, they are the rendered text byte
    /// for byte, and none holds much more than a piece's worth, however large the document.
    @Test func jsonStreamedInPiecesIsTheRenderedText() {
        let doc: JSONValue = .object([("cells", .array((0..<20_000).map { i in
            .object([("ward", .string("Ward \(i % 97) \"quoted\"\n")), ("count", .int(i)), ("rate", .double(Double(i) / 7))])
        })), ("empty", .array([])), ("none", .object([]))])
        var pieces: [String] = []
        guard case .object(let pairs) = doc else { return }
        try? JSONValue.streamObject(pairs.map { pair in (pair.0, { pair.1 }) }) { pieces.append($0) }
        #expect(pieces.joined() == doc.rendered())
        #expect(pieces.count > 10)
        #expect(pieces.allSatisfy { $0.utf8.count < JSONValue.piece + 200 })
        // An object whose values are built as they are written renders as the built object.
        var built = 0
        let lazy: [(String, () -> JSONValue)] = [("head", { built += 1; return .string("x") }), ("body", { built += 1; return doc }),
                                                ("tail", { built += 1; return .array([]) })]
        var streamed = ""
        try? JSONValue.streamObject(lazy) { streamed += $0 }
        #expect(built == 3)
        #expect(streamed == JSONValue.object([("head", .string("x")), ("body", doc), ("tail", .array([]))]).rendered())
        var none = ""
        try? JSONValue.streamObject([]) { none += $0 }
        #expect(none == JSONValue.object([]).rendered())
        var small: [String] = []
        try? JSONValue.streamObject([("a", { .int(1) })]) { small.append($0) }
        #expect(small == ["{\n  \"a\": 1\n}\n"])
    }

    /// A string with nothing to escape is appended whole; it must come out as the scalar-by-scalar escaping gives it.
    @Test func jsonStringsNeedingNoEscapeAreCopiedAsTheyAre() {
        func reference(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default: out += u.value < 0x20 ? String(format: "\\u%04x", u.value) : String(u)
                }
            }
            return out + "\""
        }
        for s in ["", "Acute male", "Zoë — “ward” 7\u{7F}", "日本語", "a\"b", "back\\slash", "tab\there", "bell\u{07}", "e\u{301}\n",
                  String(repeating: "x", count: 5_000) + "\u{1F}"] {
            var out = ""
            JSONValue.quote(s, into: &out)
            #expect(out == reference(s), "\(s.debugDescription)")
        }
    }

    @Test func jsonKeepsKeyOrderAndEscapes() {
        let doc: JSONValue = .object([("b", .int(1)), ("a", .array([.string("x\"\n"), .double(0.5), .double(.nan), .bool(true)]))])
        #expect(doc.rendered() == "{\n  \"b\": 1,\n  \"a\": [\n    \"x\\\"\\n\",\n    0.5,\n    null,\n    true\n  ]\n}\n")
    }

    @Test func numbersAreFormattedWithoutLocale() {
        #expect(NumberFormat.grouped(3178) == "3,178")
        #expect(NumberFormat.grouped(-1234567) == "-1,234,567")
        #expect(NumberFormat.fixed(-24.26, 1) == "-24.3")
        #expect(NumberFormat.fixed(0.05, 1) == "0.1")
        #expect(NumberFormat.fixed(-0.04, 1) == "0.0")
        #expect(NumberFormat.json(5) == "5" && NumberFormat.json(0.1) == "0.1")
        // For a reader, the whole part grouped as counts are; the decimals as `fixed` rounds them.
        #expect(NumberFormat.readable(1234.567, 2) == "1,234.57")
        #expect(NumberFormat.readable(-1234567.891, 1) == "-1,234,567.9")
        #expect(NumberFormat.readable(999.999, 2) == "1,000.00")
        #expect(NumberFormat.readable(999.994, 2) == "999.99")
        #expect(NumberFormat.readable(-0.004, 2) == "0.00")
        #expect(NumberFormat.readable(12345, 0) == "12,345")
        #expect(NumberFormat.readable(.nan, 2) == "NA" && NumberFormat.readable(-.infinity, 2) == "-Inf")
    }

    /// Month numbers count calendar months one by one, across years and before year 0, and give back each month's
    /// first day.
    @Test func monthNumbersCountMonthsAndGiveBackTheirFirstDays() {
        #expect(CalendarDay(year: 2019, month: 1, day: 31)!.monthNumber == 2019 * 12)
        #expect(CalendarDay(year: 2018, month: 12, day: 1)!.monthNumber == 2019 * 12 - 1)
        var day = CalendarDay(year: -2, month: 11, day: 15)!
        var previous = day.monthNumber - 1
        while day.components.year < 2101 {
            #expect(day.monthNumber == previous + 1)
            #expect(CalendarDay(firstDayOfMonthNumber: day.monthNumber) == day.startOfMonth, "\(day.iso)")
            previous = day.monthNumber
            day = day.startOfMonth.adding(days: 40)
        }
    }
}
