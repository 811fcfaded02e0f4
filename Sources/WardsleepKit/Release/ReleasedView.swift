/// The release step: the one place between the analyses and the renderers where disclosure control is applied.
///
/// The rule it keeps: every value in a releasable output is a function of released counts (suppressed or rounded) and
/// exposures only. Counts are published under the study's policy (`Disclosure.publish`); statistics that combine
/// several counts — pooled rate ratios, control-chart points, limits and special-cause flags, rating quantiles and the
/// rank-sum test — are recomputed here from the published counts, and withheld with a reason when one they need is
/// suppressed. Single comparisons (`ShownComparison`, PRN shares, uptake) publish their counts and recompute from them
/// as they are shown. The exact view goes only to restricted outputs.
public enum Release {
    /// The view a copy of the report is rendered from: `inputs` itself for an exact (restricted) copy; for a releasable
    /// copy, every multi-count statistic recomputed from released counts.
    public static func view(_ inputs: SummaryInputs, style: CountStyle) -> SummaryInputs {
        guard let policy = style.policy else { return inputs }
        var view = inputs
        view.charts = inputs.charts.map { $0.released(policy) }
        view.safety = inputs.safety?.released(policy, study: inputs.study)
        view.feedback = inputs.feedback?.released(policy)
        view.its = inputs.its.map { $0.released(policy) }
        view.hypnoticModel = inputs.hypnoticModel?.released(policy)
        return view
    }
}
