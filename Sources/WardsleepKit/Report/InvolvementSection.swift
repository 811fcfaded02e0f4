/// The "Who was involved" section (GRIPP2-SF) and the "Feedback" section of summary.md.
public enum InvolvementSection {
    /// "Who was involved": protected-sleep uptake and decisions, the stage × group matrix, the classification with its
    /// reasons, and the GRIPP2 short-form items.
    /// A part in `leftOut` (supplied, but unable to honour the run's filters) is replaced by its line.
    public static func render(matrix: InvolvementMatrix?, uptake: ProtectedSleepUptake?, occupancy: OccupancyTotals?,
                              feedback: FeedbackSummary?, study: StudyDefinition, style: CountStyle,
                              leftOut: [ReportPart: String] = [:]) -> String {
        var md = "## Results: who was involved\n\n"
        md += leftOut[.uptake].map { "\($0)\n\n" } ?? uptakePart(uptake, occupancy: occupancy, study: study, style: style)
        if let line = leftOut[.involvement] { return md + "\(line)\n\n" }
        guard let m = matrix else {
            return md + "Involvement ledger: not supplied (no involvement export in the study folder), so who took part in "
                + "identifying, designing, implementing, delivering and evaluating the change is not described.\n\n"
        }
        md += "### Stage × group (highest level reached)\n\n"
        md += "Levels follow the IAP2 spectrum: none < inform < consult < involve < collaborate < lead. Feedback respondents "
        md += "count as consulted at evaluation. Evidence for each cell is in `tables/involvement.csv`.\n\n"
        md += "| Group | Role | " + InvolvementStage.allCases.map(\.rawValue).joined(separator: " | ") + " |\n"
        md += "|---|---|" + String(repeating: "---|", count: InvolvementStage.allCases.count) + "\n"
        for (g, group) in m.groups.enumerated() {
            md += "| \(ProseFormat.cell(group.label)) | \(group.role.rawValue.replacingOccurrences(of: "_", with: " ")) | "
            md += InvolvementStage.allCases.map { m.cells[$0]?[g]?.level.rawValue ?? "—" }.joined(separator: " | ") + " |\n"
        }
        let programme = InvolvementRules.programme(m)
        md += "\n### Classification\n\n"
        md += "**Programme: \(programme.displayLabel)**"
        if !programme.alsoNoted.isEmpty { md += ", with " + programme.alsoNoted.joined(separator: "; ") }
        md += ".\n\n"
        for r in programme.reasons { md += "- \(r)\n" }
        md += "\nBy stage: " + InvolvementStage.allCases.map { "\($0.rawValue) \(InvolvementRules.stage($0, m).displayLabel)" }.joined(separator: "; ") + ".\n\n"
        md += "_A classification describes who took part and how far, by fixed rules on the ledger; it is not a verdict on quality._\n\n"
        md += gripp(m, programme: programme, feedback: feedback, style: style)
        return md
    }

