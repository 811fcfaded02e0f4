extension FieldParsing {
    /// A date, or a date and time, in the layouts nearly every export writes, read in one pass straight off the bytes:
    /// `dd/mm/yyyy` (or `mm/dd/yyyy`, as `order` says) or `yyyy-mm-dd`, then optionally a space or `T` and `HH:MM` or
    /// `HH:MM:SS`. It gives what `dateTime` gives for such a cell, and the order its date can only be read in (what
    /// `evidentOrder` says of it). `nil` for any other layout and for anything wrong (a month 13, a 31 April, an hour
    /// 24): the general path then reads it, or explains why it cannot.
    @inline(__always) static func commonDateTime(_ p: UnsafeBufferPointer<UInt8>, order: DateOrder)
        -> (day: CalendarDay, time: ClockTime?, evident: DateOrder?)? {
        let n = p.count
        guard n == 10 || n == 16 || n == 19, let base = p.baseAddress else { return nil }
        /// The digit at `k`, or a value of 10 or more when the byte is not a digit.
        @inline(__always) func digit(_ k: Int) -> Int { Int(base[k] &- 0x30) }
        @inline(__always) func pair(_ k: Int) -> Int? {
            let a = digit(k), b = digit(k + 1)
            return a < 10 && b < 10 ? a * 10 + b : nil
        }
        let year: Int, month: Int, day: Int
        var evident: DateOrder?
        if base[2] == UInt8(ascii: "/"), base[5] == UInt8(ascii: "/") {
            guard order != .iso, let a = pair(0), let b = pair(3), let y0 = pair(6), let y1 = pair(8) else { return nil }
            year = y0 * 100 + y1
            (month, day) = order == .mdy ? (a, b) : (b, a)
            if a > 12 && a <= 31 && b >= 1 && b <= 12 { evident = .dmy } else if b > 12 && b <= 31 && a >= 1 && a <= 12 { evident = .mdy }
        } else if base[4] == UInt8(ascii: "-"), base[7] == UInt8(ascii: "-") {
            guard let y0 = pair(0), let y1 = pair(2), let m = pair(5), let d = pair(8) else { return nil }
            (year, month, day) = (y0 * 100 + y1, m, d)
        } else {
            return nil
        }
        guard month >= 1, month <= 12, year >= 1800, year <= 2200, let calendarDay = CalendarDay(year: year, month: month, day: day)
        else { return nil }
        guard n > 10 else { return (calendarDay, nil, evident) }
        guard base[10] == 0x20 || base[10] == UInt8(ascii: "T"), base[13] == UInt8(ascii: ":"),
              let hour = pair(11), let minute = pair(14) else { return nil }
        var second = 0
        if n == 19 {
            guard base[16] == UInt8(ascii: ":"), let s = pair(17) else { return nil }
            second = s
        }
        guard let time = ClockTime(hour: hour, minute: minute, second: second) else { return nil }
        return (calendarDay, time, evident)
    }
}
