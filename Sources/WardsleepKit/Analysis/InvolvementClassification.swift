/// The kinds of involvement a programme or stage is described as (SPEC §3). A classification describes who took part
/// and how far; it is not a verdict on quality.
public enum InvolvementKind: String, HashedByCase, Sendable, Codable {
    case coProduction = "co-production"
    case serviceUserLed = "service-user-led"
    case evidenceBasedPractice = "evidence-based-practice"
    case userCentredDesign = "user-centred-design"
    case communityInvolvement = "community-involvement"
    case mixed
    /// Nothing is recorded for the stage.
    case notRecorded = "not-recorded"

    /// How the kind reads as an adjective in "professional design, user-led delivery".
    var adjective: String {
        switch self {
        case .coProduction: return "co-produced"
        case .serviceUserLed: return "user-led"
        case .evidenceBasedPractice: return "professional"
        case .userCentredDesign: return "user-centred"
        case .communityInvolvement: return "community"
        case .mixed: return "mixed"
        case .notRecorded: return "unrecorded"
        }
    }
}

/// A classification with its reasons written out.
public struct InvolvementClassification: Sendable, Equatable, Codable {
    /// The kind.
    public var kind: InvolvementKind
    /// For `mixed`, the parts ("professional design", "user-led delivery").
    public var parts: [String] = []
    /// Further features worth naming ("user-centred design in development", "community involvement at deliver").
    public var alsoNoted: [String] = []
    /// Why, in sentences built from the ledger.
    public var reasons: [String] = []

    /// `mixed: professional design, user-led delivery`, or the kind alone.
    public var label: String { kind == .mixed ? "mixed: " + parts.joined(separator: ", ") : kind.rawValue }

    /// The label in words for people (`evidence-based practice`, `service user-led`); `label` stays the id for results.json.
    public var displayLabel: String {
        guard kind != .mixed else { return label }
        return ["service-user-led": "service user-led", "evidence-based-practice": "evidence-based practice",
                "user-centred-design": "user-centred design", "community-involvement": "community involvement",
                "not-recorded": "not recorded"][kind.rawValue] ?? kind.rawValue
    }
}

/// The classification rules, all in one place. Roles: service users and carers together ("users"), professionals
/// ("pros"), community members. Levels follow the IAP2 order none < inform < consult < involve < collaborate < lead.
public enum InvolvementRules {
    static let users: Set<StakeholderRole> = [.serviceUser, .carer]
    static let pros: Set<StakeholderRole> = [.professional]
    static let community: Set<StakeholderRole> = [.community]

    /// One stage:
    /// - co-production: users at collaborate or above, professionals at involve or above (unless users lead and
    ///   professionals stay below collaborate);
    /// - service-user-led: users lead (or collaborate) and professionals stay below collaborate (below involve when
    ///   users only collaborate);
    /// - user-centred design (design stage): users consulted or involved while professionals lead;
    /// - evidence-based practice: professionals at involve or above, users below involve;
    /// - community involvement: community members at involve or above and nobody else is;
    /// - mixed: professionals lead while users are involved (but not partners) at a stage other than design.
    public static func stage(_ s: InvolvementStage, _ m: InvolvementMatrix) -> InvolvementClassification {
        guard m.hasEntries(s) else { return InvolvementClassification(kind: .notRecorded, reasons: ["nothing is recorded at \(s.rawValue)"]) }
        let u = m.highest(users, at: s), p = m.highest(pros, at: s), c = m.highest(community, at: s)
        var result: InvolvementClassification
        let levels = "service users and carers at \(u.rawValue), professionals at \(p.rawValue)"
        if u >= .collaborate && p >= .involve && !(u == .lead && p < .collaborate) {
            result = .init(kind: .coProduction, reasons: ["\(levels): partners in \(s.noun)"])
        } else if u == .lead || (u == .collaborate && p < .involve) {
            result = .init(kind: .serviceUserLed, reasons: ["\(levels): service users lead \(s.noun) and professionals do not"])
        } else if s == .design && (u == .consult || u == .involve) && p == .lead {
            result = .init(kind: .userCentredDesign, reasons: ["\(levels): end users consulted during design while professionals lead"])
        } else if p >= .involve && u < .involve {
            result = .init(kind: .evidenceBasedPractice, reasons: ["\(levels): professionals drive \(s.noun); no service-user role at involve or above"])
        } else if c >= .involve && u < .involve && p < .involve {
            result = .init(kind: .communityInvolvement, reasons: ["community members at \(c.rawValue) at \(s.rawValue)"])
        } else if p >= .involve && u == .involve {
            result = .init(kind: .mixed, parts: ["professional-led", "service users involved"],
                           reasons: ["\(levels): service users involved but not partners in \(s.noun)"])
        } else {
            let kind: InvolvementKind = p >= u ? .evidenceBasedPractice : .serviceUserLed
            result = .init(kind: kind, reasons: ["\(levels): nobody above consult in \(s.noun)"])
        }
        if c >= .involve && result.kind != .communityInvolvement { result.alsoNoted.append("community involvement at \(s.rawValue)") }
        return result
    }

