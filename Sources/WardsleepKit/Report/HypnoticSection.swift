/// The Hypnotic use section of the summary.
public enum HypnoticSection {
    /// "Tablets issued fell from 3,178 to 2,407 (−24.3%)": the direction of the raw counts, stated exactly, with the
    /// `change` the release step computed (`ShownHypnoticLine`): of the rate per `per` ("(−19.5% per occupied bed
    /// day)"), so that periods of different lengths compare like for like, or of the units when there is no rate.
    /// Why there is no study-wide hypnotic line, in one sentence: every row quarantined, none in the periods, no census
    /// to compare with, or no use at all. Never "no use" when the export could not say.
    static func noStudyLine(_ s: ReleasedEvidence) -> String {
        let exposure = ExposureWords(fromOccupancy: s.exposureFromOccupancy).plural
        if let t = s.ingest.tally(.hypnotics) {
            if t.rowsRead > 0 && t.accepted == 0 {
                return "No row of \(t.file) could be used: every row was quarantined (see Data quality), so hypnotic use is not known."
            }
            if t.accepted > 0 && t.setAside.values.reduce(0, +) == t.accepted {
                return "None of the rows of \(t.file) could be analysed (see Data quality), so hypnotic use is not known."
            }
        }
        let uncovered = (s.hypnoticsLeftOutForCensus ?? [:]).values.reduce(0, +)
        if s.exposureFromOccupancy && (uncovered > 0 || OccupancyTotals.comparedWards(s.occupancy, study: s.study).isEmpty) {
            return "Hypnotic use cannot be compared across the study: no ward that used hypnotics has \(exposure) in both periods "
                + "on the days it used them (see Data quality)."
        }
        return "No hypnotic use in either period."
    }

