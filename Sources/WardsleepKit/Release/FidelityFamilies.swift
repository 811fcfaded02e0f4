/// The published counts of the fidelity table that add up to others, for `SecondarySuppression`: each count of the
/// all-wards row against the same count of each ward's row, in each period; and in each row, the counts that are some
/// of another (nights without a routine check of protected nights; checks of a kind of the checks in the window). (The p-charts' months against these rows
/// are in `ReleaseFamilies`, with the other charts.)
extension FidelityCell {
    /// One of a fidelity row's counts.
    public enum Count: String, HashedByCase, Sendable, Codable, CaseIterable {
        case protectedNights, withoutRoutineCheck, routineChecks, clinicalNeedChecks, enhancedChecks, checksInWindow, checksWithoutPlan
    }

    /// The count's exact value.
    public func value(_ c: Count) -> Int {
        switch c {
        case .protectedNights: return protectedNights
        case .withoutRoutineCheck: return protectedNightsWithoutRoutineCheck
        case .routineChecks: return checks.routineOnProtected
        case .clinicalNeedChecks: return checks.clinicalNeedOnProtected
        case .enhancedChecks: return checks.enhancedOnProtected
        case .checksInWindow: return checks.inWindow
        case .checksWithoutPlan: return checks.withoutPlan
        }
    }

    /// The count as a copy of the report shows it: `*` when withheld (`SecondarySuppression`), else published in `style`.
    public func shown(_ c: Count, style: CountStyle) -> (text: String, value: Int?) {
        style.publish(value(c), withheld: withheld?.contains(c) == true)
    }
}

extension ReleaseFamilies {
    /// The fidelity table's counts and its families (the all-wards row against the wards' rows).
    static func fidelityFamilies(_ f: FidelityResults) -> (counts: [Ref: Int], families: [SecondarySuppression.Family<Ref>]) {
        var counts: [Ref: Int] = [:], families: [SecondarySuppression.Family<Ref>] = []
        for (i, cell) in f.cells.enumerated() {
            for c in FidelityCell.Count.allCases { counts[.fidelity(cell: i, c)] = cell.value(c) }
        }
        // Within a row: nights without a routine check are some of the protected nights; checks with no plan, and the
        // routine, clinical-need and enhanced checks on protected nights, some of the checks in the window.
        for i in f.cells.indices {
            families.append(.init(total: .fidelity(cell: i, .protectedNights), parts: [.fidelity(cell: i, .withoutRoutineCheck)], kind: .bound))
            for c in [FidelityCell.Count.checksWithoutPlan, .routineChecks, .clinicalNeedChecks, .enhancedChecks] {
                families.append(.init(total: .fidelity(cell: i, .checksInWindow), parts: [.fidelity(cell: i, c)], kind: .bound))
            }
        }
        for (i, all) in f.cells.enumerated() where all.ward == nil {
            let wards = f.cells.indices.filter { f.cells[$0].ward != nil && f.cells[$0].period == all.period }
            for c in FidelityCell.Count.allCases {
                families.append(.init(total: .fidelity(cell: i, c), parts: wards.map { .fidelity(cell: $0, c) }))
            }
        }
        return (counts, families)
    }
}
