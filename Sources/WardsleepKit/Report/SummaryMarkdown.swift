/// Everything the summary needs, gathered after the exports have been read.
public struct SummaryInputs {
    /// The study.
    public var study: StudyDefinition
    /// Accounting for every export.
    public var ingest: IngestResult
    /// Incident counts.
    public var incidents: IncidentCounts
    /// Occupied bed days.
    public var occupancy: OccupancyTotals
    /// Problem counts by export.
    public var problems: [ExportKind: ProblemDigest]
    /// The safety comparison, when incidents were supplied.
    public var safety: SafetyResults?
    /// Hypnotic use, when a hypnotics export was supplied.
    public var hypnotics: HypnoticUse?
    /// Hypnotic-use lines (products, drugs, groups, totals) for the study and each ward.
    public var hypnoticLines: [HypnoticLine] = []
    /// PRN comparisons (administrations only).
    public var prn: [PRNComparison]?
    /// Feedback, when supplied.
    public var feedback: FeedbackSummary?
    /// Protected-sleep uptake, when sleep plans were supplied.
    public var uptake: ProtectedSleepUptake?
    /// The involvement matrix, when the ledger was supplied.
    public var involvement: InvolvementMatrix?
    /// Fidelity of the intervention, when an observation log was supplied.
    public var fidelity: FidelityResults?
    /// Redacts feedback quotes.
    public var redactor: Redactor
    /// Control charts of the measures over time.
    public var charts: [ControlChart] = [] { didSet { chartFiles = ChartFiles.names(charts.map(\.title)) } }
    /// The file name of each chart, never two alike (`ChartFiles`).
    public private(set) var chartFiles: [String] = []
    /// Segmented regressions (interrupted time series) of incidents and hypnotic DDDs on ward-months.
    public var its: [InterruptedSeries] = []
    /// The quasi-Poisson comparison of hypnotic units on monthly ward totals.
    public var hypnoticModel: HypnoticRateModel?
    /// A line saying when the report was generated, only when asked for (`--timestamp`).
    public var generated: String?
    /// Parts that were supplied but cannot honour the run's filters, each with the line that says so (and left `nil`).
    public var leftOut: [ReportPart: String] = [:]

    /// Whether exposure comes from an occupancy export.
    public var exposureFromOccupancy: Bool { ingest.tally(.occupancy) != nil }

    /// Gathers the results of a run's analyses; exports not supplied stay `nil`.
    public init(study: StudyDefinition, ingest: IngestResult, analyses a: StudyAnalyses, problems: [ExportKind: ProblemDigest]) {
        self.study = study
        self.ingest = ingest
        incidents = a.incidents
        occupancy = a.occupancy
        self.problems = problems
        redactor = Redactor(names: study.feedback.names)
        let exposure = ingest.tally(.occupancy) == nil ? nil : a.occupancy
        let exports: [ReportPart: ExportKind] = [.hypnotics: .hypnotics, .feedback: .feedback, .uptake: .sleepPlans, .involvement: .involvement,
                                                .fidelity: .observations]
        for (part, kind) in exports where ingest.tally(kind) != nil { leftOut[part] = study.scope.leftOut(part) }
        if ingest.tally(.incidents) != nil {
            safety = SafetyAnalysis.analyse(study: study, incidents: a.incidents, occupancy: exposure)
        }
        if ingest.tally(.hypnotics) != nil && leftOut[.hypnotics] == nil {
            hypnotics = a.hypnotics
            hypnoticLines = HypnoticAnalysis.lines(a.hypnotics, study: study, occupancy: exposure)
            if ingest.hypnoticsKind == .administrations { prn = PRNComparison.all(a.hypnotics, lines: hypnoticLines, study: study) }
        }
        if ingest.tally(.feedback) != nil && leftOut[.feedback] == nil { feedback = a.feedback }
        if ingest.tally(.sleepPlans) != nil && leftOut[.uptake] == nil { uptake = a.uptake }
        if ingest.tally(.involvement) != nil && leftOut[.involvement] == nil {
            involvement = InvolvementMatrix(records: a.ledger.records, feedback: feedback)
        }
        charts = a.series.charts(hasOccupancy: ingest.tally(.occupancy) != nil, hasIncidents: ingest.tally(.incidents) != nil,
                                 hasHypnotics: hypnotics != nil, hasPlans: uptake != nil)
        if ingest.tally(.observations) != nil && leftOut[.fidelity] == nil {
            let f = FidelityResults(a.fidelity, study: study, occupancy: exposure)
            fidelity = f
            charts += f.charts(study: study)
        }
        chartFiles = ChartFiles.names(charts.map(\.title))
        let occupancyGiven = ingest.tally(.occupancy) != nil
        its = a.months.series(categories: safety?.categories ?? [], hasOccupancy: occupancyGiven, hasIncidents: safety != nil,
                              hasHypnotics: hypnotics != nil, withheld: a.hypnotics.withheld)
        if hypnotics != nil { hypnoticModel = HypnoticRateModel(rows: a.months.unitRows(hasOccupancy: occupancyGiven, withheld: a.hypnotics.withheld)) }
    }

