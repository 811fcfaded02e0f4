/// Dates and lists written for people.
public enum ProseFormat {
    /// `1 January 2018`.
    public static func date(_ d: CalendarDay) -> String {
        let (y, m, day) = d.components
        return "\(day) \(FieldParsing.monthNames[m - 1]) \(y)"
    }

    /// `1 January 2018 to 31 August 2018`.
    public static func range(_ r: DayRange) -> String { "\(date(r.from)) to \(date(r.to))" }

    /// Escapes text for a Markdown table cell.
    public static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}

/// How counts are shown in one copy of the report: published (disclosure-controlled) or exact (restricted copy).
public struct CountStyle: Sendable {
    /// The disclosure policy, or `nil` for exact counts.
    public var policy: DisclosurePolicy?

    /// Published counts under `policy`.
    public static func published(_ policy: DisclosurePolicy) -> CountStyle { CountStyle(policy: policy) }
    /// Exact counts (restricted outputs only).
    public static let exact = CountStyle(policy: nil)

    /// The text for a count.
    public func show(_ n: Int) -> String {
        guard let policy else { return NumberFormat.grouped(n) }
        switch Disclosure.publish(n, policy: policy) {
        case .suppressed: return "*"
        case .value(let v): return NumberFormat.grouped(v)
        }
    }

    /// A count for JSON: the number (exact or rounded), or the string `*` when suppressed.
    public func json(_ n: Int) -> JSONValue {
        guard let policy else { return .int(n) }
        switch Disclosure.publish(n, policy: policy) {
        case .suppressed: return .string("*")
        case .value(let v): return .int(v)
        }
    }

    /// The sensitivity of outputs written in this style.
    public var sensitivity: Sensitivity { policy == nil ? .restricted : .releasable }
}
