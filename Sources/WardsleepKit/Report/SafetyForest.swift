/// The forest plots of a run's safety section: the wards' rate ratios with the Mantel–Haenszel estimate pooled over
/// wards, and the rate ratios of each incident category with all incidents. Each value is one the copy of the report
/// publishes: ward and category ratios recomputed from published counts (`ShownComparison`), the pooled line from the
/// released view, withheld where the tables withhold it.
public enum SafetyForest {
    /// A figure and the path it is written to inside the report folder.
    public struct Figure: Sendable {
        /// `charts/forest-wards.svg`.
        public var path: String
        /// The plot.
        public var plot: ForestPlot
    }

    /// The note shown for a ratio that is not drawn.
    static func note(_ c: ShownComparison) -> String? {
        if let reason = c.withheldReason { return reason.hasPrefix("withheld") ? reason : "withheld: \(reason)" }
        return c.noEstimateReason
    }

    static func row(_ label: String, _ c: ShownComparison) -> ForestPlot.Row {
        ForestPlot.Row(label: label, estimate: c.ratio?.estimate, lower: c.ratio?.lower, upper: c.ratio?.upper, note: note(c))
    }

    /// The figures for the released (or exact) safety results `s`, shown in `style`: over 24 hours when that window is
    /// in scope, otherwise in the protected window.
    public static func figures(_ s: SafetyResults, study: StudyDefinition, style: CountStyle) -> [Figure] {
        guard let window = study.scope.windows.first else { return [] }
        let when = window == .allDay ? "over 24 hours" : "in the protected window (\(study.protectedWindow))"
        let scale = "Pilot against baseline; exact 95% CIs, log scale"
        var figures: [Figure] = []
        let wardCells = s.cells.filter { $0.ward != nil && $0.category == IncidentCounts.allCategories && $0.window == window }
        if wardCells.count > 1 {  // a one-ward report has nothing to pool
            let rows = wardCells.map { cell -> ForestPlot.Row in
                let w = study.wards[cell.ward!]
                return row("\(w.id) \(w.name)", ShownComparison(cell, style: style))
            }
            var pooled = ForestPlot.Row(label: "Pooled over wards (Mantel–Haenszel)", estimate: nil, lower: nil, upper: nil,
                                        note: "not estimable")
            if let p = s.pooled.first(where: { $0.category == IncidentCounts.allCategories && $0.window == window }) {
                if p.withheld != nil {
                    pooled.note = "withheld: a count is too small to publish"
                } else if let e = p.all.estimate {
                    pooled.estimate = e; pooled.lower = p.all.lower; pooled.upper = p.all.upper; pooled.note = nil
                }
            }
            figures.append(Figure(path: "charts/forest-wards.svg",
                                  plot: ForestPlot(title: "\(study.incidentsInScopeName) by ward, \(when)", subtitle: scale + "; pooled estimate as a diamond",
                                                   labelHeading: "Ward", rows: rows, diamonds: [pooled])))
        }
        let categoryCells = s.cells.filter { $0.ward == nil && $0.window == window }
        // By category only when several are reported: under a category filter the table says it all.
        if let all = categoryCells.first(where: { $0.category == IncidentCounts.allCategories }), categoryCells.count > 2 {
            let rows = categoryCells.filter { $0.category != IncidentCounts.allCategories }
                .map { row(study.categoryLabel($0.category), ShownComparison($0, style: style)) }
            figures.append(Figure(path: "charts/forest-categories.svg",
                                  plot: ForestPlot(title: "Incidents by category, \(when)", subtitle: scale + "; all incidents as a diamond",
                                                   labelHeading: "Category", rows: rows,
                                                   diamonds: [row(study.incidentsInScopeName, ShownComparison(all, style: style))])))
        }
        return figures
    }
}