    /// The file name of a chart inside the report folder.
    public func chartPath(_ index: Int) -> String { "charts/\(chartFiles[index]).svg" }

    /// Occupied bed days when an occupancy export was supplied.
    var exposure: OccupancyTotals? { exposureFromOccupancy ? occupancy : nil }

    /// The Hypnotic use section, or its "not supplied" line.
    func hypnoticSection(style: CountStyle) -> String {
        if let line = leftOut[.hypnotics] { return "## Results: hypnotic use\n\n\(line)\n\n" }
        guard let hypnotics else { return "## Results: hypnotic use\n\nHypnotics: not supplied (no hypnotics export in the study folder).\n\n" }
        return HypnoticSection.render(hypnoticLines, prn: prn, use: hypnotics, study: study, style: style,
                                      exposureFromOccupancy: exposureFromOccupancy, hypnoticModel: hypnoticModel)
            + SegmentedTables.section(its, measure: "hypnotic_ddd", study: study)
    }
}

/// Writes `summary.md`: the evidence summary, readable on its own.
public enum SummaryMarkdown {
    /// The Markdown text, with counts shown in `style`, structured by SQUIRE 2.0.
    public static func render(_ s: SummaryInputs, style: CountStyle) -> String {
        var md = ""
        let study = s.study
        md += "# \(MarkdownText.escape(study.study)): improvement evaluation\(study.scope.description.isEmpty ? "" : " (\(MarkdownText.escape(study.scope.description)))")\n\n"
        if style.sensitivity == .restricted {
            md += "> **Restricted: exact counts.** This copy is not disclosure-controlled and must not leave the organisation.\n\n"
        }
        if study.synthetic {
            md += "> **Synthetic data.** This study was generated by `wardsleep sample`; it describes no real patients.\n\n"
        }
        md += "An evaluation of a protected sleep period on mental-health wards: whether adverse events rose, whether hypnotic "
        md += "use fell, how patients, staff and carers found the nights, and who was involved at each stage. "
        md += "Sections follow SQUIRE 2.0; involvement is reported with GRIPP2-SF.\n\n"
        if let generated = s.generated { md += "\(generated)\n\n" }
        if !study.scope.description.isEmpty {
            md += "> **Filtered report.** Only \(MarkdownText.escape(study.scope.description)); the rest of the study is left out of every figure below.\n\n"
        }
        md += KeyFindings.section(s, style: style)
        md += "## Context\n\n"
        if let org = study.organisation { md += "\(MarkdownText.escape(org)). " }
        let inScope = study.wardsInScope
        md += "\(inScope.count) ward\(inScope.count == 1 ? "" : "s") with \(inScope.reduce(0) { $0 + study.wards[$1].beds }) beds"
        md += study.scope.wards == nil ? ". " : " (of the study's \(study.wards.count)). "
        md += "Baseline \(ProseFormat.range(study.periods.baseline)); pilot \(ProseFormat.range(study.periods.pilot)).\n\n"
        md += wards(study)
        md += intervention(study)
        md += measures(s)
        md += methods(s, style: style)
        if let line = s.leftOut[.fidelity] {
            md += "## Results: the intervention as delivered\n\n\(line)\n\n"
        } else {
            md += FidelitySection.render(s.fidelity, study: study, style: style, observationsSupplied: s.ingest.tally(.observations) != nil)
        }
        md += incidents(s, style: style)
        md += s.hypnoticSection(style: style)
        md += variation(s)
        md += feedback(s, style: style)
        md += InvolvementSection.render(matrix: s.involvement, uptake: s.uptake, occupancy: s.exposure, feedback: s.feedback,
                                        study: study, style: style, leftOut: s.leftOut)
        md += unintended(s, style: style)
        md += dataQuality(s, style: style)
        md += limitations(s, style: style)
        return md
    }

