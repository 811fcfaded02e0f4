/// The "Who was involved" section (GRIPP2-SF) and the "Feedback" section of the summary.
public enum InvolvementSection {
    /// "Who was involved": protected-sleep uptake and decisions, the stage × group matrix, the classification with its
    /// reasons, and the GRIPP2 short-form items.
    /// A part in `leftOut` (supplied, but unable to honour the run's filters) is replaced by its line.
    public static func render(matrix: InvolvementMatrix?, uptake: ProtectedSleepUptake?, occupancy: OccupancyTotals?,
                              feedback: FeedbackSummary?, study: StudyDefinition, style: CountStyle,
                              leftOut: [ReportPart: String] = [:]) -> ReportDocument {
        var doc = ReportDocument()
        doc.heading(2, "Results: who was involved")
        if let line = leftOut[.uptake] { doc.paragraph(Prose(line)) } else { doc.append(uptakePart(uptake, occupancy: occupancy, study: study, style: style)) }
        if let line = leftOut[.involvement] {
            doc.paragraph(Prose(line))
            return doc
        }
        guard let m = matrix else {
            doc.paragraph("Involvement ledger: not supplied (no involvement export in the study folder), so who took part in "
                          + "identifying, designing, implementing, delivering and evaluating the change is not described.")
            return doc
        }
        doc.heading(3, "Stage × group (highest level reached)")
        doc.paragraph("Levels follow the IAP2 spectrum: none < inform < consult < involve < collaborate < lead. Feedback respondents "
                      + "count as consulted at evaluation. Evidence for each cell is in \(code: "tables/involvement.csv").")
        doc.table(header: ["Group", "Role"] + InvolvementStage.allCases.map { Prose($0.rawValue) },
                  numeric: Array(repeating: false, count: 2 + InvolvementStage.allCases.count), rows: m.groups.enumerated().map { g, group in
            [group.label, group.role.rawValue.replacingOccurrences(of: "_", with: " ")]
                .map { Prose($0) } + InvolvementStage.allCases.map { Prose(m.cells[$0]?[g]?.level.rawValue ?? "—") }
        })
        let programme = InvolvementRules.programme(m)
        doc.heading(3, "Classification")
        doc.paragraph("\(strong: "Programme: \(programme.displayLabel)")"
                      + (programme.alsoNoted.isEmpty ? "." : Prose(", with " + programme.alsoNoted.joined(separator: "; ") + ".")))
        doc.list(programme.reasons.map { Prose($0) })
        doc.paragraph(Prose("By stage: " + InvolvementStage.allCases.map { "\($0.rawValue) \(InvolvementRules.stage($0, m).displayLabel)" }.joined(separator: "; ") + "."))
        doc.paragraph("\(emphasis: "A classification describes who took part and how far, by fixed rules on the ledger; it is not a verdict on quality.")")
        doc.append(gripp(m, programme: programme, feedback: feedback, style: style))
        return doc
    }

    static func uptakePart(_ uptake: ProtectedSleepUptake?, occupancy: OccupancyTotals?, study: StudyDefinition, style: CountStyle) -> ReportDocument {
        var doc = ReportDocument()
        guard let u = uptake else {
            doc.paragraph("Protected-sleep plans: not supplied (no sleep_plans export).")
            return doc
        }
        doc.heading(3, "Protected sleep in the pilot")
        let shown = u.shown(study: study, style: style)
        func pct(_ p: Proportion?) -> String {
            guard let p, let e = p.estimate else { return "—" }
            return "\(NumberFormat.fixed(e * 100, 1))% (\(NumberFormat.fixed(p.lower! * 100, 1)) to \(NumberFormat.fixed(p.upper! * 100, 1)))"
        }
        let pooled = DisplayLabel.words(study.wardsInScopeName) + " (pooled)"
        doc.table(header: ["Ward", "Patients with a plan", "With at least one protected night", "Uptake (95% CI)"],
                  numeric: [false, true, true, false], rows: shown.rows.map { r in
            [r.ward == "all" ? "\(strong: pooled)" : Prose(r.ward), Prose(r.patients), Prose(r.protected), Prose(pct(r.share))]
        })
        if let pooled = shown.rows.last?.share?.estimate, let mean = shown.summary.unweightedMeanPercent {
            doc.paragraph("Pooled uptake (all patients together): \(NumberFormat.fixed(pooled * 100, 1))%. "
                          + "Unweighted mean of the ward percentages (each ward counted once): \(NumberFormat.fixed(mean, 1))%. "
                          + "They differ when wards of different sizes have different uptake.")
        }
        if let per100 = u.protectedNightsPer100(occupancy: occupancy, style: style) {
            doc.paragraph("Protected nights per 100 occupied bed-nights in the pilot: \(NumberFormat.fixed(per100, 1)).")
        }
        func share(_ k: ProtectedSleepUptake.Count, _ n: ProtectedSleepUptake.Count) -> String {
            let shown = u.share(k, of: n, style: style)
            guard let percent = shown.percent, let x = shown.count.value, let y = shown.of.value else { return "\(shown.count.text) of \(shown.of.text)" }
            return "\(NumberFormat.grouped(x)) of \(NumberFormat.grouped(y)) (\(NumberFormat.fixed(percent, 1))%)"
        }
        // A role or flag the export never records is "not recorded", never "0 of N".
        func role(_ name: String, _ k: ProtectedSleepUptake.Count) -> String { u.rolesNamed.contains(name) ? share(k, .decidedByRecorded) : "not recorded" }
        func flag(_ k: ProtectedSleepUptake.Count, _ n: ProtectedSleepUptake.Count) -> String { u.count(n) == 0 ? "not recorded" : share(k, n) }
        doc.paragraph("Who took part in protected-sleep decisions (protected patient-nights where it was recorded): "
                      + "the patient \(flag(.patientInvolved, .patientRecorded)); a carer \(flag(.carerInvolved, .carerRecorded)); "
                      + "the night coordinator \(role("night coordinator", .nightCoordinator)); the MDT \(role("mdt", .mdt)).")
        return doc
    }

