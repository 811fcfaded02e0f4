import Foundation

/// Segmented regressions as a releasable output may show them.
///
/// A model's estimates (trend, level and slope changes, their intervals and p-values, the dispersion) are not counts:
/// they come from the exact ward-months and are published as they are — unless a ward's total in a period, which the
/// model's ward level and level change rest on, is a small number (suppressed): then the whole model is withheld, as a
/// pooled estimate is. The intercept and ward effects are never published. What is plotted per month comes from released
/// values only: a month's observed rate is its published count (over the wards with a row that month) over the
/// exposure, withheld when suppressed; the fitted lines carry the model's trend and changes with each ward's level set
/// so that its fitted amounts sum to its published total, so no line can be read back to an exact count. DDDs from
/// doses given are scaled by published ÷ exact doses; DDDs from pharmacy issues are supplies and shown as they are.
extension InterruptedSeries {
    /// The series recomputed for release under `policy`.
    public func released(_ policy: DisclosurePolicy) -> InterruptedSeries {
        var out = self
        func publish(_ n: Int) -> Double? { Disclosure.publish(n, policy: policy).number.map(Double.init) }
        let used = modelRows
        guard used.contains(where: { $0.events != nil }) else { return self }  // supplies: no counts of people
        var totals: [Int: [StudyPeriod: (amount: Double, events: Int)]] = [:]
        for r in used {
            var t = totals[r.ward]?[r.period] ?? (0, 0)
            t.amount += r.amount
            t.events += r.events ?? 0
            totals[r.ward, default: [:]][r.period] = t
        }
        var published: [Int: Double] = [:], suppressed = false
        for (ward, periods) in totals {
            for (_, t) in periods {
                guard let p = publish(t.events) else { suppressed = true; continue }
                published[ward, default: 0] += t.events > 0 ? t.amount * p / Double(t.events) : 0
            }
        }
        if suppressed, case .success = outcome {
            out.withheld = "a ward's count in a period is a small number (suppressed), so no model is published"
        }
        if !suppressed, case .success(var m) = outcome {
            // Estimates at full precision, with the exposures published beside them, constrain each ward's exact period
            // totals through the model's score equations; three significant figures leave nothing to solve for.
            m.baselineTrend = m.baselineTrend?.coarsened
            m.levelChange = m.levelChange?.coarsened
            m.slopeChange = m.slopeChange?.coarsened
            m.fit.dispersion = SegmentParameter.significant(m.fit.dispersion, 3)
            out.outcome = .success(m)
        }
        let levels = suppressed ? nil : levels(matching: published)
        out.points = chart(levels: levels, fitted: !suppressed) { rows in
            let events = rows.reduce(0) { $0 + ($1.events ?? 0) }, amount = rows.reduce(0.0) { $0 + $1.amount }
            guard let p = publish(events) else { return nil }
            return events > 0 ? amount * p / Double(events) : 0
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