    public static func changeSentence(_ what: String, baseline: Double, pilot: Double, change: Double?, per: String? = nil) -> String {
        let b = amount(baseline), p = amount(pilot)
        if pilot == baseline && per == nil { return "\(what) did not change (\(b) in each period)" }
        var s = pilot == baseline ? "\(what): \(b) in each period" : "\(what) \(pilot < baseline ? "fell" : "rose") from \(b) to \(p)"
        if let change, let per {
            s += " (\(SafetySection.signedPercent(change)) per \(per))"
        } else if let change, pilot != baseline { s += " (\(SafetySection.signedPercent(change)))" }
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
                              style: CountStyle, exposureFromOccupancy: Bool, hypnoticModel: HypnoticRateModel? = nil,
                              noStudyLine: String = "No hypnotic use fell in either period.", statusColumn: Bool = true) -> ReportDocument {
        var doc = ReportDocument()
        doc.heading(2, "Results: hypnotic use")
        let exposure = ExposureWords(fromOccupancy: exposureFromOccupancy)
        if kind == .administrations {
            doc.paragraph(statusColumn
                ? "From administration records: only doses given count (refused and omitted doses are set aside). "
                    + "Counts of doses and patients are disclosure-controlled."
                : "From administration records. The export has no status column, so every record counts as a dose given: "
                    + "refused or omitted doses, if it holds any, are counted too (map its status column in study.yaml, "
                    + "\(code: "columns: { status: ... }"), to set them aside). Counts of doses and patients are disclosure-controlled.")
        } else {
            doc.paragraph("From pharmacy issues of hypnotics to the wards, net of returns. Issues are supplies to a ward, not doses "
                          + "to a patient, so they are shown exactly. Tablets are issued in packs, so counts are over-dispersed and "
                          + "the Poisson interval of the rate ratio is narrower than the truth: it is descriptive, not a test.")
        }
        let ddd: Prose = "Each product is resolved to a drug and strength and converted to WHO defined daily doses (DDD); DDD \(exposure.per100)"
            + (exposureFromOccupancy ? "." : " (no occupancy export: days in each ward's periods).")
        doc.paragraph(ddd)
        // Wards without exposure in a period are left out of the study-wide lines (`OccupancyTotals.comparedWards`).
        let wardTotals = lines.filter { $0.ward != nil && $0.group == nil }
        let leftOut = Set(wardTotals.filter { $0.baselineExposure == 0 || $0.pilotExposure == 0 }.map { $0.ward! })
        let leftOutNote: Prose? = leftOut.isEmpty ? nil
            : Prose(exposure.leftOut(leftOut, study: study, from: "the study-wide lines", showing: "use"))
        guard let total = lines.first(where: { $0.ward == nil && $0.group == nil }) else {
            if wardTotals.isEmpty {
                doc.paragraph(Prose(noStudyLine))
            } else {
                doc.paragraph("No ward that used hypnotics has \(exposure.plural) in both periods, so there is no study-wide line "
                              + "(see \(emphasis: "Data quality")); each ward's use is in \(code: "tables/hypnotics.csv").")
            }
            return doc
        }
        let shownStyle = ShownHypnoticLine.unitStyle(kind, style)
        let shownTotal = ShownHypnoticLine(total, style: shownStyle)
        let what = kind == .administrations ? "Hypnotic doses given" : "Tablets and capsules issued"
        var items: [Prose] = []
        if shownTotal.suppressed {
            items.append(total.baselineWithheld == true || total.pilotWithheld == true
                ? "\(what): withheld so that a small count elsewhere cannot be worked out from them." : "\(what): counts too small to publish.")
        } else {
            let b = Double(shownTotal.baselineUnits.replacingOccurrences(of: ",", with: "")) ?? total.baseline.units
            let p = Double(shownTotal.pilotUnits.replacingOccurrences(of: ",", with: "")) ?? total.pilot.units
            let perDay = exposure.singular
            let rateChange = shownTotal.values["percent_change_rate"] ?? nil, unitChange = shownTotal.values["percent_change_units"] ?? nil
            var md = changeSentence(what, baseline: b, pilot: p, change: rateChange ?? unitChange, per: rateChange == nil ? nil : perDay)
            if let bd = shownTotal.values["baseline_ddd_per_100_obd"] ?? nil, let pd = shownTotal.values["pilot_ddd_per_100_obd"] ?? nil {
                md += "; DDD \(exposure.per100) \(NumberFormat.readable(bd, 2)) → \(NumberFormat.readable(pd, 2))"
                    + ShownHypnoticLine.leavingOut(shownTotal.leftOutDrugs)
            }
            if let rr = shownTotal.values["rate_ratio"] ?? nil, let lo = shownTotal.values["ci_lower"] ?? nil,
               let hi = shownTotal.values["ci_upper"] ?? nil {
                md += "; " + descriptiveRatio(rr, lo, hi, exposure: exposure) + "."
            } else {
                md += "."
            }
            items.append(Prose(md))
            if let line = SegmentedTables.hypnoticModelLine(hypnoticModel, what: what, per: perDay) { items.append(Prose(line)) }
        }
        // The CBTi contrast pools the wards' totals as shown: none when one of them is not shown.
        let shownWardTotals = wardTotals.map { ShownHypnoticLine($0, style: shownStyle).published }
        let contrast = shownWardTotals.contains { $0 == nil } ? nil : HypnoticAnalysis.cbtiContrast(shownWardTotals.compactMap { $0 }, study: study)
        if let contrast, let c = contrast.ratio, let ce = contrast.cbti.estimate, let oe = contrast.other.estimate, !shownTotal.suppressed {
            items.append("CBTi wards: rate ratio \(SafetySection.ratio(ce)); other wards: \(SafetySection.ratio(oe)) (Mantel–Haenszel over wards); "
                         + "ratio of rate ratios \(SafetySection.ratio(c.estimate)) (95% CI \(SafetySection.ratio(c.lower)) to \(SafetySection.ratio(c.upper))).")
        }
        doc.list(items)
        func figures(_ l: HypnoticLine) -> [Prose] {
            let s = ShownHypnoticLine(l, style: shownStyle)
            let change = (s.values["percent_change_rate"] ?? nil).map(SafetySection.signedPercent) ?? "—"
            let dd = ["baseline_ddd_per_100_obd", "pilot_ddd_per_100_obd"].map { (s.values[$0] ?? nil).map { NumberFormat.readable($0, 2) } ?? "n/a" }
            return [units(s.baselineUnits), units(s.pilotUnits), change, dd[0], dd[1]].map { Prose($0) }
        }
        let figureHeader: [Prose] = ["Baseline units", "Pilot units", "Change in rate", "Baseline DDD per 100", "Pilot DDD per 100"]
        doc.heading(3, "By drug (\(study.scopeHeading))")
        doc.paragraph("DDD \(exposure.per100).")
        let drugLines = lines.filter { $0.ward == nil && $0.product == nil && ($0.drug != nil || $0.group == nil) }
        doc.table(header: ["Group", "Drug", "ATC"] + figureHeader, numeric: [false, false, false, true, true, true, true, true], rows: drugLines.map { l in
            [l.group.map { Prose($0.rawValue) } ?? "\(strong: "All")", l.drug.map { Prose($0.name) } ?? "\(strong: "all")", Prose(l.drug?.atc ?? "")]
                + figures(l)
        })
        doc.heading(3, "By ward (all hypnotics)")
        doc.table(header: ["Ward", "CBTi"] + figureHeader, numeric: [false, false, true, true, true, true, true], rows: wardTotals.map { l in
            let w = study.wards[l.ward!]
            return [Prose(w.label), w.cbti ? "yes" : "no"] + figures(l)
        })
        if let leftOutNote { doc.paragraph(leftOutNote) }
        // A total line's DDDs leave out a drug whose own doses in its scope are not published: said, line by line (the
        // study's total and the wards'; a drug's own line leaves out no other drug).
        let partial = (drugLines + wardTotals).compactMap { l -> String? in
            let left = ShownHypnoticLine(l, style: shownStyle).leftOutDrugs
            guard !left.isEmpty else { return nil }
            let name = l.ward.map { study.wards[$0].label } ?? "all wards, all hypnotics"
            return "\(name): \(left.joined(separator: ", "))"
        }
        if !partial.isEmpty {
            doc.paragraph(Prose("Milligrams and DDDs leave out a drug whose own doses on that line are withheld or too few to publish "
                                + "(its milligrams would give them back): " + partial.joined(separator: "; ") + "."))
        }
        let noDDD = Set(lines.compactMap { $0.drug }.filter { $0.dddMg == nil }.map(\.name))
        if !noDDD.isEmpty {
            doc.paragraph("No WHO DDD is assigned to \(noDDD.sorted().joined(separator: ", ")): reported in units and mg, with DDD not applicable.")
        }
        if let prn { doc.append(prnPart(prn, study: study, style: style, exposure: exposure)) }
        doc.paragraph("Every product, drug, group and ward is in \(code: "tables/hypnotics.csv")"
                      + (prn == nil ? "." : "; PRN use in \(code: "tables/hypnotics_prn.csv")."))
        return doc
    }

