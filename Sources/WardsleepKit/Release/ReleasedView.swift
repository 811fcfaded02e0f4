/// The release step: the one place between the analyses and the renderers where disclosure control is applied.
///
/// The rule it keeps: every value in a releasable output is a function of released counts (suppressed or rounded) and
/// exposures only. Counts are published under the study's policy (`Disclosure.publish`); statistics that combine
/// several counts — pooled rate ratios, control-chart points, limits and special-cause flags, rating quantiles and the
/// rank-sum test, segmented-regression estimates — are recomputed here from the published counts, and withheld with a
/// reason when one they need is suppressed. Single comparisons (`ShownComparison`, PRN shares, uptake) publish their
/// counts and recompute from them as they are shown. The exact view goes only to restricted outputs.
public enum Release {
    /// The view a copy of the report is rendered from: the evidence itself for an exact (restricted) copy; for a
    /// releasable copy, every multi-count statistic recomputed from released counts.
    public static func view(_ evidence: Evidence, style: CountStyle) -> ReleasedEvidence {
        guard let policy = style.policy else { return ReleasedEvidence(evidence, style: style) }
        var view = evidence
        // Counts that, with a total and its published parts, would pin a suppressed one: withheld too.
        let withheld = ReleaseFamilies.withheld(for: evidence, policy: policy)
        // A chart whose baseline months are all suppressed has no published centre line or limits: left out, and named.
        let released = evidence.charts.enumerated().filter { !$0.element.isOfDosesGiven }
            .map { $0.element.released(policy, withheld: withheld.points[$0.offset] ?? []) }
        view.charts = released.filter(\.hasPublishedBaseline)
        view.chartsWithoutBaseline = released.filter { !$0.hasPublishedBaseline }.map(\.title)
        view.safety = evidence.safety?.released(policy, study: evidence.study, withheld: withheld.cells, seriousWithheld: withheld.serious,
                                                  withoutTimeWithheld: withheld.withoutTime)
        view.hypnoticLines = HypnoticLine.marking(evidence.hypnoticLines, withheld: withheld.doses)
        view.prn = evidence.prn?.enumerated().map { r, row in
            var row = row
            if let w = withheld.prn[r] { row.withheld = w }
            return row
        }
        for (i, w) in withheld.fidelity { view.fidelity?.cells[i].withheld = w }
        if !withheld.uptake.isEmpty { view.uptake?.withheld = withheld.uptake }
        for i in view.ingest.tallies.indices { if let w = withheld.rows[view.ingest.tallies[i].export] { view.ingest.tallies[i].withheld = w } }
        view.feedback = evidence.feedback?.released(policy, withheld: withheld.feedback)
        view.its = evidence.its.map { $0.released(policy) }
        view.hypnoticModel = evidence.hypnoticModel?.released(policy)
        return ReleasedEvidence(view, style: style)
    }
}

/// The evidence as one copy of the report shows it, and the only thing a renderer reads: made by `Release.view` alone,
/// with the `style` its counts are shown in (published under the study's policy, or exact for `restricted/`).
@dynamicMemberLookup
public struct ReleasedEvidence: Sendable {
    /// The view's values.
    public let evidence: Evidence
    /// How counts are shown.
    public let style: CountStyle

    fileprivate init(_ evidence: Evidence, style: CountStyle) {
        self.evidence = evidence
        self.style = style
    }

    /// The view's values by name (`released.safety`, `released.study`).
    public subscript<T>(dynamicMember path: KeyPath<Evidence, T>) -> T { evidence[keyPath: path] }

    /// The file name of a chart inside the report folder.
    public func chartPath(_ index: Int) -> String { evidence.chartPath(index) }
}
