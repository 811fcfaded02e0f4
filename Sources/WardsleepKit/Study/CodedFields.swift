/// A field of an export whose values come from a fixed vocabulary (a *coded* field): each label an export writes is
/// mapped to one canonical value, through the default synonyms below and the study's own mapping
/// (`exports.<export>.values.<field>` in study.yaml, which adds labels and overrides defaults). A label that maps to
/// nothing is an unmapped value: its row is quarantined, and `validate` lists each distinct one once.
public struct CodedField: Sendable {
    /// The export the field belongs to.
    public let export: ExportKind
    /// The canonical field name (`decided_by`).
    public let field: String
    /// What a value of the field is, for messages (`role`, `harm level`).
    public let noun: String
    /// The canonical values, in the order messages list them.
    public let canonical: [String]
    /// Default synonyms: normalised label → canonical value. Every canonical value also answers to itself.
    public let synonyms: [String: String]
    /// Whether a cell may name several values (`MDT/patient`), split on `;`, `/`, `,`, `+`, `&` and " and ".
    public let multiple: Bool

    /// The study.yaml key that maps local labels of this field.
    public var mappingKey: String { "exports.\(export.rawValue).values.\(field)" }

    /// Why an unmapped label is quarantined; starts with `unmapped` so that `validate` groups these by value.
    public var unmappedReason: String {
        "unmapped \(noun): expected \(canonical.joined(separator: ", ")) or a synonym (map local labels in study.yaml \(mappingKey))"
    }

    /// The default table: every label (synonyms and the canonical values themselves), normalised, to its value.
    public var defaults: [String: String] {
        var m: [String: String] = [:]
        for (label, value) in synonyms { m[Slug.normaliseLabel(label)] = value }
        for c in canonical { m[Slug.normaliseLabel(c)] = c }
        return m
    }

    /// The mapping a study uses: the defaults with the study's labels added (a study label replaces a default one).
    public func table(adding study: [String: String]) -> [String: String] {
        var m = defaults
        for (label, value) in study { m[Slug.normaliseLabel(label)] = value }
        return m
    }

    /// The canonical value `text` names (case and spacing ignored), or `nil` when it is not one.
    public func canonicalValue(_ text: String) -> String? {
        let n = Slug.normaliseLabel(text)
        return canonical.first { Slug.normaliseLabel($0) == n }
    }

    /// The parts of a multi-valued cell: split on `;`, `/`, `,`, `+`, `&` and the word "and", trimmed, empty parts dropped.
    public static func split(_ text: String) -> [String] {
        var parts: [String] = []
        for piece in text.split(whereSeparator: { ";/,+&".contains($0) }) {
            let words = piece.split(whereSeparator: { $0.isWhitespace })
            var current: [Substring] = []
            for w in words {
                if w.lowercased() == "and" {
                    if !current.isEmpty { parts.append(current.joined(separator: " ")) }
                    current = []
                } else {
                    current.append(w)
                }
            }
            if !current.isEmpty { parts.append(current.joined(separator: " ")) }
        }
        return parts
    }
}

/// Every coded field wardsleep reads, with its default synonyms. README lists them; tests check each one maps.
public enum CodedFields {
    /// Yes/no flags (`protected`, `patient_involved`, `carer_involved`, `prn`): yes, no, or unknown (not recorded).
    static let flagSynonyms: [String: String] = {
        var m: [String: String] = [:]
        for l in ["y", "yes", "true", "t", "1", "✓", "✔", "☑", "tick", "ticked"] { m[l] = "yes" }
        for l in ["n", "no", "false", "f", "0", "✗", "✘", "☐"] { m[l] = "no" }
        for l in ["unknown", "not known", "nk", "n/k", "not recorded", "n/a", "na", "?"] { m[l] = "unknown" }
        return m
    }()

    static func flag(_ export: ExportKind, _ field: String, extra: [String: String] = [:]) -> CodedField {
        CodedField(export: export, field: field, noun: "yes/no flag", canonical: ["yes", "no", "unknown"],
                   synonyms: flagSynonyms.merging(extra) { _, b in b }, multiple: false)
    }

    /// Incident harm levels: no harm, low, moderate, severe, death (0 to 4).
    public static let severity = CodedField(
        export: .incidents, field: "severity", noun: "harm level", canonical: ["no harm", "low", "moderate", "severe", "death"],
        synonyms: ["none": "no harm", "0": "no harm", "near miss": "no harm", "no harm (near miss)": "no harm",
                   "low harm": "low", "minor": "low", "minimal": "low", "1": "low",
                   "moderate harm": "moderate", "2": "moderate",
                   "severe harm": "severe", "major": "severe", "serious": "severe", "3": "severe",
                   "catastrophic": "death", "fatal": "death", "4": "death"],
        multiple: false)

