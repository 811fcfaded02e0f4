import Foundation

/// Header labels trusts commonly give each canonical field: used by `init --from-exports` to guess an export's kind and
/// draft its `columns:`, and to tell a hypnotics export of the other `kind` from the configured one.
public enum HeaderNames {
    static let ward = ["ward", "ward name", "ward code", "location", "location (exact)", "exact location", "ward / department",
                       "ward/department", "department", "ward or unit"]
    static let patient = ["patient", "patient id", "nhs number", "nhs no", "mrn", "hospital number", "patient number",
                          "rio id", "patient identifier", "client id", "patient nhs no", "patient nhs number", "nhs num",
                          "service user id", "patient mrn"]

    /// Canonical field → labels, per export (hypnotics split by kind). Each field also answers to its own name.
    static let table: [ExportKind: [String: [String]]] = [
        .occupancy: [
            "date": ["date", "census date", "day", "census day", "bed date"], "ward": ward,
            "occupied_beds": ["occupied beds", "occupied", "beds occupied", "occupancy", "midnight census", "census",
                              "occupied bed days", "obd"],
            "leave_beds": ["leave beds", "leave", "on leave", "beds on leave", "patients on leave"],
        ],
        .incidents: [
            "id": ["id", "ref", "reference", "incident id", "incident ref", "incident reference", "incident number", "datix id",
                   "datix ref"],
            "date": ["incident date", "date of incident", "date", "event date", "occurred date", "date and time of incident",
                     "incident date and time", "incident date/time", "date/time of incident"],
            "time": ["time", "incident time", "time of incident"], "ward": ward,
            "category": ["category", "incident category", "type", "incident type", "cause group", "type of incident",
                         "incident category/type", "category of incident"],
            "subcategory": ["subcategory", "sub category", "sub-category", "incident subcategory"],
            "severity": ["harm level", "severity", "harm", "degree of harm", "actual harm", "actual impact", "result"],
            "patient": patient, "status": ["status", "approval status", "incident status"],
            "description": ["description", "narrative", "details", "what happened", "description of incident"],
        ],
        .feedback: [
            "id": ["id", "response id", "response", "ref", "respondent id", "survey id"],
            "group": ["group", "respondent", "respondent type", "respondent group", "completed by", "who"],
            "stage": ["stage", "phase", "timepoint", "time point", "survey stage", "period", "survey wave", "wave"],
            "text": ["text", "comment", "comments", "feedback", "free text", "response text"],
            "date": ["date", "response date", "date submitted"], "ward": ward,
            "rating": ["rating", "score", "overall rating", "stars", "score (1-5)", "rating (1-5)", "score 1-5", "rating 1-5"],
        ],
        .sleepPlans: [
            "night": ["night", "night of", "date", "night date"], "ward": ward, "patient": patient,
            "protected": ["protected", "protected sleep", "protected sleep plan", "ps", "plan"],
            "decided_by": ["decided by", "decision by", "agreed by", "who decided"],
            "patient_involved": ["patient involved", "patient involvement", "patient consulted", "service user involved"],
            "carer_involved": ["carer involved", "carer involvement", "carer consulted", "family involved"],
        ],
        .observations: [
            "datetime": ["date/time", "date time", "datetime", "check time", "time of check", "checked at", "observation time",
                         "obs time", "date and time", "observation date/time"],
            "ward": ward, "patient": patient,
            "reason": ["reason", "check reason", "reason for check", "observation reason", "obs reason", "check type"],
            "level": ["obs level", "observation level", "level", "engagement level", "level of observation", "observation type"],
            "staff": ["staff", "checked by", "staff member", "observer", "completed by", "staff role"],
        ],
        .involvement: [
            "stage": ["stage"], "group": ["group", "stakeholder", "stakeholder group"],
            "level": ["level", "involvement level"], "activity": ["activity"], "evidence": ["evidence", "source"],
            "date": ["date"],
        ],
    ]

    /// Hypnotics, by kind.
    static let hypnotics: [HypnoticsExportKind: [String: [String]]] = [
        .issues: [
            "date": ["issue date", "date", "date issued", "supply date", "dispensed date"], "ward": ward,
            "product": ["product", "item", "product name", "drug description", "item description", "description", "medicine"],
            "quantity": ["quantity", "qty", "quantity issued", "issued", "issue quantity", "qty issued"],
            "drug": ["drug", "generic name", "drug name"], "strength_mg": ["strength", "strength mg", "strength (mg)"],
        ],
        .administrations: [
            "datetime": ["administered", "administration time", "administration date", "date/time", "date time",
                         "administered at", "given at", "date and time", "administration datetime", "admin date/time",
                         "admin date time", "administration date/time", "admin time", "time given", "date/time given",
                         "actual admin time", "actual administration time", "actual admin date/time", "time administered",
                         "date administered", "actual time given"],
            "ward": ward, "patient": patient, "drug": ["drug", "medicine", "medication", "drug name"],
            "dose_mg": ["dose", "dose (mg)", "dose mg", "dose given", "amount"],
            "dose_unit": ["dose unit", "unit", "units", "uom", "dose units", "unit of measure"],
            "status": ["status", "administration status", "outcome", "admin status", "administration outcome", "given status"],
            "prn": ["prn", "as required", "prn flag", "regular/prn", "prn?"], "route": ["route"],
        ],
    ]

