/// One line of the hypnotic-use table: a product, a drug, a group or the total, for a ward or the study.
public struct HypnoticLine: Sendable, Codable {
    /// Ward index, or `nil` for the whole study.
    public var ward: Int?
    /// Drug group, or `nil` for all groups.
    public var group: DrugGroup?
    /// Drug, or `nil` for all drugs in the group.
    public var drug: FormularyDrug?
    /// Product label, or `nil` for all products of the drug.
    public var product: String?
    /// Baseline and pilot totals.
    public var baseline: HypnoticUse.Totals
    /// Pilot totals.
    public var pilot: HypnoticUse.Totals
    /// DDDs in each period; `nil` when no drug in the line has a DDD.
    public var baselineDDD: Double?
    /// Pilot DDDs.
    public var pilotDDD: Double?
    /// Whether some drug in the line has no DDD (its mg are not in the DDDs).
    public var someWithoutDDD: Bool
    /// Whether every product in the line counts discrete units (so a rate ratio on counts applies).
    public var countable: Bool
    /// Exposure (occupied bed days, or days without occupancy) per period.
    public var baselineExposure: Double
    /// Pilot exposure.
    public var pilotExposure: Double
    /// The doses given of each drug in the line, per period (administrations; empty for pharmacy issues): what a
    /// released copy rounds the line's milligrams and DDDs from (`ShownHypnoticLine`).
    public var baselineDoses: [DrugDoses] = [], pilotDoses: [DrugDoses] = []
    /// Set by the release step when the line's doses in a period are withheld although not small
    /// (`SecondarySuppression`): shown as `*`, with nothing derived from them.
    public var baselineWithheld: Bool? = nil, pilotWithheld: Bool? = nil

    /// The doses given of one drug in a line.
    public struct DrugDoses: Sendable, Equatable, Codable {
        /// Their milligrams.
        public var mg: Double
        /// The greatest common divisor of their milligrams, in micrograms.
        public var stepMicrograms: Int
        /// Their commonest doses.
        public var commonDoses = DoseMix()
        /// The drug's WHO DDD in milligrams, if it has one.
        public var dddMg: Double?
        /// How many doses (units) they are.
        public var units: Double = 0
        /// The drug's name.
        public var drug: String? = nil
        /// Set by the release step when the drug's own line withholds these doses (`SecondarySuppression`): a group or
        /// total line then leaves its milligrams out, as it does a drug whose doses are suppressed.
        public var withheld: Bool? = nil
    }

    /// Percentage change of units, pilot against baseline.
    public var percentChangeUnits: Double? { baseline.units > 0 ? (pilot.units / baseline.units - 1) * 100 : nil }

    /// Percentage change of the rate (units per unit of exposure), pilot against baseline: periods of different
    /// lengths or occupancy compare like for like, which raw units do not.
    public var percentChangeRate: Double? {
        guard baseline.units > 0, baselineExposure > 0, pilotExposure > 0 else { return nil }
        return ((pilot.units / pilotExposure) / (baseline.units / baselineExposure) - 1) * 100
    }

    /// DDD per 100 units of exposure.
    public func dddPer100(_ period: StudyPeriod) -> Double? {
        let (ddd, t) = period == .baseline ? (baselineDDD, baselineExposure) : (pilotDDD, pilotExposure)
        guard let ddd, t > 0 else { return nil }
        return ddd / t * 100
    }

    /// Exact rate ratio of units per exposure, when units are whole, non-negative counts.
    public var rateRatio: RateRatio? {
        guard countable, baseline.units >= 0, pilot.units >= 0, let x1 = Int(exactly: pilot.units), let x0 = Int(exactly: baseline.units),
              x1 <= Int.max / 2, x0 <= Int.max / 2 else { return nil }
        let r = exactRateRatio(x1: x1, t1: pilotExposure, x0: x0, t0: baselineExposure)
        return r.estimate == nil ? nil : r
    }
}

