/// One patient-night's sleep plan: protected sleep or routine checks, and who decided.
public struct SleepPlanRecord: Sendable, Equatable {
    /// The night (the evening's date).
    public var night: CalendarDay
    /// Index of the ward in the study.
    public var ward: Int
    /// The patient (pseudonymised on ingest).
    public var patient: PatientID
    /// Whether the patient had protected sleep that night.
    public var protected: Bool
    /// Roles that took the decision (normalised labels: `mdt`, `night coordinator` ...).
    public var decidedBy: [String]
    /// Whether the patient took part in the decision, when recorded.
    public var patientInvolved: Bool?
    /// Whether a carer took part, when recorded.
    public var carerInvolved: Bool?
    /// The period the night falls in for this ward.
    public var period: StudyPeriod?
}

/// Reads sleep-plan rows.
public struct SleepPlanNormaliser: RecordNormaliser {
    let context: NormaliseContext
    var lookups = RowLookups()
    /// Creates the normaliser.
    public init(context: NormaliseContext) { self.context = context }

    public func prepare(header: ExportHeader, spec: ExportSpec) throws { try context.requireKey(for: header, spec: spec) }

    public mutating func normalise(_ row: inout ExportRow) -> SleepPlanRecord? {
        let order = context.study.dateFormat
        let night = row.parse("night", required: true) { (b) throws(FieldIssue) in try FieldParsing.date(b, order: order) }
        let ward = context.ward(&row, cache: &lookups)
        let patient = context.patient(&row, required: true)
        let protected = row.parse("protected", required: true, FieldParsing.flag)
        let decidedBy = row.bytes("decided_by").map { bytes in
            lookups.labels.value(for: bytes) {
                TextDecoding.decode($0).0.split(separator: ";").map { Slug.normaliseLabel(String($0)) }.filter { !$0.isEmpty }
            }
        } ?? []
        let patientInvolved = row.parse("patient_involved", FieldParsing.flag)
        let carerInvolved = row.parse("carer_involved", FieldParsing.flag)
        guard let night, let ward, let patient, let protected, row.problems.isEmpty else { return nil }
        return SleepPlanRecord(night: night, ward: ward, patient: patient, protected: protected, decidedBy: decidedBy,
                               patientInvolved: patientInvolved, carerInvolved: carerInvolved,
                               period: context.wardPeriods[ward].period(of: night))
    }

    public func setAsideReason(_ r: SleepPlanRecord) -> String? { r.period == nil ? "outside both periods" : nil }
}