    /// Fields only one kind of hypnotics export has: how its headers are told apart.
    static let distinctive: [HypnoticsExportKind: Set<String>] = [
        .issues: ["product", "quantity", "strength_mg"],
        .administrations: ["datetime", "patient", "dose_mg", "dose_unit", "status", "prn", "route"],
    ]

    /// A header label as matched here: lower-cased, `_` as a space, spacing collapsed, a trailing `?`, `:` or `.`
    /// dropped (`Incident Ref.`), and a trailing format hint in brackets (`Date of Incident (dd/mm/yy)`).
    public static func normalise(_ label: String) -> String {
        var n = Slug.normaliseLabel(label.replacingOccurrences(of: "_", with: " "))
        if n.hasSuffix(")"), let open = n.lastIndex(of: "("), open > n.startIndex,
           n[n.index(after: open)..<n.index(before: n.endIndex)].allSatisfy({ "dmyhs:/-. 24".contains($0) }) {
            n = String(n[..<open])
        }
        n = n.trimmingCharacters(in: .whitespaces)
        while n.hasSuffix("?") || n.hasSuffix(":") || n.hasSuffix(".") { n.removeLast() }
        return n.trimmingCharacters(in: .whitespaces)
    }

    /// The label table of one export (hypnotics of one kind).
    public static func fields(_ kind: ExportKind, hypnotics: HypnoticsExportKind = .issues) -> [String: [String]] {
        var t = (kind == .hypnotics ? self.hypnotics[hypnotics] : table[kind]) ?? [:]
        for f in kind.fields(hypnotics: hypnotics) { t[f.name, default: []].append(normalise(f.name)) }
        return t
    }

    /// The canonical field a header label names in an export, if any (its own name or a common label).
    public static func field(for label: String, in kind: ExportKind, hypnotics: HypnoticsExportKind = .issues) -> String? {
        let n = normalise(label)
        // Fields in the export's order, so that a label two fields share goes to the first (a required one).
        for f in kind.fields(hypnotics: hypnotics) where fields(kind, hypnotics: hypnotics)[f.name]?.contains(n) == true {
            return f.name
        }
        return nil
    }

    /// The labels among `labels` that name a field only `kind` of hypnotics export has.
    static func distinctiveLabels(_ labels: [String], _ kind: HypnoticsExportKind) -> [String] {
        labels.filter { l in field(for: l, in: .hypnotics, hypnotics: kind).map { distinctive[kind]!.contains($0) } ?? false }
    }

    /// A configuration error when the header of a hypnotics export fits the other `kind` better than the one study.yaml
    /// gives (an issues export read as administrations would count quantities as doses).
    static func kindMismatch(_ labels: [String], spec: ExportSpec) -> ConfigurationError? {
        guard spec.kind == .hypnotics else { return nil }
        let own = spec.hypnoticsKind, other: HypnoticsExportKind = own == .issues ? .administrations : .issues
        let otherLabels = distinctiveLabels(labels, other)
        // Columns the study maps to the configured kind's own fields count for it, unless they are the other kind's.
        let mapped = Set(spec.columns.filter { distinctive[own]!.contains($0.key) }.values.map(normalise))
        let ownLabels = Set(distinctiveLabels(labels, own).map(normalise)).union(mapped.subtracting(otherLabels.map(normalise)))
            .intersection(labels.map(normalise)).count
        guard otherLabels.count >= 2, otherLabels.count > ownLabels else { return nil }
        func describe(_ k: HypnoticsExportKind) -> String { k == .issues ? "pharmacy issues (kind: issues)" : "EPMA administrations (kind: administrations)" }
        return ConfigurationError(
            file: spec.file, keyPath: "exports.hypnotics.kind", line: 1,
            message: "the header looks like \(describe(other)), not \(describe(own)) as study.yaml says: it has "
                + otherLabels.map { "\"\($0)\"" }.joined(separator: ", ") + "; set exports.hypnotics.kind: \(other.rawValue)")
    }
}