    static func intervention(_ study: StudyDefinition) -> String {
        var md = "## Intervention\n\n"
        md += "A protected sleep period from \(study.protectedWindow.start) to \(study.protectedWindow.end) on the ward clock, with no "
        md += "routine overnight checks for patients judged safe. "
        let cbti = study.wardsInScope.map { study.wards[$0] }.filter(\.cbti).map { MarkdownText.escape($0.id) }
        if !cbti.isEmpty { md += "CBT for insomnia was offered on \(cbti.joined(separator: ", ")). " }
        let staggered = study.wardsInScope.filter { study.wards[$0].periods != PeriodOverrides() }
        if !staggered.isEmpty {
            md += "Roll-out was staggered: " + staggered.map { "\(MarkdownText.escape(study.wards[$0].id)) from \(ProseFormat.date(study.periods(forWard: $0).pilot.from))" }
                .joined(separator: ", ") + ". "
        }
        return md + "Who designed and delivered it is set out under Who was involved.\n\n"
    }

    static func measures(_ s: SummaryInputs) -> String {
        let exposure = ExposureWords(fromOccupancy: s.exposureFromOccupancy)
        var md = "## Measures\n\n"
        md += "- **Incidents**: adverse events from the incident export. " + EventTiming.countingRules(s.study) + " "
        md += "Rates \(exposure.per1000)" + (s.exposureFromOccupancy ? " (\(s.study.exports[.occupancy].obdDefinition)).\n" : " (no occupancy export: days in each ward's periods).\n")
        md += "- **Serious incidents**: severe harm or death, counted and never described.\n"
        md += "- **Hypnotic use**: \(s.ingest.hypnoticsKind == .issues ? "tablets and capsules issued by pharmacy, net of returns" : "doses given")"
        md += ", in WHO defined daily doses (DDD) \(exposure.per100).\n"
        md += "- **Protected-sleep uptake**: patients with at least one protected night among patients with a sleep plan in the pilot.\n"
        if s.fidelity != nil {
            md += "- **Fidelity**: protected patient-nights with no routine check inside the protected window, from the overnight "
            md += "observation log joined to the sleep plans; and every check inside the window per 100 bed-nights.\n"
        }
        md += "- **Feedback**: ratings from 1 to 5 and comments from patients, staff and carers, before, during and after.\n"
        md += "- **Involvement**: the highest level (IAP2: inform, consult, involve, collaborate, lead) each group reached at each stage.\n\n"
        return md
    }

