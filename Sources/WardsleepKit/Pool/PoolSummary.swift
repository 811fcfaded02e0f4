/// `summary.md` of a pooled report, and its forest plots (one per category × window).
public enum PoolSummary {
    /// `All incidents over 24 hours`, `violence in the protected window`.
    static func measureLabel(_ m: PooledMeasure) -> String {
        (m.category == IncidentCounts.allCategories ? "All incidents" : m.category) + (m.window == .allDay ? " over 24 hours" : " in the protected window")
    }

    /// The chart file of a measure's forest plot, named by index so that no category label can clash with another.
    static func chartPath(_ index: Int) -> String { "charts/forest-\(index + 1).svg" }

    static func ratio(_ d: Double) -> String { SafetySection.ratio(d) }

    /// The forest plot of one measure: each trust's exact rate ratio, then Mantel–Haenszel, fixed and random diamonds.
    public static func forest(_ m: PooledMeasure, results r: PoolResults) -> ForestPlot {
        let rows = m.trusts.map { t -> ForestPlot.Row in
            var note: String?
            if t.baseline == nil || t.pilot == nil { note = "withheld: counts too small to publish" }
            else if t.ratio == nil { note = "no exposure in a period" }
            else if t.ratio?.estimate == nil { note = "no events in either period" }
            return ForestPlot.Row(label: r.trusts[t.trust].name, estimate: t.ratio?.estimate, lower: t.ratio?.lower, upper: t.ratio?.upper, note: note)
        }
        func diamond(_ label: String, _ e: Double?, _ l: Double?, _ u: Double?, withheld: String?) -> ForestPlot.Row {
            ForestPlot.Row(label: label, estimate: e, lower: l, upper: u, note: withheld != nil ? "withheld: a count is too small to publish" : "not estimable")
        }
        let p = m.pooling
        return ForestPlot(title: measureLabel(m), subtitle: "Pilot against baseline in each trust; exact 95% CIs, log scale; pooled estimates as diamonds",
                          labelHeading: "Trust", rows: rows, diamonds: [
                              diamond("Mantel–Haenszel (every ward)", m.mantelHaenszel?.estimate, m.mantelHaenszel?.lower, m.mantelHaenszel?.upper,
                                      withheld: m.mantelHaenszelWithheld),
                              diamond("Fixed effect (inverse variance)", p?.fixed.rateRatio, p?.fixed.lower, p?.fixed.upper, withheld: m.poolingWithheld),
                              diamond("Random effects (DerSimonian–Laird)", p?.random.rateRatio, p?.random.lower, p?.random.upper, withheld: m.poolingWithheld),
                          ])
    }

