/// Units and milligrams of hypnotics by ward, product and period, accumulated as records stream in; for
/// administrations also regular and PRN doses and the patients who had them (counted in a `PatientTally`). Memory
/// grows with wards × products, never with rows or patients.
///
/// Totals cannot overflow or lose whole units: a row holds at most `PlausibleLimits.issueQuantity` units and
/// `PlausibleLimits.strengthMg` mg per unit (larger values are quarantined), so a sum stays an exact whole number of
/// units for billions of rows.
///
/// A return is a negative issue, and a ward's returns of a product may outweigh its issues within a month, but not over
/// a whole period: a net total below zero means issues are missing or a quantity is wrong, and would publish negative
/// DDDs. Such a ward × product is withheld from every hypnotic figure, in both periods so that the comparison stays
/// like for like, and listed in `negativeNet` for the data-quality section.
public final class HypnoticUse: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.hypnotics] }

    /// One ward's use of one product.
    public struct Key: Hashable, Sendable {
        /// Ward index.
        public var ward: Int
        /// The resolved product.
        public var product: ParsedProduct

        /// Equal keys are equal in every field (`==` compares them all); the hash leaves out the drug's name but for
        /// its length, since three analyses look a key up for every pharmacy issue and hashing the name was most of
        /// that. Products of one strength and form whose drugs' names are as long share a hash and are told apart by `==`.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(ward)
            hasher.combine(product.drug.utf8.count)
            hasher.combine(product.strengthMg)
            hasher.combine(product.perMl)
            hasher.combine(product.form)
            hasher.combine(product.modifiedRelease)
        }
    }

    /// Totals for one key and period.
    public struct Totals: Sendable, Equatable, Codable {
        /// Units: tablets, capsules or ml issued net of returns, or doses given.
        public var units: Double = 0
        /// Milligrams.
        public var mg: Double = 0
        /// Doses given: the greatest common divisor of their milligrams, in micrograms (0 before the first), the step
        /// every total of them is a multiple of. What a released total is rounded to (`ShownHypnoticLine`).
        public var doseStepMicrograms = 0
        /// Doses given: the commonest doses, for the size of a typical one (one odd dose makes the divisor tiny).
        public var commonDoses = DoseMix()

        /// Adds an issue (or, negative, a return) of `units` holding `mg`.
        mutating func addIssue(units: Double, mg: Double) {
            self.units += units
            self.mg += mg
        }

        /// Adds a dose of `mg`.
        mutating func addDose(_ mg: Double) {
            units += 1
            self.mg += mg
            let micrograms = Int((mg * 1000).rounded())
            doseStepMicrograms = Totals.gcd(doseStepMicrograms, micrograms)
            commonDoses.add(micrograms)
        }

        static func gcd(_ a: Int, _ b: Int) -> Int {
            var (a, b) = (abs(a), abs(b))
            while b != 0 { (a, b) = (b, a % b) }
            return a
        }
    }

    /// PRN and regular use on one ward in one period (administrations only).
    public struct DoseUse: Sendable, Equatable, Codable {
        /// Regular doses given.
        public var regular = 0
        /// PRN ("as required") doses given.
        public var prn = 0
        /// Doses given without a PRN flag.
        public var unflagged = 0
        /// Patients with any hypnotic administration record (given, refused or omitted).
        public var patients = PatientSet()
        /// Patients given at least one PRN dose.
        public var prnPatients = PatientSet()
    }

    /// Totals by ward and product, per period (pharmacy issues as they stream in; doses given folded in when read).
    public var totals: [Key: [StudyPeriod: Totals]] {
        var all = issueTotals
        for (ward, slots) in given.enumerated() {
            for (d, drug) in givenDrugs.enumerated() {
                let key = Key(ward: ward, product: ParsedProduct(drug: drug, strengthMg: nil, perMl: nil, form: .unit, modifiedRelease: false))
                for (p, period) in StudyPeriod.allCases.enumerated() {
                    let t = slots.count > d * 2 + p ? slots[d * 2 + p] : Totals()
                    if t.units != 0 || t.mg != 0 { all[key, default: [:]][period] = t }
                }
            }
        }
        return all
    }
    private var issueTotals: [Key: [StudyPeriod: Totals]] = [:]
    /// Whether the export was administrations.
    public private(set) var administrations = false
    /// Dose use by ward (administrations), its patients counted once the tally is finished (`finish`). Worked out
    /// once: asking for it finishes the counting, so it cannot change after.
    public var doses: [Int: [StudyPeriod: DoseUse]] {
        if let countedDoses { return countedDoses }
        var out: [Int: [StudyPeriod: DoseUse]] = [:]
        for (ward, pair) in doseUse.enumerated() {
            for (p, period) in StudyPeriod.allCases.enumerated() where pair[p] != nil {
                var use = pair[p]!
                use.patients = patients.patients(group: p * 2, ward: ward)
                use.prnPatients = patients.patients(group: p * 2 + 1, ward: ward)
                out[ward, default: [:]][period] = use
            }
        }
        countedDoses = out
        return out
    }
    private var countedDoses: [Int: [StudyPeriod: DoseUse]]?
    /// Patients with a record (group 2 × period) and with a PRN dose given (2 × period + 1), by ward.
    private let patients: PatientTally

    /// Counts the patients (merging what went to disk, on up to `threads` threads); throws when a temporary file
    /// failed. Later calls do nothing.
    public func finish(threads: Int = 1) throws { try patients.finish(threads: threads) }
    /// Formulary used to look drugs up.
    public let formulary: Formulary
    /// Doses given, dense: per ward, per drug (in order first seen) × period. No hashing on the per-row path.
    private var given: [[Totals]] = []
    private var givenDrugs: [String] = []
    /// Each formulary drug's place in `givenDrugs`, or -1 before its first dose given.
    private var givenPlace: [Int]
    /// Dose use, dense: per ward, per period (`nil` until a record arrives).
    private var doseUse: [[DoseUse?]] = []

    /// A ward × product whose net issues over a period are below zero.
    public struct NegativeNet: Sendable, Equatable {
        /// Ward index.
        public var ward: Int
        /// The product.
        public var product: ParsedProduct
        /// The period.
        public var period: StudyPeriod
        /// The net units issued (below zero).
        public var units: Double
    }

    /// Every ward × product × period whose net units are below zero, by ward, product label and period.
    public var negativeNet: [NegativeNet] {
        totals.flatMap { key, periods in
            periods.filter { $0.value.units < 0 }.map { NegativeNet(ward: key.ward, product: key.product, period: $0.key, units: $0.value.units) }
        }.sorted { ($0.ward, $0.product.label, $0.period.rawValue) < ($1.ward, $1.product.label, $1.period.rawValue) }
    }

    /// The ward × product totals left out of every figure: those with a net total below zero in either period.
    public var withheld: Set<Key> { Set(totals.filter { $0.value.values.contains { $0.units < 0 } }.keys) }

    /// Creates an empty accumulator; patients past `memoryPatients` entries are counted on disk in `temporaryFolder`.
    public init(formulary: Formulary, memoryPatients: Int = PatientTally.defaultMemoryEntries, temporaryFolder: String? = nil) {
        self.formulary = formulary
        patients = PatientTally(groups: 4, memoryEntries: memoryPatients, temporaryFolder: temporaryFolder)
        givenPlace = Array(repeating: -1, count: formulary.drugs.count)
    }

    public func hypnoticIssue(_ r: HypnoticIssueRecord) {
        guard let period = r.period else { return }
        issueTotals[Key(ward: r.ward, product: r.product), default: [:]][period, default: Totals()]
            .addIssue(units: r.quantity, mg: r.quantity * (r.product.mgPerUnit ?? 0))
    }

    public func hypnoticAdministration(_ r: HypnoticAdministrationRecord) {
        administrations = true
        guard let period = r.timing.period else { return }
        let p = period == .baseline ? 0 : 1
        while doseUse.count <= r.ward { doseUse.append([nil, nil]); given.append([]) }
        // A tag check, not `== nil`: comparing would copy the dose use.
        if case .none = doseUse[r.ward][p] { doseUse[r.ward][p] = DoseUse() }
        patients.insert(r.patient, group: p * 2, ward: r.ward)
        guard r.status == .given else { return }
        var d = givenPlace[r.drug.rawValue]
        if d < 0 {
            d = givenDrugs.count
            givenDrugs.append(formulary[r.drug].name)
            givenPlace[r.drug.rawValue] = d
        }
        while given[r.ward].count <= d * 2 + p { given[r.ward].append(Totals()) }
        given[r.ward][d * 2 + p].addDose(r.doseMg)
        switch r.prn {
        case true?:
            doseUse[r.ward][p]!.prn += 1
            patients.insert(r.patient, group: p * 2 + 1, ward: r.ward)
        case false?: doseUse[r.ward][p]!.regular += 1
        case nil: doseUse[r.ward][p]!.unflagged += 1
        }
    }
}

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

