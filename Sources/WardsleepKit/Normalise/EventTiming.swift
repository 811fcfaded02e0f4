/// When an event happened relative to the study: its period, its night and whether it fell in the protected window.
public struct EventTiming: Sendable, Equatable {
    /// Baseline, pilot, or `nil` outside both (by the event's own date and the ward's periods).
    public var period: StudyPeriod?
    /// The night the event belongs to (an event at 02:10 on 5 March belongs to the night of 4 March); `nil` without a time.
    public var night: CalendarDay?
    /// Whether the clock time lies in the protected window; `nil` without a time.
    public var inProtectedWindow: Bool?

    /// The hour at which one night ends and the next day's attribution begins.
    public static let nightBoundaryHour = 12

    /// Works out the timing of an event on `day` at `time` on a ward with `periods`.
    public init(day: CalendarDay, time: ClockTime?, periods: StudyPeriods, window: ProtectedWindow) {
        period = periods.period(of: day)
        if let time {
            night = time.secondsAfterMidnight < EventTiming.nightBoundaryHour * 3600 ? day.adding(days: -1) : day
            inProtectedWindow = window.contains(time)
        }
    }
}
