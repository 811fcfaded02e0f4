extension FieldParsing {
    /// A date, or a date and time, in the layouts nearly every export writes, read in one pass straight off the bytes:
    /// a day and a month of one or two digits and a four-digit year, between slashes, hyphens or dots (`05/03/2019`,
    /// `5/3/2019`, `05-03-2019`; the day or the month first, as `order` says), or with the month named (`05-Mar-2019`,
    /// `MAR-05-2019`), or `yyyy-mm-dd`; then optionally a space or `T` and a time (`commonTime`). It gives what
    /// `dateTime` gives for such a cell, and the order its date can only be read in (what `evidentOrder` says of it).
    /// `nil` for any other layout and for anything wrong (a month 13, a 31 April, an hour 24): the general path then
    /// reads it, or explains why it cannot.
    ///
    /// With a `memo` (a reader's, for the rows of one export in turn), a date part the same as the last one read is not
    /// read again: an export's rows come in date order, so nearly every row's date is the row before's.
    @inline(__always) static func commonDateTime(_ p: UnsafeBufferPointer<UInt8>, order: DateOrder, memo: UnsafeMutablePointer<DayMemo>? = nil)
        -> (day: CalendarDay, time: ClockTime?, evident: DateOrder?)? {
        let n = p.count
        guard n >= 8, let base = p.baseAddress else { return nil }
        // The date part: 8 to 16 bytes (`d/m/yyyy` to `dd/mm/yyyy`, `01-Jan-2019`, `01-March-2019`), up to a space or
        // a `T` after a digit.
        var end = 8
        if n == 10 || (n > 10 && base[10] == 0x20 && base[8] &- 0x30 < 10 && base[9] &- 0x30 < 10) {
            end = 10  // `dd/mm/yyyy` or `yyyy-mm-dd`, alone or before a space: nearly every cell, known without the scan
        } else {
            while end < n, end < 17, base[end] != 0x20, !(base[end] == UInt8(ascii: "T") && base[end - 1] &- 0x30 < 10) { end += 1 }
            guard end <= 16 else { return nil }
        }
        // The date part's bytes, as its first eight and its last eight (which overlap when it is shorter than 16).
        let raw = UnsafeRawPointer(base)
        let key = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self))
        let calendarDay: CalendarDay, evident: DateOrder?
        if let memo, memo.pointee.order == order, memo.pointee.count == end, memo.pointee.key == key {
            (calendarDay, evident) = (memo.pointee.day, memo.pointee.evident)
        } else {
            guard let read = commonDay(base, count: end, order: order) else { return nil }
            (calendarDay, evident) = read
            memo?.pointee = DayMemo(key: key, count: end, order: order, day: calendarDay, evident: evident)
        }
        guard end < n else { return (calendarDay, nil, evident) }
        guard end + 1 < n, base[end] == 0x20 || base[end] == UInt8(ascii: "T"),
              let time = commonTime(base + end + 1, count: n - end - 1) else { return nil }
        return (calendarDay, time, evident)
    }

    /// A time as exports write it, straight off the bytes: `H:MM`, `HH:MM`, `H:MM:SS` or `HH:MM:SS`, the seconds
    /// optionally with a fraction (`22:05:00.000`, ignored), on the 24-hour clock or with `AM` or `PM` after it. What
    /// `generalTime` gives for such a cell; `nil` for any other form (`2205`) and for anything wrong (`24:00`,
    /// `13:00 PM`), which `generalTime` then reads or explains.
    @inline(__always) static func commonTime(_ base: UnsafePointer<UInt8>, count: Int) -> ClockTime? {
        // `HH:MM`, as nearly every export writes it, at fixed places.
        if count == 5, base[2] == UInt8(ascii: ":"), let hour = pair(base, 0), let minute = pair(base, 3) {
            return ClockTime(hour: hour, minute: minute)
        }
        guard count >= 4 else { return nil }
        var n = count, pm: Bool?
        if case let last = base[n - 1] | 0x20, last == UInt8(ascii: "m") || last == UInt8(ascii: ".") {
            // The 12-hour clock (`10:05 PM`, `4:51 a.m.`): the time before its `AM` or `PM`.
            guard let suffix = twelveHourSuffix(UnsafeBufferPointer(start: base, count: n)[...]) else { return nil }
            (n, pm) = (suffix.start, suffix.pm)
        }
        guard n >= 4, let (read, colon) = oneOrTwoDigits(base, 0, n), colon + 3 <= n, base[colon] == UInt8(ascii: ":"),
              let minute = pair(base, colon + 1) else { return nil }
        var hour = read
        var i = colon + 3, second = 0
        if i < n {
            guard i + 3 <= n, base[i] == UInt8(ascii: ":"), let s = pair(base, i + 1) else { return nil }
            second = s
            i += 3
            if i < n {
                guard i + 1 < n, base[i] == UInt8(ascii: ".") else { return nil }
                for k in (i + 1)..<n where base[k] &- 0x30 >= 10 { return nil }
            }
        }
        if let pm {
            guard hour >= 1, hour <= 12 else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        return ClockTime(hour: hour, minute: minute, second: second)
    }

    /// Two digits at `k` as a number, or `nil` when either byte is not a digit.
    @inline(__always) private static func pair(_ base: UnsafePointer<UInt8>, _ k: Int) -> Int? {
        let a = Int(base[k] &- 0x30), b = Int(base[k + 1] &- 0x30)
        return a < 10 && b < 10 ? a * 10 + b : nil
    }

    /// One or two digits at `k` (of `n` bytes) as a number, and the place after them; `nil` when `k` is not a digit.
    @inline(__always) private static func oneOrTwoDigits(_ base: UnsafePointer<UInt8>, _ k: Int, _ n: Int) -> (Int, Int)? {
        guard k < n, case let a = Int(base[k] &- 0x30), a < 10 else { return nil }
        guard k + 1 < n, case let b = Int(base[k + 1] &- 0x30), b < 10 else { return (a, k + 1) }
        return (a * 10 + b, k + 2)
    }

    /// One or two digits at `k`, or a month's name (`monthNumber`) running to the next `/`, `-` or `.`: its number,
    /// whether it is a name, and the place after it; `nil` for anything else.
    @inline(__always) private static func dayOrMonth(_ base: UnsafePointer<UInt8>, _ k: Int, _ n: Int) -> (Int, Bool, Int)? {
        if let (v, next) = oneOrTwoDigits(base, k, n) { return (v, false, next) }
        var e = k
        while e < n, case let c = base[e] | 0x20, c >= UInt8(ascii: "a"), c <= UInt8(ascii: "z") { e += 1 }
        guard let month = monthNumber(UnsafeBufferPointer(start: base, count: n)[k..<e]) else { return nil }
        return (month, true, e)
    }

    /// The date in the `n` bytes at `base` (8 to 16), in one of the common layouts, with the order it can only be read in.
    private static func commonDay(_ base: UnsafePointer<UInt8>, count n: Int, order: DateOrder) -> (CalendarDay, DateOrder?)? {
        let year: Int, month: Int, day: Int
        var evident: DateOrder?
        if n == 10, base[4] == UInt8(ascii: "-"), base[7] == UInt8(ascii: "-") {
            guard let y0 = pair(base, 0), let y1 = pair(base, 2), let m = pair(base, 5), let d = pair(base, 8) else { return nil }
            (year, month, day) = (y0 * 100 + y1, m, d)
        } else {
            guard order != .iso, let (a, aWord, first) = dayOrMonth(base, 0, n), first < n, case let separator = base[first],
                  separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") || separator == UInt8(ascii: "."),
                  let (b, bWord, second) = dayOrMonth(base, first + 1, n), !(aWord && bWord), second + 5 == n,
                  base[second] == separator, let y0 = pair(base, second + 1), let y1 = pair(base, second + 3) else { return nil }
            year = y0 * 100 + y1
            if aWord || bWord {
                (month, day) = aWord ? (a, b) : (b, a)  // a month named is read in either order
            } else {
                (month, day) = order == .mdy ? (a, b) : (b, a)
                if a > 12 && a <= 31 && b >= 1 && b <= 12 { evident = .dmy } else if b > 12 && b <= 31 && a >= 1 && a <= 12 { evident = .mdy }
            }
        }
        guard month >= 1, month <= 12, year >= 1800, year <= 2200, let calendarDay = CalendarDay(year: year, month: month, day: day)
        else { return nil }
        return (calendarDay, evident)
    }
}

/// The last date part a reader read in a common layout (its bytes, how many, the order it was read in) and what it gave.
struct DayMemo {
    /// The date part's first eight bytes and its last eight.
    var key: (UInt64, UInt64)
    var count: Int
    /// `nil` while nothing has been read.
    var order: DateOrder?
    var day: CalendarDay
    var evident: DateOrder?

    /// Nothing read yet.
    static let empty = DayMemo(key: (0, 0), count: 0, order: nil, day: CalendarDay(dayNumber: 0), evident: nil)
}
