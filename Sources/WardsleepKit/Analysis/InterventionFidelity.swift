/// A ward, period and calendar month of protected nights.
struct FidelityMonthKey: Hashable {
    var ward: Int
    var period: StudyPeriod
    var month: CalendarDay
}

/// Fidelity for one ward (or all wards) in one period, with exact counts.
public struct FidelityCell: Sendable, Equatable, Codable {
    /// The ward's index, or `nil` for all wards in scope.
    public var ward: Int?
    /// Baseline or pilot.
    public var period: StudyPeriod
    /// Patient-nights with protected sleep in the plans.
    public var protectedNights = 0
    /// Protected patient-nights with no routine check inside the window.
    public var protectedNightsWithoutRoutineCheck = 0
    /// The checks inside the window.
    public var checks = FidelityTally.Checks()
    /// Occupied bed-nights (occupied bed days from the census; beds × nights without an occupancy export).
    public var bedNights = 0.0
    /// In a released copy: the counts withheld to protect a small one (`SecondarySuppression`), shown as `*`.
    public var withheld: Set<Count>? = nil
}

/// The fidelity of the intervention for a run: per ward and study-wide, baseline and pilot, the monthly series for the
/// p-charts, and the checks-per-bed-night comparison.
public struct FidelityResults: Sendable, Codable {
    /// Cells in order: each ward in scope (baseline, pilot), then all wards.
    public var cells: [FidelityCell]
    /// Monthly protected nights and nights without a routine check, per ward (`-1`: all wards), pilot and baseline.
    public var months: [FidelityMonth]
    /// Whether bed-nights come from an occupancy export.
    public var exposureFromOccupancy: Bool
    /// Plans repeating a patient-night (the first was kept).
    public var repeatedPlans: Int
    /// Wards in scope with no row in the observation log: left out of every fidelity figure, and named.
    public var wardsWithoutLog: [Int]

    /// Works the results out from the tally; `occupancy` is `nil` without an occupancy export.
    public init(_ tally: FidelityTally, study: StudyDefinition, occupancy: OccupancyTotals?) {
        exposureFromOccupancy = occupancy != nil
        repeatedPlans = tally.repeatedPlans
        let logged = study.wardsInScope.filter(tally.isLogged)
        wardsWithoutLog = study.wardsInScope.filter { !tally.isLogged($0) }
        let byMonth = tally.protectedNights().filter { tally.isLogged($0.key.ward) }
        // Protected nights, and those with no routine check, by ward (`nil`: all wards) and period, gathered in one pass
        // over the months rather than once per ward.
        var nights: [Int?: [StudyPeriod: (all: Int, withoutRoutine: Int)]] = [:]
        for (k, v) in byMonth {
            for ward in [k.ward, nil] {
                let sum = nights[ward]?[k.period] ?? (0, 0)
                nights[ward, default: [:]][k.period] = (sum.all + v.nights, sum.withoutRoutine + v.withoutRoutine)
            }
        }
        var cells: [FidelityCell] = []
        for ward in logged.map(Optional.some) + [nil] {
            for period in StudyPeriod.allCases {
                var c = FidelityCell(ward: ward, period: period)
                if let sum = nights[ward]?[period] {
                    c.protectedNights = sum.all
                    c.protectedNightsWithoutRoutineCheck = sum.withoutRoutine
                }
                for w in ward.map({ [$0] }) ?? logged {
                    let x = tally.checks(ward: w, period: period)
                    c.checks.inWindow += x.inWindow
                    c.checks.routineOnProtected += x.routineOnProtected
                    c.checks.clinicalNeedOnProtected += x.clinicalNeedOnProtected
                    c.checks.enhancedOnProtected += x.enhancedOnProtected
                    c.checks.withoutPlan += x.withoutPlan
                    c.bedNights += occupancy.map { Double($0.total(ward: w, period: period)) }
                        ?? Double(study.wards[w].beds * study.daysInScope(study.periods(forWard: w)[period]))
                }
                cells.append(c)
            }
        }
        self.cells = cells
        var months: [FidelityMonth] = []
        var all: [FidelityMonthKey: (Int, Int)] = [:]
        for (k, v) in byMonth {
            months.append(FidelityMonth(ward: k.ward, month: k.month, period: k.period, nights: v.nights, withoutRoutine: v.withoutRoutine))
            let a = FidelityMonthKey(ward: -1, period: k.period, month: k.month)
            let x = all[a] ?? (0, 0)
            all[a] = (x.0 + v.nights, x.1 + v.withoutRoutine)
        }
        for (k, v) in all { months.append(FidelityMonth(ward: -1, month: k.month, period: k.period, nights: v.0, withoutRoutine: v.1)) }
        self.months = months.sorted { ($0.ward, $0.month.dayNumber) < ($1.ward, $1.month.dayNumber) }
    }