    static func uptakePart(_ uptake: ProtectedSleepUptake?, occupancy: OccupancyTotals?, study: StudyDefinition, style: CountStyle) -> String {
        guard let u = uptake else { return "Protected-sleep plans: not supplied (no sleep_plans export).\n\n" }
        var md = "### Protected sleep in the pilot\n\n"
        let shown = u.shown(study: study, style: style)
        func pct(_ p: Proportion?) -> String {
            guard let p, let e = p.estimate else { return "—" }
            return "\(NumberFormat.fixed(e * 100, 1))% (\(NumberFormat.fixed(p.lower! * 100, 1)) to \(NumberFormat.fixed(p.upper! * 100, 1)))"
        }
        md += "| Ward | Patients with a plan | With at least one protected night | Uptake (95% CI) |\n|---|---:|---:|---|\n"
        for r in shown.rows {
            let pooled = DisplayLabel.words(study.wardsInScopeName) + " (pooled)"
            md += "| \(r.ward == "all" ? "**\(MarkdownText.escape(pooled))**" : MarkdownText.escape(r.ward)) | \(r.patients) | \(r.protected) | \(pct(r.share)) |\n"
        }
        md += "\n"
        if let pooled = shown.rows.last?.share?.estimate, let mean = shown.summary.unweightedMeanPercent {
            md += "Pooled uptake (all patients together): \(NumberFormat.fixed(pooled * 100, 1))%. "
            md += "Unweighted mean of the ward percentages (each ward counted once): \(NumberFormat.fixed(mean, 1))%. "
            md += "They differ when wards of different sizes have different uptake.\n\n"
        }
        let s = u.study
        if let occupancy {
            let obn = u.wards.keys.reduce(0) { $0 + occupancy.total(ward: $1, period: .pilot) }
            if obn > 0, let nights = style.publish(s.protectedNights).value {
                md += "Protected nights per 100 occupied bed-nights in the pilot: \(NumberFormat.fixed(Double(nights) / Double(obn) * 100, 1)).\n\n"
            }
        }
        func share(_ k: Int, _ n: Int) -> String {
            let kk = InvolvementTables.count(k, style), nn = InvolvementTables.count(n, style)
            guard let x = kk.1, let y = nn.1, y > 0 else { return "\(kk.0) of \(nn.0)" }
            return "\(NumberFormat.grouped(x)) of \(NumberFormat.grouped(y)) (\(NumberFormat.fixed(Double(x) / Double(y) * 100, 1))%)"
        }
        // A role or flag the export never records is "not recorded", never "0 of N".
        func role(_ name: String, _ k: Int) -> String { u.rolesNamed.contains(name) ? share(k, s.decidedByRecorded) : "not recorded" }
        func flag(_ k: Int, _ n: Int) -> String { n == 0 ? "not recorded" : share(k, n) }
        md += "Who took part in protected-sleep decisions (protected patient-nights where it was recorded): "
        md += "the patient \(flag(s.patientInvolved, s.patientRecorded)); a carer \(flag(s.carerInvolved, s.carerRecorded)); "
        md += "the night coordinator \(role("night coordinator", s.nightCoordinator)); the MDT \(role("mdt", s.mdt)).\n\n"
        return md
    }

