/// "The intervention as delivered" (SQUIRE 2.0): whether protected patient-nights were left without routine checks,
/// rendered from the released fidelity values.
public enum FidelitySection {
    /// Columns of `tables/fidelity.csv` (an output contract).
    public static let columns = ["ward", "period", "protected_nights", "protected_nights_without_routine_check", "fidelity_percent",
                                 "ci_lower", "ci_upper", "routine_checks_on_protected_nights",
                                 "clinical_need_checks_on_protected_nights", "enhanced_checks_on_protected_nights",
                                 "checks_in_window", "checks_without_plan", "bed_nights"]

    /// The Markdown section, or its "not supplied" line.
    public static func render(_ f: FidelityResults?, study: StudyDefinition, style: CountStyle, observationsSupplied: Bool) -> String {
        var md = "## Results: the intervention as delivered\n\n"
        guard let f, observationsSupplied else {
            return md + "Fidelity: not supplied (no observations export): the report cannot show whether protected "
                + "patient-nights were left without routine checks.\n\n"
        }
        let shown = ReleasedFidelity(f, study: study, style: style)
        // The row of every ward in scope: "All wards", or the wards of a ward filter.
        let logged = study.wardsInScope.filter { !f.wardsWithoutLog.contains($0) }
        let scopeName = f.wardsWithoutLog.isEmpty ? study.wardsInScopeName : FidelityResults.wardsName(logged, study)
        let everyWard = MarkdownText.escape(scopeName.prefix(1).uppercased() + scopeName.dropFirst())
        let window = "\(study.protectedWindow.start)–\(study.protectedWindow.end)"
        md += "Each overnight check in the observation log is joined to the patient's sleep plan for that night (checks before "
        md += "\(EventTiming.nightBoundaryHour):00 belong to the previous night). A protected patient-night is delivered as "
        md += "planned when no routine check falls inside the protected window (\(window)). Checks for a clinical need or "
        md += "enhanced observation are legitimate overrides, reported separately and never counted as lapses; a check "
        md += "with no reason recorded counts as routine.\n\n"
        if !f.wardsWithoutLog.isEmpty {
            md += "No observation log for \(MarkdownText.escape(FidelityResults.wardsName(f.wardsWithoutLog, study))): "
            md += logged.isEmpty ? "there is nothing to report.\n\n" : "left out of every figure below (no log is not the same as no checks).\n\n"
            if logged.isEmpty { return md }
        }
        if f.isEmpty {
            return md + "No protected patient-nights were planned and no checks fell inside the window.\n\n"
        }
        md += "| Ward | Period | Protected nights | Without a routine check | Fidelity (95% CI) | Routine checks | "
        md += "Clinical-need checks | Enhanced checks | Checks in window | Per 100 bed-nights | Checks with no plan |\n"
        md += "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n"
        for r in shown.rows {
            md += "| \(r.ward == "all" ? everyWard : MarkdownText.escape(r.ward)) | \(r.period.rawValue) | \(grouped(r.protectedNights)) | "
            md += "\(grouped(r.withoutRoutineCheck)) | \(percent(r.fidelity)) | \(grouped(r.routineChecks)) | \(grouped(r.clinicalNeedChecks)) | "
            md += "\(grouped(r.enhancedChecks)) | \(grouped(r.checksInWindow)) | "
            md += "\(r.checksPer100BedNights.map { NumberFormat.fixed($0, 1) } ?? "–") | \(grouped(r.checksWithoutPlan)) |\n"
        }
        md += "\n"
        md += "Checks inside the window per \(shown.exposureFromOccupancy ? "occupied bed-night" : "available bed-night (beds × nights: no occupancy export)"), "
        md += "pilot against baseline (exact Poisson rate ratio, as R `poisson.test`):\n\n"
        md += "| Ward | Baseline checks | Pilot checks | Rate ratio (95% CI) | p |\n|---|---:|---:|---|---:|\n"
        for c in shown.comparisons {
            md += "| \(c.ward == "all" ? everyWard : MarkdownText.escape(c.ward)) | \(grouped(c.baselineChecks)) | \(grouped(c.pilotChecks)) | "
            if let r = c.ratio, let e = r.estimate, let lo = r.lower, let hi = r.upper {
                md += "\(NumberFormat.fixed(e, 2)) (\(NumberFormat.fixed(lo, 2)) to \(hi.isInfinite ? "∞" : NumberFormat.fixed(hi, 2))) | "
                md += "\(r.pExact.map { $0 < 0.001 ? "<0.001" : NumberFormat.fixed($0, 3) } ?? "–") |\n"
            } else {
                md += "\(c.baselineChecks.value == nil || c.pilotChecks.value == nil ? "withheld (a count is suppressed)" : "–") | – |\n"
            }
        }
        md += "\n"
        if let all = shown.rows.first(where: { $0.ward == "all" && $0.period == .pilot }), let p = all.fidelity, let e = p.estimate,
           let lo = p.lower, let hi = p.upper {
            let on = f.wardsWithoutLog.isEmpty ? "" : " on \(MarkdownText.escape(scopeName))"
            md += "In the pilot, \(NumberFormat.fixed(e * 100, 1))% of protected patient-nights\(on) had no routine check inside the "
            md += "window (95% CI \(NumberFormat.fixed(lo * 100, 1))% to \(NumberFormat.fixed(hi * 100, 1))%, Clopper–Pearson, as R "
            md += "`binom.test`).\n\n"
        }
        if f.repeatedPlans > 0 {
            md += "Sleep plans naming a patient-night already planned: \(style.show(f.repeatedPlans)) (the first plan was used).\n\n"
        }
        return md
    }