    static func methods(_ s: SummaryInputs, style: CountStyle) -> String {
        let p = SPCParameters(s.study.spc)
        var md = "## Analysis\n\n"
        md += "- Rate ratios, pilot against baseline, with exact 95% confidence intervals (conditional binomial, as R's `poisson.test`), "
        md += "two-sided exact (R's `minlike`) and mid-p values. Each verdict (\"evidence of an increase\", \"of a decrease\", \"no "
        md += "evidence of a change\") follows the Clopper–Pearson 95% CI, not the p-value; near p = 0.05 the two can disagree, and "
        md += "the sentence then says so. Mantel–Haenszel rate ratios pooled over wards with the Greenland–Robins variance, and a "
        md += "chi-square test of homogeneity of the ward rate ratios: Σ(x₁ᵢ − Eᵢ)²/Vᵢ, with Eᵢ and Vᵢ the mean and variance of "
        md += "ward i's pilot events given its total under the pooled ratio, on (wards with events − 1) degrees of freedom; CBTi "
        md += "wards against the rest as a ratio of rate ratios.\n"
        md += "- Hypnotic use: Poisson rate ratios are shown as descriptions only, since tablets and doses are not independent "
        md += "events; no verdict is drawn from them.\n"
        md += "- Proportions with exact (Clopper–Pearson) intervals; differences with Newcombe's interval and Fisher's exact test; "
        md += "ratings before and after with the Wilcoxon rank-sum test as R's `wilcox.test`.\n"
        md += "- Statistical process control by \(s.study.spc.interval): u-charts for incidents, an XmR chart for DDDs, a p-chart for "
        md += "protected nights; limits from the baseline, frozen into the pilot. Special-cause rules (NHS Making Data Count): a point "
        md += "outside the limits; a shift of \(p.shift) points on one side of the centre line; a trend of \(p.trend) points each "
        md += "rising or falling; two of three points beyond 2σ on one side (\(p.twoInThree.rawValue)); moving-range screening "
        md += "\(p.screenOutliers ? "on" : "off"). Limits rest on at least \(p.minimumBaselinePoints) baseline "
        md += "points; from fewer they are marked provisional (NHS Making Data Count), in each chart and in the table. Baseline "
        md += "and pilot points keep each ward's own periods, and the time axis is broken between them.\n"
        if !s.its.isEmpty || s.hypnoticModel != nil {
            md += SegmentedTables.methods(exposureFromOccupancy: s.exposureFromOccupancy, hasHypnotics: s.hypnoticModel != nil)
        }
        if let policy = style.policy {
            md += "- Disclosure control: counts from 1 to \(policy.suppressAtOrBelow) shown as *, other counts rounded to the nearest "
            md += "\(policy.roundTo). Every rate, rate ratio, interval and p-value, the pooled estimates, the control-chart points, "
            md += "limits and special-cause flags, and the rating comparisons are computed from the published counts; one that would "
            md += "need a suppressed count is withheld, with the reason. Exact statistics are kept for restricted use only.\n"
        }
        md += "- Patient identifiers were pseudonymised as they were read (keyed HMAC-SHA-256); incident narratives are never copied.\n"
        if !s.study.scope.description.isEmpty { md += "- Filters: \(MarkdownText.escape(s.study.scope.description)).\n" }
        md += "\n"
        return md
    }

    /// The Feedback section, or the line saying it cannot honour the filters; under a ward filter it says that
    /// responses without a ward are left out.
    static func feedback(_ s: SummaryInputs, style: CountStyle) -> String {
        if let line = s.leftOut[.feedback] { return "## Results: feedback\n\n\(line)\n\n" }
        var md = InvolvementSection.feedback(s.feedback, study: s.study, style: style, redactor: s.redactor)
        if s.feedback != nil && s.study.scope.wards != nil {
            let heading = "## Results: feedback\n\n"
            md = heading + "Only responses recorded against \(MarkdownText.escape(s.study.wardsInScopeName)); responses with no ward are "
                + "left out.\n\n" + md.dropFirst(heading.count)
        }
        return md
    }

    static func variation(_ s: SummaryInputs) -> String {
        var md = "## Results: variation over time\n\n"
        guard !s.charts.isEmpty else { return md + "Not enough data for control charts (occupancy, incidents or plans not supplied).\n\n" }
        for (i, c) in s.charts.enumerated() where c.ward == nil {
            md += "![\(MarkdownText.escape(SVGChart.altText(c)))](\(s.chartPath(i)))\n\n"
        }
        // Ward charts as small multiples: consecutive image lines, which report.html lays out as a grid.
        // One grid per measure (the title before ", ward"), in the order the charts come.
        var measures: [String] = [], byMeasure: [String: [Int]] = [:]
        for i in s.charts.indices where s.charts[i].ward != nil {
            let title = s.charts[i].title
            let measure = title.range(of: ", ward ").map { String(title[..<$0.lowerBound]) } ?? title
            if byMeasure[measure] == nil { measures.append(measure) }
            byMeasure[measure, default: []].append(i)
        }
        for measure in measures {
            md += "\(MarkdownText.escape(measure)), ward by ward:\n\n"
            for i in byMeasure[measure]! { md += "![\(MarkdownText.escape(SVGChart.altText(s.charts[i])))](\(s.chartPath(i)))\n" }
            md += "\n"
        }
        md += "| Chart | Points | Centre line | Limits | Special-cause points | Variation |\n|---|---:|---:|---|---:|---|\n"
        for c in s.charts {
            let centre = c.points.first.map { NumberFormat.fixed($0.centre, 2) } ?? "—"
            md += "| \(ProseFormat.cell(c.title)) | \(c.points.count) | \(centre) | \(c.trialLimits ? "provisional (\(c.baselinePoints) baseline points)" : "\(c.baselinePoints) baseline points") | "
            md += "\(c.points.filter { !$0.rules.isEmpty }.count) | \(c.icon.rawValue) |\n"
        }
        md += "\nEvery point, its limits and the rule that fired are in `tables/spc.csv`; each chart is in `charts/`.\n\n"
        return md
    }

