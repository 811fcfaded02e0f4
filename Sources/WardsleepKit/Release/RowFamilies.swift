/// The row counts a report publishes (rows read, accepted, quarantined and set aside; incidents analysed) and how they
/// make one another, for `SecondarySuppression`: rows read are those accepted and those quarantined; rows set aside for
/// a reason are some of those accepted; and the accepted rows are those set aside and those the report counts: for
/// incidents the rows analysed, which are the table's incidents in its periods over 24 hours, ward by ward; for feedback
/// the responses of every group at every stage; for doses given every ward's doses in both periods; for sleep plans
/// the uptake chart's planned patient-nights. (Each is used only where the exact counts bear it out.)
extension ReleaseFamilies {
    static func rowFamilies(_ evidence: Evidence) -> (counts: [Ref: Int], families: [SecondarySuppression.Family<Ref>]) {
        var counts: [Ref: Int] = [:], families: [SecondarySuppression.Family<Ref>] = []
        for t in evidence.ingest.tallies {
            func ref(_ c: ExportTally.RowCount) -> Ref { .rows(t.export, c) }
            counts[ref(.read)] = t.rowsRead
            counts[ref(.accepted)] = t.accepted
            counts[ref(.quarantined)] = t.quarantined
            let reasons = t.setAside.keys.sorted()
            for r in reasons { counts[ref(.setAside(r))] = t.setAside[r]! }
            families.append(.init(total: ref(.read), parts: [ref(.accepted), ref(.quarantined)]))
            let aside = reasons.map { ref(.setAside($0)) }
            if !aside.isEmpty { families.append(.init(total: ref(.accepted), parts: aside, kind: .bound)) }
            switch t.export {
            case .feedback:
                let cells = FeedbackStage.allCases.flatMap { s in FeedbackGroup.allCases.map { FeedbackSummary.Cell(group: $0, stage: s) } }
                families.append(.init(total: ref(.accepted), parts: aside + cells.map { .feedback(.responses(ward: nil, $0)) }))
            case .hypnotics where evidence.hypnotics == .administrations:
                let wardTotals = evidence.hypnoticLines.indices.filter { evidence.hypnoticLines[$0].ward != nil && evidence.hypnoticLines[$0].group == nil }
                families.append(.init(total: ref(.accepted), parts: aside + wardTotals.flatMap { i in
                    StudyPeriod.allCases.map { Ref.doses(DoseKey(line: i, period: $0)) }
                }))
            case .sleepPlans:
                if let c = evidence.charts.firstIndex(where: { $0.measure == .protectedSleepUptake }) {
                    families.append(.init(total: ref(.accepted), parts: aside + evidence.charts[c].points.indices.map { .denominator(chart: c, index: $0) }))
                }
            case .incidents:
                guard let safety = evidence.safety else { break }
                counts[ref(.analysed)] = evidence.incidentsAnalysed
                families.append(.init(total: ref(.accepted), parts: aside + [ref(.analysed)]))
                // Ward by ward, and (when it adds up every ward) the study's row: interval reasoning sees more through the
                // fewer, larger counts.
                let wards = Set(safety.cells.compactMap(\.ward)).sorted()
                for scope in [[nil]] + [wards.map(Optional.some)] {
                    families.append(.init(total: ref(.analysed), parts: scope.flatMap { w in
                        StudyPeriod.allCases.map { Ref.cell(SafetyResults.CountKey(ward: w, category: IncidentCounts.allCategories, window: .allDay, period: $0)) }
                    }))
                }
            default: break
            }
        }
        return (counts, families)
    }
}
