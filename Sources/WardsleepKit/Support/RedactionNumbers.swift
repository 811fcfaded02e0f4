/// The redaction rules for digits: NHS numbers, telephone numbers and dates, numeric and written.
extension Redactor {
    typealias Span = (start: Int, end: Int, with: String)

    /// A group of digits inside a run of digits joined by separators.
    struct DigitGroup {
        /// The digit token.
        var token: Int
        /// Where the group starts, counting an opening parenthesis (and a leading `+` for the first group).
        var start: Int
        /// Its digits, ASCII.
        var digits: String
        /// The separator before it: the single `-`, `.` or `/` it holds, if any.
        var mark: Character?
        /// Whether the separator before it has spaces or parentheses.
        var loose: Bool
    }

    static let monthNames: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]

    /// The run of digit groups starting at `i` (a digit, `+` or `(`), and the identifiers in it. Each group is tried as
    /// the start of an identifier of up to 17 digits, the longest that fits winning, so the work per group is bounded.
    func numbers(_ t: inout RedactionText, at i: Int, floor: Int) -> (spans: [Span], end: Int) {
        let plus = t.isChar(i, "+")
        var first = t.kind(i) == .digits ? i : i + 1
        var groups = [DigitGroup(token: first, start: i, digits: t.digits(first), mark: nil, loose: false)]
        while true {
            var k = first + 1, mark: Character?, loose = false
            if t.isChar(k, ")") { k += 1; loose = true }
            if t.kind(k) == .space, t.length(k) <= 3 { k += 1; loose = true }
            if let c = ["-", ".", "/", "_"].first(where: { t.isChar(k, $0) }) {
                mark = c
                k += 1
                if t.kind(k) == .space, t.length(k) <= 3 { k += 1; loose = true }
            }
            let start = k
            if t.isChar(k, "(") { k += 1; loose = true }
            guard t.kind(k) == .digits else { break }
            groups.append(DigitGroup(token: k, start: start, digits: t.digits(k), mark: mark, loose: loose))
            first = k
        }
        var spans: [Span] = []
        var s = 0
        while s < groups.count {
            var best: (e: Int, with: String)?
            var window = Window(plus: plus && s == 0)
            for e in s..<groups.count {
                window.add(groups[e], first: e == s)
                if window.count > 17 { break }
                if let kind = classify(window, start: groups[s].start, end: groups[e].token + 1, floor: max(floor, spans.last?.end ?? 0), t: &t) {
                    best = (e, kind)
                    if kind == "[date]", window.lengths.count > 1 { break }  // a year alone may begin a longer date
                }
            }
            guard let (e, kind) = best else { s += 1; continue }
            var start = groups[s].start
            var with = kind
            if kind == "[date]", let marker = birthMarker(&t, before: start, floor: max(floor, spans.last?.end ?? 0)) {
                with = "[date of birth]"
                if marker.consume { start = marker.start }
            }
            // A number that opens with its own bracket takes the closing one too: `(07700 900123)` → `[phone]`.
            var end = groups[e].token + 1
            if t.isChar(start, "("), t.isChar(end, ")") { end += 1 }
            spans.append((start, end, with))
            s = e + 1
        }
        return (spans, groups[groups.count - 1].token + 1)
    }

    /// Consecutive digit groups considered as one identifier.
    struct Window {
        /// Whether a `+` comes before the first group.
        var plus: Bool
        /// The number of digits in each group.
        var lengths: [Int] = []
        /// All the digits.
        var count = 0
        /// The first two digits.
        var head = ""
        /// All the digits (up to the 17 a window holds).
        var digits = ""
        /// The separator of the second group, and whether the third has the same one.
        var mark: Character?, sameMark = true
        /// Whether a separator after the first group has spaces or parentheses, or is a `/`.
        var loose = false, slash = false

        init(plus: Bool) { self.plus = plus }

        /// Whether three groups read as a day, a month and a year in some order (`31/12/80`, `12/31/80`, `1980-12-31`).
        var isCalendarDate: Bool {
            guard lengths.count == 3, count <= 17 else { return false }
            let a = Int(digits.prefix(lengths[0])) ?? 0, b = Int(digits.dropFirst(lengths[0]).prefix(lengths[1])) ?? 0
            let c = Int(digits.dropFirst(lengths[0] + lengths[1])) ?? 0
            if lengths[0] == 4 { return (1...12).contains(b) && (1...31).contains(c) }
            // Month first only with a dash or a slash: a date with full stops is written day first (`2.15.30` is a time).
            return ((1...31).contains(a) && (1...12).contains(b)) || (mark != "." && (1...12).contains(a) && (1...31).contains(b))
        }

        mutating func add(_ g: DigitGroup, first: Bool) {
            lengths.append(g.digits.count)
            count += g.digits.count
            if head.count < 2 { head += g.digits.prefix(2 - head.count) }
            if count <= 17 { digits += g.digits }
            guard !first else { return }
            if lengths.count == 2 { mark = g.mark } else if g.mark != mark { sameMark = false }
            if g.loose { loose = true }
            if g.mark == "/" { slash = true }
        }
    }

    /// Words after three small numbers that make them quantities, not a date (`5-10-15 minutes`).
    static let quantityWords: Set<String> = [
        "minutes", "minute", "mins", "min", "hours", "hour", "hrs", "hr", "seconds", "secs", "times", "days", "nights", "weeks",
        "months", "years", "mg", "ml", "mcg", "points", "pts", "beds", "patients", "staff", "checks", "doses", "tablets", "percent",
    ]
    /// Words before three small numbers that make them scores, not a date (`score 10/10/10`).
    static let scoreWords: Set<String> = ["score", "scores", "scored", "rated", "rating", "ratings", "marks", "gave", "give"]

    /// Whether the three groups ending before `end` and starting at `start`, written with a two-digit last group, are
    /// quantities or scores rather than a date: a quantity word after them, or a score word before them.
    func quantities(_ t: inout RedactionText, start: Int, end: Int) -> Bool {
        var after = end
        if t.kind(after) == .space, t.length(after) <= 2 { after += 1 }
        if t.kind(after) == .word, Redactor.quantityWords.contains(t.fold(after)) { return true }
        // A score word just before, or before one short word (`rated them 9/9/10`).
        var before = start - 1
        for _ in 0..<2 {
            if t.isChar(before, ":") { before -= 1 }
            if t.kind(before) == .space, t.length(before) <= 2 { before -= 1 }
            guard before >= 0, t.kind(before) == .word else { return false }
            if Redactor.scoreWords.contains(t.fold(before)) { return true }
            guard t.length(before) <= 4 else { return false }
            before -= 1
        }
        return false
    }

    /// What the digits of a window (its groups from token `start` to before `end`) are, if they identify anything.
    /// `floor` is where a date-of-birth marker before it may start.
    func classify(_ w: Window, start: Int, end: Int, floor: Int, t: inout RedactionText) -> String? {
        let l = w.lengths, n = w.count
        var dateShaped = l.count == 3 && w.sameMark && w.isCalendarDate
            && ((l[0] <= 2 && l[1] <= 2 && (l[2] == 2 || l[2] == 4)) || (l[0] == 4 && l[1] <= 2 && l[2] <= 2))
        if dateShaped, l[0] <= 2, l[2] == 2, quantities(&t, start: start, end: end), birthMarker(&t, before: start, floor: floor) == nil {
            dateShaped = false
        }
        if dateShaped, w.mark != nil, !w.loose { return "[date]" }
        // After `DOB`, a date written with spaces (`DOB 01 02 1980`, `DOB 1 - 2 - 1980`), run together (`DOB 010280`), or
        // a year of birth (`DOB 1980`).
        if dateShaped || (l.count == 1 && [4, 6, 8].contains(n)), birthMarker(&t, before: start, floor: floor) != nil {
            return "[date]"
        }
        if n == 10 && nhsPrefix(&t, before: start) { return "[NHS number]" }
        // Ten digits whole or 3-3-4 are taken as an NHS number; in any other grouping (`9434 765 919`, `943 476 59 19`,
        // `9 4 3 4 7 6 5 9 1 9`) when the last digit is the number's modulus-11 check digit. Readings in small groups
        // are left unless their digits happen to pass the check (about one in eleven do: better a reading hidden than a
        // number shown); decimals (`5.4 6.2 7.8 9.1 6.5`, full stops among the spaces) are always left.
        let grouped = l.count <= 3 && l.allSatisfy { $0 >= 3 } || (w.sameMark && w.mark != ".")
        let nhs = n == 10 && (l == [10] || l == [3, 3, 4] || grouped && Redactor.isNHSNumber(w.digits))
        if w.slash { return nhs && Redactor.isNHSNumber(w.digits) ? "[NHS number]" : nil }
        if w.plus { return (8...15).contains(n) ? "[phone]" : nil }
        if w.head == "00" { return (11...17).contains(n) ? "[phone]" : nil }
        // A national number, its trunk 0 written apart at most when eleven digits follow in groups (`0 7700 900123`).
        if w.head.hasPrefix("0") {
            return (10...11).contains(n) && (l[0] >= 2 || (n == 11 && l.count >= 3 && l[1] >= 3)) ? "[phone]" : nil
        }
        if nhs { return "[NHS number]" }
        // A mobile number without its trunk 0 (`7700 900123`), a UK number with its country code but no plus
        // (`44 7700 900123`, `447700900123`).
        if n == 10, w.head.hasPrefix("7"), l == [4, 6] { return "[phone]" }
        if n == 12, w.head == "44" { return "[phone]" }
        return nil
    }

    /// Whether ten ASCII digits form a valid NHS number (the last the modulus-11 check digit of the nine before it).
    static func isNHSNumber(_ digits: String) -> Bool {
        let d = digits.compactMap(\.wholeNumberValue)
        guard d.count == 10 else { return false }
        return NHSNumber.checkDigit(Array(d.prefix(9))) == d[9]
    }

    /// Whether `NHS`, `NHS no`, `NHS number:` or the like comes just before token `p`.
    func nhsPrefix(_ t: inout RedactionText, before p: Int) -> Bool {
        var k = p - 1
        func skip(_ t: RedactionText) {
            var n = 0
            while n < 4, k >= 0, t.kind(k) == .space || [":", ".", "#", "-"].contains(where: { t.isChar(k, $0) }) { k -= 1; n += 1 }
        }
        skip(t)
        if t.kind(k) == .word, ["no", "number", "num", "nos"].contains(t.fold(k)) {
            k -= 1
            skip(t)
        }
        return t.kind(k) == .word && t.fold(k) == "nhs"
    }

    /// A date of birth marker just before token `p` and not before `floor`: `DOB`, `D.O.B.` or `date of birth` (which
    /// the replacement takes in), or `born` / `born on` (which stays).
    func birthMarker(_ t: inout RedactionText, before p: Int, floor: Int) -> (start: Int, consume: Bool)? {
        var k = p - 1, n = 0
        while n < 4, k >= floor, t.kind(k) == .space || [":", "-", ",", "."].contains(where: { t.isChar(k, $0) }) { k -= 1; n += 1 }
        guard k >= floor, t.kind(k) == .word else { return nil }
        func word(_ j: Int, _ w: String, _ t: inout RedactionText) -> Bool { j >= floor && t.kind(j) == .word && t.fold(j) == w }
        switch t.fold(k) {
        case "dob": return (k, true)
        case "born": return (k, false)
        case "on": return t.kind(k - 1) == .space && word(k - 2, "born", &t) ? (k - 2, false) : nil
        case "birth":
            return t.kind(k - 1) == .space && word(k - 2, "of", &t) && t.kind(k - 3) == .space && word(k - 4, "date", &t)
                ? (k - 4, true) : nil
        case "b":
            return t.isChar(k - 1, ".") && word(k - 2, "o", &t) && t.isChar(k - 3, ".") && word(k - 4, "d", &t) ? (k - 4, true) : nil
        default: return nil
        }
    }

    /// A separator inside a written date: spaces, or one of `- / . ,` with optional spaces after it.
    func dateSeparator(_ t: RedactionText, at j: Int) -> (next: Int, mark: Character?)? {
        var k = j, mark: Character?
        if t.kind(k) == .space, t.length(k) <= 3 { k += 1 }
        if let c = ["-", "/", ".", ","].first(where: { t.isChar(k, $0) }) {
            mark = c
            k += 1
            if t.kind(k) == .space, t.length(k) <= 3 { k += 1 }
        }
        return k > j ? (k, mark) : nil
    }

    /// A day of the month at `j` (1 to 31, with an ordinal suffix), returning the token after it.
    func day(_ t: inout RedactionText, at j: Int) -> Int? {
        guard t.kind(j) == .digits, t.length(j) <= 2, let d = Int(t.digits(j)), (1...31).contains(d) else { return nil }
        if t.kind(j + 1) == .word, ["st", "nd", "rd", "th"].contains(t.fold(j + 1)) { return j + 2 }
        return j + 1
    }

    /// A month name at `j` (full or abbreviated, with an optional full stop), returning the token after it.
    func month(_ t: inout RedactionText, at j: Int) -> Int? {
        guard t.kind(j) == .word, Redactor.monthNames.contains(t.fold(j)) else { return nil }
        return t.isChar(j + 1, ".") && t.length(j) <= 4 ? j + 2 : j + 1
    }

    /// A year at `j` after a separator, not run into a word (`2000mg`): four digits, or two after `-`, `/` or `.`
    /// (`01-Feb-80`), or after a space when `short` (a date of birth: `DOB 1 Feb 80`).
    func year(_ t: RedactionText, at j: Int, mark: Character?, short: Bool = false) -> Int? {
        // `'80`: two digits after an apostrophe are a year however they are written.
        if t.isChar(j, "'"), t.kind(j + 1) == .digits, t.length(j + 1) == 2, t.kind(j + 2) != .word { return j + 2 }
        guard t.kind(j) == .digits, t.kind(j + 1) != .word else { return nil }
        let n = t.length(j)
        return n == 4 || (n == 2 && ((mark != nil && mark != ",") || (mark == nil && short))) ? j + 1 : nil
    }

    /// A written date starting at `i`: `1 February 1980`, `1st of Feb, 1980`, `01-Feb-80`, `1 Feb '80`,
    /// `February 1, 1980`, `Feb-01-1980`, `Feb/01/80`.
    func writtenDate(_ t: inout RedactionText, at i: Int, floor: Int) -> Span? {
        var end: Int?
        if let afterDay = day(&t, at: i), var s1 = dateSeparator(t, at: afterDay) {
            if s1.mark == nil, t.kind(s1.next) == .word, t.fold(s1.next) == "of", t.kind(s1.next + 1) == .space {
                s1 = (s1.next + 2, nil)
            }
            if let afterMonth = month(&t, at: s1.next), let s2 = dateSeparator(t, at: afterMonth) {
                end = year(t, at: s2.next, mark: s2.mark)
                if end == nil, birthMarker(&t, before: i, floor: floor) != nil { end = year(t, at: s2.next, mark: s2.mark, short: true) }
            }
        } else if t.fold(i) != "may" || t.isCapitalised(i),  // "you may 2 ..." is not May
                  let afterMonth = month(&t, at: i),
                  // `Feb.01.1980`: the month's own full stop is the first mark.
                  let s1 = dateSeparator(t, at: afterMonth) ?? (t.isChar(afterMonth - 1, ".") && t.kind(afterMonth) == .digits ? (afterMonth, ".") : nil),
                  s1.mark != ",",
                  let afterDay = day(&t, at: s1.next), let s2 = dateSeparator(t, at: afterDay) {
            if s2.mark == nil || s2.mark == "," {
                end = t.kind(s2.next) == .digits && t.length(s2.next) == 4 && t.kind(s2.next + 1) != .word ? s2.next + 1 : nil
            } else if s2.mark == s1.mark {
                // The same mark twice (`Feb-01-1980`, `Feb/01/80`): a year of four digits or two.
                end = year(t, at: s2.next, mark: s2.mark)
            }
        }
        guard let end else { return nil }
        if let marker = birthMarker(&t, before: i, floor: floor) { return (marker.consume ? marker.start : i, end, "[date of birth]") }
        return (i, end, "[date]")
    }
}
