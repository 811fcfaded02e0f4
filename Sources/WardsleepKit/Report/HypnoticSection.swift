/// The Hypnotic use section of summary.md.
public enum HypnoticSection {
    /// "Tablets issued fell from 3,178 to 2,407 (−24.3%)": the direction of the raw counts, stated exactly.
    /// With `exposure`, the percentage is the change in the rate per unit of exposure ("(−19.5% per occupied bed
    /// day)"), so that periods of different lengths compare like for like.
    public static func changeSentence(_ what: String, baseline: Double, pilot: Double,
                                      exposure: (baseline: Double, pilot: Double, per: String)? = nil) -> String {
        let b = amount(baseline), p = amount(pilot)
        if pilot == baseline && exposure == nil { return "\(what) did not change (\(b) in each period)" }
        var s = pilot == baseline ? "\(what): \(b) in each period" : "\(what) \(pilot < baseline ? "fell" : "rose") from \(b) to \(p)"
        if let e = exposure, baseline > 0, e.baseline > 0, e.pilot > 0 {
            s += " (\(SafetySection.signedPercent(((pilot / e.pilot) / (baseline / e.baseline) - 1) * 100)) per \(e.per))"
        } else if baseline > 0 && pilot != baseline { s += " (\(SafetySection.signedPercent((pilot / baseline - 1) * 100)))" }
        return s
    }

    static func amount(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? NumberFormat.grouped(Int(d)) : NumberFormat.fixed(d, 1)
    }

    /// A shown unit count for people: grouped thousands, `*` kept.
    static func units(_ text: String) -> String { Double(text).map(amount) ?? text }

    /// The Poisson rate ratio of hypnotic use, with no verdict: tablets and doses are not independent events (packs,
    /// patients given many doses), so the Poisson interval is narrower than the truth and is shown as a description,
    /// never as evidence of a change.
    public static func descriptiveRatio(_ rr: Double, _ lo: Double, _ hi: Double, exposure: ExposureWords) -> String {
        "rate ratio per \(exposure.singular) \(SafetySection.ratio(rr)) (Poisson 95% CI \(SafetySection.ratio(lo)) to "
            + "\(SafetySection.ratio(hi)), descriptive only: tablets and doses are not independent events, so this interval "
            + "is too narrow to test a change)"
    }

