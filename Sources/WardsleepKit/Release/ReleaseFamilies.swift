/// The published counts that add up to other published counts, across the incidents table, the incident control
/// charts and the tables of doses given, and what `SecondarySuppression` withholds among them: solved together, since a
/// count withheld in one family (a ward's baseline total) widens what every family it is in (the ward's months) can
/// tell. (The families of doses given are in `HypnoticFamilies.swift`.)
///
/// Families: the table's (each category's study row and its compared wards; each scope's `all` and its categories);
/// each incident u-chart's months in a period against the table's count for its ward (or the study), window and period;
/// and each month of the study's chart against the same month of the ward charts. A family is used only when its parts
/// add up to its total exactly (a chart that counts what the table leaves out, or the reverse, is no family).
enum ReleaseFamilies {
    /// A count of the table, or a month of a chart (its index in `Evidence.charts`, and the point's).
    enum Ref: Hashable {
        case cell(SafetyResults.CountKey)
        case point(chart: Int, index: Int)
        /// A count of doses given in the hypnotics table.
        case doses(DoseKey)
        /// A count of regular or PRN doses in the PRN table (its row's index).
        case prnDoses(row: Int, PRNComparison.PRNCount)
    }

    /// What to withhold: the table's counts, and each chart's points by index.
    struct Withheld {
        var cells: Set<SafetyResults.CountKey> = []
        var points: [Int: Set<Int>] = [:]
        var doses: Set<DoseKey> = []
        var prn: [Int: Set<PRNComparison.PRNCount>] = [:]
    }

    /// What to withhold across the evidence's families; `doses` are the hypnotic lines and PRN rows of an administrations
    /// export (none for pharmacy issues).
    static func withheld(safety: SafetyResults?, charts: [ControlChart], doses: (lines: [HypnoticLine], prn: [PRNComparison]?)?,
                         policy: DisclosurePolicy) -> Withheld {
        var counts: [Ref: Int] = [:]
        var families: [SecondarySuppression.Family<Ref>] = []
        if let doses {
            let d = doseFamilies(lines: doses.lines, prn: doses.prn)
            counts.merge(d.counts) { a, _ in a }
            families += d.families
        }
        if let safety {
            for (k, n) in safety.counts { counts[.cell(k)] = n }
            families += safety.families.map { .init(total: .cell($0.total), parts: $0.parts.map { .cell($0) }) }
        }
        // The incident charts: u-charts titled "Incidents, …" (24 hours) or "Incidents in the protected window, …".
        var byWindow: [TimeWindow: [(chart: Int, ward: Int?)]] = [:]
        for (c, chart) in charts.enumerated() where chart.kind == "u" && chart.title.hasPrefix("Incidents") {
            let window: TimeWindow = chart.title.hasPrefix("Incidents in the protected window") ? .protected : .allDay
            byWindow[window, default: []].append((c, chart.ward))
            for (i, p) in chart.points.enumerated() { counts[.point(chart: c, index: i)] = Int(p.numerator.rounded()) }
            for period in StudyPeriod.allCases {
                let months = chart.points.indices.filter { chart.points[$0].phase == period }.map { Ref.point(chart: c, index: $0) }
                let total = Ref.cell(SafetyResults.CountKey(ward: chart.ward, category: IncidentCounts.allCategories, window: window,
                                                            period: period))
                guard let n = counts[total], !months.isEmpty, months.reduce(0, { $0 + (counts[$1] ?? 0) }) == n else { continue }
                families.append(.init(total: total, parts: months))
            }
        }
        // Each month of the study's chart against the same month of the ward charts.
        for (_, group) in byWindow {
            guard let study = group.first(where: { $0.ward == nil }) else { continue }
            let wards = group.filter { $0.ward != nil }
            guard !wards.isEmpty else { continue }
            for (i, point) in charts[study.chart].points.enumerated() {
                let parts = wards.compactMap { w in
                    charts[w.chart].points.firstIndex { $0.label == point.label && $0.phase == point.phase }.map { Ref.point(chart: w.chart, index: $0) }
                }
                let total = Ref.point(chart: study.chart, index: i)
                guard parts.reduce(0, { $0 + (counts[$1] ?? 0) }) == counts[total] else { continue }
                families.append(.init(total: total, parts: parts))
            }
        }
        // Only what adds up exactly is a family: a relation that does not hold is none an attacker could use either.
        families = families.filter { f in f.parts.reduce(0) { $0 + (counts[$1] ?? 0) } == counts[f.total] }
        var out = Withheld()
        for ref in SecondarySuppression.withheld(counts: counts, families: families, policy: policy) {
            switch ref {
            case .cell(let k): out.cells.insert(k)
            case .point(let c, let i): out.points[c, default: []].insert(i)
            case .doses(let k): out.doses.insert(k)
            case .prnDoses(let r, let k): out.prn[r, default: []].insert(k)
            }
        }
        return out
    }
}
