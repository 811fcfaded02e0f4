/// Dates and lists written for people.
public enum ProseFormat {
    /// `1 January 2018`.
    public static func date(_ d: CalendarDay) -> String {
        let (y, m, day) = d.components
        return "\(day) \(CalendarDay.monthNames[m - 1]) \(y)"
    }

    /// `1 January 2018 to 31 August 2018`.
    public static func range(_ r: DayRange) -> String { "\(date(r.from)) to \(date(r.to))" }
}
