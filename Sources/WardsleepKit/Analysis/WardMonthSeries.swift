import Foundation

/// Ward-month totals inside each ward's own periods, for the segmented regressions and the quasi-Poisson hypnotic
/// comparison: incidents by category and window, occupied bed days, hypnotic DDDs and units. Always by calendar month,
/// whatever the control charts' interval. Memory grows with wards × months × (categories + products), never with rows.
public final class WardMonthSeries: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.occupancy, .incidents, .hypnotics] }

    /// A ward's month within one of its periods.
    public struct Key: Hashable, Sendable {
        /// Ward index.
        public var ward: Int
        /// The first day of the month.
        public var month: Int
        /// The period.
        public var period: StudyPeriod
    }

    /// Incidents by category (`all` too) and window.
    struct Cell: Hashable { var category: String; var window: TimeWindow }

    let study: StudyDefinition
    let formulary: Formulary
    /// Each formulary drug's DDD in mg, by `DrugIndex`.
    private let dddMg: [Double?]
    /// Occupied bed days by ward-month (a copy of every cell: `frame` looks each up in the cells).
    var bedDays: [Key: Double] {
        var out: [Key: Double] = [:]
        for (k, v) in monthlyCharts?.bedDays ?? bedDayCells.dictionary where k.ward >= 0 {
            out[Key(ward: k.ward, month: k.bucket, period: k.phase)] = v
        }
        return out
    }
    /// The occupied bed days of one ward-month.
    func bedDays(_ k: Key) -> Double? {
        let key = TimeSeries.Key(ward: k.ward, bucket: k.month, phase: k.period)
        if let monthlyCharts { return monthlyCharts.bedDayCell(key) }
        return bedDayCells.value(key)
    }
    /// The control charts' series when they are monthly: they already add each ward-month's bed days, in the same order,
    /// so they are read from there rather than kept twice (a census of thousands of wards holds a cell for every ward
    /// and month).
    private let monthlyCharts: TimeSeries?
    /// Otherwise (weekly charts), the bed days of each ward-month, kept here the same way (ward -1, the study, unused).
    private var bedDayCells: WardIntervalCells
    var incidents: [Key: [Cell: Int]] = [:]
    /// Issues by ward × product, so that the ward × products `HypnoticUse` withholds can be left out: DDDs and units.
    var issues: [HypnoticUse.Key: [Key: (ddd: Double, units: Double)]] = [:]
    /// Doses given: DDDs and doses.
    var given: [Key: (ddd: Double, doses: Int)] { givenCells.dictionary }
    /// The same, one cell per ward-month (one comparison per row while the ward-month stays the same).
    private var givenCells = DenseCells<Key, (ddd: Double, doses: Int)>(zero: (0, 0))
    /// The last day placed in a month and that month's first day: rows of a sorted export repeat the day.
    private var lastDay = CalendarDay(dayNumber: .min), lastMonth = 0
    /// Each ward's last cell: rows of a sorted export take turns between the wards, each staying in one month.
    private var wardHints: [Int] = []
    var administrations = false

    /// Creates empty totals for a study; with `charts`, the control charts' series fed the same census, its bed days
    /// are read when it is monthly rather than added again.
    public init(study: StudyDefinition, formulary: Formulary, charts: TimeSeries? = nil) {
        self.study = study
        self.formulary = formulary
        monthlyCharts = charts?.weekly == false ? charts : nil
        dddMg = formulary.drugs.map(\.dddMg)
        bedDayCells = WardIntervalCells(study: study, weekly: false)
    }

    func key(_ ward: Int, _ day: CalendarDay, _ period: StudyPeriod) -> Key { Key(ward: ward, month: day.startOfMonth.dayNumber, period: period) }

    public func occupancy(_ r: OccupancyRecord) {
        guard monthlyCharts == nil, let p = r.period else { return }
        bedDayCells.add(TimeSeries.Key(ward: r.ward, bucket: month(r.day), phase: p), Double(r.occupiedBeds))
    }

    /// The first day of `day`'s month, remembering the last day asked about (rows of a sorted export repeat the day).
    @inline(__always) private func month(_ day: CalendarDay) -> Int {
        if day != lastDay {
            lastDay = day
            lastMonth = day.startOfMonth.dayNumber
        }
        return lastMonth
    }

    public func incident(_ r: IncidentRecord) {
        guard !r.excludedByStatus, let p = r.timing.period else { return }
        let protected = r.timing.inProtectedWindow == true
        // The ward-month's cells are reached once; its category's and the total's are counted in them.
        func count(_ category: String, in cells: inout [Cell: Int]) {
            cells[Cell(category: category, window: .allDay), default: 0] += 1
            if protected { cells[Cell(category: category, window: .protected), default: 0] += 1 }
        }
        func countBoth(in cells: inout [Cell: Int]) {
            count(r.category, in: &cells)
            if r.category != IncidentCounts.allCategories { count(IncidentCounts.allCategories, in: &cells) }
        }
        countBoth(in: &incidents[key(r.ward, r.day, p), default: [:]])
    }

    public func hypnoticIssue(_ r: HypnoticIssueRecord) {
        guard let p = r.period else { return }
        let mg = r.quantity * (r.product.mgPerUnit ?? 0)
        let ddd = dddMg[r.drug.rawValue].map { mg / $0 } ?? 0
        let k = key(r.ward, r.day, p)
        func add(_ slot: inout (ddd: Double, units: Double)) {
            slot.ddd += ddd
            slot.units += r.product.countable ? r.quantity : 0
        }
        add(&issues[HypnoticUse.Key(ward: r.ward, product: r.product), default: [:]][k, default: (0, 0)])
    }

    public func hypnoticAdministration(_ r: HypnoticAdministrationRecord) {
        administrations = true
        guard r.status == .given, let p = r.timing.period else { return }
        while wardHints.count <= r.ward { wardHints.append(-1) }
        let place = givenCells.place(Key(ward: r.ward, month: month(r.day), period: p), hint: &wardHints[r.ward])
        givenCells[place: place].ddd += dddMg[r.drug.rawValue].map { r.doseMg / $0 } ?? 0
        givenCells[place: place].doses += 1
    }

    /// A ward-month of the frame: its key, its month counted from the first baseline month (1), its first day, the
    /// month the ward's pilot starts, and its exposure.
    typealias FrameRow = (key: Key, month: Int, start: CalendarDay, pilotStart: Int, exposure: Double)

    /// Every ward-month of the wards in scope inside their periods, with its exposure: occupied bed days from the
    /// census (months without a census day have none), or the days of the month inside the period (ward-days).
    func frame(occupancy: Bool) -> [FrameRow] {
        let wards = study.wardsInScope
        guard let first = wards.map({ study.periods(forWard: $0).baseline.from }).min() else { return [] }
        func index(_ d: CalendarDay) -> Int {
            let (y0, m0, _) = first.components, (y, m, _) = d.components
            return (y - y0) * 12 + (m - m0) + 1
        }
        // Made once, at its size: a study of thousands of wards has a ward-month for every ward and month, and an
        // array grown by doubling would briefly hold it one and a half times over.
        var out: [FrameRow] = []  // the type returned: an array of unlabelled tuples would be copied to it
        out.reserveCapacity(wards.reduce(0) { n, w in
            let periods = study.periods(forWard: w)
            return n + StudyPeriod.allCases.reduce(0) { m, p in
                let range = periods[p]
                return m + (range.from <= range.to ? index(range.to) - index(range.from) + 1 : 0)
            }
        })
        for w in wards {
            let periods = study.periods(forWard: w)
            let t0 = index(periods.pilot.from)
            for period in StudyPeriod.allCases {
                let range = periods[period]
                guard range.from <= range.to else { continue }
                var month = range.from.startOfMonth
                while month <= range.to {
                    let (y, m, _) = month.components
                    let next = CalendarDay(year: m == 12 ? y + 1 : y, month: m == 12 ? 1 : m + 1, day: 1)!
                    let k = Key(ward: w, month: month.dayNumber, period: period)
                    let days = Double(min(next.dayNumber, range.to.dayNumber + 1) - max(month.dayNumber, range.from.dayNumber))
                    out.append((k, index(month), month, t0, occupancy ? bedDays(k) ?? 0 : days))
                    month = next
                }
            }
        }
        return out
    }

    /// The interrupted time series: incidents (all and each category, each window in scope) and hypnotic DDDs.
    public func series(categories: [String], hasOccupancy: Bool, hasIncidents: Bool, hasHypnotics: Bool, withheld: Set<HypnoticUse.Key>)
        -> [InterruptedSeries]
    {
        // Nothing to model without incidents or hypnotics: a census alone makes no frame (a ward-month for each of
        // thousands of wards).
        guard hasIncidents || hasHypnotics else { return [] }
        let frame = frame(occupancy: hasOccupancy)
        let one = study.wardsInScope.count == 1 ? study.wardsInScope.first : nil
        var out: [InterruptedSeries] = []
        if hasIncidents {
            for category in categories {
                for window in study.scope.windows {
                    let cell = Cell(category: category, window: window)
                    let rows = frame.map { f in
                        let n = incidents[f.key]?[cell] ?? 0
                        return SegmentRow(ward: f.key.ward, month: f.month, start: f.start, period: f.key.period, pilotStart: f.pilotStart,
                                          amount: Double(n), events: n, exposure: f.exposure)
                    }
                    let unit: ExposureUnit = hasOccupancy ? (window == .allDay ? .occupiedBedDays : .occupiedBedNights) : .days
                    out.append(InterruptedSeries(measure: "incidents", category: category, window: window, ward: one, unit: unit,
                                                 scale: 1000, rows: rows))
                }
            }
        }
        if hasHypnotics {
            let ddd = dddByRow(withheld: withheld)
            let rows = frame.map { f in
                SegmentRow(ward: f.key.ward, month: f.month, start: f.start, period: f.key.period, pilotStart: f.pilotStart,
                           amount: ddd[f.key]?.ddd ?? 0, events: administrations ? ddd[f.key]?.doses ?? 0 : nil, exposure: f.exposure)
            }
            out.append(InterruptedSeries(measure: "hypnotic_ddd", category: nil, window: nil, ward: one,
                                         unit: hasOccupancy ? .occupiedBedDays : .days, scale: 100, rows: rows))
        }
        return out
    }

    /// DDDs (and doses given) per ward-month, issues summed in a fixed order without the withheld ward × products.
    func dddByRow(withheld: Set<HypnoticUse.Key>) -> [Key: (ddd: Double, doses: Int)] {
        guard !administrations else { return given }
        var out: [Key: (ddd: Double, doses: Int)] = [:]
        for product in issues.keys.sorted(by: { ($0.ward, $0.product.label) < ($1.ward, $1.product.label) }) where !withheld.contains(product) {
            for (k, v) in issues[product]! { out[k, default: (0, 0)].ddd += v.ddd }
        }
        return out
    }

    /// The ward-month rows of hypnotic units (tablets and capsules issued, or doses given) for the quasi-Poisson
    /// comparison, without the withheld ward × products.
    public func unitRows(hasOccupancy: Bool, withheld: Set<HypnoticUse.Key>) -> [SegmentRow] {
        var units: [Key: Double] = [:]
        if administrations {
            for (k, v) in given { units[k] = Double(v.doses) }
        } else {
            for product in issues.keys.sorted(by: { ($0.ward, $0.product.label) < ($1.ward, $1.product.label) }) where !withheld.contains(product) {
                for (k, v) in issues[product]! { units[k, default: 0] += v.units }
            }
        }
        return frame(occupancy: hasOccupancy).map { f in
            let u = units[f.key] ?? 0
            return SegmentRow(ward: f.key.ward, month: f.month, start: f.start, period: f.key.period, pilotStart: f.pilotStart, amount: u,
                              events: administrations ? Int(u) : nil, exposure: f.exposure)
        }
    }
}

