/// The published counts of doses given that add up to other published counts, for `SecondarySuppression`: the hypnotics
/// table and the PRN table of an administrations export. (Pharmacy issues are supplies to wards and shown exactly: no
/// family.)
///
/// Families, each in each period: a study line and the same line of each ward (a drug, a group, or all); in each scope,
/// a group's line and its drugs', the total and its groups', the total and its drugs'; the PRN table's study row and its
/// wards' rows, for regular and for PRN doses; a row's regular and PRN doses against its scope's total doses; and
/// patients, the study's at least each ward's and at most their sum (one may be on several wards), those given a PRN
/// dose at most those with a record. As with the incidents table, only relations the exact counts bear out are used.
extension ReleaseFamilies {
    /// A count of doses in the hypnotics table: a line (its index in `Evidence.hypnoticLines`) in a period.
    struct DoseKey: Hashable {
        var line: Int
        var period: StudyPeriod
    }

    /// The counts and families of the two tables.
    static func doseFamilies(lines: [HypnoticLine], prn: [PRNComparison]?) -> (counts: [Ref: Int], families: [SecondarySuppression.Family<Ref>]) {
        var counts: [Ref: Int] = [:]
        for (i, l) in lines.enumerated() {
            for period in StudyPeriod.allCases {
                let units = period == .baseline ? l.baseline.units : l.pilot.units
                guard units >= 0, units == units.rounded(), units <= Double(Int.max / 4) else { continue }
                counts[.doses(DoseKey(line: i, period: period))] = Int(units)
            }
        }
        // Lines by what they count, and by scope and level.
        struct What: Hashable { var group: DrugGroup?, drug: String?, product: String? }
        func what(_ l: HypnoticLine) -> What { What(group: l.group, drug: l.drug?.name, product: l.product) }
        var byWhat: [What: [Int]] = [:]
        for (i, l) in lines.enumerated() where l.ward != nil { byWhat[what(l), default: []].append(i) }
        struct DrugOfWard: Hashable { var ward: Int?, drug: String? }
        var groupsOf: [Int?: [Int]] = [:], drugsOf: [Int?: [Int]] = [:]  // by ward: its group lines, its drug lines
        var productsOf: [DrugOfWard: [Int]] = [:]  // by ward and drug: its product lines
        for (i, l) in lines.enumerated() {
            if l.product != nil { productsOf[DrugOfWard(ward: l.ward, drug: l.drug?.name), default: []].append(i); continue }
            if l.group != nil && l.drug == nil { groupsOf[l.ward, default: []].append(i) }
            if l.drug != nil { drugsOf[l.ward, default: []].append(i) }
        }
        var lineFamilies: [(total: Int, parts: [Int])] = []
        for (i, l) in lines.enumerated() {
            if l.ward == nil, let wards = byWhat[what(l)] { lineFamilies.append((i, wards)) }
            if l.group == nil {
                lineFamilies.append((i, groupsOf[l.ward] ?? []))
                lineFamilies.append((i, drugsOf[l.ward] ?? []))
            } else if l.drug == nil {
                lineFamilies.append((i, (drugsOf[l.ward] ?? []).filter { lines[$0].group == l.group }))
            } else if l.product == nil {
                lineFamilies.append((i, productsOf[DrugOfWard(ward: l.ward, drug: l.drug?.name)] ?? []))
            }
        }
        var families: [SecondarySuppression.Family<Ref>] = []
        for f in lineFamilies where !f.parts.isEmpty {
            for period in StudyPeriod.allCases {
                families.append(.init(total: .doses(DoseKey(line: f.total, period: period)),
                                      parts: f.parts.map { .doses(DoseKey(line: $0, period: period)) }))
            }
        }
        guard let prn else { return (counts, families) }
        for (r, row) in prn.enumerated() {
            for period in StudyPeriod.allCases {
                for what in PRNComparison.PRNCount.What.allCases {
                    let key = PRNComparison.PRNCount(what: what, period: period)
                    counts[.prnDoses(row: r, key)] = row.count(key)
                }
            }
        }
        let wardRows = prn.indices.filter { prn[$0].ward != nil }
        for (r, row) in prn.enumerated() {
            let total = lines.firstIndex { $0.ward == row.ward && $0.group == nil }
            for period in StudyPeriod.allCases {
                func ref(_ what: PRNComparison.PRNCount.What, _ row: Int = r) -> Ref { .prnDoses(row: row, .init(what: what, period: period)) }
                if let total { families.append(.init(total: .doses(DoseKey(line: total, period: period)), parts: [ref(.regular), ref(.prn)])) }
                // Patients given a PRN dose are some of the patients with a record.
                families.append(.init(total: ref(.patients), parts: [ref(.prnPatients)], kind: .bound))
                guard row.ward == nil else { continue }
                for what in [PRNComparison.PRNCount.What.regular, .prn] {
                    families.append(.init(total: ref(what), parts: wardRows.map { ref(what, $0) }))
                }
                // A patient may have had doses on several wards: the study's patients are a union of the wards'.
                for what in [PRNComparison.PRNCount.What.patients, .prnPatients] {
                    families.append(.init(total: ref(what), parts: wardRows.map { ref(what, $0) }, kind: .union))
                }
            }
        }
        return (counts, families)
    }
}

extension HypnoticLine {
    /// The lines with the doses in `withheld` marked; a group or total line marks each drug whose own line (same scope)
    /// withholds its doses, so that its milligrams are left out there too.
    static func marking(_ lines: [HypnoticLine], withheld: Set<ReleaseFamilies.DoseKey>) -> [HypnoticLine] {
        guard !withheld.isEmpty else { return lines }
        struct DrugInPeriod: Hashable { var ward: Int?, drug: String?, period: StudyPeriod }
        var drugWithheld = Set<DrugInPeriod>()  // the drug lines withheld
        func key(_ ward: Int?, _ drug: String?, _ period: StudyPeriod) -> DrugInPeriod { DrugInPeriod(ward: ward, drug: drug, period: period) }
        for k in withheld where lines[k.line].drug != nil && lines[k.line].product == nil {
            drugWithheld.insert(key(lines[k.line].ward, lines[k.line].drug?.name, k.period))
        }
        return lines.enumerated().map { i, l in
            var l = l
            if withheld.contains(.init(line: i, period: .baseline)) { l.baselineWithheld = true }
            if withheld.contains(.init(line: i, period: .pilot)) { l.pilotWithheld = true }
            for j in l.baselineDoses.indices where drugWithheld.contains(key(l.ward, l.baselineDoses[j].drug, .baseline)) {
                l.baselineDoses[j].withheld = true
            }
            for j in l.pilotDoses.indices where drugWithheld.contains(key(l.ward, l.pilotDoses[j].drug, .pilot)) {
                l.pilotDoses[j].withheld = true
            }
            return l
        }
    }
}
