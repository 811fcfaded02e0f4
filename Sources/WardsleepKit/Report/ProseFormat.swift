/// Dates and lists written for people.
public enum ProseFormat {
    /// `1 January 2018`.
    public static func date(_ d: CalendarDay) -> String {
        let (y, m, day) = d.components
        return "\(day) \(FieldParsing.monthNames[m - 1]) \(y)"
    }

    /// `1 January 2018 to 31 August 2018`.
    public static func range(_ r: DayRange) -> String { "\(date(r.from)) to \(date(r.to))" }
}

extension WardDefinition {
    /// The ward as a table shows it: `A1 Acute male`, or the id alone when the name says the same thing (`Ward A`, not
    /// `Ward A Ward A`; case and spacing ignored, as ward labels are matched).
    public var label: String {
        WardDefinition.normalisedLabel(name) == WardDefinition.normalisedLabel(id) || name.isEmpty ? id : "\(id) \(name)"
    }
}
