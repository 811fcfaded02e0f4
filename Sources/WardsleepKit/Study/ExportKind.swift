/// The exports a study folder may hold, and the canonical fields each one has (SPEC §2).
public enum ExportKind: String, HashedByCase, Sendable, CaseIterable, Codable, Comparable {
    case occupancy, incidents, hypnotics, feedback
    case sleepPlans = "sleep_plans"
    case involvement
    /// Overnight observation checks, one row per check: read after the sleep plans, which it is joined to.
    case observations

    /// The position in `allCases`, without searching.
    var ordinal: Int {
        switch self {
        case .occupancy: 0
        case .incidents: 1
        case .hypnotics: 2
        case .feedback: 3
        case .sleepPlans: 4
        case .involvement: 5
        case .observations: 6
        }
    }

    /// The default file name inside the study folder.
    public var defaultFileName: String { rawValue + ".csv" }

    /// The canonical fields of this export; hypnotics depend on whether the export lists pharmacy issues or administrations.
    public func fields(hypnotics kind: HypnoticsExportKind = .issues) -> [FieldSpec] {
        switch self {
        case .occupancy:
            return [.required("date"), .required("ward"), .required("occupied_beds"), .optional("leave_beds")]
        case .incidents:
            return [.required("id"), .required("date"), .required("ward"), .required("category"), .optional("time"),
                    .optional("subcategory"), .optional("severity"), .optional("patient"), .optional("status"),
                    .optional("description")]
        case .hypnotics:
            switch kind {
            case .issues:
                return [.required("date"), .required("ward"), .required("product"), .required("quantity"),
                        .optional("drug"), .optional("strength_mg")]
            case .administrations:
                return [.required("datetime"), .required("ward"), .required("patient"), .required("drug"),
                        .required("dose_mg"), .optional("dose_unit"), .optional("status"), .optional("prn"), .optional("route")]
            }
        case .feedback:
            return [.required("id"), .required("group"), .required("stage"), .required("text"), .optional("date"),
                    .optional("ward"), .optional("rating")]
        case .sleepPlans:
            return [.required("night"), .required("ward"), .required("patient"), .required("protected"),
                    .optional("decided_by"), .optional("patient_involved"), .optional("carer_involved")]
        case .involvement:
            return [.required("stage"), .required("group"), .required("level"), .optional("activity"),
                    .optional("evidence"), .optional("date")]
        case .observations:
            return [.required("datetime"), .required("ward"), .required("patient"), .optional("reason"),
                    .optional("level"), .optional("staff")]
        }
    }

    /// Every field name any variant of this export may have (used to check `columns` keys in study.yaml).
    public var allFieldNames: [String] {
        let names = fields(hypnotics: .issues).map(\.name) + (self == .hypnotics ? fields(hypnotics: .administrations).map(\.name) : [])
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    public static func < (a: ExportKind, b: ExportKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Whether the hypnotics export lists pharmacy supplies to wards or doses given to patients.
public enum HypnoticsExportKind: String, HashedByCase, Sendable, Codable, CaseIterable {
    /// Pharmacy issues to wards: product and quantity.
    case issues
    /// EPMA administrations: patient, drug, dose and whether it was given.
    case administrations
}

/// One canonical field of an export.
public struct FieldSpec: Sendable, Equatable {
    /// The canonical name (`occupied_beds`).
    public var name: String
    /// Whether every row must have a value.
    public var required: Bool

    static func required(_ name: String) -> FieldSpec { FieldSpec(name: name, required: true) }
    static func optional(_ name: String) -> FieldSpec { FieldSpec(name: name, required: false) }
}
