/// Why an overnight check was made (labels mapped by `CodedFields.observationReason`).
public enum ObservationReason: String, HashedByCase, Sendable, Codable, CaseIterable {
    /// A routine check of the ward's observation schedule: on a protected night inside the window, a lapse.
    case routine
    /// A check prompted by a clinical concern about the patient that night: a legitimate override, never a lapse.
    case clinicalNeed = "clinical_need"
    /// Enhanced observation (within eyesight, arm's length, one to one): the patient was on a higher level.
    case enhanced
}

/// One overnight observation check, attributed to a night and to the protected window as incidents are.
public struct ObservationRecord: Sendable, Equatable {
    /// Index of the ward in the study.
    public var ward: Int
    /// The patient checked (pseudonymised on ingest).
    public var patient: PatientID
    /// The night the check belongs to (a check at 02:10 on 5 March belongs to the night of 4 March).
    public var night: CalendarDay
    /// Whether the check's clock time lies in the protected window.
    public var inProtectedWindow: Bool
    /// Why the check was made; a row without a reason is a routine check.
    public var reason: ObservationReason
    /// The period the night falls in for this ward.
    public var period: StudyPeriod?
}

/// Reads observation-log rows. The `staff` column is never read, so no staff name reaches a record or the quarantine.
public struct ObservationNormaliser: RecordNormaliser {
    let context: NormaliseContext
    var lookups = RowLookups()
    var reasons: CodedColumn<ObservationReason>
    /// The export's date order, held by value so a row reads nothing shared.
    public let dateOrder: DateOrder
    /// The date-time field, named once (see `FieldName`).
    let datetimeField = FieldName("datetime")
    /// Creates the normaliser; `spec` gives the study's own labels for the reason.
    public init(context: NormaliseContext, spec: ExportSpec) {
        self.context = context
        dateOrder = context.dateOrder(.observations)
        reasons = CodedColumn(CodedFields.observationReason, spec: spec) { ObservationReason(rawValue: $0) }
    }

    public func prepare(header: ExportHeader, spec: ExportSpec) throws { try context.requireKey(for: header, spec: spec) }

    public mutating func normalise(_ row: inout ExportRow) -> ObservationRecord? {
        var stamp = row.dateTime(datetimeField, required: true, order: dateOrder)
        if let s = stamp, s.1 == nil {
            row.reject("datetime", "no time: a check needs the time it was made (dd/mm/yyyy HH:MM)")
            stamp = nil
        }
        let ward = context.ward(&row, cache: &lookups)
        let patientCell = context.patientCell(&row, required: true, cache: &lookups)
        let reason = reasons.value(&row) ?? .routine  // an empty cell is a routine check; an unmapped one is recorded
        guard let stamp, let time = stamp.1, let ward, let patientCell, row.isClean else { return nil }
        let patient = context.patient(patientCell, cache: &lookups)
        let timing = context.timing(ward: ward, day: stamp.0, time: time)
        // The timing always has a night here: the check has a time.
        let night = timing.night ?? stamp.0
        return ObservationRecord(ward: ward, patient: patient, night: night, inProtectedWindow: timing.inProtectedWindow == true,
                                 reason: reason, period: context.wardPeriods[ward].period(of: night))
    }

    public var placesRowsInPeriods: Bool { true }
    public func period(of r: ObservationRecord) -> StudyPeriod? { r.period }

    public func setAsideReason(_ r: ObservationRecord) -> String? { r.period == nil ? "outside both periods" : nil }
}
