/// Accepted data that looks wrong in aggregate, found once every row is in: a ward's census above its beds, and a
/// ward's net hypnotic issues below zero. Each is a sentence for the data-quality section of the summary.
public enum DataQualityFindings {
    /// The findings, in ward order; empty when there are none.
    public static func sentences(study: StudyDefinition, occupancy: OccupancyTotals?, hypnotics: HypnoticUse?) -> [String] {
        var out: [String] = []
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

    static func units(_ u: Double) -> String {
        let whole = u.rounded()
        return whole == u && abs(u) < 1e15 ? NumberFormat.grouped(Int(whole)) : NumberFormat.fixed(u, 1)
    }
}
