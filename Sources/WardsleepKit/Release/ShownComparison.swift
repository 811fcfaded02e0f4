/// A safety comparison as one copy of the report shows it: exact counts in restricted outputs; in releasable outputs,
/// counts after disclosure control with rates and statistics recomputed from the published counts, or withheld when
/// a count is suppressed.
public struct ShownComparison: Sendable {
    /// How the row was treated.
    public enum Status: String, Sendable {
        /// Exact counts (restricted output).
        case exact
        /// Counts rounded; statistics from the rounded counts.
        case rounded
        /// A count is suppressed; the statistics that would reveal it are withheld.
        case suppressed
    }

    /// The cell shown.
    public var cell: SafetyCell
    /// Baseline count as shown (`*` when suppressed).
    public var baselineEvents: String
    /// Pilot count as shown.
    public var pilotEvents: String
    /// Baseline rate per 1,000 units of exposure, from the shown count.
    public var baselineRate: Double?
    /// Pilot rate per 1,000.
    public var pilotRate: Double?
    /// The comparison from the shown counts; `nil` when suppressed.
    public var ratio: RateRatio?
    /// Exact, rounded or suppressed.
    public var status: Status

    /// Why the comparison has a ratio but no estimate: no exposure in a period (a ward without a census there), or no
    /// events in either; `nil` when there is an estimate (or the counts are withheld).
    public var noEstimateReason: String? {
        guard let r = ratio, r.estimate == nil else { return nil }
        if cell.baselineExposure == 0 || cell.pilotExposure == 0 {
            let missing = cell.baselineExposure == 0 && cell.pilotExposure == 0 ? "either period"
                : cell.baselineExposure == 0 ? "the baseline" : "the pilot"
            return "no \(cell.unit.words) in \(missing), so no rate"
        }
        return "no events in either period"
    }

    /// Why the comparison is withheld, in a few words: its counts are small, or (`SecondarySuppression`) one is withheld
    /// so that a small count elsewhere cannot be worked out from it; `nil` when it is shown.
    public var withheldReason: String? {
        guard ratio == nil else { return nil }
        return cell.baselineWithheld == true || cell.pilotWithheld == true
            ? "withheld to protect a small count" : "counts too small to publish"
    }

    /// Percentage change of the rate, pilot against baseline; `nil` when the baseline rate is zero or unknown.
    public var percentChange: Double? {
        guard let b = baselineRate, let p = pilotRate, b > 0 else { return nil }
        return (p / b - 1) * 100
    }

    /// Shows `cell` in `style`.
    public init(_ cell: SafetyCell, style: CountStyle, confidence: Double = 0.95) {
        self.cell = cell
        // A count withheld to protect a small one (`SecondarySuppression`) is shown as a suppressed one is.
        let b = style.publish(cell.baselineEvents, withheld: cell.baselineWithheld == true)
        let p = style.publish(cell.pilotEvents, withheld: cell.pilotWithheld == true)
        baselineEvents = b.text
        pilotEvents = p.text
        func rate(_ n: Int?, _ t: Double) -> Double? { n.flatMap { t > 0 ? Double($0) / t * 1000 : nil } }
        baselineRate = rate(b.value, cell.baselineExposure)
        pilotRate = rate(p.value, cell.pilotExposure)
        if let bv = b.value, let pv = p.value {
            ratio = exactRateRatio(x1: pv, t1: cell.pilotExposure, x0: bv, t0: cell.baselineExposure, confidence: confidence)
            status = style.policy == nil ? .exact : .rounded
        } else {
            ratio = nil
            status = .suppressed
        }
    }
}