/// The hypnotic comparison on monthly ward totals: a quasi-Poisson rate ratio, pilot against baseline, with the
/// exposure as offset (`units ~ post + offset(log exposure)`, no ward term, so the estimate is the crude rate ratio of
/// the exact comparison) and a dispersion that widens the interval as far as the months vary more than Poisson.
public struct HypnoticRateModel: Sendable, Codable {
    /// The ward-month rows.
    public var rows: [SegmentRow]
    /// The fit, or why there is none.
    public var outcome: Result<PoissonFit, ModelFailure>
    /// Why a releasable copy does not show it, or `nil`.
    public var withheld: String?

    /// The column of the period effect.
    public static let post = "post"

    /// Fits the model to the rows with exposure.
    public init(rows: [SegmentRow]) {
        self.rows = rows
        let used = rows.filter { $0.exposure > 0 }
        withheld = nil
        if !used.contains(where: { $0.period == .baseline }) || !used.contains(where: { $0.period == .pilot }) {
            outcome = .failure(.tooFewPoints(baseline: Set(used.filter { $0.period == .baseline }.map(\.month)).count,
                                             pilot: Set(used.filter { $0.period == .pilot }.map(\.month)).count, needed: 1))
            return
        }
        outcome = PoissonRegression.fit(y: used.map(\.amount), columns: [("(Intercept)", used.map { _ in 1 }), (Self.post, used.map(\.post))],
                                        offset: used.map { Foundation.log($0.exposure) })
    }

    /// The rate ratio with its interval and p, when fitted and not withheld.
    public var ratio: SegmentParameter? {
        guard withheld == nil, case .success(let fit) = outcome, let e = fit.coefficient(Self.post)?.estimate,
              let ci = fit.interval(Self.post), let p = fit.pValue(Self.post) else { return nil }
        return SegmentParameter(estimate: e, rateRatio: Foundation.exp(e), lower: Foundation.exp(ci.lower), upper: Foundation.exp(ci.upper), p: p)
    }

    /// The dispersion, when fitted and not withheld.
    public var dispersion: Double? {
        guard withheld == nil, case .success(let fit) = outcome else { return nil }
        return fit.dispersion
    }
}
