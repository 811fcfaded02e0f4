/// Accepted data that looks wrong in aggregate, found once every row is in: a ward's census above its beds, and a
/// ward's net hypnotic issues below zero. Each is a sentence for the data-quality section of the summary.
public enum DataQualityFindings {
    /// The findings, in ward order; empty when there are none.
    public static func sentences(study: StudyDefinition, occupancy: OccupancyTotals?, hypnotics: HypnoticUse?,
                                 census: CensusCoverage? = nil) -> [String] {
        var out = censusGaps(study: study, occupancy: occupancy)
        if let census { out += uncoveredEvents(study: study, occupancy: occupancy, census: census) }
        for (ward, over) in (occupancy?.overBeds ?? [:]).sorted(by: { $0.key < $1.key }) {
            let w = study.wards[ward]
            out.append("Occupancy: ward \(w.id)'s census was above its \(NumberFormat.grouped(w.beds)) beds (study.yaml) on "
                       + "\(NumberFormat.grouped(over.days)) day\(over.days == 1 ? "" : "s") in the study periods, at most "
                       + "\(NumberFormat.grouped(over.most)) occupied beds; its rates use the census as recorded.")
        }
        for n in hypnotics?.negativeNet ?? [] {
            let label = n.product.label
            out.append("Hypnotics: more \(label) came back from ward \(study.wards[n.ward].id) than was issued to it in the "
                       + "\(n.period.rawValue) period (net \(units(n.units)) units); issues are missing or a quantity is wrong, so "
                       + "ward \(study.wards[n.ward].id)'s \(label) is left out of every hypnotic figure in both periods.")
        }
        return out
    }

    /// Each dated export that seems to stop short of the study (`ExportTally.coverageGap`): its figures for the missing
    /// period are zeros that count nothing, and a comparison with them reads as a fall to none (or a rise from none).
    public static func coverageGaps(_ ingest: IngestResult) -> [String] {
        ingest.tallies.compactMap { t in
            guard let gap = t.coverageGap else { return nil }
            if t.rowsRead == 0 {
                return "\(t.file) \(gap), so every figure from it is zero, not a count of none: check that the export is complete."
            }
            return "\(t.file) \(gap) though it has rows in the other, so its figures there are zeros, not counts of none: check "
                + "that the export covers both of study.yaml's periods before reading its comparison as a change."
        }
    }

    /// Each export with rows that repeat a reference given further back than the reader's window, and were therefore
    /// counted again (`RepeatedReferences`). No count is given: the console's warning has it.
    public static func repeatedReferences(_ ingest: IngestResult, incidents: Int, feedback: Int) -> [String] {
        [(ExportKind.incidents, incidents, "an incident reference", "incidents", "its incident counts and rates are too high"),
         (.feedback, feedback, "a response id", "responses", "its responses are counted more than once")]
            .compactMap { kind, repeats, what, unit, effect in
            guard repeats > 0, let file = ingest.tally(kind)?.file else { return nil }
            return "\(file) has rows that repeat \(what) given more than \(NumberFormat.grouped(RecentReferences.defaultCapacity)) "
                + "\(unit) before, counted again (an export appended to itself, or two exports with months in common): \(effect). "
                + "Remove the repeated rows and run again."
        }
    }

    /// The wards in scope the study-wide rates leave out for want of a census in a period (`OccupancyTotals.comparedWards`),
    /// each said once: or, when no ward has a census in both periods, that no rate per occupied bed day can be given.
    /// Empty without an occupancy export (exposure is then days in each ward's periods).
    public static func censusGaps(study: StudyDefinition, occupancy: OccupancyTotals?) -> [String] {
        guard let occupancy else { return [] }
        let compared = Set(OccupancyTotals.comparedWards(occupancy, study: study))
        let left = study.wardsInScope.filter { !compared.contains($0) }
        guard !left.isEmpty else { return [] }
        func missing(_ w: Int) -> String {
            StudyPeriod.allCases.filter { occupancy.total(ward: w, period: $0) == 0 }.map(\.rawValue).joined(separator: " and ")
        }
        if compared.isEmpty {
            let periods = StudyPeriod.allCases.filter { p in study.wardsInScope.allSatisfy { occupancy.total(ward: $0, period: p) == 0 } }
            let which = periods.isEmpty ? "no ward has occupied bed days in both periods"
                : "the occupancy export has no occupied bed days in the \(periods.map(\.rawValue).joined(separator: " or the "))"
            return ["Occupancy: \(which), so no rate per occupied bed day can be given (incidents, hypnotic use); check the "
                    + "export's dates against study.yaml's periods."]
        }
        return left.map { w in
            let id = study.wards[w].id
            return "Occupancy: ward \(id) has no occupied bed days in the \(missing(w)), so it is left out of the study-wide rates "
                + "(incidents, hypnotic use) and the pooled estimates; ward \(id)'s own lines show its counts without a rate."
        }
    }

    /// Which wards and periods had incidents or hypnotic use on days without a census, left out of counts and rates
    /// (`CensusCoverage`); no count is given here (the sections give them as published). Said only of the wards the
    /// study-wide rates add up: a ward without a census in a whole period has its own sentence (`censusGaps`).
    static func uncoveredEvents(study: StudyDefinition, occupancy: OccupancyTotals?, census: CensusCoverage) -> [String] {
        let compared = OccupancyTotals.comparedWards(occupancy, study: study)
        var out: [String] = []
        for (export, what) in [(ExportKind.incidents, "incidents"), (.hypnotics, "hypnotic use")] {
            let wards = compared.compactMap { w -> String? in
                let periods = StudyPeriod.allCases.filter { (census.leftOut[export]?[w]?[$0] ?? 0) > 0 }.map(\.rawValue)
                return periods.isEmpty ? nil : "\(study.wards[w].id) (\(periods.joined(separator: " and ")))"
            }
            guard !wards.isEmpty else { continue }
            let days = export == .hypnotics && study.exports[.hypnotics].hypnoticsKind == .issues ? "months" : "days"
            out.append("Occupancy: \(what) on ward-\(days) without a census on ward\(wards.count == 1 ? "" : "s") "
                       + "\(wards.joined(separator: ", ")) \(export == .incidents ? "are" : "is") left out of counts and rates, so that "
                       + "events and occupied bed days cover the same days.")
        }
        return out
    }

    static func units(_ u: Double) -> String {
        let whole = u.rounded()
        return whole == u && abs(u) < 1e15 ? NumberFormat.grouped(Int(whole)) : NumberFormat.fixed(u, 1)
    }
}
