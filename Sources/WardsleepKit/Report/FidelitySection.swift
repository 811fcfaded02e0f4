/// "The intervention as delivered" (SQUIRE 2.0): whether protected patient-nights were left without routine checks,
/// rendered from the released fidelity values.
public enum FidelitySection {
    /// Columns of `tables/fidelity.csv` (an output contract).
    public static let columns = ["ward", "period", "protected_nights", "protected_nights_without_routine_check", "fidelity_percent",
                                 "ci_lower", "ci_upper", "routine_checks_on_protected_nights",
                                 "clinical_need_checks_on_protected_nights", "enhanced_checks_on_protected_nights",
                                 "checks_in_window", "checks_without_plan", "bed_nights"]

    /// The section, or its "not supplied" line.
    public static func render(_ f: FidelityResults?, study: StudyDefinition, style: CountStyle, observationsSupplied: Bool) -> ReportDocument {
        var doc = ReportDocument()
        doc.heading(2, "Results: the intervention as delivered")
        guard let f, observationsSupplied else {
            doc.paragraph("Fidelity: not supplied (no observations export): the report cannot show whether protected "
                          + "patient-nights were left without routine checks.")
            return doc
        }
        let shown = ReleasedFidelity(f, study: study, style: style)
        // The row of every ward in scope: "All wards", or the wards of a ward filter.
        let logged = study.wardsInScope.filter { !f.wardsWithoutLog.contains($0) }
        let scopeName = f.wardsWithoutLog.isEmpty ? study.wardsInScopeName : FidelityResults.wardsName(logged, study)
        let everyWard = scopeName.prefix(1).uppercased() + scopeName.dropFirst()
        let window = "\(study.protectedWindow.start)–\(study.protectedWindow.end)"
        doc.paragraph("Each overnight check in the observation log is joined to the patient's sleep plan for that night (checks before "
                      + "\(EventTiming.nightBoundaryHour):00 belong to the previous night). A protected patient-night is delivered as "
                      + "planned when no routine check falls inside the protected window (\(window)). Checks for a clinical need or "
                      + "enhanced observation are legitimate overrides, reported separately and never counted as lapses; a check "
                      + "with no reason recorded counts as routine.")
        if !f.wardsWithoutLog.isEmpty {
            doc.paragraph("No observation log for \(FidelityResults.wardsName(f.wardsWithoutLog, study)): "
                          + (logged.isEmpty ? "there is nothing to report." : "left out of every figure below (no log is not the same as no checks)."))
            if logged.isEmpty { return doc }
        }
        if f.isEmpty {
            doc.paragraph("No protected patient-nights were planned and no checks fell inside the window.")
            return doc
        }
        doc.table(header: ["Ward", "Period", "Protected nights", "Without a routine check", "Fidelity (95% CI)", "Routine checks",
                           "Clinical-need checks", "Enhanced checks", "Checks in window", "Per 100 bed-nights", "Checks with no plan"],
                  numeric: [false, false, true, true, false, true, true, true, true, true, true], rows: shown.rows.map { r in
            [r.ward == "all" ? everyWard : r.ward, r.period.rawValue, grouped(r.protectedNights), grouped(r.withoutRoutineCheck),
             percent(r.fidelity), grouped(r.routineChecks), grouped(r.clinicalNeedChecks), grouped(r.enhancedChecks),
             grouped(r.checksInWindow), r.checksPer100BedNights.map { NumberFormat.fixed($0, 1) } ?? "–", grouped(r.checksWithoutPlan)]
                .map { Prose($0) }
        })
        doc.paragraph("Checks inside the window per \(shown.exposureFromOccupancy ? "occupied bed-night" : "available bed-night (beds × nights: no occupancy export)"), "
                      + "pilot against baseline (exact Poisson rate ratio, as R \(code: "poisson.test")):")
        doc.table(header: ["Ward", "Baseline checks", "Pilot checks", "Rate ratio (95% CI)", "p"], numeric: [false, true, true, false, true],
                  rows: shown.comparisons.map { c in
            var cells = [c.ward == "all" ? everyWard : c.ward, grouped(c.baselineChecks), grouped(c.pilotChecks)]
            if let r = c.ratio, let e = r.estimate, let lo = r.lower, let hi = r.upper {
                cells.append("\(NumberFormat.fixed(e, 2)) (\(NumberFormat.fixed(lo, 2)) to \(hi.isInfinite ? "∞" : NumberFormat.fixed(hi, 2)))")
                cells.append(r.pExact.map { $0 < 0.001 ? "<0.001" : NumberFormat.fixed($0, 3) } ?? "–")
            } else {
                cells += [c.baselineChecks.value == nil || c.pilotChecks.value == nil ? "withheld (a count is suppressed)" : "–", "–"]
            }
            return cells.map { Prose($0) }
        })
        if let all = shown.rows.first(where: { $0.ward == "all" && $0.period == .pilot }), let p = all.fidelity, let e = p.estimate,
           let lo = p.lower, let hi = p.upper {
            let on = f.wardsWithoutLog.isEmpty ? "" : " on \(scopeName)"
            doc.paragraph("In the pilot, \(NumberFormat.fixed(e * 100, 1))% of protected patient-nights\(on) had no routine check inside the "
                          + "window (95% CI \(NumberFormat.fixed(lo * 100, 1))% to \(NumberFormat.fixed(hi * 100, 1))%, Clopper–Pearson, as R "
                          + "\(code: "binom.test")).")
        }
        if f.repeatedPlans > 0 {
            doc.paragraph("Sleep plans naming a patient-night already planned: \(style.show(f.repeatedPlans)) (the first plan was used).")
        }
        return doc
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
