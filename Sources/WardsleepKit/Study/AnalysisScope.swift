/// The part of a study an analysis covers, set from a `RunScope`.
public struct AnalysisScope: Sendable, Equatable, Codable {
    /// Ward indices in scope; `nil`: all.
    public var wards: Set<Int>?
    /// Canonical categories in scope (normalised); `nil`: all.
    public var categories: Set<String>?
    /// The display names of the categories in scope, as titles show them.
    public var categoryNames: [String] = []
    /// Categories asked for that can only be checked against the labels in the export (no `categories` in study.yaml).
    public var uncheckedCategories: [String] = []
    /// Calendar months in scope; `nil`: all.
    public var months: MonthSet?
    /// Whether `--from`/`--to` clipped the periods.
    public var datesClipped = false
    /// The only window reported; `nil`: both.
    public var window: TimeWindow?
    /// Words for titles and methods ("ward A1; category Violence and aggression; months January to August"), empty
    /// when unfiltered.
    public var description = ""

    /// Everything.
    public init() {}

    /// Windows reported.
    public var windows: [TimeWindow] { window.map { [$0] } ?? TimeWindow.allCases }

    /// Whether a category is in scope.
    public func includes(category: String) -> Bool { categories?.contains(Slug.normaliseLabel(category)) ?? true }

    /// Whether a day is in the months in scope.
    public func includes(day: CalendarDay) -> Bool { months?.contains(day) ?? true }
}

extension StudyDefinition {
    /// Ward indices the analysis covers, in study order.
    public var wardsInScope: [Int] { wards.indices.filter { scope.wards?.contains($0) ?? true } }

    /// How titles name the wards covered: `all wards`, `ward A1`, `wards A1, D1`.
    public var wardsInScopeName: String {
        guard scope.wards != nil else { return "all wards" }
        let ids = wardsInScope.map { wards[$0].id }
        return (ids.count == 1 ? "ward " : "wards ") + ids.joined(separator: ", ")
    }

    /// How table headings name what they cover: `whole study`, or the wards of a ward filter (`ward A1`).
    public var scopeHeading: String { scope.wards == nil ? "whole study" : wardsInScopeName }

    /// How sentences and tables name the total over categories: `All incidents`, or under a category filter the
    /// categories kept (`Incidents of Violence and aggression`).
    public var incidentsInScopeName: String {
        scope.categories == nil ? "All incidents" : "Incidents of " + scope.categoryNames.joined(separator: ", ")
    }

    /// Whether the report's filters publish counts the unfiltered report does not: chosen months or dates (`--months`,
    /// `--from`, `--to`), or wards or categories but not all of them. Even one ward or one category does: its monthly
    /// control-chart points (deaths by ward and month), its feedback by group and stage, which with the unfiltered
    /// report's suppressed totals gave exact small counts back. Reports on overlapping sums could be subtracted from one
    /// another to recover what suppression and rounding hide, so such a report is restricted. A window alone
    /// (`--window`) shows only cells the unfiltered report publishes.
    public var reportIsRestricted: Bool {
        scope.months != nil || scope.datesClipped || (scope.wards.map { $0.count < wards.count } ?? false)
            || scope.categories != nil
    }

    /// The days of `range` the analysis covers: all of them, or those in the months of `--months`.
    public func daysInScope(_ range: DayRange) -> Int { scope.months?.days(in: range) ?? range.length }
}

/// Whether a figure covers the whole day or only the protected sleep window.
public enum TimeWindow: String, HashedByCase, Sendable, Codable, CaseIterable {
    /// All 24 hours.
    case allDay = "24h"
    /// Inside the protected window only (events with a recorded time).
    case protected
}

/// Incident categories as the analyses name them.
public enum IncidentCategory {
    /// The category that stands for all incidents together, in tables, results.json and the aggregate.
    public static let all = "all"
}
