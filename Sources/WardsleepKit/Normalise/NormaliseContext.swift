/// What every normaliser needs: the study and, for exports with patient identifiers, the pseudonymiser.
///
/// A class: every worker's normaliser holds the same one, and rows reach the study through it without copying it.
public final class NormaliseContext: Sendable {
    /// The study definition.
    public let study: StudyDefinition
    /// The pseudonymiser, or `nil` when no key was supplied.
    public let pseudonymiser: Pseudonymiser?

    /// Each ward's periods (the study's, or the ward's own), worked out once.
    let wardPeriods: [StudyPeriods]
    /// How each export orders its slash dates (its own `date_format`, else the study's), by `ExportKind.ordinal`.
    let dateOrders: [DateOrder]

    /// The patients met lately, by identifier, shared by every thread; `nil` when records carry no patient (`validate`,
    /// which counts no patients, checks the cells only and leaves every record's patient zero, sparing a keyed hash per
    /// patient cell) or there is no key.
    private let memo: PatientMemo?
    /// The same memo, reached by rows without retaining it (it lives as long as the context).
    private let memoRef: Unmanaged<PatientMemo>?
    /// The fields every export's rows are read by, named once (a name held as a `FieldName` finds its column without
    /// working out its place in the layout's table from the text on every row).
    let wardField = FieldName("ward"), patientField = FieldName("patient")

    /// The codebook feedback comments are coded against as they are read (each record's `codes`), or `nil` to leave
    /// them uncoded.
    public let commentCodebook: CompiledCodebook?

    /// Ward cells already resolved by any chunk of any export, as written (see `ward`), for a study with more ward
    /// labels than a chunk's cache usually holds (`sharesWards`). A chunk of such a study meets thousands of wards,
    /// each of which it would otherwise resolve again; in a study of a few wards a chunk resolves each once, and the
    /// memo's lock would only add to every row naming a ward the study does not have.
    private let wardMemo = SharedLabelMemo<Int?>()
    private let sharesWards: Bool
    /// The same memo, reached by rows without retaining it (it lives as long as the context).
    private let wardMemoRef: Unmanaged<SharedLabelMemo<Int?>>
    /// Every ward label study.yaml writes, with what a cell holding exactly it resolves to, filled once and only read
    /// from then on (`WardLabels`): a row naming its ward as study.yaml does finds it there, whatever chunk or thread
    /// reads it, without filling a chunk's cache. A census of thousands of wards meets every ward in every chunk.
    private let wardLabels: WardLabels
    /// The same table, reached by rows without retaining it (it lives as long as the context).
    private let wardLabelsRef: Unmanaged<WardLabels>
    /// How many ward cells, as written, each chunk remembers: every label of the study's wards twice over (as written
    /// in two ways, `Acute male` and `ACUTE MALE`), and at least a `LabelCache`'s usual 4,096. A chunk of a census of
    /// thousands of wards meets them all; emptied whenever it filled, its cache would miss on nearly every row.
    let wardCacheLimit: Int

    /// Creates a context; with `identifiesPatients` false, records carry no patient (for checking exports only); with
    /// `commentCodebook`, feedback comments are coded as they are read.
    public init(study: StudyDefinition, pseudonymiser: Pseudonymiser?, identifiesPatients: Bool = true, commentCodebook: CompiledCodebook? = nil) {
        self.study = study
        self.commentCodebook = commentCodebook
        self.pseudonymiser = pseudonymiser
        memo = identifiesPatients ? pseudonymiser.map(PatientMemo.init) : nil
        memoRef = memo.map { Unmanaged.passUnretained($0) }
        wardPeriods = study.wards.indices.map(study.periods(forWard:))
        dateOrders = ExportKind.allCases.map { study.exports[$0].dateFormat ?? study.dateFormat }
        wardMemoRef = Unmanaged.passUnretained(wardMemo)
        wardCacheLimit = max(4_096, 2 * (study.wardLookup.count + study.excludedWards.count))
        sharesWards = wardCacheLimit > 4_096
        wardLabels = WardLabels(study: study, resolve: NormaliseContext.resolveWard)
        wardLabelsRef = Unmanaged.passUnretained(wardLabels)
    }

    /// What a ward cell resolves to against `study`: the ward's index, `excludedWard` for a ward in `exclude_wards`, or
    /// `nil` for a label of neither.
    static func resolveWard(_ bytes: FieldBytes, in study: StudyDefinition) -> Int? {
        let label = TextDecoding.decode(bytes).0
        return study.wardIndex(matching: label)
            ?? (study.excludedWards.contains(WardDefinition.normalisedLabel(label)) ? NormaliseContext.excludedWard : nil)
    }

    /// How export `kind` orders its slash dates (an array read per row: no hashing).
    @inline(__always) func dateOrder(_ kind: ExportKind) -> DateOrder { dateOrders[kind.ordinal] }

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

