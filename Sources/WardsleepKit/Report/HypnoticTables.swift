/// `tables/hypnotics.csv`, `tables/hypnotics_prn.csv` and the hypnotics part of `results.json`.
///
/// Pharmacy issues are supplies to a ward, not counts of people, so their quantities are published exactly;
/// administrations are doses given to patients, so their counts go through disclosure control like any other.
public enum HypnoticTables {
    /// Columns of `tables/hypnotics.csv` (an output contract) with occupancy; without it, `_per_100_obd` columns are
    /// `_per_100_ward_days` (`ExposureWords.column`).
    public static let columns = [
        "scope", "ward", "group", "drug", "product", "atc", "baseline_units", "pilot_units", "percent_change_units",
        "baseline_mg", "pilot_mg", "baseline_ddd", "pilot_ddd", "baseline_ddd_per_100_obd", "pilot_ddd_per_100_obd",
        "rate_ratio", "ci_lower", "ci_upper", "p_exact", "percent_change_rate", "mg_leaves_out",
    ]
    /// The columns of figures (after the labels and the units).
    static var figureColumns: ArraySlice<String> { columns.dropFirst(8).dropLast() }
    /// Columns of `tables/hypnotics_prn.csv`.
    public static let prnColumns = [
        "scope", "ward", "baseline_regular_doses", "pilot_regular_doses", "baseline_prn_doses", "pilot_prn_doses",
        "baseline_prn_per_100_obd", "pilot_prn_per_100_obd", "baseline_patients", "pilot_patients", "baseline_patients_prn",
        "pilot_patients_prn", "baseline_prn_share", "baseline_ci_lower", "baseline_ci_upper", "pilot_prn_share",
        "pilot_ci_lower", "pilot_ci_upper", "difference", "difference_ci_lower", "difference_ci_upper", "fisher_p",
    ]

    static func labels(_ l: HypnoticLine, study: StudyDefinition) -> [String] {
        [l.ward == nil ? "study" : "ward", l.ward.map { study.wards[$0].id } ?? "all", l.group?.rawValue ?? "all",
         l.drug?.name ?? "all", l.product ?? "all", l.drug?.atc ?? "all"]
    }

    /// The hypnotics table; its rate columns are named for the exposure (`exposure`).
    public static func csv(_ lines: [HypnoticLine], kind: HypnoticsExportKind, study: StudyDefinition, style: CountStyle,
                           exposure: ExposureWords = ExposureWords(fromOccupancy: true)) -> String {
        var out = CSVOutput.line(columns.map(exposure.column))
        for l in lines {
            let s = ShownHypnoticLine(l, style: ShownHypnoticLine.unitStyle(kind, style))
            out += CSVOutput.line(labels(l, study: study) + [s.baselineUnits, s.pilotUnits]
                + figureColumns.map { NumberFormat.machine(s.values[$0] ?? nil) } + [s.leftOutDrugs.joined(separator: ";")])
        }
        return out
    }

    /// The PRN table (administrations only); its rate columns are named for the exposure.
    public static func prnCSV(_ rows: [PRNComparison], study: StudyDefinition, style: CountStyle,
                              exposure: ExposureWords = ExposureWords(fromOccupancy: true)) -> String {
        var out = CSVOutput.line(prnColumns.map(exposure.column))
        for r in rows {
            let v = PRNShown(r, style: style)
            out += CSVOutput.line([r.ward == nil ? "study" : "ward", r.ward.map { study.wards[$0].id } ?? "all"]
                + v.cells.map { $0.text })
        }
        return out
    }

    /// The `hypnotics` object of results.json.
    public static func json(_ lines: [HypnoticLine], prn: [PRNComparison]?, kind: HypnoticsExportKind, study: StudyDefinition,
                            style: CountStyle, exposureFromOccupancy: Bool) -> JSONValue {
        let unitStyle = ShownHypnoticLine.unitStyle(kind, style), exposure = ExposureWords(fromOccupancy: exposureFromOccupancy)
        let rows: [JSONValue] = lines.map { l in
            let s = ShownHypnoticLine(l, style: unitStyle)
            let names = ["scope", "ward", "group", "drug", "product", "atc"]
            var pairs: [(String, JSONValue)] = zip(names, labels(l, study: study)).map { ($0, .string($1)) }
            pairs.append(("baseline_units", Double(s.baselineUnits).map { .double($0) } ?? .string(s.baselineUnits)))
            pairs.append(("pilot_units", Double(s.pilotUnits).map { .double($0) } ?? .string(s.pilotUnits)))
            for c in figureColumns { pairs.append((exposure.column(c), JSONValue.number(s.values[c] ?? nil))) }
            pairs.append(("drugs_without_ddd_included", .bool(l.someWithoutDDD)))
            pairs.append(("mg_leaves_out", .array(s.leftOutDrugs.map { .string($0) })))
            pairs.append(("disclosure", .string(unitStyle.policy == nil ? "exact" : (s.suppressed ? "suppressed" : "rounded"))))
            return .object(pairs)
        }
        var pairs: [(String, JSONValue)] = [
            ("source", .string((kind == .administrations) ? "administrations (doses given)" : "pharmacy issues to wards (net of returns)")),
            ("exposure", .string(exposureFromOccupancy ? "occupied bed days" : "days in each ward's periods (no occupancy export)")),
            ("unit_disclosure", .string((kind == .administrations) ? "disclosure-controlled (doses to patients)"
                                                           : "exact (supplies to wards, not counts of people)")),
            ("lines", .array(rows)),
        ]
        if let prn {
            pairs.append(("prn", .array(prn.map { r in
                let v = PRNShown(r, style: style)
                return .object([("scope", .string(r.ward == nil ? "study" : "ward")),
                                ("ward", .string(r.ward.map { study.wards[$0].id } ?? "all"))]
                    + zip(prnColumns.dropFirst(2), v.cells).map { (exposure.column($0), $1.json) })
            })))
            pairs.append(("prn_share_denominator", .string("patients with any hypnotic administration record in the period")))
        }
        return .object(pairs)
    }
}