/// The commonest doses among those given, in micrograms: the first `slots` distinct doses met, each with how many times
/// it was given (a further distinct dose is only counted in `others`). Fixed size, so it adds nothing per row but a
/// scan of four numbers; merged across wards by adding the counts of equal doses.
public struct DoseMix: Sendable, Equatable, Codable {
    private var d0 = 0, d1 = 0, d2 = 0, d3 = 0
    private var n0 = 0, n1 = 0, n2 = 0, n3 = 0
    /// Doses given that are none of the four kept.
    public private(set) var others = 0

    /// No dose.
    public init() {}

    /// Adds `count` doses of `micrograms`.
    mutating func add(_ micrograms: Int, count: Int = 1) {
        if n0 == 0 || d0 == micrograms { d0 = micrograms; n0 += count }
        else if n1 == 0 || d1 == micrograms { d1 = micrograms; n1 += count }
        else if n2 == 0 || d2 == micrograms { d2 = micrograms; n2 += count }
        else if n3 == 0 || d3 == micrograms { d3 = micrograms; n3 += count }
        else { others += count }
    }

    /// Adds the doses `other` counted.
    mutating func merge(_ other: DoseMix) {
        for (d, n) in other.kept { add(d, count: n) }
        others += other.others
    }

    /// The doses kept and their counts.
    var kept: [(micrograms: Int, count: Int)] { [(d0, n0), (d1, n1), (d2, n2), (d3, n3)].filter { $0.1 > 0 } }

    /// The dose given most often among those kept (the larger of two given as often); 0 when none was.
    public var commonest: Int {
        kept.max { $0.count != $1.count ? $0.count < $1.count : $0.micrograms < $1.micrograms }?.micrograms ?? 0
    }
}