    /// A row's patient cell, or `nil` when the field is empty (and not required): the first of two steps to its patient.
    ///
    /// `patientCell` reads the cell, recording an empty required one in its place among the row's problems, and looks
    /// it up among the patients this chunk has met lately (`cache`). `patient(_:cache:)`, called once the row's other
    /// fields are read, gives the patient: from the run's memo of patients met lately (`PatientMemo`, whose slot was
    /// asked of memory in the first step), else by hashing the identifier (`PatientID`). A row quarantined for another
    /// field, or from a ward excluded by design, never reaches the second step, so its identifier is never hashed.
    func patientCell(_ row: inout ExportRow, required: Bool, cache: inout RowLookups) -> PatientCell? {
        guard let bytes = required ? row.requiredBytes(patientField) : row.bytes(patientField), pseudonymiser != nil else { return nil }
        guard let memoRef else { return PatientCell(bytes: bytes, seen: PatientCache.Lookup(key: ShortLabelKey(), patient: PatientID(high: 0, low: 0))) }
        let seen = cache.patients.lookup(bytes)
        if seen.patient == nil { memoRef._withUnsafeGuaranteedRef { $0.prefetch(bytes) } }
        return PatientCell(bytes: bytes, seen: seen)
    }

    /// The patient of a cell from `patientCell`.
    func patient(_ cell: PatientCell, cache: inout RowLookups) -> PatientID {
        if let known = cell.seen.patient { return known }
        let id = memoRef!._withUnsafeGuaranteedRef { $0.id(for: cell.bytes) }
        cache.patients.remember(cell.seen.key, id)
        return id
    }

    /// The ward a row names, by id, name or alias; a ward in `exclude_wards` sets the row aside ("excluded by design");
    /// records "unknown ward" otherwise.
    func ward(_ row: inout ExportRow, required: Bool = true, cache: inout RowLookups) -> Int? {
        guard let bytes = required ? row.requiredBytes(wardField) : row.bytes(wardField) else { return nil }
        let found: Int?
        if let written = wardLabelsRef._withUnsafeGuaranteedRef({ $0.table.lookup(bytes) }) {
            found = written
        } else if let hit = cache.wards.cached(bytes) {
            found = hit
        } else {
            // Only on a chunk-cache miss: a label any chunk has met is found in the run's memo; a new one is resolved
            // against the study, reached through the context, never copied per row.
            if cache.wards.limit < wardCacheLimit { cache.wards = LabelCache(limit: wardCacheLimit) }
            func resolve(_ b: FieldBytes) -> Int? { NormaliseContext.resolveWard(b, in: self.study) }
            found = sharesWards ? wardMemoRef._withUnsafeGuaranteedRef { $0.value(for: bytes, resolve) } : resolve(bytes)
            cache.wards.store(bytes, found)
        }
        guard let i = found else {
            row.reject("ward", "unknown ward: not an id, name or alias of any ward in study.yaml")
            return nil
        }
        if i == NormaliseContext.excludedWard {
            row.setAside(NormaliseContext.excludedByDesign)
            return nil
        }
        return i
    }

    /// The ward index a cache holds for a ward in `exclude_wards`.
    static let excludedWard = -1
    /// The set-aside reason of rows from wards in `exclude_wards`.
    public static let excludedByDesign = "excluded by design"
}

/// The ward labels study.yaml writes (each ward's id, name and aliases, and each ward in `exclude_wards`), each as
/// written, in upper case and in lower case, with what a cell holding exactly those bytes resolves to. Filled once,
/// when a run starts, by the same resolver a cell meets otherwise, so a cell found here gets what it would have got
/// anyway; then only read (`LabelTable.lookup`), so every thread reads it at once without a lock or a copy.
final class WardLabels: @unchecked Sendable {
    let table: LabelTable<Int?>

    init(study: StudyDefinition, resolve: (FieldBytes, StudyDefinition) -> Int?) {
        var labels: [String] = []
        for ward in study.wards { labels += [ward.id, ward.name] + ward.aliases }
        labels += study.excludedWards
        // Told apart by their bytes (two strings Swift holds equal may be written differently).
        var seen = Set<[UInt8]>(), forms: [[UInt8]] = []
        for label in labels {
            for written in [label, label.uppercased(), label.lowercased()] {
                let bytes = Array(written.utf8)
                if seen.insert(bytes).inserted { forms.append(bytes) }
            }
        }
        var table = LabelTable<Int?>(exactly: forms.count)
        for bytes in forms {
            bytes.withUnsafeBufferPointer { b in table.store(b[...], resolve(b[...], study)) }
        }
        self.table = table
    }
}

/// A row's patient cell, and what this chunk's `PatientCache` knows of it.
struct PatientCell {
    let bytes: FieldBytes
    let seen: PatientCache.Lookup
}

/// Per-export caches of resolved cells, owned by each normaliser.
struct RowLookups {
    /// Ward label → ward index.
    var wards = LabelCache<Int?>()
    /// Patient cell → patient, for the patients this chunk has met.
    var patients = PatientCache()
    /// Other repeated labels (roles in `decided_by`).
    var labels = LabelCache<[String]>()
}
