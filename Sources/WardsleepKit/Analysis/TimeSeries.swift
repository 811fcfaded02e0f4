/// Month-by-month (or week-by-week) totals for the measures charted over time. Memory grows with wards × intervals.
///
/// Every total is kept by interval *and* by the period its records belong to under their own ward's dates, so a point
/// holds only events of one period: under a staggered roll-out, a month in which some wards are in their baseline and
/// others in their pilot gives two points (one in each phase), never a "pilot" point holding baseline events. A chart
/// lists its baseline points, then its pilot points, each in time order.
public final class TimeSeries: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.occupancy, .incidents, .hypnotics, .sleepPlans] }

    /// A ward (-1: the whole study), an interval and a period: 12 bytes, as a census of thousands of wards has a cell
    /// per ward and interval (a ward index and an interval's first day, a day number of a period's date, fit 32 bits).
    struct Key: Hashable {
        private let wardIndex: Int32, bucketIndex: Int32
        /// The period of the records counted, by their own ward's dates.
        let phase: StudyPeriod

        init(ward: Int, bucket: Int, phase: StudyPeriod) {
            wardIndex = Int32(ward)
            bucketIndex = Int32(bucket)
            self.phase = phase
        }

        var ward: Int { Int(wardIndex) }
        var bucket: Int { Int(bucketIndex) }
    }

    /// An interval in one period.
    struct Slot: Hashable {
        var bucket: Int
        var phase: StudyPeriod
    }

    let study: StudyDefinition
    let weekly: Bool
    let formulary: Formulary
    /// Each formulary drug's DDD in mg, by `DrugIndex`.
    private let dddMg: [Double?]
    var incidents: [Key: Double] = [:]
    var protectedIncidents: [Key: Double] = [:]
    /// Occupied bed days by ward (and -1, the study) and interval (a copy of every cell: `bedDays(_:)` looks one up).
    var bedDays: [Key: Double] { bedDayCells.dictionary }
    /// Occupied bed days of one ward (or -1, the study) and interval.
    func bedDays(_ key: Key) -> Double { bedDayCell(key) ?? 0 }
    /// The same, `nil` for an interval without a census day.
    func bedDayCell(_ key: Key) -> Double? { bedDayCells.value(key) }
    /// The same, a cell per ward, interval and period of the study.
    private var bedDayCells: WardIntervalCells
    /// DDDs of doses given per interval (administrations).
    var ddd: [Slot: Double] { given.dictionary.mapValues(\.ddd) }
    /// Doses given per interval (administrations only): the events behind the DDDs, for disclosure control.
    var doses: [Slot: Double] { given.dictionary.mapValues(\.doses) }
    /// DDDs and doses given per interval, one cell per slot (one comparison per row while the slot stays the same).
    private var given = DenseCells<Slot, (ddd: Double, doses: Double)>(zero: (0, 0))
    /// The last day bucketed and its bucket: rows of a sorted export repeat the day.
    private var lastDay = CalendarDay(dayNumber: .min), lastBucket = 0
    /// Issue DDDs by ward × product and interval (pharmacy issues), so what `HypnoticUse` withholds can be left out.
    var issueDDD: [HypnoticUse.Key: [Slot: Double]] = [:]
    /// The hypnotic totals, which say what is withheld.
    let hypnotics: HypnoticUse?
    var plans: [Int: (nights: Double, protected: Double)] = [:]

    /// Creates empty series for a study (`spc.interval` month or week); `hypnotics` says which ward × product totals
    /// are withheld (net issues below zero) and so left out of the hypnotic chart.
    public init(study: StudyDefinition, formulary: Formulary, hypnotics: HypnoticUse? = nil) {
        self.study = study
        self.hypnotics = hypnotics
        weekly = study.spc.interval == "week"
        self.formulary = formulary
        dddMg = formulary.drugs.map(\.dddMg)
        bedDayCells = WardIntervalCells(study: study, weekly: weekly)
    }

    /// The first day of the interval holding `day` (a calendar month, or a week from Monday).
    func bucket(_ day: CalendarDay) -> Int { TimeSeries.bucket(day, weekly: weekly) }

    /// The first day of the calendar month or (`weekly`) the week from Monday holding `day`.
    static func bucket(_ day: CalendarDay, weekly: Bool) -> Int {
        weekly ? day.adding(days: 1 - day.isoWeekday).dayNumber : day.startOfMonth.dayNumber
    }

    /// `bucket(day)`, remembering the last day asked about.
    @inline(__always) func lastBucket(_ day: CalendarDay) -> Int {
        if day != lastDay {
            lastDay = day
            lastBucket = bucket(day)
        }
        return lastBucket
    }

    func add(_ map: inout [Key: Double], ward: Int, day: CalendarDay, phase: StudyPeriod, _ amount: Double) {
        let b = lastBucket(day)
        map[Key(ward: ward, bucket: b, phase: phase), default: 0] += amount
        map[Key(ward: -1, bucket: b, phase: phase), default: 0] += amount
    }

    public func occupancy(_ r: OccupancyRecord) {
        guard let period = r.period else { return }
        let b = lastBucket(r.day), beds = Double(r.occupiedBeds)
        addBedDays(ward: r.ward, bucket: b, phase: period, beds)
        addBedDays(ward: -1, bucket: b, phase: period, beds)
    }

    /// Adds to the bed days of one ward (or -1, the study) and interval.
    func addBedDays(ward: Int, bucket: Int, phase: StudyPeriod, _ beds: Double) {
        bedDayCells.add(Key(ward: ward, bucket: bucket, phase: phase), beds)
    }

    public func incident(_ r: IncidentRecord) {
        guard !r.excludedByStatus, let period = r.timing.period else { return }
        add(&incidents, ward: r.ward, day: r.day, phase: period, 1)
        if r.timing.inProtectedWindow == true { add(&protectedIncidents, ward: r.ward, day: r.day, phase: period, 1) }
    }

    public func hypnoticIssue(_ r: HypnoticIssueRecord) {
        guard let period = r.period, let ddd = dddMg[r.drug.rawValue], let mg = r.product.mgPerUnit else { return }
        issueDDD[HypnoticUse.Key(ward: r.ward, product: r.product), default: [:]][Slot(bucket: bucket(r.day), phase: period), default: 0]
            += r.quantity * mg / ddd
    }

    /// DDDs per interval: doses given, or issues without the withheld ward × product totals, summed in a fixed order.
    func chartedDDD() -> [Slot: Double] {
        guard !issueDDD.isEmpty else { return ddd }  // administrations: DDDs of doses given, nothing withheld
        let withheld = hypnotics?.withheld ?? []
        var out: [Slot: Double] = [:]
        for key in issueDDD.keys.sorted(by: { ($0.ward, $0.product.label) < ($1.ward, $1.product.label) }) where !withheld.contains(key) {
            for (b, v) in issueDDD[key]! { out[b, default: 0] += v }
        }
        return out
    }

    public func hypnoticAdministration(_ r: HypnoticAdministrationRecord) {
        guard r.status == .given, let period = r.timing.period, let ddd = dddMg[r.drug.rawValue] else { return }
        let place = given.place(Slot(bucket: lastBucket(r.day), phase: period))
        given[place: place].ddd += r.doseMg / ddd
        given[place: place].doses += 1
    }

    public func sleepPlan(_ r: SleepPlanRecord) {
        guard r.period == .pilot else { return }
        func add(_ x: inout (nights: Double, protected: Double)) {
            x.nights += 1
            if r.protected { x.protected += 1 }
        }
        add(&plans[lastBucket(r.night), default: (0, 0)])
    }

    func label(_ bucket: Int) -> String {
        let d = CalendarDay(dayNumber: bucket)
        return weekly ? d.iso : String(d.iso.prefix(7))
    }

    /// One point per slot: baseline slots first, then pilot slots, each in time order.
    func points(numerator: (Slot) -> Double, denominator: (Slot) -> Double, slots: Set<Slot>) -> [ChartPoint] {
        slots.sorted { ($0.phase == .pilot ? 1 : 0, $0.bucket) < ($1.phase == .pilot ? 1 : 0, $1.bucket) }.map { s in
            ChartPoint(label: label(s.bucket), start: CalendarDay(dayNumber: s.bucket), phase: s.phase, value: numerator(s),
                       numerator: numerator(s), denominator: denominator(s), centre: 0, upper: 0, lower: 0, upper2: 0, lower2: 0)
        }
    }

    /// The slots with exposure or events, by ward (-1: the study), in one pass over the totals: picking each ward's
    /// out of every key, ward by ward, took time in the square of the wards.
    func slotsByWard() -> [Int: Set<Slot>] {
        var out: [Int: Set<Slot>] = [:]
        bedDayCells.forEach { k, _ in out[k.ward, default: []].insert(Slot(bucket: k.bucket, phase: k.phase)) }
        for k in incidents.keys { out[k.ward, default: []].insert(Slot(bucket: k.bucket, phase: k.phase)) }
        return out
    }

    /// The charts: incidents over 24 hours and in the protected window (u-charts, study and each ward), hypnotic DDDs
    /// per 100 OBD (XmR), and the share of patient-nights protected in the pilot (p-chart, limits from the pilot).
    public func charts(hasOccupancy: Bool, hasIncidents: Bool, hasHypnotics: Bool, hasPlans: Bool) -> [ControlChart] {
        let p = SPCParameters(study.spc)
        var out: [ControlChart] = []
        func key(_ ward: Int, _ s: Slot) -> Key { Key(ward: ward, bucket: s.bucket, phase: s.phase) }
        let scopeName = study.wardsInScopeName
        let windows = study.scope.windows
        if hasIncidents && hasOccupancy {
            // One chart per ward only when there are several: a one-ward report's study chart is that ward's.
            let slotsByWard = slotsByWard()
            for ward in [-1] + (study.wardsInScope.count > 1 ? study.wardsInScope : []) {
                let name = ward < 0 ? scopeName : "ward \(study.wards[ward].id)"
                let slots = slotsByWard[ward] ?? []
                if windows.contains(.allDay) {
                    var chart = SPC.uChart(points(numerator: { self.incidents[key(ward, $0)] ?? 0 },
                                                  denominator: { self.bedDays(key(ward, $0)) }, slots: slots),
                                           scale: 1000, title: "Incidents, \(name)", unit: "per 1,000 occupied bed days", direction: .decrease,
                                           parameters: p)
                    chart.ward = ward < 0 ? nil : ward
                    chart.measure = .incidents
                    out.append(chart)
                }
                if ward < 0 && windows.contains(.protected) {
                    var chart = SPC.uChart(points(numerator: { self.protectedIncidents[key(ward, $0)] ?? 0 },
                                                  denominator: { self.bedDays(key(ward, $0)) }, slots: slots),
                                           scale: 1000, title: "Incidents in the protected window, \(scopeName)",
                                           unit: "per 1,000 occupied bed-nights", direction: .decrease, parameters: p)
                    chart.measure = .protectedWindowIncidents
                    out.append(chart)
                }
            }
        }
        if hasHypnotics && hasOccupancy {
            let ddd = chartedDDD(), doses = self.doses
            let pts = points(numerator: { ddd[$0] ?? 0 }, denominator: { self.bedDays(key(-1, $0)) },
                             slots: slotsByWard()[-1] ?? []).filter { $0.denominator > 0 }.map { x -> ChartPoint in
                var y = x
                y.value = x.numerator / x.denominator * 100
                if !doses.isEmpty { y.events = doses[Slot(bucket: self.bucket(x.start), phase: x.phase)] ?? 0 }
                return y
            }
            var chart = SPC.xmr(pts, title: "Hypnotic use, \(scopeName)", unit: "DDD per 100 occupied bed days", direction: .decrease,
                                parameters: p)
            chart.measure = .hypnoticDDD
            out.append(chart)
        }
        if hasPlans {
            let pts = points(numerator: { self.plans[$0.bucket]?.protected ?? 0 }, denominator: { self.plans[$0.bucket]?.nights ?? 0 },
                             slots: Set(plans.keys.map { Slot(bucket: $0, phase: .pilot) }))
            var chart = SPC.pChart(pts, title: "Patient-nights with protected sleep, \(scopeName)", direction: .neither, parameters: p)
            chart.measure = .protectedSleepUptake
            out.append(chart)
        }
        return out
    }
}
