/// The published counts of protected-sleep uptake and how they bound one another, for `SecondarySuppression`; and how
/// a count is shown once some are withheld.
///
/// Families: patients with a plan on all wards against each ward's, and those with a protected night likewise (a union:
/// a patient may have been on several wards, so all wards count at least any one ward and at most their sum); in each
/// scope, patients with a protected night are some of the patients with a plan; in the study, protected patients are
/// at most the protected nights, and the nights where a role or flag was recorded, and those where it was yes, are some
/// of the protected nights. (The uptake chart's months against the protected nights are in `ReleaseFamilies`.)
extension ProtectedSleepUptake {
    /// One published count of uptake.
    public enum Count: Hashable, Sendable, Codable {
        /// Patients with a plan, on a ward or (`nil`) all wards.
        case patients(ward: Int?)
        /// Patients with at least one protected night.
        case protectedPatients(ward: Int?)
        /// The study's protected patient-nights, and the nights among them where a flag or role was recorded or yes.
        case protectedNights, patientInvolved, patientRecorded, carerInvolved, carerRecorded, nightCoordinator, mdt, decidedByRecorded
    }

    /// A count's exact value. A ward's is read from the ward alone: the study's totals (`study`, every ward gathered)
    /// are worked out only for a study count, so a count per ward of thousands of wards is not thousands of gatherings.
    public func count(_ c: Count) -> Int {
        switch c {
        case .patients(let w?): return (wards[w] ?? Ward()).patients.count
        case .protectedPatients(let w?): return (wards[w] ?? Ward()).protectedPatients.count
        default: break
        }
        let s = study
        switch c {
        case .patients: return s.patients.count
        case .protectedPatients: return s.protectedPatients.count
        case .protectedNights: return s.protectedNights
        case .patientInvolved: return s.patientInvolved
        case .patientRecorded: return s.patientRecorded
        case .carerInvolved: return s.carerInvolved
        case .carerRecorded: return s.carerRecorded
        case .nightCoordinator: return s.nightCoordinator
        case .mdt: return s.mdt
        case .decidedByRecorded: return s.decidedByRecorded
        }
    }

    /// A count as a copy of the report shows it: `*` when withheld (`SecondarySuppression`), else published in `style`.
    public func shown(_ c: Count, style: CountStyle) -> (text: String, value: Int?) {
        style.publish(count(c), withheld: withheld?.contains(c) == true)
    }

    /// The counts and their families.
    func families() -> (counts: [Count: Int], families: [SecondarySuppression.Family<Count>]) {
        var families: [SecondarySuppression.Family<Count>] = []
        let ids = wards.keys.sorted()
        families.append(.init(total: .patients(ward: nil), parts: ids.map { .patients(ward: $0) }, kind: .union))
        families.append(.init(total: .protectedPatients(ward: nil), parts: ids.map { .protectedPatients(ward: $0) }, kind: .union))
        for w in [nil] + ids.map(Optional.some) {
            families.append(.init(total: .patients(ward: w), parts: [.protectedPatients(ward: w)], kind: .bound))
        }
        families.append(.init(total: .protectedNights, parts: [.protectedPatients(ward: nil), .patientRecorded, .carerRecorded, .decidedByRecorded],
                              kind: .bound))
        families.append(.init(total: .patientRecorded, parts: [.patientInvolved], kind: .bound))
        families.append(.init(total: .carerRecorded, parts: [.carerInvolved], kind: .bound))
        families.append(.init(total: .decidedByRecorded, parts: [.nightCoordinator, .mdt], kind: .bound))
        var counts: [Count: Int] = [:]
        for f in families { for c in [f.total] + f.parts where counts[c] == nil { counts[c] = count(c) } }
        return (counts, families.filter { $0.holds(counts) })
    }
}