    /// A published count as a reader sees it: grouped digits, or `*`.
    static func grouped(_ c: (text: String, value: Int?)) -> String { c.value.map(NumberFormat.grouped) ?? c.text }

    static func percent(_ p: Proportion?) -> String {
        guard let p, let e = p.estimate, let lo = p.lower, let hi = p.upper else { return "–" }
        return "\(NumberFormat.fixed(e * 100, 1))% (\(NumberFormat.fixed(lo * 100, 1)) to \(NumberFormat.fixed(hi * 100, 1)))"
    }

    /// `tables/fidelity.csv`.
    public static func csv(_ f: FidelityResults, study: StudyDefinition, style: CountStyle) -> String {
        var out = CSVOutput.line(columns)
        for r in ReleasedFidelity(f, study: study, style: style).rows {
            out += CSVOutput.line([r.ward, r.period.rawValue, r.protectedNights.text, r.withoutRoutineCheck.text,
                                   NumberFormat.machine(r.fidelity?.estimate.map { $0 * 100 }),
                                   NumberFormat.machine(r.fidelity?.lower.map { $0 * 100 }),
                                   NumberFormat.machine(r.fidelity?.upper.map { $0 * 100 }),
                                   r.routineChecks.text, r.clinicalNeedChecks.text, r.enhancedChecks.text, r.checksInWindow.text,
                                   r.checksWithoutPlan.text, NumberFormat.machine(r.bedNights)])
        }
        return out
    }

    /// The `fidelity` object of results.json.
    public static func json(_ f: FidelityResults?, study: StudyDefinition, style: CountStyle) -> JSONValue {
        guard let f else { return .string("not supplied") }
        let shown = ReleasedFidelity(f, study: study, style: style)
        func number(_ d: Double?) -> JSONValue {
            guard let d else { return .null }
            return d.isInfinite ? .string(d > 0 ? "Inf" : "-Inf") : .double(d)
        }
        func count(_ c: (text: String, value: Int?)) -> JSONValue { c.value.map { .int($0) } ?? .string(c.text) }
        let rows: [JSONValue] = shown.rows.map { r in
            .object([
                ("ward", .string(r.ward)), ("period", .string(r.period.rawValue)),
                ("protected_nights", count(r.protectedNights)),
                ("protected_nights_without_routine_check", count(r.withoutRoutineCheck)),
                ("fidelity_percent", number(r.fidelity?.estimate.map { $0 * 100 })),
                ("ci_lower", number(r.fidelity?.lower.map { $0 * 100 })),
                ("ci_upper", number(r.fidelity?.upper.map { $0 * 100 })),
                ("routine_checks_on_protected_nights", count(r.routineChecks)),
                ("clinical_need_checks_on_protected_nights", count(r.clinicalNeedChecks)),
                ("enhanced_checks_on_protected_nights", count(r.enhancedChecks)),
                ("checks_in_window", count(r.checksInWindow)),
                ("checks_without_plan", count(r.checksWithoutPlan)),
                ("bed_nights", .double(r.bedNights)),
            ])
        }
        let ratios: [JSONValue] = shown.comparisons.map { c in
            .object([
                ("ward", .string(c.ward)),
                ("baseline_checks", count(c.baselineChecks)), ("pilot_checks", count(c.pilotChecks)),
                ("baseline_bed_nights", .double(c.baselineBedNights)), ("pilot_bed_nights", .double(c.pilotBedNights)),
                ("rate_ratio", number(c.ratio?.estimate)), ("ci_lower", number(c.ratio?.lower)),
                ("ci_upper", number(c.ratio?.upper)), ("p_exact", number(c.ratio?.pExact)),
                ("disclosure", .string(style.policy == nil ? "exact" : (c.ratio == nil && (c.baselineChecks.value == nil || c.pilotChecks.value == nil)
                    ? "suppressed" : "rounded"))),
            ])
        }
        return .object([
            ("window", .string("\(study.protectedWindow.start)–\(study.protectedWindow.end)")),
            ("wards_without_log", .array(f.wardsWithoutLog.map { .string(study.wards[$0].id) })),
            ("bed_nights", .string(f.exposureFromOccupancy ? "occupied bed days (sum of the midnight census)"
                                                          : "beds × nights in each ward's periods (no occupancy export)")),
            ("methods", .object([
                ("fidelity", .string("protected patient-nights with no routine check inside the window, of protected patient-nights; Clopper-Pearson interval, as R binom.test")),
                ("reasons", .string("clinical need and enhanced observation are overrides, not lapses; a check without a reason is routine")),
                ("checks_rate_ratio", .string("exact conditional binomial, as R poisson.test, on checks inside the window per bed-night")),
            ])),
            ("by_ward_period", .array(rows)),
            ("checks_rate_ratio", .array(ratios)),
        ])
    }
}