    /// The whole section.
    public static func render(_ lines: [HypnoticLine], prn: [PRNComparison]?, kind: HypnoticsExportKind, study: StudyDefinition,
                              style: CountStyle, exposureFromOccupancy: Bool, hypnoticModel: HypnoticRateModel? = nil) -> String {
        var md = "## Results: hypnotic use\n\n"
        let exposure = ExposureWords(fromOccupancy: exposureFromOccupancy)
        if (kind == .administrations) {
            md += "From administration records: only doses given count (refused and omitted doses are set aside). "
            md += "Counts of doses and patients are disclosure-controlled.\n\n"
        } else {
            md += "From pharmacy issues of hypnotics to the wards, net of returns. Issues are supplies to a ward, not doses "
            md += "to a patient, so they are shown exactly. Tablets are issued in packs, so counts are over-dispersed and "
            md += "the Poisson interval of the rate ratio is narrower than the truth: it is descriptive, not a test.\n\n"
        }
        md += "Each product is resolved to a drug and strength and converted to WHO defined daily doses (DDD); DDD \(exposure.per100)"
        md += exposureFromOccupancy ? ". " : " (no occupancy export: days in each ward's periods). "
        guard let total = lines.first(where: { $0.ward == nil && $0.group == nil }) else {
            return md + "\n\nNo hypnotic use fell in either period.\n\n"
        }
        let shownStyle = ShownHypnoticLine.unitStyle(kind, style)
        let shownTotal = ShownHypnoticLine(total, style: shownStyle)
        let what = (kind == .administrations) ? "Hypnotic doses given" : "Tablets and capsules issued"
        md += "\n\n"
        if shownTotal.suppressed {
            md += "- \(what): counts too small to publish.\n"
        } else {
            let b = Double(shownTotal.baselineUnits.replacingOccurrences(of: ",", with: "")) ?? total.baseline.units
            let p = Double(shownTotal.pilotUnits.replacingOccurrences(of: ",", with: "")) ?? total.pilot.units
            let perDay = exposure.singular
            md += "- " + changeSentence(what, baseline: b, pilot: p, exposure: (total.baselineExposure, total.pilotExposure, perDay))
            if let bd = shownTotal.values["baseline_ddd_per_100_obd"] ?? nil, let pd = shownTotal.values["pilot_ddd_per_100_obd"] ?? nil {
                md += "; DDD \(exposure.per100) \(NumberFormat.fixed(bd, 2)) → \(NumberFormat.fixed(pd, 2))"
            }
            if let rr = shownTotal.values["rate_ratio"] ?? nil, let lo = shownTotal.values["ci_lower"] ?? nil,
               let hi = shownTotal.values["ci_upper"] ?? nil {
                md += "; " + descriptiveRatio(rr, lo, hi, exposure: exposure) + "."
            } else {
                md += "."
            }
            md += "\n"
            md += SegmentedTables.hypnoticModelLine(hypnoticModel, what: what, per: perDay)
        }
        let contrast = HypnoticAnalysis.cbtiContrast(lines, study: study)
        if let c = contrast.ratio, let ce = contrast.cbti.estimate, let oe = contrast.other.estimate, !shownTotal.suppressed {
            md += "- CBTi wards: rate ratio \(SafetySection.ratio(ce)); other wards: \(SafetySection.ratio(oe)) (Mantel–Haenszel over wards); "
            md += "ratio of rate ratios \(SafetySection.ratio(c.estimate)) (95% CI \(SafetySection.ratio(c.lower)) to \(SafetySection.ratio(c.upper))).\n"
        }
        md += "\n### By drug (\(MarkdownText.escape(study.scopeHeading)))\n\nDDD \(exposure.per100).\n\n"
        md += "| Group | Drug | ATC | Baseline units | Pilot units | Change in rate | Baseline DDD per 100 | Pilot DDD per 100 |\n"
        md += "|---|---|---|---:|---:|---:|---:|---:|\n"
        for l in lines where l.ward == nil && l.product == nil && (l.drug != nil || l.group == nil) {
            let s = ShownHypnoticLine(l, style: shownStyle)
            let change = (s.values["percent_change_rate"] ?? nil).map(SafetySection.signedPercent) ?? "—"
            let dd = ["baseline_ddd_per_100_obd", "pilot_ddd_per_100_obd"].map { (s.values[$0] ?? nil).map { NumberFormat.fixed($0, 2) } ?? "n/a" }
            md += "| \(l.group?.rawValue ?? "**All**") | \(l.drug.map { MarkdownText.escape($0.name) } ?? "**all**") | \(l.drug?.atc ?? "") | \(units(s.baselineUnits)) | "
            md += "\(units(s.pilotUnits)) | \(change) | \(dd[0]) | \(dd[1]) |\n"
        }
        md += "\n### By ward (all hypnotics)\n\n| Ward | CBTi | Baseline units | Pilot units | Change in rate | Baseline DDD per 100 | Pilot DDD per 100 |\n"
        md += "|---|---|---:|---:|---:|---:|---:|\n"
        for l in lines where l.ward != nil && l.group == nil {
            let w = study.wards[l.ward!]
            let s = ShownHypnoticLine(l, style: shownStyle)
            let change = (s.values["percent_change_rate"] ?? nil).map(SafetySection.signedPercent) ?? "—"
            let dd = ["baseline_ddd_per_100_obd", "pilot_ddd_per_100_obd"].map { (s.values[$0] ?? nil).map { NumberFormat.fixed($0, 2) } ?? "n/a" }
            md += "| \(ProseFormat.cell(w.label)) | \(w.cbti ? "yes" : "no") | \(units(s.baselineUnits)) | \(units(s.pilotUnits)) | \(change) | \(dd[0]) | \(dd[1]) |\n"
        }
        md += "\n"
        let noDDD = Set(lines.compactMap { $0.drug }.filter { $0.dddMg == nil }.map(\.name))
        if !noDDD.isEmpty {
            md += "No WHO DDD is assigned to \(noDDD.sorted().map(MarkdownText.escape).joined(separator: ", ")): reported in units and mg, with DDD not applicable.\n\n"
        }
        if let prn {
            md += prnPart(prn, study: study, style: style, exposure: exposure)
        }
        md += "Every product, drug, group and ward is in `tables/hypnotics.csv`"
        md += prn == nil ? ".\n\n" : "; PRN use in `tables/hypnotics_prn.csv`.\n\n"
        return md
    }

    static func prnPart(_ rows: [PRNComparison], study: StudyDefinition, style: CountStyle, exposure: ExposureWords) -> String {
        guard let r = rows.first(where: { $0.ward == nil }) else { return "" }
        let v = PRNShown(r, style: style)
        var md = "### As-required (PRN) doses\n\n"
        func rate(_ text: String) -> String { Double(text).map { NumberFormat.fixed($0, 2) } ?? "—" }
        md += "PRN doses given: \(units(v.cells[2].text)) → \(units(v.cells[3].text)); \(exposure.per100) "
        md += "\(rate(v.cells[4].text)) → \(rate(v.cells[5].text)). Regular doses given: "
        md += "\(units(v.cells[0].text)) → \(units(v.cells[1].text)).\n\n"
        if let b = v.baselineShare, let p = v.pilotShare, let d = v.difference {
            func pct(_ x: Double?) -> String { x.map { NumberFormat.fixed($0 * 100, 1) + "%" } ?? "—" }
            md += "Patients given at least one PRN hypnotic dose, among patients with any hypnotic administration record: "
            func points(_ x: Double) -> String { SafetySection.signedPercent(x * 100).replacingOccurrences(of: "%", with: "") }
            md += "\(NumberFormat.grouped(b.x)) of \(NumberFormat.grouped(b.n)) (\(pct(b.estimate)), 95% CI \(pct(b.lower)) to \(pct(b.upper))) "
            md += "in the baseline, \(NumberFormat.grouped(p.x)) of \(NumberFormat.grouped(p.n)) (\(pct(p.estimate)), 95% CI "
            md += "\(pct(p.lower)) to \(pct(p.upper))) in the pilot; difference \(points(d.difference)) percentage points "
            md += "(Newcombe 95% CI \(points(d.lower)) to \(points(d.upper))"
            md += v.fisherP.map { "; Fisher's exact p \(SafetySection.pValue($0))" } ?? ""
            md += "). Patients present in both periods are counted in each.\n\n"
        } else {
            md += "Patient counts are too small to publish a PRN share.\n\n"
        }
        return md
    }
}
