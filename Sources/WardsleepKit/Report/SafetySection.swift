/// The Safety section of summary.md: headline sentences generated from the numbers, then the tables.
public enum SafetySection {
    /// The sentence for one comparison, e.g. "All incidents over 24 hours: 950 → 910; 35.3 → 34.2 per 1,000 occupied bed
    /// days (−3.2%); rate ratio 0.97 (95% CI 0.88 to 1.06; exact p = 0.51): no evidence of a change."
    /// The verdict follows the confidence interval, never the raw direction of the counts.
    public static func sentence(_ label: String, _ c: ShownComparison) -> String {
        var s = "\(label): \(c.baselineEvents) → \(c.pilotEvents)"
        guard let r = c.ratio else { return s + "; counts this small are not published, so no rate ratio is shown." }
        guard let estimate = r.estimate else { return s + ": no events in either period, nothing to compare." }
        if let b = c.baselineRate, let p = c.pilotRate {
            s += "; \(NumberFormat.fixed(b, 1)) → \(NumberFormat.fixed(p, 1)) per 1,000 \(c.cell.unit.words)"
            if let pct = c.percentChange { s += " (\(signedPercent(pct)))" }
        }
        s += "; rate ratio \(ratio(estimate)) (95% CI \(ratio(r.lower!)) to \(ratio(r.upper!)); exact p \(pValue(r.pExact!)))"
        return s + ": " + verdict(lower: r.lower!, upper: r.upper!) + disagreement(lower: r.lower!, upper: r.upper!, p: r.pExact!) + "."
    }

    /// When the exact p-value (R's `minlike`) and the Clopper–Pearson interval fall on different sides of 0.05 — which
    /// happens near 0.05, as in R — the words say which one the verdict follows (the interval); otherwise nothing.
    public static func disagreement(lower: Double, upper: Double, p: Double) -> String {
        let excludesOne = lower > 1 || upper < 1
        guard excludesOne != (p < 0.05) else { return "" }
        return excludesOne
            ? " (the verdict follows the Clopper–Pearson 95% CI, which excludes 1, although the exact minlike p is 0.05 or above)"
            : " (the verdict follows the Clopper–Pearson 95% CI, which includes 1, although the exact minlike p is below 0.05)"
    }

    /// "chi-square test of homogeneity across wards: χ² = 4.71 on 6 degrees of freedom, p = 0.58".
    static func homogeneity(_ p: PooledRateRatio) -> String? {
        guard let h = p.homogeneityP, let chi = p.homogeneityChiSquare, let df = p.homogeneityDF else { return nil }
        return "chi-square test of homogeneity across wards χ² = \(NumberFormat.fixed(chi, 2)) on \(df) degree\(df == 1 ? "" : "s") of freedom, p \(pValue(h))"
    }

    /// What a confidence interval for a ratio says: the words follow the interval, never the raw direction.
    public static func verdict(lower: Double, upper: Double) -> String {
        lower > 1 ? "evidence of an increase" : (upper < 1 ? "evidence of a decrease" : "no evidence of a change")
    }

    /// `−24.3%` / `+3.2%` / `0.0%`, to one decimal.
    public static func signedPercent(_ p: Double) -> String {
        let text = NumberFormat.fixed(abs(p), 1)
        if text == "0.0" { return "0.0%" }
        return (p < 0 ? "−" : "+") + text + "%"
    }

    /// A ratio to two decimals (`Inf` spelled out).
    static func ratio(_ d: Double) -> String { d.isInfinite ? "infinity" : NumberFormat.fixed(d, 2) }

    /// `= 0.51`, `= 0.049`, `< 0.001`.
    static func pValue(_ p: Double) -> String {
        if p < 0.001 { return "< 0.001" }
        return "= " + NumberFormat.fixed(p, p < 0.1 ? 3 : 2)
    }

