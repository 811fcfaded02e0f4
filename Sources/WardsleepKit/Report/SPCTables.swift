/// `tables/spc.csv`, the `spc` part of results.json, the published quotes table and the notes beside the tables.
public enum SPCTables {
    /// Columns of `tables/spc.csv`.
    public static let columns = ["chart", "kind", "unit", "interval", "phase", "value", "numerator", "denominator", "centre",
                                 "lower_limit", "upper_limit", "lower_2sigma", "upper_2sigma", "type", "rules"]

    /// Every point of every chart, as the chart holds it: a releasable report passes charts recomputed from released
    /// counts (`ControlChart.released`), whose withheld points have no value, type or rule and show `*` for their count.
    public static func csv(_ charts: [ControlChart]) -> String {
        var out = CSVOutput.line(columns)
        for c in charts {
            for p in c.points {
                let hidden = p.withheld
                let numerator = c.kind == "xmr" ? "" : (hidden ? "*" : NumberFormat.machine(p.numerator))
                let denominator = c.kind == "xmr" ? "" : (hidden && c.kind == "p" ? "*" : NumberFormat.machine(p.denominator))
                out += CSVOutput.line([c.title, c.kind, c.unit, p.label, p.phase.rawValue, hidden ? "" : NumberFormat.machine(p.value),
                                       numerator, denominator,
                                       NumberFormat.machine(p.centre), NumberFormat.machine(p.lower), NumberFormat.machine(p.upper),
                                       NumberFormat.machine(p.lower2), NumberFormat.machine(p.upper2), hidden ? "withheld" : p.type.rawValue,
                                       hidden ? "" : p.rules.joined(separator: "; ")])
            }
        }
        return out
    }

    /// The `spc` object of results.json: parameters echoed, then each chart with its icon and special-cause points.
    public static func json(_ charts: [ControlChart], study: StudyDefinition) -> JSONValue {
        let p = SPCParameters(study.spc)
        return .object([
            ("parameters", .object([("interval", .string(study.spc.interval)), ("shift", .int(p.shift)), ("trend", .int(p.trend)),
                                    ("two_in_three", .string(p.twoInThree.rawValue)), ("screen_outliers", .bool(p.screenOutliers)),
                                    ("minimum_baseline_points", .int(p.minimumBaselinePoints)),
                                    ("limits", .string("from the baseline, frozen into the pilot"))])),
            ("charts", .array(charts.map { c in
                .object([("title", .string(c.title)), ("kind", .string(c.kind)), ("unit", .string(c.unit)),
                         ("direction_of_improvement", .string(c.direction.rawValue)), ("points", .int(c.points.count)),
                         ("baseline_points", .int(c.baselinePoints)), ("trial_limits", .bool(c.trialLimits)),
                         ("centre", c.points.first.map { .double($0.centre) } ?? .null), ("variation", .string(c.icon.rawValue)),
                         ("special_cause", .array(c.points.filter { !$0.rules.isEmpty }.map {
                             .object([("interval", .string($0.label)), ("type", .string($0.type.rawValue)),
                                      ("rules", .array($0.rules.map { .string($0) }))])
                         }))])
            })),
        ])
    }

    /// `tables/README.md`: what the tables hold and how they were disclosure-controlled.
    public static func notes(style: CountStyle) -> String {
        var s = "# Tables\n\n"
        if let policy = style.policy {
            s += "Published tables. \(Disclosure.note(policy)) Pharmacy issues of hypnotics are supplies to wards, not counts of "
            s += "people, and are shown exactly. Every rate, ratio, interval, p-value, pooled estimate and control-chart point or "
            s += "limit is computed from the published counts; one that needs a suppressed count is withheld.\n\n"
        } else {
            s += "**Restricted: exact counts.** These tables are not disclosure-controlled and must not leave the organisation.\n\n"
        }
        s += "Cells that a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, tab or carriage return) start with an "
        s += "apostrophe; numbers are plain. Empty cells are values that cannot be estimated or are withheld; `Inf` is infinity.\n\n"
        s += "- `incidents.csv`, `incidents_pooled.csv`: the safety comparison.\n- `hypnotics.csv` (and `hypnotics_prn.csv`): hypnotic use.\n"
        s += "- `feedback.csv`, `feedback_themes.csv`, `feedback_quotes.csv`: feedback.\n"
        s += "- `fidelity.csv`: the intervention as delivered (protected nights without routine checks).\n"
        s += "- `protected_sleep.csv`, `involvement.csv`: who was involved.\n- `spc.csv`: every control-chart point.\n"
        return s
    }
}
