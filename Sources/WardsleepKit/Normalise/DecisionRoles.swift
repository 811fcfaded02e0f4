/// The roles a protected-sleep decision names (`decided_by`): a set of the canonical roles of `CodedFields.decidedBy`,
/// held as bits, so a sleep plan carries its roles without an array of strings and an analysis asks about a role without
/// hashing text. A study maps its labels only to canonical roles (study.yaml is checked for that), so every role fits.
public struct DecisionRoles: Sendable, Hashable, Codable, ExpressibleByArrayLiteral {
    /// One bit per canonical role, in `CodedFields.decidedBy.canonical` order.
    private var bits: UInt32 = 0

    /// The canonical roles, in order.
    static let canonical = CodedFields.decidedBy.canonical

    /// No role.
    public init() {}

    /// The canonical roles among `roles` (any other name is not a role and is left out).
    public init(_ roles: some Sequence<String>) {
        for r in roles { if let i = DecisionRoles.canonical.firstIndex(of: r) { bits |= 1 << UInt32(i) } }
    }

    public init(arrayLiteral roles: String...) { self.init(roles) }

    /// Whether no role is named.
    public var isEmpty: Bool { bits == 0 }

    /// Whether `role` (canonical) is named.
    public func contains(_ role: String) -> Bool {
        guard let i = DecisionRoles.canonical.firstIndex(of: role) else { return false }
        return bits & (1 << UInt32(i)) != 0
    }

    /// Whether every role `other` names is named here (`other` not empty).
    public func contains(_ other: DecisionRoles) -> Bool { other.bits != 0 && bits & other.bits == other.bits }

    /// The roles named, in canonical order.
    public var names: [String] { DecisionRoles.canonical.indices.filter { bits & (1 << UInt32($0)) != 0 }.map { DecisionRoles.canonical[$0] } }

    /// Adds the roles `other` names.
    public mutating func formUnion(_ other: DecisionRoles) { bits |= other.bits }

    /// Encoded as the list of role names, as a set of strings would be.
    public init(from decoder: Decoder) throws { self.init(try [String](from: decoder)) }
    public func encode(to encoder: Encoder) throws { try names.encode(to: encoder) }
}
