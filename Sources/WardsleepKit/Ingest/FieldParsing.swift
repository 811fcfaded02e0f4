/// Why one field could not be read as the type its column needs. The text is shown to users verbatim.
public struct FieldIssue: Error, Equatable, Sendable {
    /// The reason, as a sentence fragment (`"no such date: February 2019 has 28 days"`).
    public var reason: String
    /// Creates an issue.
    public init(_ reason: String) { self.reason = reason }
}

/// How slash-separated dates in an export are ordered. ISO 8601 (`yyyy-mm-dd`) is always accepted.
public enum DateOrder: String, Sendable, Codable, CaseIterable {
    /// `dd/mm/yyyy`, the UK convention (default).
    case dmy
    /// `mm/dd/yyyy`, the US convention.
    case mdy
    /// ISO 8601 only.
    case iso

    /// The form slash dates take, for messages (`dd/mm/yyyy`).
    public var pattern: String { self == .iso ? "yyyy-mm-dd" : self == .mdy ? "mm/dd/yyyy" : "dd/mm/yyyy" }
}

/// Typed parsing of single CSV fields, straight from their bytes. Never locale-dependent.
///
/// Each parser takes the field with surrounding white space already trimmed and throws a `FieldIssue` whose reason
/// says what was expected.
public enum FieldParsing {

    /// A date, optionally followed by a time (`05/03/2019`, `05/03/2019 02:10`, `2019-03-05T02:10:00`).
    public static func dateTime(_ s: some FieldByteCollection, order: DateOrder) throws(FieldIssue) -> (CalendarDay, ClockTime?) {
        let end = dateEnd(s)
        let datePart = s[s.startIndex..<end]
        var timePart = s[end..<s.endIndex]
        while let f = timePart.first, f == 0x20 || f == UInt8(ascii: "T") { timePart = timePart.dropFirst() }
        let day = try date(datePart, order: order)
        if timePart.isEmpty { return (day, nil) }
        return (day, try time(timePart))
    }