    /// The GRIPP2 short form, generated from the ledger.
    static func gripp(_ m: InvolvementMatrix, programme: InvolvementClassification, feedback: FeedbackSummary?, style: CountStyle) -> String {
        let userGroups = m.groups.enumerated().filter { [.serviceUser, .carer].contains($0.element.role) }
        func userEntries() -> [(InvolvementStage, String, InvolvementMatrix.Cell)] {
            InvolvementStage.allCases.flatMap { s in userGroups.compactMap { g in m.cells[s]?[g.offset].map { (s, g.element.label, $0) } } }
        }
        let entries = userEntries()
        var md = "### Patient and public involvement (GRIPP2 short form)\n\n"
        md += "1. **Aim.** "
        md += entries.isEmpty ? "No aim for patient, carer or public involvement is recorded in the ledger.\n"
            : "Service users and carers took part to: " + Array(Set(entries.flatMap { $0.2.activities })).sorted().prefix(6).map(MarkdownText.escape).joined(separator: "; ") + ".\n"
        md += "2. **Methods.** " + (entries.isEmpty ? "None recorded.\n"
            : entries.map { "\(MarkdownText.escape($0.1)) \($0.2.level.rawValue) at \($0.0.rawValue)" }.joined(separator: "; ") + ".\n")
        md += "3. **Results.** Programme classified as \(programme.displayLabel)"
        md += programme.alsoNoted.isEmpty ? ".\n" : " (\(programme.alsoNoted.joined(separator: "; "))).\n"
        let requests = feedback.map { f in f.codebook.requests.map { r in "\(MarkdownText.escape(r.label.lowercased())): \(style.show(f.requestMentions[r.name]?.values.reduce(0, +) ?? 0))" } } ?? []
        md += "4. **Impact.** "
        md += entries.contains { $0.2.level >= .involve } ? "Service users or carers reached involve or above at "
            + Set(entries.filter { $0.2.level >= .involve }.map(\.0.rawValue)).sorted().joined(separator: ", ") + "."
            : "The ledger records no stage at which service users or carers could change the design or delivery."
        if !requests.isEmpty { md += " Requests recorded in feedback — " + requests.joined(separator: "; ") + "." }
        md += "\n5. **Reflections.** "
        let gaps = [InvolvementStage.identify, .design, .implement, .deliver, .evaluate].filter { m.highest(InvolvementRules.users, at: $0) < .involve }
        md += gaps.isEmpty ? "Service users or carers were involved at every stage recorded."
            : "Service users and carers were below involve at " + gaps.map(\.rawValue).joined(separator: ", ")
                + "; an evaluation of a change to their care should say why."
        md += "\n\n"
        return md
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
    public static func feedback(_ f: FeedbackSummary?, study: StudyDefinition, style: CountStyle) -> String {
        var md = "## Results: feedback\n\n"
        guard let f else { return md + "Feedback: not supplied (no feedback export in the study folder).\n\n" }
        md += "| Group | Before | During | After |\n|---|---:|---:|---:|\n"
        for g in FeedbackGroup.allCases where f.total(group: g) > 0 {
            md += "| \(DisplayLabel.words(g.rawValue)) | " + FeedbackStage.allCases.map { style.show(f.responses[FeedbackSummary.Cell(group: g, stage: $0)] ?? 0) }.joined(separator: " | ") + " |\n"
        }
        md += "\n"
        var ratingLines: [String] = []
        for g in [nil] + FeedbackGroup.allCases.map(Optional.some) {
            guard let (b, a, t) = f.shownRatings(group: g, style: style) else { continue }
            let who = respondents(g)
            let verdict = ratingVerdict(t, after: a.n, before: b.n)
            ratingLines.append("- Ratings (1–5) from \(who): median \(NumberFormat.json(b.quantile(0.5)!)) (quartiles \(NumberFormat.json(b.quantile(0.25)!))–\(NumberFormat.json(b.quantile(0.75)!))) "
                + "before, \(NumberFormat.json(a.quantile(0.5)!)) (\(NumberFormat.json(a.quantile(0.25)!))–\(NumberFormat.json(a.quantile(0.75)!))) after "
                + "(\(style.show(b.n)) and \(style.show(a.n)) ratings); Wilcoxon rank-sum W = \(NumberFormat.json(t.statistic)) of \(NumberFormat.grouped(a.n * b.n)), p \(SafetySection.pValue(t.p)): \(verdict).")
        }
        md += ratingLines.isEmpty ? "Too few ratings before and after to compare.\n\n" : ratingLines.joined(separator: "\n") + "\n\n"
        md += "### Themes\n\n| Theme | Patients | Staff | Carers | Other |\n|---|---:|---:|---:|---:|\n"
        for theme in f.codebook.themes {
            let counts = FeedbackGroup.allCases.map { g in f.themeMentions[theme.name]?.filter { $0.key.group == g }.values.reduce(0, +) ?? 0 }
            guard counts.reduce(0, +) > 0 else { continue }
            md += "| \(ProseFormat.cell(theme.label)) | " + counts.map { style.show($0) }.joined(separator: " | ") + " |\n"
        }
        md += "\nRequests recorded against the change:\n\n"
        for r in f.codebook.requests {
            let byGroup = FeedbackGroup.allCases.map { g in (g, f.requestMentions[r.name]?.filter { $0.key.group == g }.values.reduce(0, +) ?? 0) }
            let total = byGroup.reduce(0) { $0 + $1.1 }
            md += "- \(MarkdownText.escape(r.label)): \(style.show(total))"
            if total > 0 { md += " (" + byGroup.filter { $0.1 > 0 }.map { "\($0.0.rawValue)s \(style.show($0.1))" }.joined(separator: ", ") + ")" }
            md += ".\n"
        }
        md += "\n### Representative quotes\n\n"
        md += "At most three per theme, redacted, and only from groups with more than \(study.disclosure.suppressAtOrBelow) respondents at that stage.\n\n"
        for theme in f.codebook.themes {
            let quotes = f.quotes(theme: theme.name, policy: study.disclosure)
            guard !quotes.isEmpty else { continue }
            md += "**\(MarkdownText.escape(theme.label))**\n\n"
            for (cell, q) in quotes { md += "> \(MarkdownText.escape(q)) — \(cell.group.rawValue), \(cell.stage.rawValue)\n>\n" }
            md.removeLast(2)
            md += "\n\n"
        }
        return md
    }
}
