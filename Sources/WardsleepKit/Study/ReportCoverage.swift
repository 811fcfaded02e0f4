/// A part of the report that rests on something other than incidents, and so may not be able to honour every filter.
public enum ReportPart: String, Sendable, CaseIterable, Codable {
    /// Hypnotic use (issues or administrations): by ward and day.
    case hypnotics
    /// Feedback: by respondent group and stage (before, during, after), and ward when recorded.
    case feedback
    /// Protected-sleep uptake from the sleep plans: by ward and night.
    case uptake
    /// The involvement ledger: the programme as a whole.
    case involvement
    /// Fidelity from the observation log: by ward and night, inside the protected window by definition.
    case fidelity

    /// How the report names it.
    var title: String {
        switch self {
        case .hypnotics: return "Hypnotic use"
        case .feedback: return "Feedback"
        case .uptake: return "Protected-sleep uptake"
        case .involvement: return "The involvement ledger"
        case .fidelity: return "Fidelity (the intervention as delivered)"
        }
    }
}

extension AnalysisScope {
    /// The filters in force that `part` cannot honour, as the words for them; empty when it honours them all.
    ///
    /// Only incidents carry a category and a time of day, so a category filter or the protected window leaves out every
    /// other part; feedback is placed by stage, not date, and the involvement ledger describes the whole programme.
    /// (Feedback honours a ward filter by leaving out responses without a ward.)
    public func filtersNotHonoured(by part: ReportPart) -> [String] {
        var out: [String] = []
        if wards != nil && part == .involvement { out.append("to wards (--ward)") }
        if categories != nil { out.append("to incident categories (--category)") }
        if datesClipped && (part == .feedback || part == .involvement) { out.append("to dates (--from, --to)") }
        if months != nil && (part == .feedback || part == .involvement) { out.append("to calendar months (--months)") }
        if window == .protected && part != .fidelity { out.append("to the protected window (--window protected)") }
        if window == .allDay && part == .fidelity { out.append("to 24 hours (--window 24h): it is about the protected window") }
        return out
    }

    /// One line saying that `part` is left out of this filtered report and why; `nil` when it honours every filter.
    public func leftOut(_ part: ReportPart) -> String? {
        let filters = filtersNotHonoured(by: part)
        guard !filters.isEmpty else { return nil }
        let list = filters.count == 1 ? filters[0] : filters.dropLast().joined(separator: ", ") + " or " + filters.last!
        return "\(part.title): left out of this filtered report, because it cannot be limited \(list)."
    }
}
