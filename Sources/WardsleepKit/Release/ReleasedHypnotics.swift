/// Hypnotic use as a copy of the report shows it: units published (administrations are doses to patients, so they are
/// disclosure-controlled; pharmacy issues are supply to wards and shown exactly), and every figure derived from them —
/// milligrams, DDDs, rates, percentage changes, the rate ratio, PRN shares and their comparison — recomputed from the
/// shown units.
///
/// One line (product, drug, group or total) as shown: units published in `style`, everything derived recomputed from
/// the shown units.
struct ShownHypnoticLine {
    /// The style hypnotic counts are shown in: exact for pharmacy issues, `style` for administrations.
    static func unitStyle(_ kind: HypnoticsExportKind, _ style: CountStyle) -> CountStyle { kind == .administrations ? style : .exact }

    var line: HypnoticLine
    var baselineUnits: String
    var pilotUnits: String
    var suppressed: Bool
    var values: [String: Double?]
    /// The line with its units as shown, for statistics that pool lines (the CBTi contrast); `nil` when they are not.
    var published: HypnoticLine?
    /// The drugs whose milligrams, and so DDDs, this group or total line leaves out in either period (their own doses
    /// in its scope are suppressed or withheld), by name: its DDDs are then those of its other drugs. None for a line
    /// of one drug: its doses are its own, and when they are not published neither are its milligrams.
    var leftOutDrugs: [String] = []

    /// How a sentence giving a line's DDDs says which drugs they leave out (nothing when none).
    static func leavingOut(_ drugs: [String]) -> String {
        drugs.isEmpty ? "" : " (leaving out \(drugs.joined(separator: ", ")), whose doses are not published)"
    }

    init(_ l: HypnoticLine, style: CountStyle) {
        line = l
        func shown(_ units: Double) -> (String, Double?) {
            guard let policy = style.policy, units == units.rounded(), units >= 0 else { return (NumberFormat.machine(units), units) }
            let p = Disclosure.publish(Int(units), policy: policy)
            return (p.description, p.number.map(Double.init))
        }
        let b = l.baselineWithheld == true ? ("*", nil) : shown(l.baseline.units)
        let p = l.pilotWithheld == true ? ("*", nil) : shown(l.pilot.units)
        baselineUnits = b.0
        pilotUnits = p.0
        suppressed = b.1 == nil || p.1 == nil
        // Doses given (counts of people's doses): each drug's milligrams rounded to a multiple of `roundTo` × a typical
        // dose (its commonest, or the step all its doses are multiples of when that is larger), and the DDDs from those.
        // Milligrams scaled by published ÷ exact doses kept the exact mean dose, and n × mean fell on the dose step for
        // one n only: the exact count. Rounded on a typical dose, every count the published one could stand for fits;
        // rounded on the step alone, one odd dose (2.001 mg among 2 mg ones) made the step a microgram and the
        // milligrams exact, so mg ÷ dose gave the count back. A group or total line leaves out the milligrams of a drug
        // whose own doses are suppressed. Pharmacy issues (supplies) are shown as they are.
        func released(_ doses: [HypnoticLine.DrugDoses], _ shown: Double?) -> (mg: Double?, ddd: Double?, leftOut: [String]) {
            guard shown != nil, let policy = style.policy else { return (nil, nil, []) }
            var mg = 0.0, ddd: Double?, leftOut: [String] = []
            for d in doses {
                // A drug whose own doses are a small number (suppressed) adds nothing to a group or total line: its
                // milligrams, even rounded, would tell a few doses from several.
                // Nor does one withheld to protect a small count (`SecondarySuppression`).
                if d.withheld == true
                    || (d.units > 0 && d.units == d.units.rounded() && Disclosure.publish(Int(d.units), policy: policy) == .suppressed) {
                    leftOut.append(d.drug ?? "a drug")
                    continue
                }
                let step = Double(max(d.stepMicrograms, d.commonDoses.commonest)) / 1000 * Double(max(1, policy.roundTo))
                let rounded = step > 0 ? (d.mg / step).rounded() * step : d.mg
                mg += rounded
                if let perDDD = d.dddMg { ddd = (ddd ?? 0) + rounded / perDDD }
            }
            return (mg, ddd, leftOut)
        }
        // Otherwise (pharmacy issues, or an exact copy) the units are shown exactly, and so is everything from them.
        let rounded = style.policy != nil && !(l.baselineDoses.isEmpty && l.pilotDoses.isEmpty)
        let rb = released(l.baselineDoses, b.1), rp = released(l.pilotDoses, p.1)
        // (Computed as value × shown ÷ exact units, which is the value itself up to the last bit, so that published files
        // keep their bytes.)
        func unrounded(_ v: Double?, _ exact: Double, _ shown: Double?) -> Double? {
            guard let v, let shown else { return nil }
            return exact == 0 ? v : v * shown / exact
        }
        var shownLine = l
        shownLine.baseline.units = b.1 ?? 0
        shownLine.pilot.units = p.1 ?? 0
        shownLine.baselineDDD = rounded ? (l.baselineDDD == nil ? nil : rb.ddd) : unrounded(l.baselineDDD, l.baseline.units, b.1)
        shownLine.pilotDDD = rounded ? (l.pilotDDD == nil ? nil : rp.ddd) : unrounded(l.pilotDDD, l.pilot.units, p.1)
        published = suppressed ? nil : shownLine
        leftOutDrugs = Array(Set(rb.leftOut + rp.leftOut)).sorted()
        let ratio = suppressed ? nil : shownLine.rateRatio
        values = [
            "percent_change_units": suppressed ? nil : shownLine.percentChangeUnits,
            "percent_change_rate": suppressed ? nil : shownLine.percentChangeRate,
            "baseline_mg": rounded ? rb.mg : unrounded(l.baseline.mg, l.baseline.units, b.1),
            "pilot_mg": rounded ? rp.mg : unrounded(l.pilot.mg, l.pilot.units, p.1),
            "baseline_ddd": shownLine.baselineDDD, "pilot_ddd": shownLine.pilotDDD,
            "baseline_ddd_per_100_obd": shownLine.dddPer100(.baseline), "pilot_ddd_per_100_obd": shownLine.dddPer100(.pilot),
            "rate_ratio": ratio?.estimate, "ci_lower": ratio?.lower, "ci_upper": ratio?.upper, "p_exact": ratio?.pExact,
        ]
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
        func count(_ n: Int, _ key: PRNComparison.PRNCount) -> (Cell, Int?) {
            let withheld = r.withheld?.contains(key) == true
            let p = style.publish(n, withheld: withheld)
            return (Cell(text: p.text, json: style.json(n, withheld: withheld)), p.value)
        }
        func number(_ d: Double?) -> Cell { Cell(text: NumberFormat.machine(d), json: JSONValue.number(d)) }
        func per100(_ n: Int?, _ t: Double) -> Double? { n.flatMap { t > 0 ? Double($0) / t * 100 : nil } }
        func count(_ what: PRNComparison.PRNCount.What, _ period: StudyPeriod) -> (Cell, Int?) {
            let key = PRNComparison.PRNCount(what: what, period: period)
            return count(r.count(key), key)
        }
        let br = count(.regular, .baseline), pr = count(.regular, .pilot), bp = count(.prn, .baseline), pp = count(.prn, .pilot)
        let bn = count(.patients, .baseline), pn = count(.patients, .pilot), bx = count(.prnPatients, .baseline), px = count(.prnPatients, .pilot)
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
