/// The names people read for coded values: tables and prose in summary.md and report.html use these, while
/// results.json and the CSV tables keep the ids.
extension StudyDefinition {
    /// The display name of an incident category id: the name study.yaml gives it (`exports.incidents.labels`), else the
    /// export's label that study.yaml maps to it (the longest, when several do: "Violence and aggression" rather than
    /// "V&A"), or, for an id no label maps to, the id in words (`self_harm` → "Self harm"). Without a `categories` map the
    /// category already is the export's label.
    public func categoryLabel(_ id: String) -> String {
        if id == IncidentCategory.all { return "All incidents" }
        if let name = exports[.incidents].labels[Slug.normaliseLabel(id)] { return name }
        guard let map = exports[.incidents].categories else { return id }
        let labels = map.filter { $0.value == id }.keys.sorted { ($0.count, $1) > ($1.count, $0) }
        return labels.first ?? DisplayLabel.words(id)
    }
}

/// Turns identifiers into words for people.
public enum DisplayLabel {
    /// `self_harm` → "Self harm": underscores become spaces and the first letter a capital.
    public static func words(_ id: String) -> String {
        let spaced = id.replacingOccurrences(of: "_", with: " ")
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }
}

extension WardDefinition {
    /// The ward as a table shows it: `A1 Acute male`, or the id alone when the name says the same thing (`Ward A`, not
    /// `Ward A Ward A`; case and spacing ignored, as ward labels are matched).
    public var label: String {
        WardDefinition.normalisedLabel(name) == WardDefinition.normalisedLabel(id) || name.isEmpty ? id : "\(id) \(name)"
    }
}
