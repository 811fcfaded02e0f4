/// Every published count of a study's report that relates to others, and what `SecondarySuppression` withholds among
/// them: solved together, since a count withheld in one family (a ward's baseline total) widens what every family it is
/// in (the ward's months, the row accounting) can tell. Each table's families are written beside it: the incidents
/// table's in `ReleasedSafety.swift`, the charts' here, doses given in `HypnoticFamilies.swift`, fidelity, feedback and
/// uptake in their `*Families.swift`, row counts in `RowFamilies.swift`. A family is used only when the exact counts bear
/// it out (a chart that counts what the table leaves out, or the reverse, is no family).
enum ReleaseFamilies {
    /// A count of a table, or a month of a chart (its index in `Evidence.charts`, and the point's).
    enum Ref: Hashable {
        case cell(SafetyResults.CountKey)
        /// A chart point's numerator.
        case point(chart: Int, index: Int)
        /// A p-chart point's denominator (withholding it withholds the point, which hides both).
        case denominator(chart: Int, index: Int)
        /// A count of doses given in the hypnotics table.
        case doses(DoseKey)
        /// A count of regular or PRN doses in the PRN table (its row's index).
        case prnDoses(row: Int, PRNComparison.PRNCount)
        /// A count of the fidelity table (its cell's index in `FidelityResults.cells`).
        case fidelity(cell: Int, FidelityCell.Count)
        /// A count of protected-sleep uptake.
        case uptake(ProtectedSleepUptake.Count)
        /// A row count of an export.
        case rows(ExportKind, ExportTally.RowCount)
        /// A count of feedback.
        case feedback(FeedbackSummary.Count)
        /// Serious incidents in a period.
        case serious(StudyPeriod)
        /// Incidents with no recorded time, in both periods.
        case withoutTime
    }

    /// What to withhold: each table's counts, and each chart's points by index.
    struct Withheld {
        var cells: Set<SafetyResults.CountKey> = []
        var points: [Int: Set<Int>] = [:]
        var doses: Set<DoseKey> = []
        var prn: [Int: Set<PRNComparison.PRNCount>] = [:]
        var fidelity: [Int: Set<FidelityCell.Count>] = [:]
        var uptake: Set<ProtectedSleepUptake.Count> = []
        var rows: [ExportKind: Set<ExportTally.RowCount>] = [:]
        var feedback: Set<FeedbackSummary.Count> = []
        var serious: Set<StudyPeriod> = []
        var withoutTime = false
    }

    /// What a releasable copy of `evidence` withholds under `policy` (`Release.view`; the aggregate a trust shares lists
    /// the same).
    static func withheld(for evidence: Evidence, policy: DisclosurePolicy) -> Withheld {
        var counts: [Ref: Int] = [:]
        var families: [SecondarySuppression.Family<Ref>] = []
        func add(_ more: (counts: [Ref: Int], families: [SecondarySuppression.Family<Ref>])) {
            counts.merge(more.counts) { a, _ in a }
            families += more.families
        }
        /// A table's own counts and families, under `ref`.
        func add<K>(_ more: (counts: [K: Int], families: [SecondarySuppression.Family<K>]), as ref: (K) -> Ref) {
            for (k, n) in more.counts { counts[ref(k)] = n }
            families += more.families.map { .init(total: ref($0.total), parts: $0.parts.map(ref), kind: $0.kind, moreTotals: $0.moreTotals.map(ref)) }
        }
        if let safety = evidence.safety {
            add((safety.counts, safety.families), as: Ref.cell)
            // Serious incidents are some of the incidents over 24 hours, and include every death.
            for period in StudyPeriod.allCases {
                counts[.serious(period)] = safety.serious[period] ?? 0
                func cell(_ category: String) -> Ref { .cell(.init(ward: nil, category: category, window: .allDay, period: period)) }
                families.append(.init(total: cell(IncidentCounts.allCategories), parts: [.serious(period)], kind: .bound))
                for category in safety.categories where Slug.normaliseLabel(category) == "death" {
                    families.append(.init(total: .serious(period), parts: [cell(category)], kind: .bound))
                }
            }
            // Incidents with no recorded time are outside the protected window: with those inside it, on every ward in
            // both periods, they are at most the incidents over 24 hours.
            counts[.withoutTime] = safety.withoutTime
            let wardCells = safety.cells.filter { $0.ward != nil && $0.category == IncidentCounts.allCategories }
            func wardRefs(_ window: TimeWindow) -> [Ref] {
                wardCells.filter { $0.window == window }.flatMap { c in
                    StudyPeriod.allCases.map { Ref.cell(.init(ward: c.ward, category: c.category, window: window, period: $0)) }
                }
            }
            let allDay = wardRefs(.allDay)
            if let first = allDay.first {
                families.append(.init(total: first, parts: [.withoutTime] + wardRefs(.protected), kind: .atMost, moreTotals: Array(allDay.dropFirst())))
            }
        }
        add(chartFamilies(evidence.charts, fidelity: evidence.fidelity))
        if evidence.hypnotics == .administrations { add(doseFamilies(lines: evidence.hypnoticLines, prn: evidence.prn)) }
        if let fidelity = evidence.fidelity { add(fidelityFamilies(fidelity)) }
        if let feedback = evidence.feedback { add(feedback.families(), as: Ref.feedback) }
        add(rowFamilies(evidence))
        if let uptake = evidence.uptake { add(uptake.families(), as: Ref.uptake) }
        families = families.filter { $0.holds(counts) }
        var out = Withheld()
        for ref in SecondarySuppression.withheld(counts: counts, families: families, policy: policy) {
            switch ref {
            case .cell(let k): out.cells.insert(k)
            case .point(let c, let i), .denominator(let c, let i): out.points[c, default: []].insert(i)
            case .doses(let k): out.doses.insert(k)
            case .prnDoses(let r, let k): out.prn[r, default: []].insert(k)
            case .fidelity(let i, let k): out.fidelity[i, default: []].insert(k)
            case .uptake(let k): out.uptake.insert(k)
            case .rows(let export, let k): out.rows[export, default: []].insert(k)
            case .feedback(let k): out.feedback.insert(k)
            case .serious(let p): out.serious.insert(p)
            case .withoutTime: out.withoutTime = true
            }
        }
        return out
    }

