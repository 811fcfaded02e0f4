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
        "rate_ratio", "ci_lower", "ci_upper", "p_exact", "percent_change_rate",
    ]
    /// Columns of `tables/hypnotics_prn.csv`.
    public static let prnColumns = [
        "scope", "ward", "baseline_regular_doses", "pilot_regular_doses", "baseline_prn_doses", "pilot_prn_doses",
        "baseline_prn_per_100_obd", "pilot_prn_per_100_obd", "baseline_patients", "pilot_patients", "baseline_patients_prn",
        "pilot_patients_prn", "baseline_prn_share", "baseline_ci_lower", "baseline_ci_upper", "pilot_prn_share",
        "pilot_ci_lower", "pilot_ci_upper", "difference", "difference_ci_lower", "difference_ci_upper", "fisher_p",
    ]

    /// The style hypnotic counts are shown in: exact for pharmacy issues, `style` for administrations.
    static func unitStyle(_ kind: HypnoticsExportKind, _ style: CountStyle) -> CountStyle { kind == .administrations ? style : .exact }

    /// A line as shown: units published in `style`, everything derived recomputed from the shown units.
    struct ShownLine {
        var line: HypnoticLine
        var baselineUnits: String
        var pilotUnits: String
        var suppressed: Bool
        var values: [String: Double?]

        init(_ l: HypnoticLine, style: CountStyle) {
            line = l
            func shown(_ units: Double) -> (String, Double?) {
                guard let policy = style.policy, units == units.rounded(), units >= 0 else { return (NumberFormat.machine(units), units) }
                let p = Disclosure.publish(Int(units), policy: policy)
                return (p.description, p.number.map(Double.init))
            }
            let b = shown(l.baseline.units), p = shown(l.pilot.units)
            baselineUnits = b.0
            pilotUnits = p.0
            suppressed = b.1 == nil || p.1 == nil
            // Scale mg and DDD by the published units so nothing reveals the exact count.
            func scaled(_ v: Double?, _ exact: Double, _ shown: Double?) -> Double? {
                guard let v, let shown else { return nil }
                return exact == 0 ? v : v * shown / exact
            }
            var shownLine = l
            shownLine.baseline.units = b.1 ?? 0
            shownLine.pilot.units = p.1 ?? 0
            shownLine.baselineDDD = scaled(l.baselineDDD, l.baseline.units, b.1)
            shownLine.pilotDDD = scaled(l.pilotDDD, l.pilot.units, p.1)
            let ratio = suppressed ? nil : shownLine.rateRatio
            values = [
                "percent_change_units": suppressed ? nil : shownLine.percentChangeUnits,
                "percent_change_rate": suppressed ? nil : shownLine.percentChangeRate,
                "baseline_mg": scaled(l.baseline.mg, l.baseline.units, b.1), "pilot_mg": scaled(l.pilot.mg, l.pilot.units, p.1),
                "baseline_ddd": shownLine.baselineDDD, "pilot_ddd": shownLine.pilotDDD,
                "baseline_ddd_per_100_obd": shownLine.dddPer100(.baseline), "pilot_ddd_per_100_obd": shownLine.dddPer100(.pilot),
                "rate_ratio": ratio?.estimate, "ci_lower": ratio?.lower, "ci_upper": ratio?.upper, "p_exact": ratio?.pExact,
            ]
        }
    }

    static func labels(_ l: HypnoticLine, study: StudyDefinition) -> [String] {
        [l.ward == nil ? "study" : "ward", l.ward.map { study.wards[$0].id } ?? "all", l.group?.rawValue ?? "all",
         l.drug?.name ?? "all", l.product ?? "all", l.drug?.atc ?? "all"]
    }

    /// The hypnotics table; its rate columns are named for the exposure (`exposure`).
    public static func csv(_ lines: [HypnoticLine], kind: HypnoticsExportKind, study: StudyDefinition, style: CountStyle,
                           exposure: ExposureWords = ExposureWords(fromOccupancy: true)) -> String {
        var out = CSVOutput.line(columns.map(exposure.column))
        for l in lines {
            let s = ShownLine(l, style: unitStyle(kind, style))
            out += CSVOutput.line(labels(l, study: study) + [s.baselineUnits, s.pilotUnits]
                + columns.dropFirst(8).map { NumberFormat.machine(s.values[$0] ?? nil) })
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
        let unitStyle = unitStyle(kind, style), exposure = ExposureWords(fromOccupancy: exposureFromOccupancy)
        let rows: [JSONValue] = lines.map { l in
            let s = ShownLine(l, style: unitStyle)
            let names = ["scope", "ward", "group", "drug", "product", "atc"]
            var pairs: [(String, JSONValue)] = zip(names, labels(l, study: study)).map { ($0, .string($1)) }
            pairs.append(("baseline_units", Double(s.baselineUnits).map { .double($0) } ?? .string(s.baselineUnits)))
            pairs.append(("pilot_units", Double(s.pilotUnits).map { .double($0) } ?? .string(s.pilotUnits)))
            for c in columns.dropFirst(8) { pairs.append((exposure.column(c), jsonNumber(s.values[c] ?? nil))) }
            pairs.append(("drugs_without_ddd_included", .bool(l.someWithoutDDD)))
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

    static func jsonNumber(_ d: Double?) -> JSONValue {
        guard let d else { return .null }
        return d.isInfinite ? .string(d > 0 ? "Inf" : "-Inf") : .double(d)
    }
}

/// One PRN comparison as shown in `style`: counts published, shares and tests recomputed from them.
struct PRNShown {
    struct Cell {
        var text: String
        var json: JSONValue
    }

    var cells: [Cell] = []
    var baselineShare: Proportion?
    var pilotShare: Proportion?
    var difference: (difference: Double, lower: Double, upper: Double)?
    var fisherP: Double?

    init(_ r: PRNComparison, style: CountStyle) {
        func count(_ n: Int) -> (Cell, Int?) {
            let p = style.publish(n)
            return (Cell(text: p.text, json: style.json(n)), p.value)
        }
        func number(_ d: Double?) -> Cell { Cell(text: NumberFormat.machine(d), json: HypnoticTables.jsonNumber(d)) }
        func per100(_ n: Int?, _ t: Double) -> Double? { n.flatMap { t > 0 ? Double($0) / t * 100 : nil } }
        let br = count(r.baseline.regular), pr = count(r.pilot.regular)
        let bp = count(r.baseline.prn), pp = count(r.pilot.prn)
        let bn = count(r.baseline.patients.count), pn = count(r.pilot.patients.count)
        let bx = count(r.baseline.prnPatients.count), px = count(r.pilot.prnPatients.count)
        if let x = bx.1, let n = bn.1, n > 0 { baselineShare = Proportion(x: x, n: n) }
        if let x = px.1, let n = pn.1, n > 0 { pilotShare = Proportion(x: x, n: n) }
        if let b = baselineShare, let p = pilotShare {
            difference = ProportionComparison.newcombeDifference(x1: p.x, n1: p.n, x0: b.x, n0: b.n)
            fisherP = ProportionComparison.fisherExactP(a: p.x, b: p.n - p.x, c: b.x, d: b.n - b.x)
        }
        cells = [br.0, pr.0, bp.0, pp.0, number(per100(bp.1, r.baselineExposure)), number(per100(pp.1, r.pilotExposure)),
                 bn.0, pn.0, bx.0, px.0,
                 number(baselineShare?.estimate), number(baselineShare?.lower), number(baselineShare?.upper),
                 number(pilotShare?.estimate), number(pilotShare?.lower), number(pilotShare?.upper),
                 number(difference?.difference), number(difference?.lower), number(difference?.upper), number(fisherP)]
    }
}
