/// Month-by-month (or week-by-week) totals for the measures charted over time. Memory grows with wards × intervals.
public final class TimeSeries: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.occupancy, .incidents, .hypnotics, .sleepPlans] }

    struct Key: Hashable {
        var ward: Int  // -1: whole study
        var bucket: Int
    }

    let study: StudyDefinition
    let weekly: Bool
    let formulary: Formulary
    var incidents: [Key: Double] = [:]
    var protectedIncidents: [Key: Double] = [:]
    var bedDays: [Key: Double] = [:]
    /// DDDs of doses given per interval (administrations).
    var ddd: [Int: Double] = [:]
    /// Doses given per interval (administrations only): the events behind the DDDs, for disclosure control.
    var doses: [Int: Double] = [:]
    /// Issue DDDs by ward × product and interval (pharmacy issues), so what `HypnoticUse` withholds can be left out.
    var issueDDD: [HypnoticUse.Key: [Int: Double]] = [:]
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
    }

    /// The first day of the interval holding `day` (a calendar month, or a week from Monday).
    func bucket(_ day: CalendarDay) -> Int {
        weekly ? day.adding(days: 1 - day.isoWeekday).dayNumber : day.startOfMonth.dayNumber
    }

    func add(_ map: inout [Key: Double], ward: Int, day: CalendarDay, _ amount: Double) {
        let b = bucket(day)
        map[Key(ward: ward, bucket: b), default: 0] += amount
        map[Key(ward: -1, bucket: b), default: 0] += amount
    }

    public func occupancy(_ r: OccupancyRecord) {
        guard r.period != nil else { return }
        add(&bedDays, ward: r.ward, day: r.day, Double(r.occupiedBeds))
    }

    public func incident(_ r: IncidentRecord) {
        guard !r.excludedByStatus, r.timing.period != nil else { return }
        add(&incidents, ward: r.ward, day: r.day, 1)
        if r.timing.inProtectedWindow == true { add(&protectedIncidents, ward: r.ward, day: r.day, 1) }
    }

    public func hypnoticIssue(_ r: HypnoticIssueRecord) {
        guard r.period != nil, let ddd = formulary.drug(named: r.product.drug)?.dddMg, let mg = r.product.mgPerUnit else { return }
        issueDDD[HypnoticUse.Key(ward: r.ward, product: r.product), default: [:]][bucket(r.day), default: 0] += r.quantity * mg / ddd
    }

    /// DDDs per interval: doses given, or issues without the withheld ward × product totals, summed in a fixed order.
    func chartedDDD() -> [Int: Double] {
        guard !issueDDD.isEmpty else { return ddd }  // administrations: DDDs of doses given, nothing withheld
        let withheld = hypnotics?.withheld ?? []
        var out: [Int: Double] = [:]
        for key in issueDDD.keys.sorted(by: { ($0.ward, $0.product.label) < ($1.ward, $1.product.label) }) where !withheld.contains(key) {
            for (b, v) in issueDDD[key]! { out[b, default: 0] += v }
        }
        return out
    }

    public func hypnoticAdministration(_ r: HypnoticAdministrationRecord) {
        guard r.status == .given, r.timing.period != nil, let ddd = r.drug.dddMg else { return }
        self.ddd[bucket(r.day), default: 0] += r.doseMg / ddd
        doses[bucket(r.day), default: 0] += 1
    }

    public func sleepPlan(_ r: SleepPlanRecord) {
        guard r.period == .pilot else { return }
        let b = bucket(r.night)
        var x = plans[b] ?? (0, 0)
        x.nights += 1
        if r.protected { x.protected += 1 }
        plans[b] = x
    }

    /// The phase an interval belongs to for a ward (or the study), by its first day.
    func phase(_ bucket: Int, ward: Int) -> StudyPeriod? {
        (ward < 0 ? study.periods : study.periods(forWard: ward)).period(of: CalendarDay(dayNumber: bucket))
    }

    func label(_ bucket: Int) -> String {
        let d = CalendarDay(dayNumber: bucket)
        return weekly ? d.iso : String(d.iso.prefix(7))
    }

    func points(ward: Int, numerator: (Int) -> Double, denominator: (Int) -> Double, buckets: [Int]) -> [ChartPoint] {
        buckets.compactMap { b in
            guard let phase = phase(b, ward: ward) else { return nil }
            return ChartPoint(label: label(b), start: CalendarDay(dayNumber: b), phase: phase, value: numerator(b), numerator: numerator(b),
                              denominator: denominator(b), centre: 0, upper: 0, lower: 0, upper2: 0, lower2: 0)
        }
    }

    /// The charts: incidents over 24 hours and in the protected window (u-charts, study and each ward), hypnotic DDDs
    /// per 100 OBD (XmR), and the share of patient-nights protected in the pilot (p-chart, limits from the pilot).
    public func charts(hasOccupancy: Bool, hasIncidents: Bool, hasHypnotics: Bool, hasPlans: Bool) -> [ControlChart] {
        let p = SPCParameters(study.spc)
        let buckets = Set(bedDays.keys.map(\.bucket)).union(incidents.keys.map(\.bucket)).sorted()
        var out: [ControlChart] = []
        let scopeName = study.wardsInScopeName
        let windows = study.scope.windows
        if hasIncidents && hasOccupancy {
            // One chart per ward only when there are several: a one-ward report's study chart is that ward's.
            for ward in [-1] + (study.wardsInScope.count > 1 ? study.wardsInScope : []) {
                let name = ward < 0 ? scopeName : "ward \(study.wards[ward].id)"
                if windows.contains(.allDay) {
                    out.append(SPC.uChart(points(ward: ward, numerator: { self.incidents[Key(ward: ward, bucket: $0)] ?? 0 },
                                                 denominator: { self.bedDays[Key(ward: ward, bucket: $0)] ?? 0 }, buckets: buckets),
                                          scale: 1000, title: "Incidents, \(name)", unit: "per 1,000 occupied bed days", direction: .decrease,
                                          parameters: p))
                }
                if ward < 0 && windows.contains(.protected) {
                    out.append(SPC.uChart(points(ward: ward, numerator: { self.protectedIncidents[Key(ward: ward, bucket: $0)] ?? 0 },
                                                 denominator: { self.bedDays[Key(ward: ward, bucket: $0)] ?? 0 }, buckets: buckets),
                                          scale: 1000, title: "Incidents in the protected window, \(scopeName)",
                                          unit: "per 1,000 occupied bed-nights", direction: .decrease, parameters: p))
                }
            }
        }
        if hasHypnotics && hasOccupancy {
            let ddd = chartedDDD()
            let pts = points(ward: -1, numerator: { ddd[$0] ?? 0 }, denominator: { self.bedDays[Key(ward: -1, bucket: $0)] ?? 0 },
                             buckets: buckets).filter { $0.denominator > 0 }.map { x -> ChartPoint in
                var y = x
                y.value = x.numerator / x.denominator * 100
                if !self.doses.isEmpty { y.events = self.doses[bucket(x.start)] ?? 0 }
                return y
            }
            out.append(SPC.xmr(pts, title: "Hypnotic use, \(scopeName)", unit: "DDD per 100 occupied bed days", direction: .decrease,
                               parameters: p))
        }
        if hasPlans {
            let pts = points(ward: -1, numerator: { self.plans[$0]?.protected ?? 0 }, denominator: { self.plans[$0]?.nights ?? 0 },
                             buckets: plans.keys.sorted())
            out.append(SPC.pChart(pts, title: "Patient-nights with protected sleep, \(scopeName)", direction: .neither, parameters: p))
        }
        return out
    }
}
