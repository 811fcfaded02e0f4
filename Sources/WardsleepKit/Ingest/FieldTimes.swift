/// Clock times, straight from a field's bytes: the 24-hour clock and the 12-hour one.
extension FieldParsing {
    /// A clock time: `HH:MM`, `H:MM`, `HH:MM:SS` (fractions of a second ignored) or `HHMM`, on the 24-hour clock or
    /// with `AM` or `PM` after it (`10:05 PM`, `4:51 am`, `12:30 a.m.`).
    public static func time(_ s: some FieldByteCollection) throws(FieldIssue) -> ClockTime {
        // The forms nearly every export writes, straight off the bytes; anything else (and anything wrong, which it
        // explains) by the general path.
        if s.count >= 4, let t = s.withFieldBuffer({ commonTime($0.baseAddress!, count: $0.count) }) { return t }
        return try generalTime(s)
    }

    /// Every form `time` accepts, and the reason for anything else.
    static func generalTime(_ s: some FieldByteCollection) throws(FieldIssue) -> ClockTime {
        var body = s[...]
        // A 12-hour clock: the hour from 1 to 12, and `AM` or `PM` (in any case, with or without dots) after the time.
        let meridiem = twelveHourSuffix(body)
        if let meridiem { body = body[body.startIndex..<meridiem.start] }
        if body.last == UInt8(ascii: "Z") || body.contains(UInt8(ascii: "+")) {
            throw FieldIssue("not a local time: time-zone offsets are not supported, export ward clock time")
        }
        if let dot = body.firstIndex(of: UInt8(ascii: ".")) { body = body[body.startIndex..<dot] }
        let pieces = body.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var h: Int?, m: Int?, sec = 0
        if pieces.count == 1, body.count == 4, body.allSatisfy(isDigit) {
            h = integerValue(body.prefix(2)); m = integerValue(body.suffix(2))
        } else if pieces.count == 2 || pieces.count == 3, pieces.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(isDigit) }),
                  pieces[1].count == 2 {
            h = integerValue(pieces[0]); m = integerValue(pieces[1])
            if pieces.count == 3 {
                guard pieces[2].count == 2, let s = integerValue(pieces[2]) else { throw FieldIssue("not a time: expected HH:MM") }
                sec = s
            }
        }
        guard var hour = h, let minute = m else {
            throw FieldIssue(meridiem == nil ? "not a time: expected HH:MM (24-hour clock)" : "not a time: expected H:MM AM or PM")
        }
        if let meridiem {
            guard (1...12).contains(hour) else {
                throw FieldIssue("no such time: on a 12-hour clock (AM or PM) the hour runs from 1 to 12, not \(hour)")
            }
            hour = hour % 12 + (meridiem.pm ? 12 : 0)
        }
        guard let t = ClockTime(hour: hour, minute: minute, second: sec) else {
            throw FieldIssue("no such time: expected 00:00 to 23:59")
        }
        return t
    }

    /// Where `AM` or `PM` ends a time (`10:05 PM`, `10:05pm`, `10:05 p.m.`; any case), the white space before it
    /// included, and which it is; `nil` when the time has neither.
    static func twelveHourSuffix<S: FieldByteCollection>(_ s: S) -> (start: S.Index, pm: Bool)? {
        var end = s.endIndex
        if end > s.startIndex, s[end - 1] == UInt8(ascii: ".") { end -= 1 }
        guard end - s.startIndex >= 3, s[end - 1] | 0x20 == UInt8(ascii: "m") else { return nil }
        var letter = end - 2
        if s[letter] == UInt8(ascii: "."), letter > s.startIndex { letter -= 1 }
        let pm: Bool
        switch s[letter] | 0x20 {
        case UInt8(ascii: "a"): pm = false
        case UInt8(ascii: "p"): pm = true
        default: return nil
        }
        var start = letter
        while start > s.startIndex, s[start - 1] == 0x20 { start -= 1 }
        guard start > s.startIndex, isDigit(s[start - 1]) else { return nil }
        return (start, pm)
    }
}
