/// Protected-sleep uptake and decisions from the sleep plans of the pilot period. Its patients are counted by
/// `UptakeTally` (in a `PatientTally`), so memory grows with neither rows nor patients.
public struct ProtectedSleepUptake: Sendable, Codable {
    /// One ward's pilot-period plans.
    public struct Ward: Sendable, Equatable, Codable {
        /// Patients with any plan.
        public var patients = PatientSet()
        /// Patients with at least one protected night.
        public var protectedPatients = PatientSet()
        /// Patient-nights planned.
        public var nights = 0
        /// Patient-nights protected.
        public var protectedNights = 0
        /// Protected nights whose decision recorded the patient's involvement (Y), and how many recorded it at all.
        public var patientInvolved = 0, patientRecorded = 0
        /// Protected nights whose decision recorded a carer's involvement (Y), and how many recorded it at all.
        public var carerInvolved = 0, carerRecorded = 0
        /// Protected nights decided with the night coordinator.
        public var nightCoordinator = 0
        /// Protected nights decided with the MDT.
        public var mdt = 0
        /// Protected nights with `decided_by` recorded.
        public var decidedByRecorded = 0
    }

    /// Plans by ward index.
    public internal(set) var wards: [Int: Ward] = [:]
    /// Plans outside the pilot period (not analysed).
    public internal(set) var outsidePilot = 0
    /// In a released copy: the counts withheld to protect a small one (`SecondarySuppression`), shown as `*`.
    public internal(set) var withheld: Set<Count>?
    /// Every role any plan's `decided_by` names, in either period: a role never named is "not recorded" in the
    /// report, not "0 of N" (the export may simply not record it).
    public internal(set) var rolesNamed = DecisionRoles()

    /// No plans yet.
    public init() {}

    /// Counts one sleep plan (but not its patient: `UptakeTally`); `nightCoordinator` and `mdt` say which roles its
    /// `decided_by` names.
    public mutating func add(_ r: SleepPlanRecord, nightCoordinator: Bool, mdt: Bool) {
        rolesNamed.formUnion(r.decidedBy)
        guard r.period == .pilot else { outsidePilot += 1; return }
        // One lookup of the ward, counted in place (a lookup per count was most of the time a plan took here).
        ProtectedSleepUptake.count(r, nightCoordinator: nightCoordinator, mdt: mdt, in: &wards[r.ward, default: Ward()])
    }

    private static func count(_ r: SleepPlanRecord, nightCoordinator: Bool, mdt: Bool, in w: inout Ward) {
        w.nights += 1
        guard r.protected else { return }
        w.protectedNights += 1
        if let p = r.patientInvolved { w.patientRecorded += 1; if p { w.patientInvolved += 1 } }
        if let c = r.carerInvolved { w.carerRecorded += 1; if c { w.carerInvolved += 1 } }
        if !r.decidedBy.isEmpty {
            w.decidedByRecorded += 1
            if nightCoordinator { w.nightCoordinator += 1 }
            if mdt { w.mdt += 1 }
        }
    }

    /// All wards together (patients who moved wards counted once).
    public var study: Ward {
        var s = Ward()
        for w in wards.keys.sorted() {
            let x = wards[w]!
            s.patients.formUnion(x.patients); s.protectedPatients.formUnion(x.protectedPatients)
            s.nights += x.nights; s.protectedNights += x.protectedNights
            s.patientInvolved += x.patientInvolved; s.patientRecorded += x.patientRecorded
            s.carerInvolved += x.carerInvolved; s.carerRecorded += x.carerRecorded
            s.nightCoordinator += x.nightCoordinator; s.mdt += x.mdt; s.decidedByRecorded += x.decidedByRecorded
        }
        return s
    }
}

/// Accumulates `ProtectedSleepUptake` as sleep plans stream in.
public final class UptakeTally: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.sleepPlans] }
    /// The uptake, its patients counted once the tally is finished (`finish`).
    public var uptake: ProtectedSleepUptake {
        var u = counted
        for w in u.wards.keys {
            u.wards[w]!.patients = patients.patients(group: 0, ward: w)
            u.wards[w]!.protectedPatients = patients.patients(group: 1, ward: w)
        }
        return u
    }
    private var counted = ProtectedSleepUptake()
    /// Pilot patients with a plan (group 0) and with a protected night (group 1), by ward.
    private let patients: PatientTally

    /// Creates an empty tally; patients past `memoryPatients` entries are counted on disk in `temporaryFolder`.
    public init(memoryPatients: Int = PatientTally.defaultMemoryEntries, temporaryFolder: String? = nil) {
        patients = PatientTally(groups: 2, memoryEntries: memoryPatients, temporaryFolder: temporaryFolder)
    }

    /// Counts the patients (merging what went to disk, on up to `threads` threads); throws when a temporary file failed.
    /// Later calls do nothing.
    public func finish(threads: Int = 1) throws { try patients.finish(threads: threads) }

    private static let nightCoordinator = DecisionRoles(["night coordinator"]), mdt = DecisionRoles(["mdt"])

    public func sleepPlan(_ r: SleepPlanRecord) {
        counted.add(r, nightCoordinator: r.decidedBy.contains(UptakeTally.nightCoordinator),
                    mdt: r.decidedBy.contains(UptakeTally.mdt))
        guard r.period == .pilot else { return }
        patients.insert(r.patient, group: 0, ward: r.ward)
        if r.protected { patients.insert(r.patient, group: 1, ward: r.ward) }
    }
}

/// Uptake across wards, both ways: the pooled proportion (all patients together) and the unweighted mean of the ward
/// percentages (each ward counts once). They answer different questions and are always labelled.
public struct UptakeSummary: Sendable, Equatable, Codable {
    /// Pooled: Σ protected / Σ patients, with its exact interval.
    public var pooled: Proportion
    /// The mean of the ward percentages (0–100), each ward weighted equally.
    public var unweightedMeanPercent: Double?
    /// Per ward: patients protected of patients, with exact intervals.
    public var wards: [Proportion]

    /// Summarises ward counts (protected, patients).
    public init(_ counts: [(protected: Int, patients: Int)]) {
        wards = counts.map { Proportion(x: $0.protected, n: $0.patients) }
        pooled = Proportion(x: counts.reduce(0) { $0 + $1.protected }, n: counts.reduce(0) { $0 + $1.patients })
        let percents = wards.compactMap { $0.estimate.map { $0 * 100 } }
        unweightedMeanPercent = percents.isEmpty ? nil : percents.reduce(0, +) / Double(percents.count)
    }
}