    /// "ward A1" or "wards A1, D1".
    static func wardsName(_ wards: [Int], _ study: StudyDefinition) -> String {
        (wards.count == 1 ? "ward " : "wards ") + wards.map { study.wards[$0].id }.joined(separator: ", ")
    }

    /// The cell of a ward (or all wards) in a period.
    public func cell(ward: Int?, period: StudyPeriod) -> FidelityCell? {
        cells.first { $0.ward == ward && $0.period == period }
    }

    /// Every cell by ward (`nil`: all wards) and period, the first where there are two, as `cell(ward:period:)` finds
    /// it: for a loop over the wards, which would otherwise search the cells once per ward, in the square of the wards.
    public func cellsByWard() -> [Int?: [StudyPeriod: FidelityCell]] {
        var out: [Int?: [StudyPeriod: FidelityCell]] = [:]
        for c in cells where out[c.ward]?[c.period] == nil { out[c.ward, default: [:]][c.period] = c }
        return out
    }

    /// Whether anything was planned as protected or checked: without either there is nothing to report.
    public var isEmpty: Bool { cells.allSatisfy { $0.protectedNights == 0 && $0.checks.inWindow == 0 } }

    /// Monthly p-charts of the share of protected nights with no routine check in the window, for all wards and each
    /// ward with protected nights. Points are the months of each ward's own periods; limits from the baseline months
    /// when there are any, otherwise (protected sleep starts with the pilot) from the pilot months, as trial limits.
    public func charts(study: StudyDefinition) -> [ControlChart] {
        let p = SPCParameters(study.spc)
        var out: [ControlChart] = []
        // One chart per ward only when there are several: a one-ward report's chart is that ward's.
        let withoutLog = Set(wardsWithoutLog), monthsByWard = Dictionary(grouping: months, by: \.ward)
        let logged = study.wardsInScope.filter { !withoutLog.contains($0) }
        for ward in [-1] + (logged.count > 1 ? logged : []) {
            let rows = monthsByWard[ward] ?? []
            guard !rows.isEmpty else { continue }
            let points = rows.map { m in
                ChartPoint(label: String(m.month.iso.prefix(7)), start: m.month, phase: m.period, value: Double(m.withoutRoutine),
                           numerator: Double(m.withoutRoutine), denominator: Double(m.nights), centre: 0, upper: 0, lower: 0,
                           upper2: 0, lower2: 0)
            }
            let name = ward < 0 ? (wardsWithoutLog.isEmpty ? study.wardsInScopeName : FidelityResults.wardsName(logged, study))
                : "ward \(study.wards[ward].id)"
            var chart = SPC.pChart(points, title: "Protected nights with no routine check, \(name)", direction: .increase, parameters: p)
            chart.ward = ward < 0 ? nil : ward
            chart.measure = .protectedNightsWithoutRoutineCheck
            out.append(chart)
        }
        return out
    }
}

/// Protected nights in one month of one ward (`ward` −1: every ward with a log), for the p-charts.
public struct FidelityMonth: Sendable, Equatable, Codable {
    /// Ward index, or −1 for the study.
    public var ward: Int
    /// The first day of the month.
    public var month: CalendarDay
    /// The period the month's nights fall in.
    public var period: StudyPeriod
    /// Protected patient-nights.
    public var nights: Int
    /// Of those, nights with no routine check in the window.
    public var withoutRoutine: Int
}