    /// The whole section in `style`.
    public static func render(_ s: SafetyResults, study: StudyDefinition, style: CountStyle) -> String {
        let window = study.protectedWindow.description
        var md = "## Results: safety\n\n"
        let windows = study.scope.windows
        if s.exposureFromOccupancy {
            var per: [String] = []
            if windows.contains(.allDay) { per.append("per 1,000 occupied bed days over 24 hours") }
            if windows.contains(.protected) { per.append("per 1,000 occupied bed-nights in the protected window (\(window))") }
            md += "Rates are \(per.joined(separator: ", and ")), \(per.count == 1 ? "from" : "both from") the midnight census. "
        } else {
            md += "**No occupancy export was supplied**, so rates are per 1,000 days in each ward's periods: differences in "
            md += "bed occupancy between the periods are not accounted for. "
        }
        md += "Each comparison is the pilot against the baseline: an exact rate ratio with its 95% confidence interval "
        md += "(conditional binomial, as R's `poisson.test`) and a two-sided exact p-value. \"No evidence of a change\" "
        md += "means the interval includes 1: the verdict follows the interval, not the p-value.\n\n"
        let incidents = MarkdownText.escape(study.incidentsInScopeName)
        for w in TimeWindow.allCases {
            guard let cell = s.studyCell(IncidentCounts.allCategories, w) else { continue }
            let label = w == .allDay ? "\(incidents) over 24 hours" : "\(incidents) in the protected window (\(window))"
            md += "- " + sentence(label, ShownComparison(cell, style: style)) + "\n"
        }
        md += "\n"
        // Pooling over wards needs two wards at least: a one-ward report has nothing to pool.
        for p in s.pooled where p.category == IncidentCounts.allCategories && study.wardsInScope.count > 1 {
            let label = p.window == .allDay ? "over 24 hours" : "in the protected window"
            if let reason = p.withheld {
                md += "Pooled over wards (Mantel–Haenszel), \(label): withheld — \(reason).\n\n"
                continue
            }
            if let e = p.all.estimate {
                md += "Pooled over \(p.all.strata) wards (Mantel–Haenszel), \(label): rate ratio \(ratio(e)) "
                md += "(95% CI \(ratio(p.all.lower!)) to \(ratio(p.all.upper!)))"
                if let h = p.all.homogeneityP, let words = homogeneity(p.all) {
                    md += "; " + words
                    md += h < 0.05 ? ", so the change differs between wards." : "."
                } else { md += "." }
                if let c = p.cbtiRatio {
                    md += " CBTi wards against the others: ratio of rate ratios \(ratio(c.estimate)) (95% CI \(ratio(c.lower)) to \(ratio(c.upper)))."
                }
                md += "\n\n"
            }
        }
        md += "### By category (\(MarkdownText.escape(study.scopeHeading)))\n\n"
        md += "| Category | Window | Baseline | Pilot | Baseline rate | Pilot rate | Rate ratio (95% CI) | Exact p |\n"
        md += "|---|---|---:|---:|---:|---:|---|---:|\n"
        for cell in s.cells where cell.ward == nil {
            md += row(ProseFormat.cell(cell.category == IncidentCounts.allCategories ? study.incidentsInScopeName : study.categoryLabel(cell.category)),
                      cell.window == .allDay ? "24 h" : window, ShownComparison(cell, style: style))
        }
        let wardWindow: TimeWindow = windows.contains(.allDay) ? .allDay : .protected
        md += "\n### By ward (\(incidents.prefix(1).lowercased() + incidents.dropFirst()), \(wardWindow == .allDay ? "24 hours" : "protected window"))\n\n"
        md += "| Ward | CBTi | Baseline | Pilot | Baseline rate | Pilot rate | Rate ratio (95% CI) | Exact p |\n"
        md += "|---|---|---:|---:|---:|---:|---|---:|\n"
        for cell in s.cells where cell.ward != nil && cell.category == IncidentCounts.allCategories && cell.window == wardWindow {
            let ward = study.wards[cell.ward!]
            md += row(ProseFormat.cell(ward.label), ward.cbti ? "yes" : "no", ShownComparison(cell, style: style))
        }
        md += "\nRates per 1,000 \(s.exposureFromOccupancy ? "occupied bed days (nights for the protected window)" : "days"). "
        md += "Every ward, category and window is in `tables/incidents.csv`; pooled estimates in `tables/incidents_pooled.csv`.\n\n"
        for figure in SafetyForest.figures(s, study: study, style: style) {
            md += "![\(MarkdownText.escape(figure.plot.altText()))](\(figure.path))\n\n"
        }
        if windows.contains(.allDay) {  // counted over 24 hours, so not in a protected-window report
            md += "Serious incidents (severe harm or death), counted and never described: baseline \(style.show(s.serious[.baseline] ?? 0)), "
            md += "pilot \(style.show(s.serious[.pilot] ?? 0)).\n\n"
        }
        if s.withoutTime > 0 {
            md += "\(style.show(s.withoutTime)) incidents in the periods had no recorded time; they count over 24 hours only.\n\n"
        }
        for gap in s.incompleteCensus {
            md += "Census incomplete: ward \(MarkdownText.escape(study.wards[gap.ward].id)) has \(gap.covered) of \(gap.days) days in the \(gap.period.rawValue); "
            md += "its exposure is understated by the missing days.\n\n"
        }
        if let policy = style.policy { md += "_\(Disclosure.note(policy))_\n\n" }
        return md
    }

    static func row(_ first: String, _ second: String, _ c: ShownComparison) -> String {
        let rates = [c.baselineRate, c.pilotRate].map { $0.map { NumberFormat.fixed($0, 1) } ?? "—" }
        var rr = "—", p = "—"
        if let r = c.ratio, let e = r.estimate {
            rr = "\(ratio(e)) (\(ratio(r.lower!)) to \(ratio(r.upper!)))"
            p = NumberFormat.fixed(r.pExact!, 3)
        }
        return "| \(first) | \(second) | \(c.baselineEvents) | \(c.pilotEvents) | \(rates[0]) | \(rates[1]) | \(rr) | \(p) |\n"
    }
}
