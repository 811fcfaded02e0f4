/// The key findings at the top of summary.md and report.html: one plain sentence each for delivery (when an
/// observation log was supplied), safety, safety in the protected window, hypnotic use, experience, involvement and data quality, each with its estimate and interval.
///
/// It analyses nothing. Every number comes from the released view through the same functions that build the tables
/// and the result sections (`ShownComparison`, `ShownHypnoticLine`, the released ratings, the shown uptake,
/// `ReleasedTally`), and every verdict from the same rule (`SafetySection.verdict`), so a finding can never say
/// something its table does not.
public enum KeyFindings {
    /// The findings, in order; a measure whose export was not supplied, or whose numbers are withheld, says so.
    public static func sentences(_ s: ReleasedEvidence) -> [Prose] {
        [delivery(s), safety(s, window: .allDay), safety(s, window: .protected),
         hypnotics(s), experience(s), involvement(s), dataQuality(s)].compactMap { $0 }
    }

    /// The section.
    public static func section(_ s: ReleasedEvidence) -> ReportDocument {
        var doc = ReportDocument()
        doc.heading(2, "Key findings")
        doc.list(sentences(s))
        return doc
    }

    /// A finding: its title in bold, then the sentence.
    static func finding(_ title: String, _ text: String) -> Prose { "\(strong: title) " + Prose(text) }

    /// Whether the protected period was delivered: the pilot's fidelity proportion from the released counts; nothing
    /// when no observation log was supplied (the fidelity section says so).
    static func delivery(_ s: ReleasedEvidence) -> Prose? {
        let style = s.style
        guard let f = s.fidelity else { return nil }
        let title = "Delivery."
        let shown = ReleasedFidelity(f, study: s.study, style: style)
        guard let row = shown.rows.first(where: { $0.ward == "all" && $0.period == .pilot }), row.cell.protectedNights > 0 else {
            return finding(title, "No protected patient-nights were planned in the pilot.")
        }
        guard let p = row.fidelity, let e = p.estimate, let lo = p.lower, let hi = p.upper else {
            return finding(title, "Protected patient-nights are too few to publish how many went without a routine check.")
        }
        let logged = s.study.wardsInScope.filter { !f.wardsWithoutLog.contains($0) }
        let on = f.wardsWithoutLog.isEmpty ? "" : " on \(FidelityResults.wardsName(logged, s.study)) (the wards that log their checks)"
        return finding(title, "\(NumberFormat.fixed(e * 100, 1))% of protected patient-nights in the pilot\(on) had no routine check in the "
            + "protected window (\(FidelitySection.grouped(row.withoutRoutineCheck)) of \(FidelitySection.grouped(row.protectedNights)); 95% CI \(NumberFormat.fixed(lo * 100, 1))% to "
            + "\(NumberFormat.fixed(hi * 100, 1))%).")
    }

    static func safety(_ s: ReleasedEvidence, window: TimeWindow) -> Prose? {
        let style = s.style
        let title = window == .allDay ? "Safety." : "Safety at night."
        guard let safety = s.safety else { return window == .allDay ? finding(title, "Incidents were not supplied.") : nil }
        guard let cell = safety.studyCell(IncidentCounts.allCategories, window) else { return nil }
        let what = window == .allDay ? "incidents over 24 hours" : "incidents in the protected window (\(s.study.protectedWindow))"
        let c = ShownComparison(cell, style: style)
        guard let r = c.ratio else {
            return finding(title, c.withheldReason == "counts too small to publish" ? "Counts of \(what) are too small to publish a rate ratio."
                : "Counts of \(what) are withheld so that a small count elsewhere cannot be worked out from them: no rate ratio is published.")
        }
        guard let estimate = r.estimate, let lo = r.lower, let hi = r.upper, let p = r.pExact else {
            if cell.baselineExposure == 0 || cell.pilotExposure == 0 {
                let exposure = ExposureWords(fromOccupancy: s.exposureFromOccupancy).plural
                return finding(title, "Rates of \(what) cannot be given: no ward has \(exposure) in both periods (see Data quality).")
            }
            return finding(title, "No \(what) in either period" + coverageCaveat(s, .incidents) + ".")
        }
        var text = "\(capitalised(SafetySection.verdict(lower: lo, upper: hi))) in \(what)"
        if let b = c.baselineRate, let pr = c.pilotRate {
            text += ": \(NumberFormat.fixed(b, 1)) → \(NumberFormat.fixed(pr, 1)) per 1,000 \(cell.unit.words)"
        }
        text += ", rate ratio \(SafetySection.ratio(estimate)) (95% CI \(SafetySection.ratio(lo)) to \(SafetySection.ratio(hi)); "
        text += "exact p \(SafetySection.pValue(p)))" + SafetySection.disagreement(lower: lo, upper: hi, p: p)
        return finding(title, text + coverageCaveat(s, .incidents) + ".")
    }

