/// PRN ("as required") hypnotic use for one ward or the study, baseline against pilot (administrations only).
public struct PRNComparison: Sendable, Codable {
    /// Ward index, or `nil` for the study.
    public var ward: Int?
    /// Dose use in each period (study-wide patient sets are unions over wards).
    public var baseline: HypnoticUse.DoseUse
    /// Pilot dose use.
    public var pilot: HypnoticUse.DoseUse
    /// Exposure per period.
    public var baselineExposure: Double
    /// Pilot exposure.
    public var pilotExposure: Double
    /// The dose counts the release step withholds although not small (`SecondarySuppression`), shown as `*`.
    public var withheld: Set<PRNCount>? = nil

    /// One of a PRN comparison's counts.
    public struct PRNCount: Hashable, Sendable, Codable {
        /// Regular doses, PRN doses, patients with any record, or patients given a PRN dose.
        public var what: What
        /// The period.
        public var period: StudyPeriod

        /// What a PRN comparison counts.
        public enum What: String, Hashable, Sendable, Codable, CaseIterable { case regular, prn, patients, prnPatients }
    }

    /// A count's exact value.
    public func count(_ c: PRNCount) -> Int {
        let use = c.period == .baseline ? baseline : pilot
        switch c.what {
        case .regular: return use.regular
        case .prn: return use.prn
        case .patients: return use.patients.count
        case .prnPatients: return use.prnPatients.count
        }
    }

    /// Builds the comparisons for the study and each ward; the study's adds up the wards with exposure in both periods,
    /// as the study-wide hypnotic lines do (`OccupancyTotals.comparedWards`).
    public static func all(_ use: HypnoticUse, lines: [HypnoticLine], study: StudyDefinition, occupancy: OccupancyTotals?) -> [PRNComparison] {
        let compared = OccupancyTotals.comparedWards(occupancy, study: study)
        func merged(_ wards: [Int], _ p: StudyPeriod) -> HypnoticUse.DoseUse {
            var m = HypnoticUse.DoseUse()
            for w in wards {
                guard let u = use.doses[w]?[p] else { continue }
                m.regular += u.regular; m.prn += u.prn; m.unflagged += u.unflagged
                m.patients.formUnion(u.patients); m.prnPatients.formUnion(u.prnPatients)
            }
            return m
        }
        // Each ward's total line (the first, as a search would find it), found once rather than searched per ward.
        var totals: [Int?: HypnoticLine] = [:]
        for line in lines where line.group == nil && totals[line.ward] == nil { totals[line.ward] = line }
        return ([nil] + study.wardsInScope.map(Optional.some)).map { ward in
            let wards = ward.map { [$0] } ?? compared
            let total = totals[ward]
            return PRNComparison(ward: ward, baseline: merged(wards, .baseline), pilot: merged(wards, .pilot),
                                 baselineExposure: total?.baselineExposure ?? 0, pilotExposure: total?.pilotExposure ?? 0)
        }
    }
}
