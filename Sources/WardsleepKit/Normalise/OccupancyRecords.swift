/// One ward's midnight census on one day: the exposure for every rate.
public struct OccupancyRecord: Sendable, Equatable {
    /// The census date.
    public var day: CalendarDay
    /// Index of the ward in the study.
    public var ward: Int
    /// Occupied beds at midnight: the day's occupied bed days. With `obd_includes_leave: false`, beds of patients on
    /// leave are taken off (`occupied_beds − leave_beds`).
    public var occupiedBeds: Int
    /// Beds held for patients on leave, when exported.
    public var leaveBeds: Int?
    /// The period the day falls in for this ward.
    public var period: StudyPeriod?
    /// The date cell as written (`02/01/2019`, `2019-01-02`), shown when the ward-day is quarantined as a repeat. A date
    /// is short, so this is held inline (no allocation) in nearly every row.
    public var dateAsWritten: String = ""
}

/// Reads occupancy rows. A ward-day given twice is quarantined the second time (it would double the exposure).
public struct OccupancyNormaliser: RecordNormaliser {
    let context: NormaliseContext

    public var dateOrder: DateOrder { context.dateOrder(.occupancy) }
    var lookups = RowLookups()
    var seen: WardDaySet
    /// The fields read on every row, named once (see `FieldName`).
    let dateField = FieldName("date"), bedsField = FieldName("occupied_beds"), leaveField = FieldName("leave_beds")
    /// Whether occupied bed days count patients on leave (`obd_includes_leave`).
    let includesLeave: Bool

    /// Creates the normaliser; `spec` says whether occupied bed days include leave.
    public init(context: NormaliseContext, spec: ExportSpec? = nil) {
        self.context = context
        seen = WardDaySet(study: context.study)
        includesLeave = (spec ?? context.study.exports[.occupancy]).obdIncludesLeave
    }

    public func prepare(header: ExportHeader, spec: ExportSpec) throws {
        guard !includesLeave, header.index["leave_beds"] == nil else { return }
        throw ConfigurationError(file: spec.file, keyPath: "exports.occupancy.obd_includes_leave", line: 1,
                                 message: "is false, so leave must be taken off the occupied beds, but the export has no leave_beds "
                                     + "column (map it in exports.occupancy.columns.leave_beds)")
    }

    public mutating func normalise(_ row: inout ExportRow) -> OccupancyRecord? {
        let order = context.dateOrder(.occupancy)
        let day = row.date(dateField, required: true, order: order)
        let ward = context.ward(&row, cache: &lookups)
        let beds = row.parse(bedsField, required: true, bedCount)
        let leave = row.parse(leaveField, bedCount)
        if !includesLeave, let beds, let leave, leave > beds {
            row.reject("leave_beds", "more beds on leave (\(leave)) than occupied (\(beds)): occupied beds must include those on leave")
        }
        guard let day, let ward, let beds, row.isClean else { return nil }
        return OccupancyRecord(day: day, ward: ward, occupiedBeds: includesLeave ? beds : beds - (leave ?? 0), leaveBeds: leave,
                               period: context.wardPeriods[ward].period(of: day),
                               dateAsWritten: row.bytes(dateField).map { TextDecoding.decode($0).0 } ?? "")
    }

    public var placesRowsInPeriods: Bool { true }
    public func period(of r: OccupancyRecord) -> StudyPeriod? { r.period }

    public func setAsideReason(_ r: OccupancyRecord) -> String? { r.period == nil ? "outside both periods" : nil }

    /// A ward-day given twice is quarantined the second time: checked in file order, across the whole file.
    public mutating func admit(_ r: OccupancyRecord) -> (field: String, value: String, reason: String)? {
        guard !seen.insert(ward: r.ward, day: r.day) else { return nil }
        return ("date", r.dateAsWritten,
                "duplicate census: ward \(context.study.wards[r.ward].id) on \(r.day.ukFormatted) appears earlier in the file")
    }
}

/// A count of beds on one ward on one day: 0 to `PlausibleLimits.occupiedBeds`.
func bedCount(_ b: some FieldByteCollection) throws(FieldIssue) -> Int {
    try FieldParsing.integer(b, in: 0...PlausibleLimits.occupiedBeds, below: "negative count: expected 0 or more",
                             above: "implausible count: more than \(NumberFormat.grouped(PlausibleLimits.occupiedBeds)) beds on one ward "
                                + "on one day")
}

/// The ward-days already seen, as one bitset per ward over the span of the study periods: flat memory, whatever the
/// size of the export. Days outside the span are not tracked (they are outside both periods). A ward's bitset is made
/// when its first census arrives, so wards listed in study.yaml but absent from the export cost nothing.
struct WardDaySet {
    let first: Int
    let span: Int
    var bits: [[UInt64]]

    init(study: StudyDefinition) {
        var lo = Int.max, hi = Int.min
        for i in study.wards.indices {
            let p = study.periods(forWard: i)
            lo = min(lo, p.baseline.from.dayNumber, p.pilot.from.dayNumber)
            hi = max(hi, p.baseline.to.dayNumber, p.pilot.to.dayNumber)
        }
        first = lo
        span = hi - lo + 1
        bits = Array(repeating: [], count: study.wards.count)
    }

    /// Marks a ward-day; returns false when it was already marked.
    mutating func insert(ward: Int, day: CalendarDay) -> Bool {
        let offset = day.dayNumber - first
        guard offset >= 0, offset < span else { return true }
        if bits[ward].isEmpty { bits[ward] = Array(repeating: 0, count: (span + 63) / 64) }
        let (word, bit) = (offset / 64, UInt64(1) << UInt64(offset % 64))
        if bits[ward][word] & bit != 0 { return false }
        bits[ward][word] |= bit
        return true
    }
}