    /// Incident statuses: reported, under review, approved, closed, rejected, duplicate.
    public static let incidentStatus = CodedField(
        export: .incidents, field: "status", noun: "incident status",
        canonical: ["reported", "under review", "approved", "closed", "rejected", "duplicate"],
        synonyms: ["new": "reported", "open": "reported", "submitted": "reported", "awaiting review": "under review",
                   "in review": "under review", "being reviewed": "under review", "in holding area": "under review",
                   "under investigation": "under review", "investigating": "under review", "awaiting approval": "under review",
                   "finally approved": "approved", "final approval": "approved", "complete": "closed", "completed": "closed",
                   "finalised": "closed", "rejected": "rejected", "reject": "rejected", "deleted": "rejected",
                   "cancelled": "rejected", "void": "rejected", "entered in error": "rejected", "duplicated": "duplicate"],
        multiple: false)

    /// Administration statuses: given, refused, omitted (only given doses count).
    public static let administrationStatus = CodedField(
        export: .hypnotics, field: "status", noun: "administration status", canonical: ["given", "refused", "omitted"],
        synonyms: ["administered": "given", "self-administered": "given", "self administered": "given", "done": "given",
                   "given late": "given", "declined": "refused", "patient refused": "refused", "refused by patient": "refused",
                   "not given": "omitted", "not administered": "omitted", "withheld": "omitted", "held": "omitted",
                   "unavailable": "omitted", "drug unavailable": "omitted", "not available": "omitted", "missed": "omitted",
                   "patient asleep": "omitted", "asleep": "omitted", "patient on leave": "omitted", "on leave": "omitted"],
        multiple: false)

    /// Whether a dose was as required (PRN): yes, no, unknown.
    public static let prn = flag(.hypnotics, "prn", extra: [
        "prn": "yes", "as required": "yes", "as needed": "yes", "when required": "yes",
        "regular": "no", "routine": "no", "scheduled": "no", "stat": "no", "once only": "no",
    ])

    /// Units of a dose: mg, g, microgram, ml, tablet.
    public static let doseUnit = CodedField(
        export: .hypnotics, field: "dose_unit", noun: "dose unit", canonical: ["mg", "g", "microgram", "ml", "tablet"],
        synonyms: ["milligram": "mg", "milligrams": "mg", "mgs": "mg", "gram": "g", "grams": "g", "gm": "g",
                   "micrograms": "microgram", "mcg": "microgram", "µg": "microgram", "μg": "microgram", "ug": "microgram",
                   "millilitre": "ml", "millilitres": "ml", "milliliter": "ml", "milliliters": "ml", "mls": "ml",
                   "tablets": "tablet", "tab": "tablet", "tabs": "tablet", "capsule": "tablet", "capsules": "tablet",
                   "cap": "tablet", "caps": "tablet"],
        multiple: false)

    /// Who gave feedback: patient, staff, carer, other.
    public static let feedbackGroup = CodedField(
        export: .feedback, field: "group", noun: "group", canonical: ["patient", "staff", "carer", "other"],
        synonyms: ["patients": "patient", "service user": "patient", "service users": "patient", "service-user": "patient",
                   "su": "patient", "inpatient": "patient", "inpatients": "patient", "client": "patient", "resident": "patient",
                   "staff member": "staff", "staff members": "staff", "nurse": "staff", "nurses": "staff",
                   "nursing staff": "staff", "ward staff": "staff", "employee": "staff", "hca": "staff", "doctor": "staff",
                   "healthcare assistant": "staff", "support worker": "staff",
                   "carers": "carer", "relative": "carer", "relatives": "carer", "family": "carer", "family member": "carer",
                   "family members": "carer", "next of kin": "carer", "nok": "carer", "friend or relative": "carer",
                   "visitor": "other", "visitors": "other", "anonymous": "other", "not stated": "other"],
        multiple: false)

    /// When feedback was given: before, during, after.
    public static let feedbackStage = CodedField(
        export: .feedback, field: "stage", noun: "stage", canonical: ["before", "during", "after"],
        synonyms: ["pre": "before", "baseline": "before", "pre-pilot": "before", "pre pilot": "before", "before pilot": "before",
                   "pre-implementation": "before", "pre implementation": "before", "t0": "before",
                   "pilot": "during", "mid": "during", "mid-pilot": "during", "midpoint": "during", "during pilot": "during",
                   "post": "after", "post-pilot": "after", "post pilot": "after", "after pilot": "after",
                   "post-implementation": "after", "post implementation": "after", "follow-up": "after",
                   "follow up": "after", "followup": "after", "end of pilot": "after", "t1": "after"],
        multiple: false)