/// Builds the hypnotic-use lines from the accumulated totals (SPEC §3 "Hypnotic use").
public enum HypnoticAnalysis {
    /// Lines for the study then each ward: for each group its drugs, for each drug its products; subtotals follow
    /// their parts; the total comes last.
    public static func lines(_ use: HypnoticUse, study: StudyDefinition, occupancy: OccupancyTotals?) -> [HypnoticLine] {
        func exposure(_ ward: Int?, _ period: StudyPeriod) -> Double {
            OccupancyTotals.exposure(occupancy, study: study, ward: ward, period: period)
        }
        let totals = use.totals
        let withheld = use.withheld
        // Sum in a fixed order: dictionary order changes from run to run, and floating-point sums with it.
        let keys = totals.keys.filter { !withheld.contains($0) }.sorted { ($0.ward, $0.product.label) < ($1.ward, $1.product.label) }
        let products = Set(keys.map(\.product)).sorted { a, b in
            let da = use.formulary.drug(named: a.drug)!, db = use.formulary.drug(named: b.drug)!
            return (da.group, da.name, a.label) < (db.group, db.name, b.label)
        }
        var productsOfDrug: [String: [ParsedProduct]] = [:]
        for p in products { productsOfDrug[p.drug, default: []].append(p) }
        var keysOfWard: [Int: [HypnoticUse.Key]] = [:]
        for key in keys { keysOfWard[key.ward, default: []].append(key) }
        // The study-wide lines add up the wards with exposure in both periods, use and exposure alike.
        let compared = Set(OccupancyTotals.comparedWards(occupancy, study: study))
        let studyKeys = keys.filter { compared.contains($0.ward) }
        var out: [HypnoticLine] = []
        for ward in [nil] + study.wardsInScope.map(Optional.some) {
            // The keys of this ward (or all), split by product and by drug once, in the sorted order: each line sums
            // only its own keys, so the work follows the number of keys, not keys × lines.
            let wardKeys = ward.map { keysOfWard[$0] ?? [] } ?? studyKeys
            var keysOfProduct: [ParsedProduct: [HypnoticUse.Key]] = [:], keysOfDrug: [String: [HypnoticUse.Key]] = [:]
            var keysOfGroup: [DrugGroup: [HypnoticUse.Key]] = [:]
            for key in wardKeys {
                keysOfProduct[key.product, default: []].append(key)
                keysOfDrug[key.product.drug, default: []].append(key)
                keysOfGroup[use.formulary.drug(named: key.product.drug)!.group, default: []].append(key)
            }
            func line(group: DrugGroup?, drug: FormularyDrug?, product: String?, _ lineKeys: [HypnoticUse.Key]) -> HypnoticLine? {
                var b = HypnoticUse.Totals(), p = HypnoticUse.Totals()
                var bDoses: [String: HypnoticLine.DrugDoses] = [:], pDoses: [String: HypnoticLine.DrugDoses] = [:], drugOrder: [String] = []
                func add(_ t: HypnoticUse.Totals, of d: FormularyDrug, to doses: inout [String: HypnoticLine.DrugDoses]) {
                    var x = doses[d.name] ?? HypnoticLine.DrugDoses(mg: 0, stepMicrograms: 0, dddMg: d.dddMg, drug: d.name)
                    x.mg += t.mg
                    x.units += t.units
                    x.stepMicrograms = HypnoticUse.Totals.gcd(x.stepMicrograms, t.doseStepMicrograms)
                    x.commonDoses.merge(t.commonDoses)
                    doses[d.name] = x
                }
                var bDDD: Double?, pDDD: Double?, missingDDD = false, countable = true
                guard !lineKeys.isEmpty else { return nil }
                for key in lineKeys {
                    let periods = totals[key]!
                    let d = use.formulary.drug(named: key.product.drug)!
                    let bt = periods[.baseline] ?? .init(), pt = periods[.pilot] ?? .init()
                    b.units += bt.units; b.mg += bt.mg; p.units += pt.units; p.mg += pt.mg
                    if use.administrations {
                        if bDoses[d.name] == nil { drugOrder.append(d.name) }
                        add(bt, of: d, to: &bDoses)
                        add(pt, of: d, to: &pDoses)
                    }
                    if let ddd = d.dddMg {
                        bDDD = (bDDD ?? 0) + bt.mg / ddd
                        pDDD = (pDDD ?? 0) + pt.mg / ddd
                    } else { missingDDD = true }
                    if !key.product.countable { countable = false }
                }
                var line = HypnoticLine(ward: ward, group: group, drug: drug, product: product, baseline: b, pilot: p,
                                        baselineDDD: bDDD, pilotDDD: pDDD, someWithoutDDD: missingDDD, countable: countable,
                                        baselineExposure: exposure(ward, .baseline), pilotExposure: exposure(ward, .pilot))
                line.baselineDoses = drugOrder.compactMap { bDoses[$0] }
                line.pilotDoses = drugOrder.compactMap { pDoses[$0] }
                return line
            }
            for group in DrugGroup.allCases {
                let groupDrugs = use.formulary.drugs.filter { $0.group == group }
                for drug in groupDrugs {
                    if !use.administrations {
                        for product in productsOfDrug[drug.name] ?? [] {
                            if let l = line(group: group, drug: drug, product: product.label, keysOfProduct[product] ?? []) { out.append(l) }
                        }
                    }
                    if let l = line(group: group, drug: drug, product: nil, keysOfDrug[drug.name] ?? []) { out.append(l) }
                }
                if let l = line(group: group, drug: nil, product: nil, keysOfGroup[group] ?? []) { out.append(l) }
            }
            if let l = line(group: nil, drug: nil, product: nil, wardKeys) { out.append(l) }
        }
        return out
    }

    /// Units pooled over wards (Mantel–Haenszel) for CBTi wards, the others, and their ratio; countable products only.
    public static func cbtiContrast(_ lines: [HypnoticLine], study: StudyDefinition)
        -> (cbti: PooledRateRatio, other: PooledRateRatio, ratio: RatioEstimate?)
    {
        let totals = lines.filter { $0.ward != nil && $0.group == nil && $0.countable }
        func strata(_ cbti: Bool) -> [RateStratum] {
            totals.filter { study.wards[$0.ward!].cbti == cbti && $0.baseline.units >= 0 && $0.pilot.units >= 0 }.compactMap {
                guard let x1 = Int(exactly: $0.pilot.units.rounded()), let x0 = Int(exactly: $0.baseline.units.rounded()),
                      x1 <= Int.max / 2, x0 <= Int.max / 2 else { return nil }
                return RateStratum(x1: x1, t1: $0.pilotExposure, x0: x0, t0: $0.baselineExposure)
            }
        }
        let c = mantelHaenszelRateRatio(strata: strata(true)), o = mantelHaenszelRateRatio(strata: strata(false))
        return (c, o, ratioOfRateRatios(c, o))
    }
}