    /// The GRIPP2 short form, generated from the ledger.
    static func gripp(_ m: InvolvementMatrix, programme: InvolvementClassification, feedback: FeedbackSummary?, style: CountStyle) -> ReportDocument {
        let userGroups = m.groups.enumerated().filter { [.serviceUser, .carer].contains($0.element.role) }
        func userEntries() -> [(InvolvementStage, String, InvolvementMatrix.Cell)] {
            InvolvementStage.allCases.flatMap { s in userGroups.compactMap { g in m.cells[s]?[g.offset].map { (s, g.element.label, $0) } } }
        }
        let entries = userEntries()
        var doc = ReportDocument()
        doc.heading(3, "Patient and public involvement (GRIPP2 short form)")
        var items: [Prose] = []
        items.append("\(strong: "Aim.") " + Prose(entries.isEmpty ? "No aim for patient, carer or public involvement is recorded in the ledger."
            : "Service users and carers took part to: " + Array(Set(entries.flatMap { $0.2.activities })).sorted().prefix(6).joined(separator: "; ") + "."))
        items.append("\(strong: "Methods.") " + Prose(entries.isEmpty ? "None recorded."
            : entries.map { "\($0.1) \($0.2.level.rawValue) at \($0.0.rawValue)" }.joined(separator: "; ") + "."))
        items.append("\(strong: "Results.") Programme classified as \(programme.displayLabel)"
            + Prose(programme.alsoNoted.isEmpty ? "." : " (" + programme.alsoNoted.joined(separator: "; ") + ")."))
        let requests = feedback.map { f in f.codebook.requests.map { r in "\(r.label.lowercased()): \(f.show(.mentions(name: r.name, request: true, group: nil, stage: nil), style: style))" } } ?? []
        var impact = entries.contains { $0.2.level >= .involve } ? "Service users or carers reached involve or above at "
            + Set(entries.filter { $0.2.level >= .involve }.map(\.0.rawValue)).sorted().joined(separator: ", ") + "."
            : "The ledger records no stage at which service users or carers could change the design or delivery."
        if !requests.isEmpty { impact += " Requests recorded in feedback — " + requests.joined(separator: "; ") + "." }
        items.append("\(strong: "Impact.") " + Prose(impact))
        let gaps = [InvolvementStage.identify, .design, .implement, .deliver, .evaluate].filter { m.highest(InvolvementRules.users, at: $0) < .involve }
        items.append("\(strong: "Reflections.") " + Prose(gaps.isEmpty ? "Service users or carers were involved at every stage recorded."
            : "Service users and carers were below involve at " + gaps.map(\.rawValue).joined(separator: ", ")
                + "; an evaluation of a change to their care should say why."))
        doc.orderedList(items)
        return doc
    }