    static func hypnotics(_ s: ReleasedEvidence) -> Prose? {
        let style = s.style
        let title = "Hypnotics."
        guard let kind = s.hypnotics else { return finding(title, s.leftOut[.hypnotics] ?? "Hypnotic use was not supplied.") }
        guard let total = s.hypnoticLines.first(where: { $0.ward == nil && $0.group == nil }) else {
            return finding(title, HypnoticSection.noStudyLine(s))
        }
        let shown = ShownHypnoticLine(total, style: ShownHypnoticLine.unitStyle(kind, style))
        let exposure = ExposureWords(fromOccupancy: s.exposureFromOccupancy)
        guard !shown.suppressed else {
            return finding(title, total.baselineWithheld == true || total.pilotWithheld == true
                ? "Hypnotic use is withheld so that a small count elsewhere cannot be worked out from it." : "Hypnotic use is too small to publish.")
        }
        var text = ""
        if let b = shown.values["baseline_ddd_per_100_obd"] ?? nil, let p = shown.values["pilot_ddd_per_100_obd"] ?? nil {
            let bt = NumberFormat.readable(b, 2), pt = NumberFormat.readable(p, 2)
            text += bt == pt ? "DDD \(exposure.per100) did not change (\(bt))" : "DDD \(exposure.per100) \(p < b ? "fell" : "rose") from \(bt) to \(pt)"
            text += ShownHypnoticLine.leavingOut(shown.leftOutDrugs)
        } else {
            text += "No defined daily doses apply to the products used"
        }
        if let rr = shown.values["rate_ratio"] ?? nil, let lo = shown.values["ci_lower"] ?? nil, let hi = shown.values["ci_upper"] ?? nil {
            text += "; \(kind == .administrations ? "doses given" : "tablets and capsules issued"), "
            text += HypnoticSection.descriptiveRatio(rr, lo, hi, exposure: exposure)
        }
        return finding(title, text + coverageCaveat(s, .hypnotics) + ".")
    }

    static func experience(_ s: ReleasedEvidence) -> Prose? {
        let style = s.style
        let title = "Experience."
        guard let f = s.feedback else { return finding(title, s.leftOut[.feedback] ?? "Feedback was not supplied.") }
        // All respondents when their ratings are published, otherwise the first group whose are (as the section shows).
        let groups = [nil] + FeedbackGroup.allCases.map(Optional.some)
        guard let g = groups.first(where: { f.shownRatings(group: $0, style: style) != nil }),
              let (b, a, t) = f.shownRatings(group: g, style: style),
              let mb = b.quantile(0.5), let ma = a.quantile(0.5) else {
            return finding(title, f.unshownRatingsSentence())
        }
        let verdict = InvolvementSection.ratingVerdict(t, after: a.n, before: b.n)
        var text = "Ratings (1–5) from \(InvolvementSection.respondents(g)): "
        text += verdict == "no evidence of a difference" ? "no evidence of a difference after the change" : "\(verdict) the change"
        text += ", median \(NumberFormat.json(mb)) before and \(NumberFormat.json(ma)) after (\(style.show(b.n)) and \(style.show(a.n)) "
        text += "ratings; Wilcoxon rank-sum W = \(NumberFormat.json(t.statistic)) of \(NumberFormat.grouped(a.n * b.n)), p \(SafetySection.pValue(t.p)))."
        return finding(title, text)
    }