    static func unintended(_ s: SummaryInputs, style: CountStyle) -> String {
        let md = "## Unintended consequences\n\n"
        var lines: [String] = []
        if let safety = s.safety {
            // Serious incidents are counted over 24 hours, so a protected-window report leaves them out.
            if s.study.scope.windows.contains(.allDay) {
                lines.append("Serious incidents (severe harm or death): \(style.show(safety.serious[.baseline] ?? 0)) in the baseline, "
                             + "\(style.show(safety.serious[.pilot] ?? 0)) in the pilot.")
            }
            if let cell = safety.studyCell(IncidentCounts.allCategories, .protected) {
                let what = s.study.scope.categories == nil ? "Incidents" : s.study.incidentsInScopeName
                lines.append(SafetySection.sentence("\(MarkdownText.escape(what)) during the protected window, when checks are fewest",
                                                    ShownComparison(cell, style: style)))
            }
        }
        if let f = s.feedback {
            for r in f.codebook.requests {
                lines.append("\(MarkdownText.escape(r.label)): \(style.show(f.requestMentions[r.name]?.values.reduce(0, +) ?? 0)) comment(s).")
            }
        }
        if let line = s.leftOut[.feedback] { lines.append(line) }
        if lines.isEmpty { return md + "Nothing to report: neither incidents nor feedback were supplied.\n\n" }
        return md + lines.map { "- \($0)" }.joined(separator: "\n") + "\n\n"
    }

    static func limitations(_ s: SummaryInputs, style: CountStyle) -> String {
        var items = [
            "A before-and-after comparison without a control group: other changes over the same months (staffing, case mix, "
                + "season, other initiatives) may explain differences as well as, or instead of, the intervention.",
            "Many comparisons are made across categories and wards; some p-values below 0.05 are expected by chance alone.",
        ]
        if !s.exposureFromOccupancy { items.append("No occupancy export: rates are per ward-day, not per occupied bed day.") }
        if s.ingest.hypnoticsKind == .issues && s.hypnotics != nil {
            items.append("Pharmacy issues measure supply to wards, not doses taken; packs make the counts over-dispersed.")
        }
        if s.charts.contains(where: \.trialLimits) {
            items.append("Some control charts rest on fewer than 12 baseline points: their limits are provisional.")
        }
        if s.feedback != nil { items.append("Feedback comes from those who chose to respond; the same people may answer before and after.") }
        let quarantined = s.ingest.tallies.reduce(0) { $0 + $1.quarantined }
        if quarantined > 0 { items.append("\(style.show(quarantined)) rows could not be used and were quarantined (see the data section).") }
        if s.study.synthetic { items.append("The data are synthetic: the numbers illustrate the method and describe no real ward.") }
        return "## Limitations\n\n" + items.map { "- \($0)" }.joined(separator: "\n") + "\n\n"
    }

