/// The output formats `--format` chooses from.
public enum OutputFormat: String, Sendable, CaseIterable, Codable {
    /// summary.md
    case md
    /// report.html and charts/
    case html
    /// results.json
    case json
    /// tables/*.csv
    case csv
    /// report.pdf, printed from report.html by headless Chromium (asked for only)
    case pdf
    /// report.docx, converted from summary.md by pandoc (asked for only)
    case docx

    /// The formats written when `--format` is not given: every one that needs no other program.
    public static let standard: Set<OutputFormat> = [.md, .html, .json, .csv]
}

/// An analyst's ad hoc question: some wards, some categories, a date range, one window, some formats.
public struct RunScope: Sendable, Equatable {
    /// Ward ids, names or aliases (`--ward`, repeatable); empty: all.
    public var wards: [String] = []
    /// Incident categories (`--category`, repeatable); empty: all.
    public var categories: [String] = []
    /// Restricts both periods from this day (`--from`).
    public var from: CalendarDay?
    /// Restricts both periods to this day (`--to`).
    public var to: CalendarDay?
    /// Only this window (`--window 24h|protected`).
    public var window: TimeWindow?
    /// Formats to write (`--format md,html,json,csv,pdf,docx`; default the first four).
    public var formats: Set<OutputFormat> = OutputFormat.standard

    /// No filters.
    public init() {}

    /// Whether anything is filtered.
    public var isFiltered: Bool { !wards.isEmpty || !categories.isEmpty || from != nil || to != nil || window != nil }

    /// Parameters as one canonical line, for the ledger and the input fingerprint.
    public var canonical: String {
        "ward=\(wards.sorted().joined(separator: "+"));category=\(categories.sorted().joined(separator: "+"));"
            + "from=\(from?.iso ?? "");to=\(to?.iso ?? "");window=\(window?.rawValue ?? "");"
            + "format=\(formats.map(\.rawValue).sorted().joined(separator: "+"))"
    }
}

/// The part of a study an analysis covers, set from a `RunScope`.
public struct AnalysisScope: Sendable, Equatable {
    /// Ward indices in scope; `nil`: all.
    public var wards: Set<Int>?
    /// Canonical categories in scope (normalised); `nil`: all.
    public var categories: Set<String>?
    /// The only window reported; `nil`: both.
    public var window: TimeWindow?
    /// Words for titles and methods ("ward A1; category violence; 2019-01-01 to 2019-03-31"), empty when unfiltered.
    public var description = ""

    /// Everything.
    public init() {}

    /// Windows reported.
    public var windows: [TimeWindow] { window.map { [$0] } ?? TimeWindow.allCases }

    /// Whether a category is in scope.
    public func includes(category: String) -> Bool { categories?.contains(Slug.normaliseLabel(category)) ?? true }
}

extension StudyDefinition {
    /// Ward indices the analysis covers, in study order.
    public var wardsInScope: [Int] { wards.indices.filter { scope.wards?.contains($0) ?? true } }

    /// The study narrowed to `scope`: periods clipped to `--from`/`--to`, wards and categories selected. Filters that
    /// name nothing, or leave a period empty, are `ConfigurationError`s naming the option.
    public func applying(_ s: RunScope) throws -> StudyDefinition {
        var study = self
        var words: [String] = []
        if !s.wards.isEmpty {
            var selected = Set<Int>()
            for w in s.wards {
                guard let i = wardIndex(matching: w) else {
                    throw ConfigurationError(file: "command line", keyPath: "--ward",
                                             message: "\"\(w)\" is not a ward of this study; its wards are \(wards.map(\.id).joined(separator: ", "))")
                }
                selected.insert(i)
            }
            study.scope.wards = selected
            words.append((selected.count == 1 ? "ward " : "wards ") + selected.sorted().map { wards[$0].id }.joined(separator: ", "))
        }
        if !s.categories.isEmpty {
            let known = exports[.incidents].categories.map { Set($0.values.map(Slug.normaliseLabel)) }
            for c in s.categories where known != nil && !known!.contains(Slug.normaliseLabel(c)) {
                throw ConfigurationError(file: "command line", keyPath: "--category",
                                         message: "\"\(c)\" is not a category of this study; its categories are \(known!.sorted().joined(separator: ", "))")
            }
            study.scope.categories = Set(s.categories.map(Slug.normaliseLabel))
            words.append((s.categories.count == 1 ? "category " : "categories ") + s.categories.joined(separator: ", "))
        }
        if s.from != nil || s.to != nil {
            let limit = DayRange(from: s.from ?? CalendarDay(dayNumber: Int.min / 2), to: s.to ?? CalendarDay(dayNumber: Int.max / 2))
            func clip(_ r: DayRange, _ name: String, _ ward: String?) throws -> DayRange {
                guard let c = r.clamped(to: limit) else {
                    throw ConfigurationError(file: "command line", keyPath: s.from != nil ? "--from" : "--to",
                                             message: "the dates leave no \(name) days\(ward.map { " for ward \($0)" } ?? "") (the \(name) is \(r))")
                }
                return c
            }
            study.periods = StudyPeriods(baseline: try clip(periods.baseline, "baseline", nil), pilot: try clip(periods.pilot, "pilot", nil))
            for i in wards.indices {
                if let b = wards[i].periods.baseline { study.wards[i].periods.baseline = try clip(b, "baseline", wards[i].id) }
                if let p = wards[i].periods.pilot { study.wards[i].periods.pilot = try clip(p, "pilot", wards[i].id) }
            }
            words.append("dates \(s.from?.iso ?? "start") to \(s.to?.iso ?? "end")")
        }
        if let w = s.window {
            study.scope.window = w
            words.append(w == .protected ? "protected window only" : "24 hours only")
        }
        study.scope.description = words.joined(separator: "; ")
        return study
    }
}

/// Passes on only the records inside the scope's wards and categories.
final class ScopeFilter: StudyConsumer {
    let inner: StudyConsumer
    let scope: AnalysisScope

    init(_ inner: StudyConsumer, scope: AnalysisScope) {
        self.inner = inner
        self.scope = scope
    }

    func inScope(_ ward: Int?) -> Bool { ward.map { scope.wards?.contains($0) ?? true } ?? true }

    func occupancy(_ r: OccupancyRecord) { if inScope(r.ward) { inner.occupancy(r) } }
    func incident(_ r: IncidentRecord) { if inScope(r.ward) && scope.includes(category: r.category) { inner.incident(r) } }
    func hypnoticIssue(_ r: HypnoticIssueRecord) { if inScope(r.ward) { inner.hypnoticIssue(r) } }
    func hypnoticAdministration(_ r: HypnoticAdministrationRecord) { if inScope(r.ward) { inner.hypnoticAdministration(r) } }
    func feedback(_ r: FeedbackRecord) { if inScope(r.ward) { inner.feedback(r) } }
    func sleepPlan(_ r: SleepPlanRecord) { if inScope(r.ward) { inner.sleepPlan(r) } }
    func involvement(_ r: InvolvementRecord) { inner.involvement(r) }
    func observation(_ r: ObservationRecord) { if inScope(r.ward) { inner.observation(r) } }
}
