/// The evidence summary as one document, structured by SQUIRE 2.0: written as summary.md (`MarkdownWriter`) and as
/// report.html and report.pdf (`HTMLReport.render(document:)`). Built from the released view alone.
public enum SummaryDocument {
    /// The whole summary, with counts shown in the view's style.
    public static func build(_ s: ReleasedEvidence) -> ReportDocument {
        let style = s.style
        let study = s.study
        var doc = ReportDocument()
        doc.heading(1, "\(title(study))")
        if style.sensitivity == .restricted {
            doc.quote(["\(strong: "Restricted: exact counts.") This copy is not disclosure-controlled and must not leave the organisation."], notice: true)
        }
        if study.synthetic {
            doc.quote(["\(strong: "Synthetic data.") This study is marked synthetic in study.yaml, as \(code: "wardsleep sample") and "
                      + "\(code: "wardsleep bench") mark the studies they generate; it describes no real patients."], notice: true)
        }
        doc.paragraph("An evaluation of a protected sleep period on mental-health wards: whether adverse events rose, whether hypnotic "
                      + "use fell, how patients, staff and carers found the nights, and who was involved at each stage. "
                      + "Sections follow SQUIRE 2.0; involvement is reported with GRIPP2-SF.")
        if let generated = s.generated { doc.paragraph(Prose(generated)) }
        if !study.scope.description.isEmpty {
            doc.quote(["\(strong: "Filtered report.") Only \(study.scope.description); the rest of the study is left out of every figure below."], notice: true)
        }
        doc.append(KeyFindings.section(s))
        doc.heading(2, "Context")
        let inScope = study.wardsInScope
        var context = study.organisation.map { Prose("\($0). ") } ?? Prose()
        context += "\(inScope.count) ward\(inScope.count == 1 ? "" : "s") with \(inScope.reduce(0) { $0 + study.wards[$1].beds }) beds"
        context += study.scope.wards == nil ? ". " : " (of the study's \(study.wards.count)). "
        context += "Baseline \(ProseFormat.range(study.periods.baseline)); pilot \(ProseFormat.range(study.periods.pilot))."
        doc.paragraph(context)
        doc.append(wards(study))
        doc.append(intervention(study))
        doc.append(measures(s))
        doc.append(methods(s))
        if let line = s.leftOut[.fidelity] {
            doc.heading(2, "Results: the intervention as delivered")
            doc.paragraph(Prose(line))
        } else {
            doc.append(FidelitySection.render(s.fidelity, study: study, style: style, observationsSupplied: s.ingest.tally(.observations) != nil))
        }
        doc.append(incidents(s))
        doc.append(hypnoticSection(s))
        doc.append(variation(s))
        doc.append(feedback(s))
        doc.append(InvolvementSection.render(matrix: s.involvement, uptake: s.uptake, occupancy: s.exposure, feedback: s.feedback,
                                             study: study, style: style, leftOut: s.leftOut))
        doc.append(unintended(s))
        doc.append(dataQuality(s))
        doc.append(limitations(s))
        return doc
    }

    /// The report's title: `SleepWell pilot: improvement evaluation (ward A1)`.
    public static func title(_ study: StudyDefinition) -> String {
        "\(study.study): improvement evaluation" + (study.scope.description.isEmpty ? "" : " (\(study.scope.description))")
    }

    /// The Hypnotic use section, or its "not supplied" line.
    static func hypnoticSection(_ s: ReleasedEvidence) -> ReportDocument {
        var doc = ReportDocument()
        guard s.leftOut[.hypnotics] == nil, let kind = s.hypnotics else {
            doc.heading(2, "Results: hypnotic use")
            doc.paragraph(Prose(s.leftOut[.hypnotics] ?? "Hypnotics: not supplied (no hypnotics export in the study folder)."))
            return doc
        }
        return HypnoticSection.render(s.hypnoticLines, prn: s.prn, kind: kind, study: s.study, style: s.style,
                                      exposureFromOccupancy: s.exposureFromOccupancy, hypnoticModel: s.hypnoticModel,
                                      noStudyLine: HypnoticSection.noStudyLine(s),
                                      statusColumn: s.ingest.tally(.hypnotics)?.hasStatus ?? true)
            + SegmentedTables.section(s.its, measure: "hypnotic_ddd", study: s.study, policy: s.style.policy)
    }

