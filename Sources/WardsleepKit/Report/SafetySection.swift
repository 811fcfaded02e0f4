/// The Safety section of the summary: headline sentences generated from the numbers, then the tables.
public enum SafetySection {
    /// The sentence for one comparison, e.g. "All incidents over 24 hours: 950 → 910; 35.3 → 34.2 per 1,000 occupied bed
    /// days (−3.2%); rate ratio 0.97 (95% CI 0.88 to 1.06; exact p = 0.51): no evidence of a change."
    /// The verdict follows the confidence interval, never the raw direction of the counts.
    public static func sentence(_ label: String, _ c: ShownComparison) -> String {
        var s = "\(label): \(c.baselineEvents) → \(c.pilotEvents)"
        guard let r = c.ratio else { return s + "; counts this small are not published, so no rate ratio is shown." }
        guard let estimate = r.estimate else { return s + ": \(c.noEstimateReason ?? "no events in either period"), nothing to compare." }
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
    public static func render(_ s: SafetyResults, study: StudyDefinition, style: CountStyle) -> ReportDocument {
        let window = study.protectedWindow.description
        var doc = ReportDocument()
        doc.heading(2, "Results: safety")
        let windows = study.scope.windows
        var intro: Prose
        if s.exposureFromOccupancy {
            var per: [String] = []
            if windows.contains(.allDay) { per.append("per 1,000 occupied bed days over 24 hours") }
            if windows.contains(.protected) { per.append("per 1,000 occupied bed-nights in the protected window (\(window))") }
            intro = "Rates are \(per.joined(separator: ", and ")), \(per.count == 1 ? "from" : "both from") the midnight census. "
        } else {
            intro = "\(strong: "No occupancy export was supplied"), so rates are per 1,000 days in each ward's periods: differences in "
            intro += "bed occupancy between the periods are not accounted for. "
        }
        intro += "Each comparison is the pilot against the baseline: an exact rate ratio with its 95% confidence interval "
        intro += "(conditional binomial, as R's \(code: "poisson.test")) and a two-sided exact p-value. \"No evidence of a change\" "
        intro += "means the interval includes 1: the verdict follows the interval, not the p-value."
        doc.paragraph(intro)
        let incidents = study.incidentsInScopeName
        var sentences: [Prose] = []
        for w in TimeWindow.allCases {
            guard let cell = s.studyCell(IncidentCounts.allCategories, w) else { continue }
            let label = w == .allDay ? "\(incidents) over 24 hours" : "\(incidents) in the protected window (\(window))"
            sentences.append(Prose(sentence(label, ShownComparison(cell, style: style))))
        }
        doc.list(sentences)
        // Pooling over wards needs two wards at least: a one-ward report has nothing to pool.
        for p in s.pooled where p.category == IncidentCounts.allCategories && study.wardsInScope.count > 1 {
            let label = p.window == .allDay ? "over 24 hours" : "in the protected window"
            if let reason = p.withheld {
                doc.paragraph("Pooled over wards (Mantel–Haenszel), \(label): withheld — \(reason).")
                continue
            }
            if let e = p.all.estimate {
                var md = "Pooled over \(p.all.strata) wards (Mantel–Haenszel), \(label): rate ratio \(ratio(e)) "
                md += "(95% CI \(ratio(p.all.lower!)) to \(ratio(p.all.upper!)))"
                if let h = p.all.homogeneityP, let words = homogeneity(p.all) {
                    md += "; " + words
                    md += h < 0.05 ? ", so the change differs between wards." : "."
                } else { md += "." }
                if let c = p.cbtiRatio {
                    md += " CBTi wards against the others: ratio of rate ratios \(ratio(c.estimate)) (95% CI \(ratio(c.lower)) to \(ratio(c.upper)))."
                }
                doc.paragraph(Prose(md))
            }
        }
        let header: [Prose] = ["Baseline", "Pilot", "Baseline rate", "Pilot rate", "Rate ratio (95% CI)", "Exact p"]
        let numeric = [false, false, true, true, true, true, false, true]
        doc.heading(3, "By category (\(study.scopeHeading))")
        doc.table(header: ["Category", "Window"] + header, numeric: numeric, rows: s.cells.filter { $0.ward == nil }.map { cell in
            row(cell.category == IncidentCounts.allCategories ? study.incidentsInScopeName : study.categoryLabel(cell.category),
                cell.window == .allDay ? "24 h" : window, ShownComparison(cell, style: style))
        })
        let wardWindow: TimeWindow = windows.contains(.allDay) ? .allDay : .protected
        doc.heading(3, "By ward (\(incidents.prefix(1).lowercased() + incidents.dropFirst()), \(wardWindow == .allDay ? "24 hours" : "protected window"))")
        let wardCells = s.cells.filter { $0.ward != nil && $0.category == IncidentCounts.allCategories && $0.window == wardWindow }
        doc.table(header: ["Ward", "CBTi"] + header, numeric: numeric, rows: wardCells.map { cell in
            let ward = study.wards[cell.ward!]
            return row(ward.label, ward.cbti ? "yes" : "no", ShownComparison(cell, style: style))
        })
        // Wards without exposure in a period are left out of the study-wide rates (`OccupancyTotals.comparedWards`).
        let leftOut = Set(wardCells.filter { $0.baselineExposure == 0 || $0.pilotExposure == 0 }.map { $0.ward! })
        if !leftOut.isEmpty {
            let exposure = ExposureWords(fromOccupancy: s.exposureFromOccupancy).plural
            let words = ExposureWords(fromOccupancy: s.exposureFromOccupancy)
            doc.paragraph(leftOut.count == wardCells.count
                ? "No ward has \(exposure) in both periods, so no rate can be given (see \(emphasis: "Data quality"))."
                : Prose(words.leftOut(leftOut, study: study, from: "the study-wide rates and the pooled estimates", showing: "incidents")))
        }
        doc.paragraph("Rates per 1,000 \(s.exposureFromOccupancy ? "occupied bed days (nights for the protected window)" : "days"). "
                      + "Every ward, category and window is in \(code: "tables/incidents.csv"); pooled estimates in \(code: "tables/incidents_pooled.csv").")
        for figure in SafetyForest.figures(s, study: study, style: style) { doc.figure(alt: figure.plot.altText(), path: figure.path) }
        if windows.contains(.allDay) {  // counted over 24 hours, so not in a protected-window report
            doc.paragraph("Serious incidents (severe harm or death), counted and never described: baseline \(s.shownSerious(.baseline, style: style)), "
                          + "pilot \(s.shownSerious(.pilot, style: style)).")
        }
        if s.withoutTime > 0 {
            doc.paragraph("\(s.shownWithoutTime(style: style)) incidents in the periods had no recorded time; they count over 24 hours only.")
        }
        for gap in s.incompleteCensus where !leftOut.contains(gap.ward) {
            doc.paragraph("Census incomplete: ward \(study.wards[gap.ward].id) has \(gap.covered) of \(gap.days) days in the \(gap.period.rawValue); "
                          + "incidents on the other days are left out, so its counts and rates cover the days with a census.")
        }
        if let uncovered = s.leftOutForCensus, uncovered.values.contains(where: { $0 > 0 }) {
            doc.paragraph("Incidents on ward-days without a census, left out of every count and rate above: baseline "
                          + "\(style.show(uncovered[.baseline] ?? 0)), pilot \(style.show(uncovered[.pilot] ?? 0)).")
        }
        if let policy = style.policy { doc.paragraph("\(emphasis: Disclosure.note(policy))") }
        return doc
    }

    static func row(_ first: String, _ second: String, _ c: ShownComparison) -> [Prose] {
        let rates = [c.baselineRate, c.pilotRate].map { $0.map { NumberFormat.readable($0, 1) } ?? "—" }
        var rr = "—", p = "—"
        if let r = c.ratio, let e = r.estimate {
            rr = "\(ratio(e)) (\(ratio(r.lower!)) to \(ratio(r.upper!)))"
            p = NumberFormat.fixed(r.pExact!, 3)
        }
        return [first, second, c.baselineEvents, c.pilotEvents, rates[0], rates[1], rr, p].map { Prose($0) }
    }
}