    static func involvement(_ s: ReleasedEvidence) -> Prose? {
        let style = s.style
        let title = "Involvement."
        var parts: [String] = []
        if let u = s.uptake, let pooled = u.shown(study: s.study, style: style).rows.last?.share,
           let e = pooled.estimate, let lo = pooled.lower, let hi = pooled.upper {
            parts.append("\(NumberFormat.fixed(e * 100, 1))% of patients with a sleep plan had at least one protected night in the pilot "
                + "(\(NumberFormat.grouped(pooled.x)) of \(NumberFormat.grouped(pooled.n)); 95% CI \(NumberFormat.fixed(lo * 100, 1))% "
                + "to \(NumberFormat.fixed(hi * 100, 1))%)")
        }
        if let m = s.involvement {
            parts.append("the programme is classified as \(InvolvementRules.programme(m).displayLabel) by the rules on the involvement ledger")
        }
        if parts.isEmpty {
            return s.uptake == nil && s.involvement == nil ? finding(title, "Neither sleep plans nor an involvement ledger were supplied.") : nil
        }
        return finding(title, capitalised(parts.joined(separator: "; ")) + ".")
    }

    static func dataQuality(_ s: ReleasedEvidence) -> Prose? {
        let style = s.style
        let title = "Data quality."
        let tallies = s.ingest.tallies.map { ReleasedTally($0, style: style) }
        guard !tallies.isEmpty else { return finding(title, "No export was read.") }
        let threshold = NumberFormat.json(s.study.quality.maxQuarantinedPercent)
        let over = s.ingest.exportsOverThreshold(s.study.quality.maxQuarantinedPercent)
        if !over.isEmpty {
            return finding(title, "Above the study's threshold of \(threshold)% of rows quarantined: "
                + over.map { "\($0.file) (\(ReleasedTally($0, style: style).percentText)%)" }.joined(separator: ", ")
                + "; figures from \(over.count == 1 ? "it rest" : "them rest") on fewer rows than were exported.")
        }
        var text = "Every row read was accepted or quarantined; no export quarantined more than the study's threshold of \(threshold)%"
        if let worst = tallies.filter({ $0.quarantinedPercent != nil }).max(by: { $0.quarantinedPercent! < $1.quarantinedPercent! }),
           let pct = worst.quarantinedPercent, pct > 0 {
            text += " (the most: \(worst.tally.file), \(worst.percentText)%)"
        }
        // An export that adds nothing (every row outside the periods), and anything else wrong in aggregate, is said here too:
        // "every row accounted for" must not read as "the data are fine".
        let unused = s.ingest.tallies.filter { $0.nothingAnalysedWarning != nil }.map(\.file)
        if !unused.isEmpty {
            text += "; but \(unused.joined(separator: ", ")) \(unused.count == 1 ? "adds" : "add") nothing to the report: no row "
                + "was analysed"
        }
        if !s.dataQualityFindings.isEmpty {
            let n = s.dataQualityFindings.count
            text += "; \(n == 1 ? "one finding" : "\(n) findings") on the data (see Data quality)"
        }
        return finding(title, text + ".")
    }

    /// ` (but incidents.csv has no rows in the pilot period: see Data quality)` when the export a finding rests on seems
    /// to stop short of the study, so the finding is not read as a change; empty otherwise.
    static func coverageCaveat(_ s: ReleasedEvidence, _ kind: ExportKind) -> String {
        guard let t = s.ingest.tally(kind), let gap = t.coverageGap else { return "" }
        return " (but \(t.file) \(gap): see Data quality)"
    }

    static func capitalised(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }
}