    /// The programme, from design (identify when design is not recorded) and delivery (implement when deliver is not):
    /// the same kind in both gives that kind; user-centred design with professional delivery is user-centred design;
    /// anything else is mixed, naming design and delivery. Users consulted or testing during design while another
    /// group leads is noted as user-centred design in development; community members at involve or above anywhere are
    /// noted too.
    public static func programme(_ m: InvolvementMatrix) -> InvolvementClassification {
        let designStage: InvolvementStage = m.hasEntries(.design) ? .design : .identify
        let deliveryStage: InvolvementStage = m.hasEntries(.deliver) ? .deliver : .implement
        let design = stage(designStage, m), delivery = stage(deliveryStage, m)
        var result: InvolvementClassification
        if design.kind == delivery.kind && [.coProduction, .serviceUserLed, .evidenceBasedPractice, .communityInvolvement].contains(design.kind) {
            result = .init(kind: design.kind)
        } else if design.kind == .userCentredDesign && delivery.kind == .evidenceBasedPractice {
            result = .init(kind: .userCentredDesign)
        } else {
            result = .init(kind: .mixed, parts: ["\(design.kind.adjective) design", "\(delivery.kind.adjective) delivery"])
        }
        result.reasons.append("design (\(designStage.rawValue)): " + design.reasons.joined(separator: "; "))
        result.reasons.append("delivery (\(deliveryStage.rawValue)): " + delivery.reasons.joined(separator: "; "))
        result.reasons.append(roleSummary("service users and carers", users, m))
        result.reasons.append(roleSummary("professionals", pros, m))
        if !m.levels(community, at: .design).isEmpty || InvolvementStage.allCases.contains(where: { !m.levels(community, at: $0).isEmpty }) {
            result.reasons.append(roleSummary("community members", community, m))
        }
        if ![designStage, deliveryStage].contains(where: { m.highest(users, at: $0) >= .collaborate }) {
            result.reasons.append("no service-user or carer role at collaborate or above at design or delivery")
        }
        let developmentStages: [InvolvementStage] = [.identify, .design]
        let testing = developmentStages.contains { s in
            let u = m.levels(users, at: s)
            return u.contains { $0 == .consult || $0 == .involve } && (m.levels(users, at: s) + m.levels(pros, at: s)).contains(.lead)
        }
        if testing && result.kind != .userCentredDesign { result.alsoNoted.append("user-centred design in development") }
        for s in InvolvementStage.allCases where m.highest(community, at: s) >= .involve {
            result.alsoNoted.append("community involvement at \(s.rawValue)")
        }
        return result
    }

    /// "service users and carers: inform at design, consult at evaluate" (or "none recorded").
    static func roleSummary(_ name: String, _ roles: Set<StakeholderRole>, _ m: InvolvementMatrix) -> String {
        let parts = InvolvementStage.allCases.compactMap { s -> String? in
            let l = m.highest(roles, at: s)
            return l == .none && m.levels(roles, at: s).isEmpty ? nil : "\(l.rawValue) at \(s.rawValue)"
        }
        return "\(name): " + (parts.isEmpty ? "none recorded" : parts.joined(separator: ", "))
    }
}