    static func intervention(_ study: StudyDefinition) -> ReportDocument {
        var doc = ReportDocument()
        doc.heading(2, "Intervention")
        var md = "A protected sleep period from \(study.protectedWindow.start) to \(study.protectedWindow.end) on the ward clock, with no "
        md += "routine overnight checks for patients judged safe. "
        let cbti = study.wardsInScope.map { study.wards[$0] }.filter(\.cbti).map(\.id)
        if !cbti.isEmpty { md += "CBT for insomnia was offered on \(cbti.joined(separator: ", ")). " }
        let staggered = study.wardsInScope.filter { study.wards[$0].periods != PeriodOverrides() }
        if !staggered.isEmpty {
            md += "Roll-out was staggered: " + staggered.map { "\(study.wards[$0].id) from \(ProseFormat.date(study.periods(forWard: $0).pilot.from))" }
                .joined(separator: ", ") + ". "
        }
        doc.paragraph(Prose(md + "Who designed and delivered it is set out under Who was involved."))
        return doc
    }

    static func measures(_ s: ReleasedEvidence) -> ReportDocument {
        let exposure = ExposureWords(fromOccupancy: s.exposureFromOccupancy)
        var doc = ReportDocument()
        doc.heading(2, "Measures")
        var items: [Prose] = []
        items.append("\(strong: "Incidents"): adverse events from the incident export. " + Prose(EventTiming.countingRules(s.study)) + " "
                     + Prose("Rates \(exposure.per1000)" + (s.exposureFromOccupancy ? " (\(s.study.exports[.occupancy].obdDefinition))."
                                                                                     : " (no occupancy export: days in each ward's periods).")))
        items.append("\(strong: "Serious incidents"): severe harm or death, counted and never described.")
        items.append("\(strong: "Hypnotic use"): " + Prose(s.ingest.hypnoticsKind == .issues ? "tablets and capsules issued by pharmacy, net of returns" : "doses given")
                     + Prose(", in WHO defined daily doses (DDD) \(exposure.per100)."))
        items.append("\(strong: "Protected-sleep uptake"): patients with at least one protected night among patients with a sleep plan in the pilot.")
        if s.fidelity != nil {
            items.append("\(strong: "Fidelity"): protected patient-nights with no routine check inside the protected window, from the overnight "
                         + "observation log joined to the sleep plans; and every check inside the window per 100 bed-nights.")
        }
        items.append("\(strong: "Feedback"): ratings from 1 to 5 and comments from patients, staff and carers, before, during and after.")
        items.append("\(strong: "Involvement"): the highest level (IAP2: inform, consult, involve, collaborate, lead) each group reached at each stage.")
        doc.list(items)
        return doc
    }

