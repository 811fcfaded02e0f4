/// The row counts a report publishes (rows read, accepted, quarantined and set aside; incidents analysed) and how they
/// make one another, for `SecondarySuppression`: rows read are those accepted and those quarantined; rows set aside for
/// a reason are some of those accepted; and for incidents the accepted rows are those set aside and those analysed, which
/// are the incidents the table counts in its periods over 24 hours, ward by ward.
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
            if !reasons.isEmpty { families.append(.init(total: ref(.accepted), parts: reasons.map { ref(.setAside($0)) }, kind: .bound)) }
            guard t.export == .incidents, let safety = evidence.safety else { continue }
            counts[ref(.analysed)] = evidence.incidentsAnalysed
            families.append(.init(total: ref(.accepted), parts: reasons.map { ref(.setAside($0)) } + [ref(.analysed)]))
            // Ward by ward, and (when it adds up every ward) the study's row: interval reasoning sees more through the
            // fewer, larger counts.
            let wards = Set(safety.cells.compactMap(\.ward)).sorted()
            for scope in [[nil]] + [wards.map(Optional.some)] {
                families.append(.init(total: ref(.analysed), parts: scope.flatMap { w in
                    StudyPeriod.allCases.map { Ref.cell(SafetyResults.CountKey(ward: w, category: IncidentCounts.allCategories, window: .allDay, period: $0)) }
                }))
            }
        }
        return (counts, families)
    }
}
