/// Distinct patients of one group on some wards, kept as how many patients were seen on each combination of wards that
/// includes one of them: the union of two wards' sets counts a patient seen on both once. Sets are combined only
/// within one group (`PatientTally`).
public struct PatientSet: Sendable, Equatable, Codable {
    /// Patients by the wards (in order) they were seen on.
    private var byWards: [[Int]: Int] = [:]
    /// Distinct patients.
    public private(set) var count = 0

    /// No patients.
    public init() {}

    init(byWards: [[Int]: Int]) {
        self.byWards = byWards
        count = byWards.values.reduce(0, +)
    }

    /// Whether the set has no patient.
    public var isEmpty: Bool { count == 0 }

    /// Adds every patient of `other` (a set of the same group): a combination of wards already held holds the same
    /// patients, so only the others are counted in. In time with `other`'s size, not this set's, so the study's patients
    /// gathered ward by ward take time in proportion to the wards, not to their square.
    public mutating func formUnion(_ other: PatientSet) {
        for (wards, n) in other.byWards where byWards.updateValue(n, forKey: wards) == nil { count += n }
    }
}
