/// The safety comparison as a releasable output may show it.
///
/// Each row's counts are published under the policy and its rates, rate ratio, interval and p-values are recomputed from
/// the published counts (`ShownComparison`). The Mantel–Haenszel lines are pooled from the published ward counts, by
/// the same function that pools exact counts; a line any of whose ward counts is suppressed is withheld with that
/// reason, since a pooled estimate from exact counts, read beside the published ward counts and exposures, could be
/// solved for the suppressed one.
extension SafetyResults {
    /// The results recomputed from released counts under `policy`.
    public func released(_ policy: DisclosurePolicy, study: StudyDefinition) -> SafetyResults {
        var releasedCells: [SafetyCell] = []
        var suppressedStrata: Set<String> = []
        for cell in cells where cell.ward != nil {
            let b = Disclosure.publish(cell.baselineEvents, policy: policy).number
            let p = Disclosure.publish(cell.pilotEvents, policy: policy).number
            var shown = cell
            shown.baselineEvents = b ?? 0
            shown.pilotEvents = p ?? 0
            releasedCells.append(shown)
            if (b == nil || p == nil) && cell.baselineExposure > 0 && cell.pilotExposure > 0 {
                suppressedStrata.insert("\(cell.category)|\(cell.window.rawValue)")
            }
        }
        var out = self
        out.pooled = SafetyAnalysis.pooledOverWards(releasedCells, categories: categories, study: study).map { line in
            var line = line
            if suppressedStrata.contains("\(line.category)|\(line.window.rawValue)") {
                line.withheld = "a ward's count is a small number (suppressed), so no pooled estimate is published"
            } else if [line.baselineEvents, line.pilotEvents].contains(where: { Disclosure.publish($0, policy: policy) == .suppressed }) {
                line.withheld = "the pooled total is a small number"
            }
            return line
        }
        return out
    }
}
