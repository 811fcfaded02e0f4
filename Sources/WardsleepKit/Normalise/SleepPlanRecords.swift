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
    /// Roles that took the decision, as canonical roles (`CodedFields.decidedBy`: `mdt`, `night coordinator` ...).
    public var decidedBy: DecisionRoles
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

    public var dateOrder: DateOrder { context.dateOrder(.sleepPlans) }
    var lookups = RowLookups()
    var protectedFlags, patientFlags, carerFlags: CodedColumn<FlagValue>
    var roles: CodedListColumn
    /// The night field, named once (see `FieldName`).
    let nightField = FieldName("night")

    /// Creates the normaliser; `spec` gives the study's own labels for the coded fields.
    public init(context: NormaliseContext, spec: ExportSpec? = nil) {
        self.context = context
        let spec = spec ?? context.study.exports[.sleepPlans]
        protectedFlags = CodedColumn(CodedFields.protected, spec: spec, FlagValue.init(canonical:))
        patientFlags = CodedColumn(CodedFields.patientInvolved, spec: spec, FlagValue.init(canonical:))
        carerFlags = CodedColumn(CodedFields.carerInvolved, spec: spec, FlagValue.init(canonical:))
        roles = CodedListColumn(CodedFields.decidedBy, spec: spec)
    }

    public func prepare(header: ExportHeader, spec: ExportSpec) throws { try context.requireKey(for: header, spec: spec) }

    public mutating func normalise(_ row: inout ExportRow) -> SleepPlanRecord? {
        let order = context.dateOrder(.sleepPlans)
        let night = row.date(nightField, required: true, order: order)
        let ward = context.ward(&row, cache: &lookups)
        let patientCell = context.patientCell(&row, required: true, cache: &lookups)
        let protected = protectedFlags.value(&row, required: true)?.bool
        if protected == nil && row.isClean {
            row.reject("protected", "not recorded: protected must say whether the night was protected (Y or N)")
        }
        let decidedBy = roles.values(&row)
        let patientInvolved = patientFlags.value(&row)?.bool
        let carerInvolved = carerFlags.value(&row)?.bool
        guard let night, let ward, let patientCell, let protected, let decidedBy, row.isClean else { return nil }
        return SleepPlanRecord(night: night, ward: ward, patient: context.patient(patientCell, cache: &lookups), protected: protected, decidedBy: decidedBy,
                               patientInvolved: patientInvolved, carerInvolved: carerInvolved,
                               period: context.wardPeriods[ward].period(of: night))
    }

    public func setAsideReason(_ r: SleepPlanRecord) -> String? { r.period == nil ? "outside both periods" : nil }
}
