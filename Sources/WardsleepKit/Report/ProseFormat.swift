/// Dates and lists written for people.
public enum ProseFormat {
    /// `1 January 2018`.
    public static func date(_ d: CalendarDay) -> String {
        let (y, m, day) = d.components
        return "\(day) \(FieldParsing.monthNames[m - 1]) \(y)"
    }

    /// `1 January 2018 to 31 August 2018`.
    public static func range(_ r: DayRange) -> String { "\(date(r.from)) to \(date(r.to))" }

    /// Escapes a label for a Markdown table cell (or anywhere else in the text): see `MarkdownText.escape`.
    public static func cell(_ s: String) -> String { MarkdownText.escape(s) }
}

/// How counts are shown in one copy of the report: published (disclosure-controlled) or exact (restricted copy).
public struct CountStyle: Sendable {
    /// The disclosure policy, or `nil` for exact counts.
    public var policy: DisclosurePolicy?

    /// Published counts under `policy`.
    public static func published(_ policy: DisclosurePolicy) -> CountStyle { CountStyle(policy: policy) }
    /// Exact counts (restricted outputs only).
    public static let exact = CountStyle(policy: nil)

    /// The text for a count, thousands grouped (`*` when suppressed).
    public func show(_ n: Int) -> String {
        let p = publish(n)
        return p.value.map(NumberFormat.grouped) ?? p.text
    }

    /// A count as published: its text (exact, rounded or `*`) and the number behind it, `nil` when suppressed.
    /// Everything derived from a count in a releasable output is computed from this number.
    public func publish(_ n: Int) -> (text: String, value: Int?) {
        guard let policy else { return (String(n), n) }
        let p = Disclosure.publish(n, policy: policy)
        return (p.description, p.number)
    }

    /// A count for JSON: the number (exact or rounded), or the string `*` when suppressed.
    public func json(_ n: Int) -> JSONValue {
        let p = publish(n)
        return p.value.map { .int($0) } ?? .string(p.text)
    }

    /// The sensitivity of outputs written in this style.
    public var sensitivity: Sensitivity { policy == nil ? .restricted : .releasable }
}

extension WardDefinition {
    /// The ward as a table shows it: `A1 Acute male`, or the id alone when the name says the same thing (`Ward A`, not
    /// `Ward A Ward A`; case and spacing ignored, as ward labels are matched).
    public var label: String {
        WardDefinition.normalisedLabel(name) == WardDefinition.normalisedLabel(id) || name.isEmpty ? id : "\(id) \(name)"
    }
}
