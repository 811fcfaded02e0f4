/// Stages of an improvement programme, in order.
public enum InvolvementStage: String, HashedByCase, Sendable, Codable, CaseIterable, Comparable {
    case identify, design, implement, deliver, evaluate, disseminate

    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

    /// The stage as a noun: identification, design, implementation, delivery, evaluation, dissemination.
    public var noun: String {
        ["identify": "identification", "design": "design", "implement": "implementation", "deliver": "delivery",
         "evaluate": "evaluation", "disseminate": "dissemination"][rawValue]!
    }

    /// Each stage by its name or its noun (`deliver`, `delivery`), as a ledger may write it.
    static let labels: [String: InvolvementStage] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) } + allCases.filter { $0.noun != $0.rawValue }.map { ($0.noun, $0) })
}

/// The IAP2 spectrum of participation, ordered.
public enum InvolvementLevel: String, HashedByCase, Sendable, Codable, CaseIterable, Comparable {
    case none, inform, consult, involve, collaborate, lead

    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// One entry of the involvement ledger: a group's part in a stage, with the evidence for it.
public struct InvolvementRecord: Sendable, Equatable {
    /// The stage.
    public var stage: InvolvementStage
    /// The group's label as written.
    public var group: String
    /// The role the group plays in the classification.
    public var role: StakeholderRole
    /// How far the group's participation went.
    public var level: InvolvementLevel
    /// What the group did, when recorded.
    public var activity: String?
    /// Where the evidence is (minutes, reports ...), when recorded.
    public var evidence: String?
    /// The date, when recorded.
    public var day: CalendarDay?
}

/// Default roles for common stakeholder labels (SPEC §2); a study adds its own with `involvement_roles`.
public enum StakeholderRoles {
    /// Normalised label → role.
    public static let defaults: [String: StakeholderRole] = {
        var m: [String: StakeholderRole] = [:]
        for l in ["service user", "patient", "former patient", "peer facilitator", "peer support worker", "peer worker",
                  "people with lived experience", "lived experience", "expert by experience", "inpatient", "user"] {
            m[l] = .serviceUser
        }
        for l in ["carer", "family", "relative", "family member", "families and carers"] { m[l] = .carer }
        for l in ["ward staff", "staff", "nurse", "nursing staff", "doctor", "psychiatrist", "psychologist", "psychology",
                  "sleep specialist", "pharmacist", "pharmacy", "mdt", "multidisciplinary team", "night coordinator",
                  "estates", "estates department", "manager", "ward manager", "researcher", "clinician", "medical staff",
                  "medical staff committee", "trust board", "board", "patient safety team", "patient-safety programme",
                  "occupational therapist", "healthcare assistant", "sleep lead", "ward sleep lead", "consultant",
                  "neurologist", "professional", "commissioner"] {
            m[l] = .professional
        }
        for l in ["community member", "community", "local community", "local people", "voluntary sector",
                  "local organisation", "charity", "community organisation", "public"] {
            m[l] = .community
        }
        return m
    }()

    /// The role for a label: the study's own mapping first, then the defaults (plural forms accepted).
    public static func role(for label: String, study: [String: StakeholderRole]) -> StakeholderRole? {
        let l = Slug.normaliseLabel(label)
        for candidate in [l, l.hasSuffix("s") ? String(l.dropLast()) : l] {
            if let r = study[candidate] ?? defaults[candidate] { return r }
        }
        return nil
    }
}

/// Reads involvement-ledger rows.
public struct InvolvementNormaliser: RecordNormaliser {
    let context: NormaliseContext

    public var dateOrder: DateOrder { context.dateOrder(.involvement) }
    var lookups = RowLookups()
    /// Activity and evidence are free text that reaches the report: redacted here, before anything else sees them.
    let redactor: Redactor
    /// Activity and evidence cells already redacted, keyed by their bytes: a ledger repeats its wording from row to row,
    /// and redacting a text is the costliest thing done to a row.
    var redactedCells = LabelCache<String>()
    /// Creates the normaliser.
    public init(context: NormaliseContext) {
        self.context = context
        redactor = Redactor(names: context.study.feedback.names)
    }

    /// The levels by name, and what a refused stage or level was expected to be (made once, not per row).
    static let levels = Dictionary(uniqueKeysWithValues: InvolvementLevel.allCases.map { ($0.rawValue, $0) })
    static let stagesExpected = InvolvementStage.allCases.map(\.rawValue).joined(separator: ", ") + " (or the noun: delivery ...)"
    static let levelsExpected = InvolvementLevel.allCases.map(\.rawValue).joined(separator: " < ")

    public mutating func normalise(_ row: inout ExportRow) -> InvolvementRecord? {
        let order = context.dateOrder(.involvement)
        let stage = row.choice("stage", InvolvementStage.labels, expected: InvolvementNormaliser.stagesExpected)
        let level = row.choice("level", InvolvementNormaliser.levels, expected: InvolvementNormaliser.levelsExpected)
        let group = row.text("group", required: true)
        var role: StakeholderRole?
        if let group {
            role = StakeholderRoles.role(for: group, study: context.study.involvementRoles)
            if role == nil {
                row.reject("group", "unknown stakeholder group: add it to involvement_roles in study.yaml "
                           + "(service_user, carer, professional or community)")
            }
        }
        let activity = redacted(&row, "activity")
        let evidence = redacted(&row, "evidence")
        let day = row.dateTime("date", order: order)?.0
        guard let stage, let level, let group, let role, row.isClean else { return nil }
        return InvolvementRecord(stage: stage, group: group, role: role, level: level, activity: activity, evidence: evidence, day: day)
    }

    /// A free-text cell, redacted (once per distinct cell), and cut at `PlausibleLimits.ledgerTextLength` characters.
    private mutating func redacted(_ row: inout ExportRow, _ field: String) -> String? {
        guard let bytes = row.bytes(field) else { return nil }
        if let hit = redactedCells.cached(bytes) { return hit }
        guard let text = row.text(field) else { return nil }
        let shown = redactor.excerpt(text, maxLength: PlausibleLimits.ledgerTextLength)
        redactedCells.store(bytes, shown)
        return shown
    }
}
