/// The pooled report's summary (written as summary.md and report.html), and its forest plots (one per category × window).
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
    public static func build(_ r: PoolResults, generated: String?) -> ReportDocument {
        var doc = ReportDocument()
        doc.heading(1, Prose("Pooled evaluation of protected sleep: \(r.trusts.count) trust\(r.trusts.count == 1 ? "" : "s")"))
        if r.style.sensitivity == .restricted {
            doc.quote(["\(strong: "Restricted: exact counts.") This copy is not disclosure-controlled and must not leave the organisation."], notice: true)
        }
        doc.paragraph("Each trust ran wardsleep on its own exports and shared only aggregate counts (\(code: "wardsleep run --share")); no patient-level "
                      + "data left any trust. This report pools them (\(code: "wardsleep pool")).")
        if let generated { doc.paragraph(Prose(generated)) }
        doc.heading(2, "Trusts")
        let restricted = r.style.sensitivity == .restricted
        doc.table(header: ["Trust", "Study", "Baseline", "Pilot", "Wards", "wardsleep", "Aggregate SHA-256"],
                  numeric: [false, false, false, false, true, false, false], rows: r.trusts.map { t in
            let a = t.aggregate
            return [t.name, a.study, "\(a.periods[0]) to \(a.periods[1])", "\(a.periods[2]) to \(a.periods[3])", String(a.wards.count), a.toolVersion]
                .map { Prose($0) } + [t.shownHash(restricted: restricted).map { "\(code: String($0.prefix(16)))…" } ?? "restricted copy only"]
        })
        doc.heading(2, "Analysis")
        var items: [Prose] = []
        items.append("Each trust: the exact rate ratio, pilot against baseline, with its 95% confidence interval (conditional binomial, as R's "
                     + "\(code: "poisson.test")); none where a trust has no events in either period.")
        items.append("Mantel–Haenszel rate ratio over every ward of every trust as strata, with the Greenland–Robins variance: the same "
                     + "estimate as one study holding all the wards.")
        items.append("Inverse-variance fixed effect and DerSimonian–Laird random effects on the trusts' log rate ratios "
                     + "(yi = ln(x1/t1) − ln(x0/t0), vi = 1/x1 + 1/x0, ½ added to both counts where either is zero, as \(code: "metafor::escalc(measure = \"IRR\")")), "
                     + "with τ², I², Cochran's Q and its p-value, as \(code: "metafor::rma(method = \"FE\")") and \(code: "method = \"DL\"").")
        items.append(Prose("Rates are per 1,000 \(r.exposureUnit == .days ? "days in each ward's periods" : "occupied bed days (bed-nights in the protected window)")."))
        if let policy = r.style.policy {
            items.append(Prose("Disclosure control: each trust's counts under its own policy, as its own report shows them; pooled totals under the strictest of the trusts' policies. \(Disclosure.note(policy)) The Mantel–Haenszel estimate is ")
                         + "computed from the published ward counts (\(code: "tables/pooled_strata.csv")) and the trusts' rate ratios, fixed and random "
                         + "effects from the published trust counts; one that would need a suppressed count is withheld, with the reason.")
        }
        doc.list(items)
        doc.heading(2, "Results")
        for (i, m) in r.measures.enumerated() {
            doc.heading(3, Prose(measureLabel(m)))
            if let reason = m.mantelHaenszelWithheld {
                doc.paragraph(Prose("Mantel–Haenszel: withheld — \(reason)."))
            } else if let mh = m.mantelHaenszel, let e = mh.estimate {
                doc.paragraph(Prose("Mantel–Haenszel over \(mh.strata) wards of \(r.trusts.count) trust\(r.trusts.count == 1 ? "" : "s"): rate ratio \(ratio(e)) "
                                    + "(95% CI \(ratio(mh.lower!)) to \(ratio(mh.upper!))): \(SafetySection.verdict(lower: mh.lower!, upper: mh.upper!))."))
            } else {
                doc.paragraph("Mantel–Haenszel: not estimable (no events in one of the periods).")
            }
            if let reason = m.poolingWithheld {
                doc.paragraph(Prose("Fixed and random effects: withheld — \(reason)."))
            } else if let p = m.pooling {
                var md = "Fixed effect: rate ratio \(ratio(p.fixed.rateRatio)) (95% CI \(ratio(p.fixed.lower)) to \(ratio(p.fixed.upper)); "
                md += "p \(SafetySection.pValue(p.fixed.p))). Random effects (DerSimonian–Laird): rate ratio \(ratio(p.random.rateRatio)) "
                md += "(95% CI \(ratio(p.random.lower)) to \(ratio(p.random.upper)); p \(SafetySection.pValue(p.random.p))); "
                md += "τ² = \(NumberFormat.fixed(p.tau2, 4)), I² = \(NumberFormat.fixed(p.i2, 1))%, Q = \(NumberFormat.fixed(p.q, 2)) on "
                md += "\(p.k - 1) degree\(p.k == 2 ? "" : "s") of freedom (p \(SafetySection.pValue(p.qP)))."
                doc.paragraph(Prose(md))
            } else {
                doc.paragraph("Fixed and random effects: not estimable (no trust has exposure in both periods).")
            }
            doc.table(header: ["Trust", "Baseline", "Pilot", "Baseline rate", "Pilot rate", "Rate ratio (95% CI)"],
                      numeric: [false, true, true, true, true, false], rows: m.trusts.map { t in
                func rate(_ n: Int?, _ e: Double) -> String { n.map { e > 0 ? NumberFormat.fixed(Double($0) / e * 1000, 2) : "—" } ?? "—" }
                var rr = "—"
                if let q = t.ratio, let e = q.estimate { rr = "\(ratio(e)) (\(ratio(q.lower!)) to \(ratio(q.upper!)))" }
                return [r.trusts[t.trust].name, PoolTables.shown(t.baseline), PoolTables.shown(t.pilot), rate(t.baseline, t.baselineExposure),
                        rate(t.pilot, t.pilotExposure), rr].map { Prose($0) }
            })
            doc.figure(alt: forest(m, results: r).altText(), path: chartPath(i))
        }
        doc.paragraph("Every trust's counts and rate ratios are in \(code: "tables/pooled_trusts.csv"), the ward strata in \(code: "tables/pooled_strata.csv"), "
                      + "the pooled estimates in \(code: "tables/pooled.csv").")
        if !r.hypnotics.isEmpty {
            doc.heading(2, "Hypnotic use")
            doc.table(header: ["Trust", "Source", "Baseline DDD per 100", "Pilot DDD per 100"], numeric: [false, false, true, true],
                      rows: r.hypnotics.map { h in
                let b = h.per100(.baseline).map { NumberFormat.fixed($0, 2) } ?? "withheld", p = h.per100(.pilot).map { NumberFormat.fixed($0, 2) } ?? "withheld"
                return [h.trust == nil ? "All trusts" : r.name(h.trust), h.kind == .issues ? "pharmacy issues" : "doses given", b, p].map { Prose($0) }
            })
            doc.paragraph("DDDs of pharmacy issues are supplies to wards and are shown as they are; DDDs of doses given come from counts of doses "
                          + "and are shown in the restricted copy only.")
        }
        doc.heading(2, "Limitations")
        doc.list(["Each trust's comparison is before and after, without a control group; pooling adds precision, not a control.",
                  "Trusts' periods, wards and case mix differ; the random-effects estimate and I² describe how far their changes differ.",
                  "With few trusts, τ² and I² are imprecise, and the DerSimonian–Laird interval can be too narrow."])
        if let policy = r.style.policy { doc.paragraph("\(emphasis: Disclosure.note(policy))") }
        return doc
    }
}