    /// Sleep-plan flags.
    public static let protected = flag(.sleepPlans, "protected", extra: [
        "protected": "yes", "protected sleep": "yes", "ps": "yes", "checks": "no", "routine checks": "no",
        "hourly checks": "no", "observations": "no",
    ])
    /// Whether the patient took part in the decision.
    public static let patientInvolved = flag(.sleepPlans, "patient_involved")
    /// Whether a carer took part in the decision.
    public static let carerInvolved = flag(.sleepPlans, "carer_involved")

    /// Roles that take protected-sleep decisions.
    public static let decidedBy = CodedField(
        export: .sleepPlans, field: "decided_by", noun: "role",
        canonical: ["patient", "carer", "night coordinator", "nurse in charge", "mdt", "doctor", "nurse",
                    "healthcare assistant", "pharmacist", "psychologist", "occupational therapist", "ward manager",
                    "sleep lead", "other"],
        synonyms: ["pt": "patient", "service user": "patient", "su": "patient", "the patient": "patient", "self": "patient",
                   "carers": "carer", "relative": "carer", "family": "carer", "family member": "carer", "next of kin": "carer",
                   "nok": "carer",
                   "night co-ordinator": "night coordinator", "night coord": "night coordinator", "nc": "night coordinator",
                   "night nurse coordinator": "night coordinator", "night site coordinator": "night coordinator",
                   "site coordinator": "night coordinator", "bleep holder": "night coordinator",
                   "nic": "nurse in charge", "charge nurse": "nurse in charge", "shift leader": "nurse in charge",
                   "shift lead": "nurse in charge", "shift coordinator": "nurse in charge",
                   "multidisciplinary team": "mdt", "multi-disciplinary team": "mdt", "multidisciplinary": "mdt",
                   "ward round": "mdt", "mdt meeting": "mdt", "mdm": "mdt",
                   "dr": "doctor", "consultant": "doctor", "consultant psychiatrist": "doctor", "psychiatrist": "doctor",
                   "ward doctor": "doctor", "junior doctor": "doctor", "registrar": "doctor", "sho": "doctor",
                   "responsible clinician": "doctor", "rc": "doctor", "medic": "doctor", "medical team": "doctor",
                   "named nurse": "nurse", "primary nurse": "nurse", "staff nurse": "nurse", "rmn": "nurse",
                   "registered nurse": "nurse", "night nurse": "nurse", "nursing staff": "nurse",
                   "hca": "healthcare assistant", "health care assistant": "healthcare assistant",
                   "support worker": "healthcare assistant", "nursing assistant": "healthcare assistant",
                   "ward pharmacist": "pharmacist", "pharmacy": "pharmacist", "psychology": "psychologist",
                   "ot": "occupational therapist", "manager": "ward manager", "matron": "ward manager",
                   "ward sleep lead": "sleep lead", "sleep champion": "sleep lead"],
        multiple: true)

    /// Why an overnight check was made (observations): a routine check inside the window on a protected night is a
    /// lapse; clinical need and enhanced observation are overrides.
    public static let observationReason = CodedField(
        export: .observations, field: "reason", noun: "reason", canonical: ["routine", "clinical_need", "enhanced"],
        synonyms: ["routine check": "routine", "general": "routine", "general observation": "routine",
                   "general observations": "routine", "intermittent": "routine", "hourly": "routine", "standard": "routine",
                   "scheduled": "routine", "night check": "routine", "sleep check": "routine",
                   "clinical need": "clinical_need", "clinical": "clinical_need", "clinical concern": "clinical_need",
                   "concern": "clinical_need", "risk": "clinical_need", "unwell": "clinical_need",
                   "enhanced observation": "enhanced", "enhanced observations": "enhanced", "one to one": "enhanced",
                   "one_to_one": "enhanced", "1:1": "enhanced", "1 to 1": "enhanced", "constant": "enhanced",
                   "within eyesight": "enhanced", "arms length": "enhanced", "arm's length": "enhanced"],
        multiple: false)

    /// Every coded field except incident categories (mapped by `exports.incidents.categories`) and wards (`wards`).
    public static let all: [CodedField] = [
        severity, incidentStatus, administrationStatus, prn, doseUnit, feedbackGroup, feedbackStage, protected,
        patientInvolved, carerInvolved, decidedBy, observationReason,
    ]

    /// The coded field `field` of `export`, if it is one.
    public static func field(_ export: ExportKind, _ field: String) -> CodedField? {
        all.first { $0.export == export && $0.field == field }
    }
}
