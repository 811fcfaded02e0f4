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

    /// A count as published, or `*` when `withheld` to protect a small one (`SecondarySuppression`): every count the
    /// release step may withhold is shown through this.
    public func publish(_ n: Int, withheld: Bool) -> (text: String, value: Int?) { withheld ? ("*", nil) : publish(n) }

    /// The text, thousands grouped, of a count that may be withheld.
    public func show(_ n: Int, withheld: Bool) -> String {
        let p = publish(n, withheld: withheld)
        return p.value.map(NumberFormat.grouped) ?? p.text
    }

    /// The JSON of a count that may be withheld.
    public func json(_ n: Int, withheld: Bool) -> JSONValue { withheld ? .string("*") : json(n) }

    /// The sensitivity of outputs written in this style.
    public var sensitivity: Sensitivity { policy == nil ? .restricted : .releasable }
}