    /// The summary in the style the results were computed in.
    public static func render(_ r: PoolResults, generated: String?) -> String {
        var md = "# Pooled evaluation of protected sleep: \(r.trusts.count) trust\(r.trusts.count == 1 ? "" : "s")\n\n"
        if r.style.sensitivity == .restricted {
            md += "> **Restricted: exact counts.** This copy is not disclosure-controlled and must not leave the organisation.\n\n"
        }
        md += "Each trust ran wardsleep on its own exports and shared only aggregate counts (`wardsleep run --share`); no patient-level "
        md += "data left any trust. This report pools them (`wardsleep pool`).\n\n"
        if let generated { md += "\(generated)\n\n" }
        md += "## Trusts\n\n| Trust | Study | Baseline | Pilot | Wards | wardsleep | Aggregate SHA-256 |\n|---|---|---|---|---:|---|---|\n"
        for t in r.trusts {
            let a = t.aggregate
            md += "| \(ProseFormat.cell(t.name)) | \(ProseFormat.cell(a.study)) | \(a.periods[0]) to \(a.periods[1]) | \(a.periods[2]) to \(a.periods[3]) | "
            md += "\(a.wards.count) | \(ProseFormat.cell(a.toolVersion)) | `\(t.sha256.prefix(16))…` |\n"
        }
        md += "\n## Analysis\n\n"
        md += "- Each trust: the exact rate ratio, pilot against baseline, with its 95% confidence interval (conditional binomial, as R's "
        md += "`poisson.test`); none where a trust has no events in either period.\n"
        md += "- Mantel–Haenszel rate ratio over every ward of every trust as strata, with the Greenland–Robins variance: the same "
        md += "estimate as one study holding all the wards.\n"
        md += "- Inverse-variance fixed effect and DerSimonian–Laird random effects on the trusts' log rate ratios "
        md += "(yi = ln(x1/t1) − ln(x0/t0), vi = 1/x1 + 1/x0, ½ added to both counts where either is zero, as `metafor::escalc(measure = \"IRR\")`), "
        md += "with τ², I², Cochran's Q and its p-value, as `metafor::rma(method = \"FE\")` and `method = \"DL\"`.\n"
        md += "- Rates are per \(r.exposureUnit == .days ? "day in each ward's periods" : "occupied bed day (bed-night in the protected window)").\n"
        if let policy = r.style.policy {
            md += "- Disclosure control: the strictest of the trusts' policies. \(Disclosure.note(policy)) The Mantel–Haenszel estimate is "
            md += "computed from the published ward counts (`tables/pooled_strata.csv`) and the trusts' rate ratios, fixed and random "
            md += "effects from the published trust counts; one that would need a suppressed count is withheld, with the reason.\n"
        }
        md += "\n## Results\n\n"
        for (i, m) in r.measures.enumerated() {
            md += "### \(ProseFormat.cell(measureLabel(m)))\n\n"
            if let reason = m.mantelHaenszelWithheld {
                md += "Mantel–Haenszel: withheld — \(reason).\n\n"
            } else if let mh = m.mantelHaenszel, let e = mh.estimate {
                md += "Mantel–Haenszel over \(mh.strata) wards of \(r.trusts.count) trust\(r.trusts.count == 1 ? "" : "s"): rate ratio \(ratio(e)) "
                md += "(95% CI \(ratio(mh.lower!)) to \(ratio(mh.upper!))): \(SafetySection.verdict(lower: mh.lower!, upper: mh.upper!)).\n\n"
            } else {
                md += "Mantel–Haenszel: not estimable (no events in one of the periods).\n\n"
            }
            if let reason = m.poolingWithheld {
                md += "Fixed and random effects: withheld — \(reason).\n\n"
            } else if let p = m.pooling {
                md += "Fixed effect: rate ratio \(ratio(p.fixed.rateRatio)) (95% CI \(ratio(p.fixed.lower)) to \(ratio(p.fixed.upper)); "
                md += "p \(SafetySection.pValue(p.fixed.p))). Random effects (DerSimonian–Laird): rate ratio \(ratio(p.random.rateRatio)) "
                md += "(95% CI \(ratio(p.random.lower)) to \(ratio(p.random.upper)); p \(SafetySection.pValue(p.random.p))); "
                md += "τ² = \(NumberFormat.fixed(p.tau2, 4)), I² = \(NumberFormat.fixed(p.i2, 1))%, Q = \(NumberFormat.fixed(p.q, 2)) on "
                md += "\(p.k - 1) degree\(p.k == 2 ? "" : "s") of freedom (p \(SafetySection.pValue(p.qP))).\n\n"
            } else {
                md += "Fixed and random effects: not estimable (no trust has exposure in both periods).\n\n"
            }
            md += "| Trust | Baseline | Pilot | Baseline rate | Pilot rate | Rate ratio (95% CI) |\n|---|---:|---:|---:|---:|---|\n"
            for t in m.trusts {
                func rate(_ n: Int?, _ e: Double) -> String { n.map { e > 0 ? NumberFormat.fixed(Double($0) / e * 1000, 2) : "—" } ?? "—" }
                var rr = "—"
                if let q = t.ratio, let e = q.estimate { rr = "\(ratio(e)) (\(ratio(q.lower!)) to \(ratio(q.upper!)))" }
                md += "| \(ProseFormat.cell(r.trusts[t.trust].name)) | \(PoolTables.shown(t.baseline)) | \(PoolTables.shown(t.pilot)) | "
                md += "\(rate(t.baseline, t.baselineExposure)) | \(rate(t.pilot, t.pilotExposure)) | \(rr) |\n"
            }
            md += "\n![\(MarkdownText.escape(forest(m, results: r).altText()))](\(chartPath(i)))\n\n"
        }
        md += "Every trust's counts and rate ratios are in `tables/pooled_trusts.csv`, the ward strata in `tables/pooled_strata.csv`, "
        md += "the pooled estimates in `tables/pooled.csv`.\n\n"
        if !r.hypnotics.isEmpty {
            md += "## Hypnotic use\n\n| Trust | Source | Baseline DDD per 100 | Pilot DDD per 100 |\n|---|---|---:|---:|\n"
            for h in r.hypnotics {
                let b = h.per100(.baseline).map { NumberFormat.fixed($0, 2) } ?? "withheld", p = h.per100(.pilot).map { NumberFormat.fixed($0, 2) } ?? "withheld"
                md += "| \(h.trust == nil ? "All trusts" : ProseFormat.cell(r.name(h.trust))) | \(h.kind == .issues ? "pharmacy issues" : "doses given") | \(b) | \(p) |\n"
            }
            md += "\nDDDs of pharmacy issues are supplies to wards and are shown as they are; DDDs of doses given come from counts of doses "
            md += "and are shown in the restricted copy only.\n\n"
        }
        md += "## Limitations\n\n"
        md += "- Each trust's comparison is before and after, without a control group; pooling adds precision, not a control.\n"
        md += "- Trusts' periods, wards and case mix differ; the random-effects estimate and I² describe how far their changes differ.\n"
        md += "- With few trusts, τ² and I² are imprecise, and the DerSimonian–Laird interval can be too narrow.\n"
        if let policy = r.style.policy { md += "\n_\(Disclosure.note(policy))_\n" }
        return md
    }
}