    static func wards(_ study: StudyDefinition) -> String {
        var md = "| Ward | Name | Type | Beds | CBTi | Baseline | Pilot |\n|---|---|---|---:|---|---|---|\n"
        for i in study.wardsInScope {
            let w = study.wards[i], p = study.periods(forWard: i)
            md += "| \(ProseFormat.cell(w.id)) | \(ProseFormat.cell(w.name)) | \(ProseFormat.cell(w.type)) | \(w.beds) | "
            md += "\(w.cbti ? "yes" : "no") | \(p.baseline.from.iso) to \(p.baseline.to.iso) | \(p.pilot.from.iso) to \(p.pilot.to.iso) |\n"
        }
        return md + "\n"
    }

    static func incidents(_ s: SummaryInputs, style: CountStyle) -> String {
        guard let safety = s.safety, let tally = s.ingest.tally(.incidents) else {
            return "## Results: safety\n\nIncidents: not supplied (no incident export in the study folder).\n\n"
        }
        var md = SafetySection.render(safety, study: s.study, style: style)
        md += SegmentedTables.section(s.its, measure: "incidents", study: s.study)
        md += "\(style.show(s.incidents.analysed)) of \(style.show(tally.accepted)) accepted incident rows fall in "
        md += "a period" + (s.study.scope.description.isEmpty ? " and are" : ", are inside this report's filters and are") + " not excluded "
        md += "by status; each is placed by the date of the event itself and its ward's period dates.\n\n"
        return md
    }

    static func dataQuality(_ s: SummaryInputs, style: CountStyle) -> String {
        var md = "## Missing and quarantined data\n\n"
        md += "Every row read is either accepted or quarantined (written with its file, line, column and reason to "
        md += "`quarantine/`, a restricted output). Rows set aside were accepted but fall outside the analysis by rule.\n\n"
        md += "| Export | File | Rows read | Accepted | Quarantined | Quarantined % | Set aside | Encoding |\n"
        md += "|---|---|---:|---:|---:|---:|---|---|\n"
        for t in s.ingest.tallies.map({ ReleasedTally($0, style: style) }) {
            let aside = t.setAside.map { "\($0.reason): \($0.text)" }
            md += "| \(DisplayLabel.words(t.tally.export.rawValue)) | \(ProseFormat.cell(t.tally.file)) | \(t.rowsRead) | \(t.accepted) | \(t.quarantined) | "
            md += "\(t.percentText) | \(aside.isEmpty ? "none" : aside.joined(separator: "; ")) | \(t.tally.encoding) |\n"
        }
        if let policy = style.policy { md += "\n_Row counts are disclosure-controlled like every other count: \(Disclosure.note(policy))_\n" }
        md += "\n"
        let threshold = s.study.quality.maxQuarantinedPercent
        let over = s.ingest.exportsOverThreshold(threshold)
        if over.isEmpty {
            md += "No export quarantined more than \(NumberFormat.json(threshold))% of its rows (the study's threshold).\n\n"
        } else {
            md += "**Above the study's threshold of \(NumberFormat.json(threshold))% quarantined:** "
            md += over.map { "\(MarkdownText.escape($0.file)) (\(ReleasedTally($0, style: style).percentText)%)" }.joined(separator: ", ") + ".\n\n"
        }
        let findings = DataQualityFindings.sentences(study: s.study, occupancy: s.exposure, hypnotics: s.hypnotics)
        if !findings.isEmpty { md += findings.map { "- \($0)\n" }.joined() + "\n" }
        let withProblems = s.ingest.tallies.filter { (s.problems[$0.export]?.total ?? 0) > 0 }
        if !withProblems.isEmpty {
            md += "### Reasons for quarantine\n\n| Export | Problem | Rows | First line |\n|---|---|---:|---:|\n"
            for t in withProblems {
                guard let digest = s.problems[t.export] else { continue }
                for (kind, count) in digest.topKinds.prefix(8) {
                    let first = digest.firstLineByKind[kind].map { String($0) } ?? "—"
                    md += "| \(DisplayLabel.words(t.export.rawValue)) | \(ProseFormat.cell(kind)) | \(style.show(count)) | \(first) |\n"
                }
            }
            md += "\n"
        }
        if !s.ingest.notSupplied.isEmpty {
            md += "Not supplied: " + s.ingest.notSupplied.map(\.rawValue).joined(separator: ", ")
            md += ". The sections that depend on them say so.\n\n"
        }
        return md
    }
}
