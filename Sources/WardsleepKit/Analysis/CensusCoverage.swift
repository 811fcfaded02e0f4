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
    /// The first day number of the bitsets, and the number of days they span (the wards' periods, end to end).
    private let base: Int, length: Int
    /// Census days by ward index: a bit per day from `base`.
    private var days: [[UInt64]]
    /// Calendar months (year × 12 + month) with a census day, by ward index.
    private var months: [Set<Int>]
    /// Each ward's month last added (a census stays in one month for days on end), and the last day's month.
    private var lastMonths: [Int]
    private var lastDay = CalendarDay(dayNumber: .min), lastMonth = 0
    /// Events left out for want of a census, by export, ward index and period.
    public private(set) var leftOut: [ExportKind: [Int: [StudyPeriod: Int]]] = [:]

    /// Coverage for the wards and periods of `study`, empty until census rows are added.
    public init(study: StudyDefinition) {
        let ranges = study.wards.indices.flatMap { w in StudyPeriod.allCases.map { study.periods(forWard: w)[$0] } }
        let first = ranges.map(\.from.dayNumber).min() ?? 0, last = ranges.map(\.to.dayNumber).max() ?? 0
        base = first
        length = max(0, last - first + 1)
        days = Array(repeating: Array(repeating: 0, count: (length + 63) / 64), count: study.wards.count)
        months = Array(repeating: [], count: study.wards.count)
        lastMonths = Array(repeating: .min, count: study.wards.count)
    }

    /// Notes a census row.
    func add(ward: Int, day: CalendarDay) {
        guard ward < days.count else { return }
        let i = day.dayNumber - base
        if i >= 0 && i < length { days[ward][i >> 6] |= 1 << UInt64(i & 63) }
        if day != lastDay {
            lastDay = day
            lastMonth = CensusCoverage.month(day)
        }
        if lastMonths[ward] != lastMonth {
            lastMonths[ward] = lastMonth
            months[ward].insert(lastMonth)
        }
    }

    /// Whether the ward has a census on `day`. Days outside every period are said to be covered: no analysis counts them.
    public func covers(ward: Int, day: CalendarDay) -> Bool {
        let i = day.dayNumber - base
        guard ward < days.count, i >= 0, i < length else { return true }
        return days[ward][i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    /// Whether the ward has a census on any day of the calendar month of `day`.
    public func coversMonth(ward: Int, day: CalendarDay) -> Bool {
        ward >= months.count || months[ward].contains(CensusCoverage.month(day))
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

    static func month(_ day: CalendarDay) -> Int {
        let c = day.components
        return c.year * 12 + c.month
    }
}