    static func methods(_ s: ReleasedEvidence) -> ReportDocument {
        let style = s.style
        let p = SPCParameters(s.study.spc)
        var doc = ReportDocument()
        doc.heading(2, "Analysis")
        var items: [Prose] = []
        var rates: Prose = "Rate ratios, pilot against baseline, with exact 95% confidence intervals (conditional binomial, as R's \(code: "poisson.test")), "
        rates += "two-sided exact (R's \(code: "minlike")) and mid-p values. Each verdict (\"evidence of an increase\", \"of a decrease\", \"no "
        rates += "evidence of a change\") follows the Clopper–Pearson 95% CI, not the p-value; near p = 0.05 the two can disagree, and "
        rates += "the sentence then says so. Mantel–Haenszel rate ratios pooled over wards with the Greenland–Robins variance, and a "
        rates += "chi-square test of homogeneity of the ward rate ratios: Σ(x₁ᵢ − Eᵢ)²/Vᵢ, with Eᵢ and Vᵢ the mean and variance of "
        rates += "ward i's pilot events given its total under the pooled ratio, on (wards with events − 1) degrees of freedom; CBTi "
        rates += "wards against the rest as a ratio of rate ratios."
        items.append(rates)
        items.append("Hypnotic use: Poisson rate ratios are shown as descriptions only, since tablets and doses are not independent "
                     + "events; no verdict is drawn from them.")
        items.append("Proportions with exact (Clopper–Pearson) intervals; differences with Newcombe's interval and Fisher's exact test; "
                     + "ratings before and after with the Wilcoxon rank-sum test as R's \(code: "wilcox.test").")
        var spc = "Statistical process control by \(s.study.spc.interval): u-charts for incidents, an XmR chart for DDDs, a p-chart for "
        spc += "protected nights; limits from the baseline, frozen into the pilot. Special-cause rules (NHS Making Data Count): a point "
        spc += "outside the limits; a shift of \(p.shift) points on one side of the centre line; a trend of \(p.trend) points each "
        spc += "rising or falling; two of three points beyond 2σ on one side (\(p.twoInThree.rawValue)); moving-range screening "
        spc += "\(p.screenOutliers ? "on" : "off"). Limits rest on at least \(p.minimumBaselinePoints) baseline "
        spc += "points; from fewer they are marked provisional (NHS Making Data Count), in each chart and in the table. Baseline "
        spc += "and pilot points keep each ward's own periods, and the time axis is broken between them."
        items.append(Prose(spc))
        if !s.its.isEmpty || s.hypnoticModel != nil {
            items += SegmentedTables.methods(exposureFromOccupancy: s.exposureFromOccupancy, hasHypnotics: s.hypnoticModel != nil)
        }
        if let policy = style.policy {
            items.append(Prose("Disclosure control: counts from 1 to \(policy.suppressAtOrBelow) shown as *, other counts rounded to the nearest "
                               + "\(policy.roundTo); in the incidents table and charts a count is also shown as * where a total and its published "
                               + "parts would otherwise give a suppressed one back. Every rate, rate ratio, interval and p-value, the pooled estimates, the control-chart points, "
                               + "limits and special-cause flags, and the rating comparisons are computed from the published counts; one that would "
                               + "need a suppressed count is withheld, with the reason. Exact statistics are kept for restricted use only."))
        }
        items.append("Patient identifiers were pseudonymised as they were read (keyed HMAC-SHA-256); incident narratives are never copied.")
        if !s.study.scope.description.isEmpty { items.append(Prose("Filters: \(s.study.scope.description).")) }
        doc.list(items)
        return doc
    }

    /// The Feedback section, or the line saying it cannot honour the filters; under a ward filter it says that
    /// responses without a ward are left out.
    static func feedback(_ s: ReleasedEvidence) -> ReportDocument {
        if let line = s.leftOut[.feedback] {
            var doc = ReportDocument()
            doc.heading(2, "Results: feedback")
            doc.paragraph(Prose(line))
            return doc
        }
        var doc = InvolvementSection.feedback(s.feedback, study: s.study, style: s.style)
        if s.feedback != nil && s.study.scope.wards != nil {
            let note = ReportBlock.paragraph(Prose("Only responses recorded against \(s.study.wardsInScopeName); responses with no ward are left out."))
            doc.blocks.insert(note, at: 1)
        }
        return doc
    }

    static func wards(_ study: StudyDefinition) -> ReportDocument {
        var doc = ReportDocument()
        doc.table(header: ["Ward", "Name", "Type", "Beds", "CBTi", "Baseline", "Pilot"], numeric: [false, false, false, true, false, false, false],
                  rows: study.wardsInScope.map { i in
            let w = study.wards[i], p = study.periods(forWard: i)
            return [w.id, w.name, w.type, String(w.beds), w.cbti ? "yes" : "no", "\(p.baseline.from.iso) to \(p.baseline.to.iso)",
                    "\(p.pilot.from.iso) to \(p.pilot.to.iso)"].map { Prose($0) }
        })
        return doc
    }

    static func incidents(_ s: ReleasedEvidence) -> ReportDocument {
        guard let safety = s.safety, let tally = s.ingest.tally(.incidents) else {
            var doc = ReportDocument()
            doc.heading(2, "Results: safety")
            doc.paragraph("Incidents: not supplied (no incident export in the study folder).")
            return doc
        }
        var doc = SafetySection.render(safety, study: s.study, style: s.style)
        doc.append(SegmentedTables.section(s.its, measure: "incidents", study: s.study, policy: s.style.policy))
        let rows = ReleasedTally(tally, style: s.style)
        let analysed = tally.withheld?.contains(.analysed) == true ? "*" : s.style.show(s.incidentsAnalysed)
        doc.paragraph(Prose("\(analysed) of \(rows.accepted) accepted incident rows fall in "
                            + "a period" + (s.study.scope.description.isEmpty ? " and are" : ", are inside this report's filters and are") + " not excluded "
                            + "by status; each is placed by the date of the event itself and its ward's period dates."))
        return doc
    }
}
