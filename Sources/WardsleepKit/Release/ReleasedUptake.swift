/// Protected-sleep uptake as a copy of the report shows it: patient counts published, and the percentages with their
/// exact intervals, and the pooled and unweighted summaries, computed from the published counts.
extension ProtectedSleepUptake {
    /// Uptake per ward and study-wide as shown in `style` (counts published, percentages from published counts).
    public func shown(study: StudyDefinition, style: CountStyle)
        -> (rows: [(ward: String, patients: String, protected: String, share: Proportion?)], summary: UptakeSummary)
    {
        var rows: [(String, String, String, Proportion?)] = []
        var counts: [(protected: Int, patients: Int)] = []
        for w in wards.keys.sorted() {
            let n = shown(.patients(ward: w), style: style), k = shown(.protectedPatients(ward: w), style: style)
            let share = (n.1 != nil && k.1 != nil && n.1! > 0) ? Proportion(x: k.1!, n: n.1!) : nil
            if let share { counts.append((share.x, share.n)) }
            rows.append((study.wards[w].id, n.0, k.0, share))
        }
        let n = shown(.patients(ward: nil), style: style), k = shown(.protectedPatients(ward: nil), style: style)
        rows.append(("all", n.0, k.0, (n.1 != nil && k.1 != nil && n.1! > 0) ? Proportion(x: k.1!, n: n.1!) : nil))
        return (rows, UptakeSummary(counts))
    }

    /// Protected nights per 100 occupied bed-nights on the wards with plans in the pilot, from the published count of
    /// protected nights; `nil` without an occupancy export, without bed-nights or when the count is suppressed.
    public func protectedNightsPer100(occupancy: OccupancyTotals?, style: CountStyle) -> Double? {
        guard let occupancy else { return nil }
        let bedNights = wards.keys.reduce(0) { $0 + occupancy.total(ward: $1, period: .pilot) }
        guard bedNights > 0, let nights = shown(.protectedNights, style: style).value else { return nil }
        return Double(nights) / Double(bedNights) * 100
    }

    /// A share of protected nights (decisions with the MDT, say) as shown: both counts published, and the percentage
    /// from the published counts, `nil` when either is suppressed or there is nothing to share.
    public func share(_ k: Count, of n: Count, style: CountStyle) -> (count: (text: String, value: Int?), of: (text: String, value: Int?), percent: Double?) {
        let kk = shown(k, style: style), nn = shown(n, style: style)
        guard let x = kk.value, let y = nn.value, y > 0 else { return (kk, nn, nil) }
        return (kk, nn, Double(x) / Double(y) * 100)
    }
}