    /// What a rating comparison says. The direction comes from the side of the rank-sum statistic (W of the ratings
    /// after against those before, above or below its null mean nₐ·n_b/2), never from the medians, which can be equal
    /// when the distributions differ.
    public static func ratingVerdict(_ t: RankSumTest, after: Int, before: Int) -> String {
        let centre = Double(after) * Double(before) / 2
        guard t.p < 0.05, t.statistic != centre else { return "no evidence of a difference" }
        return t.statistic > centre ? "higher after" : "lower after"
    }

    /// "all respondents", "patients", "staff", "carers", "other respondents".
    static func respondents(_ g: FeedbackGroup?) -> String {
        g.map { ["patient": "patients", "staff": "staff", "carer": "carers", "other": "other respondents"][$0.rawValue] ?? $0.rawValue } ?? "all respondents"
    }

    /// The Feedback section.
    public static func feedback(_ f: FeedbackSummary?, study: StudyDefinition, style: CountStyle) -> ReportDocument {
        var doc = ReportDocument()
        doc.heading(2, "Results: feedback")
        guard let f else {
            doc.paragraph("Feedback: not supplied (no feedback export in the study folder).")
            return doc
        }
        doc.table(header: ["Group", "Before", "During", "After"], numeric: [false, true, true, true],
                  rows: FeedbackGroup.allCases.filter { f.total(group: $0) > 0 }.map { g in
            [Prose(DisplayLabel.words(g.rawValue))] + FeedbackStage.allCases.map { Prose(f.show(.responses(ward: nil, .init(group: g, stage: $0)), style: style)) }
        })
        var ratingLines: [Prose] = []
        for g in [nil] + FeedbackGroup.allCases.map(Optional.some) {
            guard let (b, a, t) = f.shownRatings(group: g, style: style) else { continue }
            let who = respondents(g)
            let verdict = ratingVerdict(t, after: a.n, before: b.n)
            ratingLines.append(Prose("Ratings (1–5) from \(who): median \(NumberFormat.json(b.quantile(0.5)!)) (quartiles \(NumberFormat.json(b.quantile(0.25)!))–\(NumberFormat.json(b.quantile(0.75)!))) "
                + "before, \(NumberFormat.json(a.quantile(0.5)!)) (\(NumberFormat.json(a.quantile(0.25)!))–\(NumberFormat.json(a.quantile(0.75)!))) after "
                + "(\(style.show(b.n)) and \(style.show(a.n)) ratings); Wilcoxon rank-sum W = \(NumberFormat.json(t.statistic)) of \(NumberFormat.grouped(a.n * b.n)), p \(SafetySection.pValue(t.p)): \(verdict)."))
        }
        if ratingLines.isEmpty { doc.paragraph(Prose(f.unshownRatingsSentence())) } else { doc.list(ratingLines) }
        doc.heading(3, "Themes")
        var themeRows: [[Prose]] = []
        for theme in f.codebook.themes {
            let counts = FeedbackGroup.allCases.map { FeedbackSummary.Count.mentions(name: theme.name, request: false, group: $0, stage: nil) }
            guard counts.contains(where: { f.count($0) > 0 }) else { continue }
            themeRows.append([Prose(theme.label)] + counts.map { Prose(f.show($0, style: style)) })
        }
        doc.table(header: ["Theme", "Patients", "Staff", "Carers", "Other"], numeric: [false, true, true, true, true], rows: themeRows)
        doc.paragraph("Requests recorded against the change:")
        doc.list(f.codebook.requests.map { r in
            let total = FeedbackSummary.Count.mentions(name: r.name, request: true, group: nil, stage: nil)
            var line = "\(r.label): \(f.show(total, style: style))"
            let byGroup = FeedbackGroup.allCases.map { g in (g, FeedbackSummary.Count.mentions(name: r.name, request: true, group: g, stage: nil)) }.filter { f.count($0.1) > 0 }
            if f.count(total) > 0 { line += " (" + byGroup.map { "\($0.0.rawValue)s \(f.show($0.1, style: style))" }.joined(separator: ", ") + ")" }
            return Prose(line + ".")
        })
        doc.heading(3, "Representative quotes")
        doc.paragraph("At most three per theme, redacted, and only from groups with more than \(study.disclosure.suppressAtOrBelow) respondents at that stage.")
        for theme in f.codebook.themes {
            let quotes = f.quotes(theme: theme.name, policy: study.disclosure)
            guard !quotes.isEmpty else { continue }
            doc.paragraph("\(strong: theme.label)")
            doc.quote(quotes.map { cell, q in Prose("\(q) — \(cell.group.rawValue), \(cell.stage.rawValue)") }, notice: false)
        }
        return doc
    }
}
