/// Stage × stakeholder group: the highest level each group reached at each stage, with the evidence behind it.
public struct InvolvementMatrix: Sendable, Codable {
    /// One stakeholder group as it appears in the ledger.
    public struct Group: Sendable, Equatable, Codable {
        /// The label as written first.
        public var label: String
        /// Its role in the classification.
        public var role: StakeholderRole
    }

    /// One cell: the highest level, and the evidence and activities recorded at that level.
    public struct Cell: Sendable, Equatable, Codable {
        /// The highest level reached.
        public var level: InvolvementLevel
        /// Evidence behind that level, each once, in ledger order.
        public var evidence: [String]
        /// Activities at that level, each once, in ledger order.
        public var activities: [String]

        /// Creates a cell.
        public init(level: InvolvementLevel, evidence: [String], activities: [String]) {
            self.level = level
            self.evidence = evidence
            self.activities = activities
        }
    }

    /// What a cell already lists, so that a ledger of many rows for one group is read in linear time.
    struct Seen: Sendable, Codable {
        var evidence: Set<String> = []
        var activities: Set<String> = []
    }

    /// Groups in role order (service users, carers, professionals, community), then first appearance.
    public private(set) var groups: [Group] = []
    /// Cells by stage and group index.
    public private(set) var cells: [InvolvementStage: [Int: Cell]] = [:]
    /// The evidence and activities of each cell, as sets (indexed like `cells` while records are added).
    var seen: [InvolvementStage: [Int: Seen]] = [:]
    /// Group index by normalised label, as written first.
    var groupIndex: [String: Int] = [:]

    /// Creates an empty matrix.
    public init() {}

    /// Builds the matrix from ledger records, adding feedback respondents at `consult` for `evaluate`.
    public init(records: [InvolvementRecord], feedback: FeedbackSummary?) {
        for r in records { add(r) }
        self = completed(feedback: feedback)
    }

    /// The matrix of the records added so far, with feedback respondents at `consult` for `evaluate`, groups in role
    /// order. Records are added as the ledger is read (`InvolvementLedger`), so a ledger of any length takes the memory
    /// of its groups and distinct wording, not of its rows.
    public func completed(feedback: FeedbackSummary?) -> InvolvementMatrix {
        var m = self
        m.complete(feedback: feedback)
        return m
    }

    private mutating func complete(feedback: FeedbackSummary?) {
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
        seen = seen.mapValues { Dictionary(uniqueKeysWithValues: $0.map { (remap[$0.key]!, $0.value) }) }
        groupIndex = groupIndex.mapValues { remap[$0]! }
    }

    /// Adds one ledger entry; a higher level replaces the cell, an equal one adds its evidence. Constant time per
    /// entry: groups are found through an index, evidence already listed through a set.
    public mutating func add(_ r: InvolvementRecord) {
        let key = Slug.normaliseLabel(r.group)
        // A group answers to its label with or without a final "s"; the first group listed that matches.
        let g = [groupIndex[key], groupIndex[key + "s"], key.hasSuffix("s") ? groupIndex[String(key.dropLast())] : nil].compactMap { $0 }.min()
            ?? {
                groups.append(Group(label: r.group, role: r.role))
                groupIndex[key] = groups.count - 1
                return groups.count - 1
            }()
        let evidence = r.evidence.map { [$0] } ?? [], activity = r.activity.map { [$0] } ?? []
        // Only the level is read out: holding a copy of the cell would make each append copy its evidence.
        if let level = cells[r.stage]?[g]?.level {
            if r.level > level {
                cells[r.stage]![g] = Cell(level: r.level, evidence: evidence, activities: activity)
                seen[r.stage]![g] = Seen(evidence: Set(evidence), activities: Set(activity))
            } else if r.level == level {
                for e in evidence where seen[r.stage]![g]!.evidence.insert(e).inserted { cells[r.stage]![g]!.evidence.append(e) }
                for a in activity where seen[r.stage]![g]!.activities.insert(a).inserted { cells[r.stage]![g]!.activities.append(a) }
            }
        } else {
            cells[r.stage, default: [:]][g] = Cell(level: r.level, evidence: evidence, activities: activity)
            seen[r.stage, default: [:]][g] = Seen(evidence: Set(evidence), activities: Set(activity))
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

/// Reads the involvement ledger into its matrix, entry by entry in file order: what it keeps is each group's highest
/// level per stage and the distinct evidence and activities at that level, not the entries.
public final class InvolvementLedger: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.involvement] }

    /// The matrix of the entries read so far (before feedback respondents are added; see `InvolvementMatrix.completed`).
    public private(set) var matrix = InvolvementMatrix()
    /// Entries read.
    public private(set) var count = 0
    /// Creates an empty ledger.
    public init() {}
    public func involvement(_ r: InvolvementRecord) {
        matrix.add(r)
        count += 1
    }
}