    /// The charts' counts (numerators of u- and p-charts, denominators of p-charts) and their families: each chart's
    /// months in a period against the table count they add up to, and a study chart's months against its ward charts'.
    static func chartFamilies(_ charts: [ControlChart], fidelity: FidelityResults?) -> (counts: [Ref: Int], families: [SecondarySuppression.Family<Ref>]) {
        var counts: [Ref: Int] = [:], families: [SecondarySuppression.Family<Ref>] = []
        var byMeasure: [ChartMeasure: [(chart: Int, ward: Int?)]] = [:]
        // The fidelity table's cells by ward and period, the first where there are two (looked up once per chart: a
        // search of every cell each time would take the square of the wards).
        var fidelityCells: [Int?: [StudyPeriod: Int]] = [:]
        for (i, c) in (fidelity?.cells ?? []).enumerated() where fidelityCells[c.ward]?[c.period] == nil {
            fidelityCells[c.ward, default: [:]][c.period] = i
        }
        for (c, chart) in charts.enumerated() where chart.kind == "u" || chart.kind == "p" {
            guard let measure = chart.measure else { continue }
            byMeasure[measure, default: []].append((c, chart.ward))
            for (i, p) in chart.points.enumerated() {
                counts[.point(chart: c, index: i)] = Int(p.numerator.rounded())
                if chart.kind == "p" { counts[.denominator(chart: c, index: i)] = Int(p.denominator.rounded()) }
            }
            // The table counts a period's months add up to: (numerators, denominators).
            func totals(_ period: StudyPeriod) -> (Ref?, Ref?) {
                func fidelityCell(_ ward: Int?) -> Int? { fidelityCells[ward]?[period] }
                switch measure {
                case .incidents, .protectedWindowIncidents:
                    return (.cell(SafetyResults.CountKey(ward: chart.ward, category: IncidentCounts.allCategories,
                                                         window: measure == .incidents ? .allDay : .protected, period: period)), nil)
                case .protectedNightsWithoutRoutineCheck:
                    guard let i = fidelityCell(chart.ward) else { return (nil, nil) }
                    return (.fidelity(cell: i, .withoutRoutineCheck), .fidelity(cell: i, .protectedNights))
                case .protectedSleepUptake:
                    return (chart.ward == nil && period == .pilot ? .uptake(.protectedNights) : nil, nil)
                case .hypnoticDDD:
                    return (nil, nil)
                }
            }
            // A p-chart's month: the numerator is some of the denominator.
            if chart.kind == "p" {
                for i in chart.points.indices {
                    families.append(.init(total: .denominator(chart: c, index: i), parts: [.point(chart: c, index: i)], kind: .bound))
                }
            }
            for period in StudyPeriod.allCases {
                let months = chart.points.indices.filter { chart.points[$0].phase == period }
                guard !months.isEmpty else { continue }
                let (numerators, denominators) = totals(period)
                if let numerators { families.append(.init(total: numerators, parts: months.map { .point(chart: c, index: $0) })) }
                if let denominators { families.append(.init(total: denominators, parts: months.map { .denominator(chart: c, index: $0) })) }
            }
        }
        // A month's incidents inside the protected window are at most its incidents over 24 hours (the study's charts).
        if let night = byMeasure[.protectedWindowIncidents]?.first(where: { $0.ward == nil }),
           let day = byMeasure[.incidents]?.first(where: { $0.ward == nil }) {
            for (i, point) in charts[night.chart].points.enumerated() {
                guard let j = charts[day.chart].points.firstIndex(where: { $0.label == point.label && $0.phase == point.phase }) else { continue }
                families.append(.init(total: .point(chart: day.chart, index: j), parts: [.point(chart: night.chart, index: i)], kind: .bound))
            }
        }
        // Each month of a study's chart against the same month of the ward charts of its measure.
        for measure in byMeasure.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            let group = byMeasure[measure]!
            guard let study = group.first(where: { $0.ward == nil }) else { continue }
            let wards = group.filter { $0.ward != nil }
            guard !wards.isEmpty else { continue }
            for (i, point) in charts[study.chart].points.enumerated() {
                let matching = wards.compactMap { w in
                    charts[w.chart].points.firstIndex { $0.label == point.label && $0.phase == point.phase }.map { (w.chart, $0) }
                }
                families.append(.init(total: .point(chart: study.chart, index: i), parts: matching.map { .point(chart: $0.0, index: $0.1) }))
                if charts[study.chart].kind == "p" {
                    families.append(.init(total: .denominator(chart: study.chart, index: i),
                                          parts: matching.map { .denominator(chart: $0.0, index: $0.1) }))
                }
            }
        }
        return (counts, families)
    }
}
