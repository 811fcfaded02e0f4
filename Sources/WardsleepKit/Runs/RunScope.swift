/// An analyst's ad hoc question: some wards, some categories, a date range, some calendar months, one window, some
/// formats.
public struct RunScope: Sendable, Equatable {
    /// Ward ids, names or aliases (`--ward`, repeatable); empty: all.
    public var wards: [String] = []
    /// Incident categories, by the export's label or the study's id (`--category`, repeatable); empty: all.
    public var categories: [String] = []
    /// Restricts both periods from this day (`--from`).
    public var from: CalendarDay?
    /// Restricts both periods to this day (`--to`).
    public var to: CalendarDay?
    /// Only these calendar months of every year (`--months jan-aug`).
    public var months: MonthSet?
    /// Only this window (`--window 24h|protected`).
    public var window: TimeWindow?
    /// Formats to write (`--format md,html,json,csv,pdf,docx`; default the first four).
    public var formats: Set<OutputFormat> = OutputFormat.standard

    /// No filters.
    public init() {}

    /// Whether anything is filtered.
    public var isFiltered: Bool { !wards.isEmpty || !categories.isEmpty || from != nil || to != nil || months != nil || window != nil }

    /// Parameters as one canonical line, for the ledger and the input fingerprint.
    public var canonical: String {
        "ward=\(wards.sorted().joined(separator: "+"));category=\(categories.sorted().joined(separator: "+"));"
            + "from=\(from?.iso ?? "");to=\(to?.iso ?? "");" + (months.map { "months=\($0.canonical);" } ?? "")
            + "window=\(window?.rawValue ?? "");format=\(formats.map(\.rawValue).sorted().joined(separator: "+"))"
    }

    /// The output settings of a run's parameter line, as `history` shows them: `md, json`, and `exact copy in
    /// restricted/` after `--unsuppressed`; empty when the line names none.
    public static func outputs(inCanonical line: String) -> String {
        var out: [String] = []
        for part in line.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            if kv[0] == "format" { out.append(kv[1].split(separator: "+").joined(separator: ", ")) }
            if kv[0] == "unsuppressed" && kv[1] == "true" { out.append("exact copy in restricted/ (--unsuppressed)") }
        }
        return out.joined(separator: "; ")
    }

    /// The filters of a canonical parameter line (`canonical`), as `ward=A1; months=1-8`; empty when there are none.
    public static func filters(inCanonical line: String) -> String {
        let filterKeys: Set<Substring> = ["ward", "category", "from", "to", "months", "window"]
        return line.split(separator: ";").filter { part in
            let kv = part.split(separator: "=", maxSplits: 1)
            return kv.count == 2 && filterKeys.contains(kv[0]) && !kv[1].isEmpty
        }.joined(separator: "; ")
    }
}

extension StudyDefinition {
    /// The study narrowed to `scope`: periods clipped to `--from`/`--to`, wards, categories and months selected. A
    /// filter that names nothing, or leaves a period empty, is a `UsageError` naming the option (exit 64).
    public func applying(_ s: RunScope) throws(UsageError) -> StudyDefinition {
        var study = self
        var words: [String] = []
        if !s.wards.isEmpty {
            var selected = Set<Int>()
            for w in s.wards {
                guard let i = wardIndex(matching: w) else {
                    throw UsageError(option: "--ward", value: w, message: "is not a ward of this study; its wards are "
                                     + wards.map(\.id).joined(separator: ", ") + " (by id, name or alias)")
                }
                selected.insert(i)
            }
            study.scope.wards = selected
            words.append(study.wardsInScopeName)
        }
        if !s.categories.isEmpty {
            if let map = exports[.incidents].categories {
                var lookup: [String: String] = [:]
                for id in Set(map.values) { lookup[Slug.normaliseLabel(id)] = id }
                for (label, id) in map { lookup[Slug.normaliseLabel(label)] = id }
                var ids: [String] = []
                for c in s.categories {
                    guard let id = lookup[Slug.normaliseLabel(c)] else {
                        let valid = Set(map.values).sorted().map { "\(categoryLabel($0)) (\($0))" }
                        throw UsageError(option: "--category", value: c, message: "is not a category of this study; its categories are "
                                         + valid.joined(separator: ", ") + " (by label or id, in any case)")
                    }
                    if !ids.contains(id) { ids.append(id) }
                }
                study.scope.categories = Set(ids.map(Slug.normaliseLabel))
                study.scope.categoryNames = ids.map(categoryLabel)
                words.append((ids.count == 1 ? "category " : "categories ") + study.scope.categoryNames.joined(separator: ", "))
            } else {
                study.scope.categories = Set(s.categories.map(Slug.normaliseLabel))
                study.scope.uncheckedCategories = s.categories
                study.scope.categoryNames = s.categories
                words.append((s.categories.count == 1 ? "category " : "categories ") + s.categories.joined(separator: ", "))
            }
        }
        if s.from != nil || s.to != nil {
            let limit = DayRange(from: s.from ?? CalendarDay(dayNumber: Int.min / 2), to: s.to ?? CalendarDay(dayNumber: Int.max / 2))
            let option = s.from != nil ? "--from" : "--to", value = (s.from ?? s.to)!.iso
            func clip(_ r: DayRange, _ name: String, _ ward: String?) throws(UsageError) -> DayRange {
                guard let c = r.clamped(to: limit) else {
                    throw UsageError(option: option, value: value,
                                     message: "the dates leave no \(name) days\(ward.map { " for ward \($0)" } ?? "") (the \(name) is \(r))")
                }
                return c
            }
            study.periods = StudyPeriods(baseline: try clip(periods.baseline, "baseline", nil), pilot: try clip(periods.pilot, "pilot", nil))
            for i in wards.indices {
                if let b = wards[i].periods.baseline { study.wards[i].periods.baseline = try clip(b, "baseline", wards[i].id) }
                if let p = wards[i].periods.pilot { study.wards[i].periods.pilot = try clip(p, "pilot", wards[i].id) }
            }
            study.scope.datesClipped = true
            words.append("dates \(s.from?.iso ?? "start") to \(s.to?.iso ?? "end")")
        }
        if let months = s.months {
            study.scope.months = months
            for i in study.wardsInScope {
                let p = study.periods(forWard: i)
                for (name, range) in [("baseline", p.baseline), ("pilot", p.pilot)] where months.days(in: range) == 0 {
                    throw UsageError(option: "--months", value: months.text,
                                     message: "the months leave no \(name) days for ward \(wards[i].id) (its \(name) is \(range))")
                }
            }
            words.append("months \(months) of each year")
        }
        if let w = s.window {
            study.scope.window = w
            words.append(w == .protected ? "protected window only" : "24 hours only")
        }
        study.scope.description = words.joined(separator: "; ")
        return study
    }
}
