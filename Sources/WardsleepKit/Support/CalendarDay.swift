/// A calendar date with no time zone: the day a ward recorded something on.
///
/// Stored as the number of days since 1970-01-01 so that comparisons, ranges and night attribution are integer
/// arithmetic; no `Calendar`, `Locale` or `DateFormatter` is ever involved.
public struct CalendarDay: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Days since 1970-01-01 (negative before).
    public var dayNumber: Int

    /// Creates a day from its day number.
    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// Creates a day from a proleptic Gregorian year, month and day; `nil` if no such date exists (31/02/2019).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDay.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        dayNumber = era * 146_097 + doe - 719_468
    }

    /// The year, month and day of this date.
    public var components: (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// The number of days in a month.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The day `n` days later (earlier when negative).
    public func adding(days n: Int) -> CalendarDay { CalendarDay(dayNumber: dayNumber + n) }

    /// ISO 8601, `2019-03-05`.
    public var iso: String {
        let (y, m, d) = components
        return "\(y)-\(pad2(m))-\(pad2(d))"
    }

    /// UK style, `05/03/2019`.
    public var ukFormatted: String {
        let (y, m, d) = components
        return "\(pad2(d))/\(pad2(m))/\(y)"
    }

    /// Calendar months since January of year 0 (year × 12 + month − 1): consecutive months differ by one.
    public var monthNumber: Int {
        let (y, m, _) = components
        return y * 12 + m - 1
    }

    /// The first day of the month `monthNumber` counts.
    public init(firstDayOfMonthNumber n: Int) {
        let year = n >= 0 ? n / 12 : (n - 11) / 12
        self = CalendarDay(year: year, month: n - year * 12 + 1, day: 1)!
    }

    /// The first day of the month this day falls in.
    public var startOfMonth: CalendarDay {
        let (y, m, _) = components
        return CalendarDay(year: y, month: m, day: 1)!
    }

    /// Day of the week, 1 = Monday ... 7 = Sunday (ISO 8601).
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let r = (dayNumber + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    public var description: String { iso }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.dayNumber < b.dayNumber }
}

/// An inclusive range of days, as study periods are written (`from` and `to` both count).
public struct DayRange: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The first day.
    public var from: CalendarDay
    /// The last day (inclusive).
    public var to: CalendarDay

    /// Creates a range; `from` must not be after `to`.
    public init(from: CalendarDay, to: CalendarDay) {
        self.from = from
        self.to = to
    }

    /// Whether `day` lies in the range.
    public func contains(_ day: CalendarDay) -> Bool { day >= from && day <= to }

    /// The number of days in the range.
    public var length: Int { to.dayNumber - from.dayNumber + 1 }

    /// The overlap with another range, if any.
    public func clamped(to other: DayRange) -> DayRange? {
        let start = max(from, other.from), end = min(to, other.to)
        return start <= end ? DayRange(from: start, to: end) : nil
    }

    public var description: String { "\(from.iso) to \(to.iso)" }
}

/// A time of day on the ward clock, in seconds after midnight.
public struct ClockTime: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Seconds after midnight, 0..<86400.
    public var secondsAfterMidnight: Int

    /// Creates a time; `nil` unless 0 ≤ hour < 24, 0 ≤ minute < 60, 0 ≤ second < 60.
    public init?(hour: Int, minute: Int, second: Int = 0) {
        guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else { return nil }
        secondsAfterMidnight = hour * 3600 + minute * 60 + second
    }

    /// `HH:MM`, with `:SS` only when seconds are not zero.
    public var description: String {
        let h = secondsAfterMidnight / 3600, m = secondsAfterMidnight / 60 % 60, s = secondsAfterMidnight % 60
        return s == 0 ? "\(pad2(h)):\(pad2(m))" : "\(pad2(h)):\(pad2(m)):\(pad2(s))"
    }

    public static func < (a: ClockTime, b: ClockTime) -> Bool { a.secondsAfterMidnight < b.secondsAfterMidnight }
}

@inline(__always) func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

extension CalendarDay {
    /// Month names, January first, as dates are written for people.
    public static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]
}
