/// What every normaliser needs: the study and, for exports with patient identifiers, the pseudonymiser.
///
/// A class: every worker's normaliser holds the same one, and rows reach the study through it without copying it.
public final class NormaliseContext: Sendable {
    /// The study definition.
    public let study: StudyDefinition
    /// The pseudonymiser, or `nil` when no key was supplied.
    public let pseudonymiser: Pseudonymiser?
    /// The patients of this run (one registry for every export), when there is a key.
    public let patients: PatientRegistry?

    /// Each ward's periods (the study's, or the ward's own), worked out once.
    let wardPeriods: [StudyPeriods]

    /// Creates a context.
    public init(study: StudyDefinition, pseudonymiser: Pseudonymiser?) {
        self.study = study
        self.pseudonymiser = pseudonymiser
        patients = pseudonymiser.map(PatientRegistry.init)
        wardPeriods = study.wards.indices.map(study.periods(forWard:))
    }

    /// Refuses to read an export with a patient column when there is no key to pseudonymise it with.
    func requireKey(for header: ExportHeader, spec: ExportSpec) throws {
        guard header.index["patient"] != nil, pseudonymiser == nil else { return }
        throw ConfigurationError(
            file: spec.file, keyPath: Pseudonymiser.environmentVariable,
            message: "this export has patient identifiers, which are pseudonymised on ingest; set \(Pseudonymiser.environmentVariable) "
                + "to a secret of at least \(Pseudonymiser.minimumKeyBytes) characters, or pass --key-file")
    }

    /// The timing of an event on a ward.
    func timing(ward: Int, day: CalendarDay, time: ClockTime?) -> EventTiming {
        EventTiming(day: day, time: time, periods: wardPeriods[ward], window: study.protectedWindow)
    }

    /// The patient of a row (pseudonymised on first sight), or `nil` when the field is empty (and not required).
    func patient(_ row: inout ExportRow, required: Bool) -> PatientID? {
        guard let bytes = required ? row.requiredBytes("patient") : row.bytes("patient"), let patients else { return nil }
        return patients.id(for: bytes)
    }

    /// The ward a row names, by id, name or alias; records "unknown ward" otherwise.
    func ward(_ row: inout ExportRow, _ field: String = "ward", required: Bool = true, cache: inout RowLookups) -> Int? {
        guard let bytes = required ? row.requiredBytes(field) : row.bytes(field) else { return nil }
        guard let i = cache.wards.value(for: bytes, { self.study.wardIndex(matching: TextDecoding.decode($0).0) }) else {
            row.reject(field, "unknown ward: not an id, name or alias of any ward in study.yaml")
            return nil
        }
        return i
    }
}

/// Per-export caches of resolved cells, owned by each normaliser.
struct RowLookups {
    /// Ward label → ward index.
    var wards = LabelCache<Int?>()
    /// Other repeated labels (roles in `decided_by`).
    var labels = LabelCache<[String]>()
}
