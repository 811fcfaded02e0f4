/// An export's accounting as a copy of the report shows it.
///
/// Row counts are counts too: rows read, accepted and set aside, read beside the published incident totals, would give
/// back the exact number of incidents analysed. A releasable copy publishes each of them under the disclosure policy and
/// computes the quarantined percentage from the published counts; the exact accounting stays on the terminal, in the
/// run ledger and in restricted outputs.
public struct ReleasedTally: Sendable {
    /// The tally behind it (its file facts: name, encoding).
    public var tally: ExportTally
    /// Rows read, accepted and quarantined, as shown (`*` when suppressed).
    public var rowsRead: String, accepted: String, quarantined: String
    /// The same counts for JSON (a number, or `*`).
    public var rowsReadJSON: JSONValue, acceptedJSON: JSONValue, quarantinedJSON: JSONValue
    /// The quarantined percentage from the shown counts, or `nil` when a count it needs is suppressed.
    public var quarantinedPercent: Double?
    /// Rows set aside by reason, as shown, and as JSON.
    public var setAside: [(reason: String, text: String, json: JSONValue)]

    /// The tally shown in `style`.
    public init(_ t: ExportTally, style: CountStyle) {
        tally = t
        // A row count withheld to protect a small one (`SecondarySuppression`) is shown as a suppressed one is.
        func shown(_ n: Int, _ c: ExportTally.RowCount) -> (text: String, value: Int?) {
            style.publish(n, withheld: t.withheld?.contains(c) == true)
        }
        let read = shown(t.rowsRead, .read), ok = shown(t.accepted, .accepted), bad = shown(t.quarantined, .quarantined)
        func text(_ p: (text: String, value: Int?)) -> String { p.value.map(NumberFormat.grouped) ?? p.text }
        func json(_ p: (text: String, value: Int?)) -> JSONValue { p.value.map { .int($0) } ?? .string(p.text) }
        rowsRead = text(read); accepted = text(ok); quarantined = text(bad)
        rowsReadJSON = json(read); acceptedJSON = json(ok); quarantinedJSON = json(bad)
        if let r = read.value, let q = bad.value { quarantinedPercent = r == 0 ? 0 : Double(q) * 100 / Double(r) } else { quarantinedPercent = nil }
        setAside = t.setAside.sorted { $0.key < $1.key }.map { reason, n in
            let p = shown(n, .setAside(reason))
            return (reason, text(p), json(p))
        }
    }

    /// The quarantined percentage to one decimal, `*` when withheld.
    public var percentText: String { quarantinedPercent.map { NumberFormat.fixed($0, 1) } ?? "*" }
}
