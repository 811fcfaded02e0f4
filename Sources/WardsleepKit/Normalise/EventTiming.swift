/// When an event happened relative to the study: its period, its night and whether it fell in the protected window.
public struct EventTiming: Sendable, Equatable {
    /// Baseline, pilot, or `nil` outside both (by the event's own date and the ward's periods).
    public var period: StudyPeriod?
    /// The night the event belongs to (an event at 02:10 on 5 March belongs to the night of 4 March); `nil` without a time.
    /// No count uses it: periods go by the calendar date (`period`), the window by the clock time (`countingRules`).
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

extension EventTiming {
    /// How incidents are placed, in words for the methods, written by running the rules themselves on the study's own
    /// boundaries: the first minute of the pilot and the minute before it, and the two edges of the protected window.
    /// A test checks the counts agree with these words at 11:59, 12:00, 23:59, 00:00 and each window edge.
    public static func countingRules(_ study: StudyDefinition) -> String {
        let window = study.protectedWindow, start = study.periods.pilot.from, before = start.adding(days: -1)
        let midnight = ClockTime(hour: 0, minute: 0)!, lastMinute = ClockTime(hour: 23, minute: 59)!
        func placed(_ day: CalendarDay, _ time: ClockTime) -> String {
            let period = EventTiming(day: day, time: time, periods: study.periods, window: window).period
            return period.map { "counts in the \($0.rawValue)" } ?? "falls outside both periods"
        }
        func side(_ time: ClockTime) -> String {
            EventTiming(day: start, time: time, periods: study.periods, window: window).inProtectedWindow == true ? "inside it" : "outside it"
        }
        var text = "Each incident is placed in a period by the calendar date it happened on and its ward's period dates, "
        text += "whatever the time: one at \(midnight) on \(ProseFormat.date(start)) \(placed(start, midnight)), one at \(lastMinute) on "
        text += "\(ProseFormat.date(before)) \(placed(before, lastMinute)). "
        text += "It is in the protected window when its recorded time is from \(window.start) up to, not including, \(window.end) on the "
        text += "ward clock (\(window.start) is \(side(window.start)), \(window.end) is \(side(window.end))); an incident without a time "
        text += "counts over 24 hours only."
        return text
    }

    /// The period rule in one phrase, for results.json.
    public static let periodRule = "none: an event is placed in a period by the calendar date it happened on, whatever the time"
}