    /// Where the date part of a cell ends: at its first space, or at a `T` after a digit (`2019-03-05T02:10`, where
    /// the `T` of `01-OCT-2019` is part of the month); the end of the cell when it has no time.
    static func dateEnd<S: FieldByteCollection>(_ s: S) -> S.Index {
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == 0x20 || (s[i] == UInt8(ascii: "T") && i > s.startIndex && isDigit(s[i - 1])) { return i }
            i += 1
        }
        return i
    }

    /// A date alone. A date-only column written with a time (`01/01/2018 00:00`, `2018-01-01T00:00:00`, as many systems
    /// export a date) is read as its date; the time must still be a time.
    public static func date<Bytes: FieldByteCollection>(_ s: Bytes, order: DateOrder) throws(FieldIssue) -> CalendarDay {
        guard !s.isEmpty else { throw FieldIssue("empty date") }
        // The layouts nearly every export uses, read straight off the bytes (`commonDateTime`); anything else, and
        // anything wrong (which it explains), the general way.
        if s.count >= 8, let day = s.withFieldBuffer({ commonDateTime($0, order: order)?.day }) { return day }
        if case let cut = dateEnd(s), cut < s.endIndex, cut > s.startIndex {
            return try dateTime(s, order: order).0
        }
        var parts: [Bytes.SubSequence] = []
        var separator: UInt8 = 0
        var start = s.startIndex
        for i in s.indices where s[i] == UInt8(ascii: "/") || s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: ".") {
            if separator == 0 { separator = s[i] }
            guard s[i] == separator else { throw FieldIssue("not a date: mixed separators, expected dd/mm/yyyy") }
            parts.append(s[start..<i])
            start = i + 1
        }
        parts.append(s[start..<s.endIndex])
        if parts.count == 1 {
            if let serial = integerValue(s), (20_000...80_000).contains(serial) {
                throw FieldIssue("not a date: this looks like an Excel serial number; export dates as text (dd/mm/yyyy)")
            }
            throw FieldIssue("not a date: expected \(order.pattern)")
        }
        if parts.count == 3, let named = try namedMonthDate(parts, order: order) { return named }
        guard parts.count == 3, let a = integerValue(parts[0]), let b = integerValue(parts[1]),
              let c = integerValue(parts[2]), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isDigit) })
        else { throw FieldIssue("not a date: expected \(order.pattern)") }

        if parts[0].count == 4 {  // ISO 8601 year-month-day, always accepted
            guard separator == UInt8(ascii: "-") else { throw FieldIssue("not a date: year-first dates must be yyyy-mm-dd") }
            return try checkedDay(year: a, month: b, day: c)
        }
        guard order != .iso else {
            throw FieldIssue(FieldParsing.isoOnly)
        }
        guard parts[2].count == 4 else {
            if parts[2].count == 2 { throw FieldIssue(FieldParsing.twoDigitYear + "; expected \(order.pattern)") }
            throw FieldIssue("not a date: expected \(order.pattern)")
        }
        guard parts[0].count <= 2, parts[1].count <= 2 else { throw FieldIssue("not a date: expected \(order.pattern)") }
        if order == .mdy {
            if a > 12 && b >= 1 && b <= 12 && a <= 31 {
                throw FieldIssue("UK-style date: month \(a) does not exist; expected mm/dd/yyyy (date_format: mdy), not dd/mm/yyyy")
            }
            return try checkedDay(year: c, month: a, day: b)
        }
        if b > 12 && a >= 1 && a <= 12 && b <= 31 {
            throw FieldIssue("US-style date: month \(b) does not exist; expected dd/mm/yyyy, not mm/dd/yyyy")
        }
        return try checkedDay(year: c, month: b, day: a)
    }

    /// A date whose month is written as a word (`01-Jan-2019`, `1-January-2019`, `Jan-01-2019`; any case; between
    /// hyphens, slashes or dots), as database and spreadsheet exports write it: a month named cannot be read in the
    /// wrong order, so either order is taken. `nil` when no part names a month.
    static func namedMonthDate<P: FieldByteCollection>(_ parts: [P], order: DateOrder) throws(FieldIssue) -> CalendarDay? {
        let first = monthNumber(parts[0]), second = monthNumber(parts[1])
        guard let month = second ?? first, case let dayPart = second != nil ? parts[0] : parts[1] else { return nil }
        guard order != .iso else {
            throw FieldIssue(FieldParsing.isoOnly)
        }
        let yearPart = parts[2]
        guard (1...2).contains(dayPart.count), dayPart.allSatisfy(isDigit), let day = integerValue(dayPart),
              !yearPart.isEmpty, yearPart.allSatisfy(isDigit), let year = integerValue(yearPart) else {
            throw FieldIssue("not a date: expected a day, a month and a year (\(order == .mdy ? "Jan-31-2019" : "31-Jan-2019"))")
        }
        guard yearPart.count == 4 else {
            if yearPart.count == 2 { throw FieldIssue(FieldParsing.twoDigitYear + "; expected a four-digit year (31-Jan-2019)") }
            throw FieldIssue("not a date: expected a four-digit year (31-Jan-2019)")
        }
        return try checkedDay(year: year, month: month, day: day)
    }

    /// The month `s` names, in English, in full or in three letters (or `Sept`), in any case; `nil` for anything else.
    /// Compared a byte at a time with the names in lower case, allocating nothing.
    static func monthNumber(_ s: some FieldByteCollection) -> Int? {
        let n = s.count, i = s.startIndex
        guard (3...9).contains(n) else { return nil }
        for (k, word) in monthWords.enumerated() where n == 3 || n == word.count || (k == 8 && n == 4) {
            var j = 0
            while j < n, s[i + j] | 0x20 == word[j] { j += 1 }
            if j == n { return k + 1 }
        }
        return nil
    }

    /// The months' names in lower case, as bytes.
    static let monthWords: [[UInt8]] = CalendarDay.monthNames.map { Array($0.lowercased().utf8) }

    /// The reason a date other than `yyyy-mm-dd` is refused with under `date_format: iso`.
    static let isoOnly = "not an ISO 8601 date: study.yaml sets date_format: iso, so dates must be yyyy-mm-dd"

    /// The start of the reason a slash date with a two-digit year is refused with.
    static let twoDigitYear = "ambiguous date: a two-digit year could be any century"

    /// A date-and-time cell whose date has a two-digit year (`05/03/19`, `05-03-19 02:10`, `05-Mar-19`), written with
    /// the year in full: the year in the hundred years from `base` (with 2000, `19` is 2019; with 1950, `49` is 2049
    /// and `50` is 1950). `nil` for any other cell.
    static func withFullYear(_ s: some FieldByteCollection, base: Int) -> [UInt8]? {
        let bytes = Array(s)
        let end = dateEnd(bytes[...])
        let date = bytes[..<end]
        guard let first = date.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
        else { return nil }
        let separator = date[first]
        let marks = date.indices.filter { date[$0] == separator }
        // The day and the month: one or two digits each, or the month as a word (`05-Mar-19`).
        func dayOrMonth(_ part: ArraySlice<UInt8>) -> Bool { (1...2).contains(part.count) || monthNumber(part) != nil }
        guard marks.count == 2, marks[1] == end - 3, date[(marks[1] + 1)...].allSatisfy(isDigit),
              dayOrMonth(date[..<marks[0]]), dayOrMonth(date[(marks[0] + 1)..<marks[1]]) else { return nil }
        let yy = Int(date[end - 2] &- 0x30) * 10 + Int(date[end - 1] &- 0x30)
        let year = base + (yy - base % 100 + 100) % 100
        return Array(bytes[..<(end - 2)]) + Array(String(year).utf8) + Array(bytes[end...])
    }

    /// Which order the two leading components of a slash date `a/b/yyyy` (one or two digits each) can only be read
    /// in: `.dmy` when `a` is above 12, `.mdy` when `b` is; `nil` when either reading works or it is no such date.
    /// Used to tell a US export from a UK one by evidence, without allocating.
    @inline(__always) static func evidentOrder(_ s: some FieldByteCollection) -> DateOrder? {
        var values = (0, 0), index = 0, digits = 0
        for byte in s {
            if isDigit(byte) {
                digits += 1
                guard digits <= 2 else { return nil }
                if index == 0 { values.0 = values.0 * 10 + Int(byte &- 0x30) } else { values.1 = values.1 * 10 + Int(byte &- 0x30) }
            } else if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") {
                guard digits > 0 else { return nil }
                index += 1
                digits = 0
                if index == 2 { break }
            } else {
                return nil
            }
        }
        guard index == 2 else { return nil }
        let (a, b) = values
        if a > 12 && a <= 31 && b >= 1 && b <= 12 { return .dmy }
        if b > 12 && b <= 31 && a >= 1 && a <= 12 { return .mdy }
        return nil
    }

    static func checkedDay(year: Int, month: Int, day: Int) throws(FieldIssue) -> CalendarDay {
        guard (1...12).contains(month) else { throw FieldIssue("no such date: month \(month) does not exist") }
        guard (1800...2200).contains(year) else { throw FieldIssue("no such date: year \(year) is out of range") }
        guard day >= 1 else { throw FieldIssue("no such date: day \(day) does not exist") }
        guard let d = CalendarDay(year: year, month: month, day: day) else {
            let n = CalendarDay.daysIn(month: month, year: year)
            throw FieldIssue("no such date: \(CalendarDay.monthNames[month - 1]) \(year) has \(n) days")
        }
        return d
    }

    /// A whole number (`16`, `-3`). Thousands separators and decimals are refused.
    public static func integer(_ s: some FieldByteCollection) throws(FieldIssue) -> Int {
        guard let v = integerValue(s) else {
            if s.contains(UInt8(ascii: ",")) { throw FieldIssue("not a whole number: remove thousands separators") }
            throw FieldIssue("not a whole number")
        }
        return v
    }

    /// A whole number within `range`; `below` and `above` are the reasons given outside it, worked out only when one is
    /// given (a reason naming a limit is a formatted string, and this runs on every row). A run of digits too long for an
    /// `Int` is outside the range too, not "not a whole number".
    public static func integer(_ s: some FieldByteCollection, in range: ClosedRange<Int>, below: @autoclosure () -> String,
                               above: @autoclosure () -> String) throws(FieldIssue) -> Int {
        let negative = s.first == UInt8(ascii: "-")
        let digits = negative || s.first == UInt8(ascii: "+") ? s.dropFirst() : s[...]
        if digits.count > 18, digits.allSatisfy(isDigit) { throw FieldIssue(negative ? below() : above()) }
        let v = try integer(s)
        if v < range.lowerBound { throw FieldIssue(below()) }
        if v > range.upperBound { throw FieldIssue(above()) }
        return v
    }

    /// A decimal number with a full stop as the decimal mark (`7.5`, `0.25`, `12`).
    public static func decimal(_ s: some FieldByteCollection) throws(FieldIssue) -> Double {
        if let v = exactDecimal(s) { return v }
        var i = s.startIndex
        if i < s.endIndex, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 }
        var digits = 0, dots = 0
        for j in i..<s.endIndex {
            if isDigit(s[j]) { digits += 1 } else if s[j] == UInt8(ascii: ".") { dots += 1 } else {
                if s[j] == UInt8(ascii: ",") { throw FieldIssue("not a number: use a full stop as the decimal mark, no thousands separators") }
                if (s[j] == UInt8(ascii: "e") || s[j] == UInt8(ascii: "E")) && digits > 0 {
                    throw FieldIssue("not a number as an export writes one: an exponent (1e3) is not read; write the number in full")
                }
                throw FieldIssue("not a number")
            }
        }
        guard digits > 0, dots <= 1 else { throw FieldIssue("not a number") }
        guard let v = Double(String(decoding: s, as: UTF8.self)), v.isFinite else { throw FieldIssue("not a number: too many digits") }
        return v
    }

    /// Powers of ten that a double holds exactly.
    static let exactPowersOfTen: [Double] = (0...22).map { (0..<$0).reduce(1.0) { r, _ in r * 10 } }

    /// A short decimal (`7.5`, `-3.75`, `25`) without building a string: up to 15 significant digits form an integer
    /// that a double holds exactly, and dividing it by an exact power of ten is one correctly rounded operation, so
    /// the result is the one `strtod` gives. Checked as it is read (a sign, digits, at most one full stop, at least one
    /// digit), in one pass: `nil` for anything else, or anything longer, which the general path reads or explains.
    @inline(__always) static func exactDecimal(_ s: some FieldByteCollection) -> Double? {
        var i = s.startIndex
        var negative = false
        if i < s.endIndex, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { negative = s[i] == UInt8(ascii: "-"); i += 1 }
        var mantissa: Int64 = 0, significant = 0, fraction = 0, afterDot = false, digits = 0
        while i < s.endIndex {
            let b = s[i], d = b &- 0x30
            if d < 10 {
                digits += 1
                if mantissa > 0 || d != 0 { significant += 1 }
                guard significant <= 15 else { return nil }
                mantissa = mantissa * 10 + Int64(d)
                if afterDot { fraction += 1 }
            } else if b == UInt8(ascii: "."), !afterDot {
                afterDot = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, fraction <= 22 else { return nil }
        let v = Double(mantissa) / exactPowersOfTen[fraction]
        return negative ? -v : v
    }

    /// A yes/no flag: `Y`, `N`, `Yes`, `No`, `True`, `False`, `1`, `0` (any case).
    public static func flag(_ s: some FieldByteCollection) throws(FieldIssue) -> Bool {
        // Packed into one integer, lower-cased, with no allocation: the words are at most five ASCII letters.
        var word: UInt64 = 0
        guard s.count <= 5 else { throw FieldIssue("not a yes/no flag: expected Y or N") }
        for b in s { word = word << 8 | UInt64(b >= 0x41 && b <= 0x5A ? b + 0x20 : b) }
        switch word {
        case packed("y"), packed("yes"), packed("true"), packed("1"): return true
        case packed("n"), packed("no"), packed("false"), packed("0"): return false
        default: throw FieldIssue("not a yes/no flag: expected Y or N")
        }
    }

    /// A word of up to eight ASCII bytes as one integer (the first byte highest).
    @inline(__always) static func packed(_ w: StaticString) -> UInt64 {
        var v: UInt64 = 0
        w.withUTF8Buffer { for b in $0 { v = v << 8 | UInt64(b) } }
        return v
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The value of an optionally signed run of ASCII digits, or `nil`.
    static func integerValue(_ s: some FieldByteCollection) -> Int? {
        var i = s.startIndex
        var negative = false
        if i < s.endIndex, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { negative = s[i] == UInt8(ascii: "-"); i += 1 }
        guard i < s.endIndex, s.endIndex - i <= 18 else { return nil }
        var v = 0
        while i < s.endIndex {
            guard isDigit(s[i]) else { return nil }
            v = v * 10 + Int(s[i] - 0x30)
            i += 1
        }
        return negative ? -v : v
    }
}

extension FieldByteCollection {
    /// The bytes without leading and trailing spaces, tabs, CR and LF.
    func trimmingWhitespace() -> SubSequence {
        var lo = startIndex, hi = endIndex
        while lo < hi, self[lo] == 0x20 || self[lo] == 0x09 || self[lo] == 0x0D || self[lo] == 0x0A { lo += 1 }
        while hi > lo, self[hi - 1] == 0x20 || self[hi - 1] == 0x09 || self[hi - 1] == 0x0D || self[hi - 1] == 0x0A { hi -= 1 }
        return self[lo..<hi]
    }
}
