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
