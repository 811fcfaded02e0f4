/// Stage × stakeholder group: the highest level each group reached at each stage, with the evidence behind it.
public struct InvolvementMatrix: Sendable {
    /// One stakeholder group as it appears in the ledger.
    public struct Group: Sendable, Equatable {
        /// The label as written first.
        public var label: String
        /// Its role in the classification.
        public var role: StakeholderRole
    }

    /// One cell: the highest level, and the evidence and activities recorded at that level.
    public struct Cell: Sendable, Equatable {
        /// The highest level reached.
        public var level: InvolvementLevel
        /// Evidence behind that level.
        public var evidence: [String]
        /// Activities at that level.
        public var activities: [String]
    }

    /// Groups in role order (service users, carers, professionals, community), then first appearance.
    public private(set) var groups: [Group] = []
    /// Cells by stage and group index.
    public private(set) var cells: [InvolvementStage: [Int: Cell]] = [:]

    /// Creates an empty matrix.
    public init() {}

    /// Builds the matrix from ledger records, adding feedback respondents at `consult` for `evaluate`.
    public init(records: [InvolvementRecord], feedback: FeedbackSummary?) {
        for r in records { add(r) }
        for (group, label, role) in [(FeedbackGroup.patient, "Patients", StakeholderRole.serviceUser), (.carer, "Carers", .carer),
                                     (.staff, "Staff", .professional)] {
            let n = feedback?.total(group: group) ?? 0
            guard n > 0 else { continue }
            add(InvolvementRecord(stage: .evaluate, group: label, role: role, level: .consult,
                                  activity: "Gave feedback", evidence: "feedback export (responses counted in the feedback results)", day: nil))
        }
        let order = StakeholderRole.allCases
        let sorted = groups.enumerated().sorted { (order.firstIndex(of: $0.element.role)!, $0.offset) < (order.firstIndex(of: $1.element.role)!, $1.offset) }
        let remap = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($0.element.offset, $0.offset) })
        groups = sorted.map(\.element)
        cells = cells.mapValues { Dictionary(uniqueKeysWithValues: $0.map { (remap[$0.key]!, $0.value) }) }
    }

    /// Adds one ledger entry; a higher level replaces the cell, an equal one adds its evidence.
    public mutating func add(_ r: InvolvementRecord) {
        let key = Slug.normaliseLabel(r.group)
        let g = groups.firstIndex { Slug.normaliseLabel($0.label) == key || Slug.normaliseLabel($0.label) + "s" == key || Slug.normaliseLabel($0.label) == key + "s" }
            ?? { groups.append(Group(label: r.group, role: r.role)); return groups.count - 1 }()
        let evidence = r.evidence.map { [$0] } ?? [], activity = r.activity.map { [$0] } ?? []
        if let c = cells[r.stage]?[g] {
            if r.level > c.level {
                cells[r.stage]![g] = Cell(level: r.level, evidence: evidence, activities: activity)
            } else if r.level == c.level {
                cells[r.stage]![g]!.evidence += evidence.filter { !c.evidence.contains($0) }
                cells[r.stage]![g]!.activities += activity.filter { !c.activities.contains($0) }
            }
        } else {
            cells[r.stage, default: [:]][g] = Cell(level: r.level, evidence: evidence, activities: activity)
        }
    }

    /// The highest level any group with one of `roles` reached at `stage` (`none` when absent).
    public func highest(_ roles: Set<StakeholderRole>, at stage: InvolvementStage) -> InvolvementLevel {
        (cells[stage] ?? [:]).filter { roles.contains(groups[$0.key].role) }.map(\.value.level).max() ?? .none
    }

    /// Whether anything is recorded at `stage`.
    public func hasEntries(_ stage: InvolvementStage) -> Bool { !(cells[stage] ?? [:]).isEmpty }

    /// The levels of groups with one of `roles` at `stage`, one per group.
    public func levels(_ roles: Set<StakeholderRole>, at stage: InvolvementStage) -> [InvolvementLevel] {
        (cells[stage] ?? [:]).filter { roles.contains(groups[$0.key].role) }.map(\.value.level)
    }
}

/// Collects the involvement ledger (small: one row per stage and group activity).
public final class InvolvementLedger: StudyConsumer {
    /// The ledger entries in file order.
    public private(set) var records: [InvolvementRecord] = []
    /// Creates an empty ledger.
    public init() {}
    public func involvement(_ r: InvolvementRecord) { records.append(r) }
}