    static func prnPart(_ rows: [PRNComparison], study: StudyDefinition, style: CountStyle, exposure: ExposureWords) -> ReportDocument {
        var doc = ReportDocument()
        guard let r = rows.first(where: { $0.ward == nil }) else { return doc }
        let v = PRNShown(r, style: style)
        doc.heading(3, "As-required (PRN) doses")
        func rate(_ text: String) -> String { Double(text).map { NumberFormat.readable($0, 2) } ?? "—" }
        doc.paragraph("PRN doses given: \(units(v.cells[2].text)) → \(units(v.cells[3].text)); \(exposure.per100) "
                      + "\(rate(v.cells[4].text)) → \(rate(v.cells[5].text)). Regular doses given: "
                      + "\(units(v.cells[0].text)) → \(units(v.cells[1].text)).")
        if let b = v.baselineShare, let p = v.pilotShare, let d = v.difference {
            func pct(_ x: Double?) -> String { x.map { NumberFormat.fixed($0 * 100, 1) + "%" } ?? "—" }
            func points(_ x: Double) -> String { SafetySection.signedPercent(x * 100).replacingOccurrences(of: "%", with: "") }
            var md = "Patients given at least one PRN hypnotic dose, among patients with any hypnotic administration record: "
            md += "\(NumberFormat.grouped(b.x)) of \(NumberFormat.grouped(b.n)) (\(pct(b.estimate)), 95% CI \(pct(b.lower)) to \(pct(b.upper))) "
            md += "in the baseline, \(NumberFormat.grouped(p.x)) of \(NumberFormat.grouped(p.n)) (\(pct(p.estimate)), 95% CI "
            md += "\(pct(p.lower)) to \(pct(p.upper))) in the pilot; difference \(points(d.difference)) percentage points "
            md += "(Newcombe 95% CI \(points(d.lower)) to \(points(d.upper))"
            md += v.fisherP.map { "; Fisher's exact p \(SafetySection.pValue($0))" } ?? ""
            md += "). Patients present in both periods are counted in each."
            doc.paragraph(Prose(md))
        } else {
            doc.paragraph("Patient counts are too small to publish a PRN share.")
        }
        return doc
    }
}
