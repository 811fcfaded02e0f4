/// The words and column names for the exposure every hypnotic and incident rate is per: occupied bed days from the
/// occupancy export, or ward-days (days in each ward's periods) without one. Every sentence, heading and column name
/// takes them from here, so a report without occupancy never says "occupied bed days".
public struct ExposureWords: Sendable, Equatable {
    /// Whether exposure comes from an occupancy export.
    public var fromOccupancy: Bool

    /// Words for `fromOccupancy`.
    public init(fromOccupancy: Bool) { self.fromOccupancy = fromOccupancy }

    /// "occupied bed days" / "ward-days".
    public var plural: String { fromOccupancy ? "occupied bed days" : "ward-days" }
    /// "occupied bed day" / "ward-day".
    public var singular: String { fromOccupancy ? "occupied bed day" : "ward-day" }
    /// "per 100 occupied bed days" / "per 100 ward-days".
    public var per100: String { "per 100 \(plural)" }
    /// "per 1,000 occupied bed days" / "per 1,000 ward-days".
    public var per1000: String { "per 1,000 \(plural)" }
    /// The column-name suffix: `per_100_obd` / `per_100_ward_days`.
    public var columnSuffix: String { fromOccupancy ? "per_100_obd" : "per_100_ward_days" }

    /// The sentence naming the wards left out of study-wide `figures` for want of exposure in a period
    /// (`OccupancyTotals.comparedWards`), whose own lines show their `what` without a rate.
    public func leftOut(_ wards: Set<Int>, study: StudyDefinition, from figures: String, showing what: String) -> String {
        "Left out of \(figures), having no \(plural) in a period: "
            + study.wards.indices.filter(wards.contains).map { "ward \(study.wards[$0].id)" }.joined(separator: ", ")
            + "; \(wards.count == 1 ? "its own line shows its" : "their own lines show their") \(what) without a rate."
    }

    /// A column name with the exposure spelled for this report: `baseline_ddd_per_100_obd` becomes
    /// `baseline_ddd_per_100_ward_days` without occupancy.
    public func column(_ name: String) -> String {
        name.hasSuffix("_per_100_obd") ? String(name.dropLast("per_100_obd".count)) + columnSuffix : name
    }
}
