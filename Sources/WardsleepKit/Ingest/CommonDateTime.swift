extension FieldParsing {
    /// A date, or a date and time, in the layouts nearly every export writes, read in one pass straight off the bytes:
    /// `dd/mm/yyyy` (or `mm/dd/yyyy`, as `order` says) or `yyyy-mm-dd`, then optionally a space or `T` and `HH:MM` or
    /// `HH:MM:SS`. It gives what `dateTime` gives for such a cell, and the order its date can only be read in (what
    /// `evidentOrder` says of it). `nil` for any other layout and for anything wrong (a month 13, a 31 April, an hour
    /// 24): the general path then reads it, or explains why it cannot.
    ///
    /// With a `memo` (a reader's, for the rows of one export in turn), a date part the same as the last one read is not
    /// read again: an export's rows come in date order, so nearly every row's date is the row before's.
    @inline(__always) static func commonDateTime(_ p: UnsafeBufferPointer<UInt8>, order: DateOrder, memo: UnsafeMutablePointer<DayMemo>? = nil)
        -> (day: CalendarDay, time: ClockTime?, evident: DateOrder?)? {
        let n = p.count
        guard n == 10 || n == 16 || n == 19, let base = p.baseAddress else { return nil }
        let calendarDay: CalendarDay, evident: DateOrder?
        let raw = UnsafeRawPointer(base)
        let key = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        if let memo, memo.pointee.order == order, memo.pointee.key == key {
            (calendarDay, evident) = (memo.pointee.day, memo.pointee.evident)
        } else {
            guard let read = commonDay(base, order: order) else { return nil }
            (calendarDay, evident) = read
            memo?.pointee = DayMemo(key: key, order: order, day: calendarDay, evident: evident)
        }
        guard n > 10 else { return (calendarDay, nil, evident) }
        guard base[10] == 0x20 || base[10] == UInt8(ascii: "T"), base[13] == UInt8(ascii: ":"),
              let hour = pair(base, 11), let minute = pair(base, 14) else { return nil }
        var second = 0
        if n == 19 {
            guard base[16] == UInt8(ascii: ":"), let s = pair(base, 17) else { return nil }
            second = s
        }
        guard let time = ClockTime(hour: hour, minute: minute, second: second) else { return nil }
        return (calendarDay, time, evident)
    }

    /// Two digits at `k` as a number, or `nil` when either byte is not a digit.
    @inline(__always) private static func pair(_ base: UnsafePointer<UInt8>, _ k: Int) -> Int? {
        let a = Int(base[k] &- 0x30), b = Int(base[k + 1] &- 0x30)
        return a < 10 && b < 10 ? a * 10 + b : nil
    }

    /// The date in the first ten bytes at `base`, in one of the common layouts, with the order it can only be read in.
    private static func commonDay(_ base: UnsafePointer<UInt8>, order: DateOrder) -> (CalendarDay, DateOrder?)? {
        let year: Int, month: Int, day: Int
        var evident: DateOrder?
        if base[2] == UInt8(ascii: "/"), base[5] == UInt8(ascii: "/") {
            guard order != .iso, let a = pair(base, 0), let b = pair(base, 3), let y0 = pair(base, 6), let y1 = pair(base, 8) else { return nil }
            year = y0 * 100 + y1
            (month, day) = order == .mdy ? (a, b) : (b, a)
            if a > 12 && a <= 31 && b >= 1 && b <= 12 { evident = .dmy } else if b > 12 && b <= 31 && a >= 1 && a <= 12 { evident = .mdy }
        } else if base[4] == UInt8(ascii: "-"), base[7] == UInt8(ascii: "-") {
            guard let y0 = pair(base, 0), let y1 = pair(base, 2), let m = pair(base, 5), let d = pair(base, 8) else { return nil }
            (year, month, day) = (y0 * 100 + y1, m, d)
        } else {
            return nil
        }
        guard month >= 1, month <= 12, year >= 1800, year <= 2200, let calendarDay = CalendarDay(year: year, month: month, day: day)
        else { return nil }
        return (calendarDay, evident)
    }
}

/// The last date part a reader read in a common layout (its ten bytes, the order it was read in) and what it gave.
struct DayMemo {
    var key: (UInt64, UInt16)
    /// `nil` while nothing has been read.
    var order: DateOrder?
    var day: CalendarDay
    var evident: DateOrder?

    /// Nothing read yet.
    static let empty = DayMemo(key: (0, 0), order: nil, day: CalendarDay(dayNumber: 0), evident: nil)
}
