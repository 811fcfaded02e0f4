import Foundation

/// Segmented regressions as a releasable output may show them.
///
/// A model's estimates (trend, level and slope changes, their intervals and p-values, the dispersion) are refitted on
/// every ward-month's count as published: rounded, and a small number (suppressed, 1 to 7 by default) taken as the middle
/// of its range, 4. So the estimates are a function of what is published. Estimates of the exact ward-months would give them back: with a few months a period, the trend,
/// the changes, their intervals and the dispersion, beside the published exposures, leave one series of exact counts
/// that fits, even to three significant figures. When more than a quarter of the ward-months with events are suppressed
/// the model would rest on stand-ins, and is withheld. The estimates are then shown to three significant figures (p to two); the
/// intercept and ward effects are never published. A month's observed rate is its published count (over the wards with
/// a row that month) over the exposure, withheld when suppressed; the fitted lines are the refitted model's. DDDs from
/// pharmacy issues are supplies and shown as they are; DDDs of doses given are withheld, model and months (their
/// monthly values beside the published doses would give the exact counts back).
extension InterruptedSeries {
    /// Why a released model is withheld: too many of its counts are suppressed (`suppressedShareLimit`).
    public static let tooManySuppressed = "more than a quarter of its ward-months with events are small numbers (suppressed), so no model is published"
    /// Why a released model is withheld: it is of DDDs of doses given.
    public static let ofDosesGiven = "DDDs of doses given, month by month, would give the exact counts of doses back; see restricted/"

    /// The largest share of a model's ward-months with events that may be suppressed for it to be published.
    public static let suppressedShareLimit = 0.25

    /// A suppressed count as a released model takes it: the middle of the suppressed range.
    public static func standIn(_ policy: DisclosurePolicy) -> Double { Double(1 + policy.suppressAtOrBelow) / 2 }

    /// The series recomputed for release under `policy`.
    public func released(_ policy: DisclosurePolicy) -> InterruptedSeries {
        func publish(_ n: Int) -> Int? { Disclosure.publish(n, policy: policy).number }
        guard rows.contains(where: { $0.events != nil }) else { return self }  // supplies: no counts of people
        // DDDs of doses given: a month's DDDs beside its published doses give the exact mean dose, and with it the exact
        // count (see `ShownHypnoticLine`); the model and its months are shown in restricted/ only.
        if measure == "hypnotic_ddd" {
            var out = self
            out.withheld = InterruptedSeries.ofDosesGiven
            out.points = []  // no chart: it would be empty (its table row says why)
            return out
        }
        var shown = rows, suppressed = 0, eventful = 0
        for i in shown.indices where shown[i].exposure > 0 {
            let events = shown[i].events ?? 0, p = publish(events)
            if events > 0 { eventful += 1 }
            if p == nil { suppressed += 1 }
            let count = p.map(Double.init) ?? InterruptedSeries.standIn(policy)
            shown[i].amount = events > 0 ? shown[i].amount * count / Double(events) : 0
            shown[i].events = p ?? 0
        }
        var out = self
        out.outcome = SegmentedRegression.fit(shown)
        let tooMany = Double(suppressed) > InterruptedSeries.suppressedShareLimit * Double(eventful)
        if tooMany, case .success = out.outcome {
            out.withheld = InterruptedSeries.tooManySuppressed
        }
        if !tooMany, case .success(var m) = out.outcome {
            m.baselineTrend = m.baselineTrend?.coarsened
            m.levelChange = m.levelChange?.coarsened
            m.slopeChange = m.slopeChange?.coarsened
            m.fit.dispersion = SegmentParameter.significant(m.fit.dispersion, 3)
            out.outcome = .success(m)
        }
        out.points = out.chart(fitted: !tooMany) { rows in
            let events = rows.reduce(0) { $0 + ($1.events ?? 0) }, amount = rows.reduce(0.0) { $0 + $1.amount }
            guard let p = publish(events) else { return nil }
            return events > 0 ? amount * Double(p) / Double(events) : 0
        }
        return out
    }
}

/// The quasi-Poisson hypnotic comparison as a releasable output may show it: pharmacy issues (supplies) as they are;
/// doses given (counts) refitted on the published ward-month counts, and withheld when one is suppressed, since a rate
/// ratio of the exact counts, beside the published totals and exposures, gives the exact totals back.
extension HypnoticRateModel {
    /// The comparison recomputed for release under `policy`.
    public func released(_ policy: DisclosurePolicy) -> HypnoticRateModel {
        guard rows.contains(where: { $0.events != nil }) else { return self }
        var shown = rows, suppressed = false
        for i in shown.indices where shown[i].exposure > 0 {
            guard let p = Disclosure.publish(shown[i].events ?? 0, policy: policy).number else { suppressed = true; continue }
            shown[i].amount = Double(p)
            shown[i].events = p
        }
        var out = HypnoticRateModel(rows: shown)
        if suppressed { out.withheld = "a ward's monthly count of doses is a small number (suppressed), so no model is published" }
        return out
    }
}

extension SegmentParameter {
    /// The parameter as a releasable copy shows it: the rate ratio and its interval to three significant figures, the
    /// p-value to two, and the estimate the log of the rounded rate ratio.
    var coarsened: SegmentParameter {
        let rr = SegmentParameter.significant(rateRatio, 3)
        return SegmentParameter(estimate: Foundation.log(rr), rateRatio: rr, lower: SegmentParameter.significant(lower, 3),
                                upper: SegmentParameter.significant(upper, 3), p: SegmentParameter.significant(p, 2))
    }

    /// `x` rounded to `digits` significant figures (0, infinities and NaN as they are).
    static func significant(_ x: Double, _ digits: Int) -> Double {
        guard x.isFinite, x != 0 else { return x }
        let scale = Foundation.pow(10, Double(digits) - Foundation.ceil(Foundation.log10(Swift.abs(x))))
        return (x * scale).rounded() / scale
    }
}
