/// `tables/incidents.csv`, `tables/incidents_pooled.csv` and the safety part of `results.json`. Column names are an
/// output contract analysts script against.
public enum SafetyTables {
    /// Columns of `tables/incidents.csv`.
    public static let incidentColumns = [
        "scope", "ward", "category", "window", "baseline_events", "pilot_events", "baseline_exposure", "pilot_exposure",
        "exposure_unit", "baseline_rate", "pilot_rate", "rate_ratio", "ci_lower", "ci_upper", "p_exact", "p_midp",
    ]
    /// Columns of `tables/incidents_pooled.csv`.
    public static let pooledColumns = ["category", "window", "mh_rate_ratio", "ci_lower", "ci_upper", "homogeneity_p"]

    /// The incidents table in `style`.
    public static func incidentsCSV(_ s: SafetyResults, study: StudyDefinition, style: CountStyle) -> String {
        var out = CSVOutput.line(incidentColumns)
        for cell in s.cells {
            let c = ShownComparison(cell, style: style)
            out += CSVOutput.line([
                cell.ward == nil ? "study" : "ward", cell.ward.map { study.wards[$0].id } ?? "all", cell.category,
                cell.window.rawValue, c.baselineEvents, c.pilotEvents, NumberFormat.machine(cell.baselineExposure),
                NumberFormat.machine(cell.pilotExposure), cell.unit.rawValue, NumberFormat.machine(c.baselineRate),
                NumberFormat.machine(c.pilotRate), NumberFormat.machine(c.ratio?.estimate), NumberFormat.machine(c.ratio?.lower),
                NumberFormat.machine(c.ratio?.upper), NumberFormat.machine(c.ratio?.pExact), NumberFormat.machine(c.ratio?.pMidP),
            ])
        }
        return out
    }

    /// The pooled table in `style`.
    public static func pooledCSV(_ s: SafetyResults) -> String {
        var out = CSVOutput.line(pooledColumns)
        for p in s.pooled {
            let hide = p.withheld != nil
            out += CSVOutput.line([
                p.category, p.window.rawValue, NumberFormat.machine(hide ? nil : p.all.estimate),
                NumberFormat.machine(hide ? nil : p.all.lower), NumberFormat.machine(hide ? nil : p.all.upper),
                NumberFormat.machine(hide ? nil : p.all.homogeneityP),
            ])
        }
        return out
    }

    /// The `safety` object of results.json in `style`.
    public static func json(_ s: SafetyResults, study: StudyDefinition, style: CountStyle) -> JSONValue {
        func number(_ d: Double?) -> JSONValue {
            guard let d else { return .null }
            return d.isInfinite ? .string(d > 0 ? "Inf" : "-Inf") : .double(d)
        }
        func count(_ text: String) -> JSONValue { Int(text).map { .int($0) } ?? .string(text) }
        let rows: [JSONValue] = s.cells.map { cell in
            let c = ShownComparison(cell, style: style)
            return .object([
                ("scope", .string(cell.ward == nil ? "study" : "ward")),
                ("ward", .string(cell.ward.map { study.wards[$0].id } ?? "all")),
                ("category", .string(cell.category)),
                ("window", .string(cell.window.rawValue)),
                ("baseline_events", count(c.baselineEvents)),
                ("pilot_events", count(c.pilotEvents)),
                ("baseline_exposure", .double(cell.baselineExposure)),
                ("pilot_exposure", .double(cell.pilotExposure)),
                ("exposure_unit", .string(cell.unit.rawValue)),
                ("baseline_rate_per_1000", number(c.baselineRate)),
                ("pilot_rate_per_1000", number(c.pilotRate)),
                ("percent_change_rate", number(c.percentChange)),
                ("rate_ratio", number(c.ratio?.estimate)),
                ("ci_lower", number(c.ratio?.lower)),
                ("ci_upper", number(c.ratio?.upper)),
                ("p_exact", number(c.ratio?.pExact)),
                ("p_midp", number(c.ratio?.pMidP)),
                ("disclosure", .string(c.status.rawValue)),
            ])
        }
        let pooled: [JSONValue] = s.pooled.map { p in
            let hide = p.withheld != nil
            func v(_ d: Double?) -> JSONValue { hide ? .null : number(d) }
            return .object([
                ("category", .string(p.category)),
                ("window", .string(p.window.rawValue)),
                ("mh_rate_ratio", v(p.all.estimate)),
                ("ci_lower", v(p.all.lower)),
                ("ci_upper", v(p.all.upper)),
                ("homogeneity_chi_square", v(p.all.homogeneityChiSquare)),
                ("homogeneity_df", hide ? .null : p.all.homogeneityDF.map { .int($0) } ?? .null),
                ("homogeneity_p", v(p.all.homogeneityP)),
                ("wards_pooled", .int(p.all.strata)),
                ("cbti_vs_other", .object([
                    ("cbti_mh_rate_ratio", v(p.cbti.estimate)),
                    ("other_mh_rate_ratio", v(p.other.estimate)),
                    ("ratio_of_rate_ratios", v(p.cbtiRatio?.estimate)),
                    ("ci_lower", v(p.cbtiRatio?.lower)),
                    ("ci_upper", v(p.cbtiRatio?.upper)),
                ])),
                ("disclosure", .string(style.policy == nil ? "exact" : (hide ? "suppressed" : "from published ward counts"))),
                ("withheld_because", p.withheld.map { .string($0) } ?? .null),
            ])
        }
        return .object([
            ("exposure", .string(s.exposureFromOccupancy ? "occupied bed days (sum of the midnight census)"
                                                        : "days in each ward's periods (no occupancy export)")),
            ("rates_per", .int(1000)),
            ("confidence_level", .double(0.95)),
            ("methods", .object([
                ("rate_ratio", .string("exact conditional binomial (Clopper-Pearson), as R poisson.test")),
                ("p_exact", .string("two-sided exact, minlike rule")),
                ("p_midp", .string("two-sided mid-p, doubled smaller tail")),
                ("pooled", .string("Mantel-Haenszel over wards, Greenland-Robins variance, chi-square test of homogeneity")),
                ("cbti_vs_other", .string("ratio of Mantel-Haenszel rate ratios, Wald interval on the log scale")),
            ])),
            ("incidents", .array(rows)),
            ("pooled", .array(pooled)),
            ("serious_incidents", study.scope.windows.contains(.allDay)
                ? .object(StudyPeriod.allCases.map { ($0.rawValue, s.seriousJSON($0, style: style)) })
                : .string("left out: serious incidents are counted over 24 hours, and this report covers the protected window only")),
            ("incidents_without_time", s.withoutTimeJSON(style: style)),
        ])
    }
}
