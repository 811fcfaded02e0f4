/// The ward-days an occupancy census covers, so that rates add up events and exposure over the same days.
///
/// Occupied bed days come from the census rows there are; a day without one adds no exposure. An event on such a day
/// (the census export missing a month, a ward's census starting late, a ward without a census in the pilot) would add
/// to a rate's numerator with nothing in its denominator, overstating that period's rate. With an occupancy export, an
/// incident or a dose given on a ward-day without a census is therefore left out of every count and rate, and counted
/// here, by export, ward and period, for the data-quality section. A pharmacy issue, a supply for weeks ahead, is left
/// out only when its ward has no census at all in the calendar month it was issued in. Without an occupancy export,
/// exposure is days in each ward's periods and nothing is left out.
public final class CensusCoverage: @unchecked Sendable {
    /// The wards, the first day number of the day bits, the days they span (the wards' periods, end to end) and the
    /// words each ward's day bits take.
    private let wards: Int, base: Int, length: Int, dayWords: Int
    /// Census days: a bit per day from `base`, `dayWords` words per ward, one ward after another.
    private var days: [UInt64]
    /// The first calendar month (`CalendarDay.monthNumber`) of the months the days span, how many there are and the
    /// words each ward's month bits take.
    private let firstMonth: Int, monthCount: Int, monthWords: Int
    /// Calendar months with a census day: a bit per month from `firstMonth`, `monthWords` words per ward.
    private var months: [UInt64]
    /// The last day added and its calendar month (a census stays on one day for a ward after another).
    private var lastDay = CalendarDay(dayNumber: .min), lastMonth = 0

    /// Events left out for want of a census, by export, ward index and period.
    public private(set) var leftOut: [ExportKind: [Int: [StudyPeriod: Int]]] = [:]

    /// Coverage for the wards and periods of `study`, empty until census rows are added.
    public init(study: StudyDefinition) {
        let ranges = study.wards.indices.flatMap { w in StudyPeriod.allCases.map { study.periods(forWard: w)[$0] } }
        let first = ranges.map(\.from.dayNumber).min() ?? 0, last = ranges.map(\.to.dayNumber).max() ?? 0
        wards = study.wards.count
        base = first
        length = max(0, last - first + 1)
        dayWords = (length + 63) / 64
        days = Array(repeating: 0, count: dayWords * wards)
        firstMonth = CalendarDay(dayNumber: first).monthNumber
        monthCount = length == 0 ? 0 : CalendarDay(dayNumber: last).monthNumber - firstMonth + 1
        monthWords = (monthCount + 63) / 64
        months = Array(repeating: 0, count: monthWords * wards)
    }

    /// Notes a census row.
    func add(ward: Int, day: CalendarDay) {
        guard ward >= 0, ward < wards else { return }
        let i = day.dayNumber - base
        if i >= 0 && i < length { days[ward * dayWords + (i >> 6)] |= 1 << UInt64(i & 63) }
        if day != lastDay {
            lastDay = day
            lastMonth = day.monthNumber
        }
        let m = lastMonth - firstMonth
        if m >= 0 && m < monthCount { months[ward * monthWords + (m >> 6)] |= 1 << UInt64(m & 63) }
    }

    /// Whether the ward has a census on `day`. Days outside every period are said to be covered: no analysis counts them.
    public func covers(ward: Int, day: CalendarDay) -> Bool {
        let i = day.dayNumber - base
        guard ward >= 0, ward < wards, i >= 0, i < length else { return true }
        return days[ward * dayWords + (i >> 6)] & (1 << UInt64(i & 63)) != 0
    }

    /// Whether the ward has a census on any day of the calendar month of `day`. Months with no day in any period are
    /// said to be covered, as days are: no analysis counts them.
    public func coversMonth(ward: Int, day: CalendarDay) -> Bool {
        let m = day.monthNumber - firstMonth
        guard ward >= 0, ward < wards, m >= 0, m < monthCount else { return true }
        return months[ward * monthWords + (m >> 6)] & (1 << UInt64(m & 63)) != 0
    }

    /// Counts an event left out (only one in a period: others count nowhere anyway).
    func leaveOut(_ export: ExportKind, ward: Int, period: StudyPeriod?) {
        guard let period else { return }
        leftOut[export, default: [:]][ward, default: [:]][period, default: 0] += 1
    }

    /// Events of `export` left out in `period` over the wards (all when `wards` is nil).
    public func leftOut(_ export: ExportKind, period: StudyPeriod, wards: [Int]? = nil) -> Int {
        (leftOut[export] ?? [:]).reduce(0) { sum, entry in
            wards.map { $0.contains(entry.key) } ?? true ? sum + (entry.value[period] ?? 0) : sum
        }
    }

    /// Events of `export` left out, by period, over `wards`.
    public func leftOutByPeriod(_ export: ExportKind, wards: [Int]) -> [StudyPeriod: Int] {
        Dictionary(uniqueKeysWithValues: StudyPeriod.allCases.map { ($0, leftOut(export, period: $0, wards: wards)) })
    }
}
