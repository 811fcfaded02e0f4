/// Passes on only the records inside the scope's wards, categories and months. Generic over what it feeds, so each
/// record reaches it by a direct call.
final class ScopeFilter<Inner: StudyConsumer>: StudyConsumer {
    let inner: Inner
    let scope: AnalysisScope

    init(_ inner: Inner, scope: AnalysisScope) {
        self.inner = inner
        self.scope = scope
    }

    /// Every incident category read (normalised), in scope or not, so a `--category` can be checked against the export.
    private(set) var categoriesSeen: [String: String] = [:]

    func inScope(_ ward: Int) -> Bool { scope.wards?.contains(ward) ?? true }

    func occupancy(_ r: OccupancyRecord) { if inScope(r.ward) && scope.includes(day: r.day) { inner.occupancy(r) } }
    func incident(_ r: IncidentRecord) {
        if !scope.uncheckedCategories.isEmpty, categoriesSeen.count < 10_000 {
            let key = Slug.normaliseLabel(r.category)
            if categoriesSeen[key] == nil { categoriesSeen[key] = r.category }
        }
        if inScope(r.ward) && scope.includes(category: r.category) && scope.includes(day: r.day) { inner.incident(r) }
    }
    func hypnoticIssue(_ r: HypnoticIssueRecord) { if inScope(r.ward) && scope.includes(day: r.day) { inner.hypnoticIssue(r) } }
    func hypnoticAdministration(_ r: HypnoticAdministrationRecord) {
        if inScope(r.ward) && scope.includes(day: r.day) { inner.hypnoticAdministration(r) }
    }
    /// Under a ward filter a response without a ward is left out: it cannot be placed on a ward.
    func feedback(_ r: FeedbackRecord) { if r.ward.map(inScope) ?? (scope.wards == nil) { inner.feedback(r) } }
    func sleepPlan(_ r: SleepPlanRecord) { if inScope(r.ward) && scope.includes(day: r.night) { inner.sleepPlan(r) } }
    func involvement(_ r: InvolvementRecord) { inner.involvement(r) }
    func observation(_ r: ObservationRecord) { if inScope(r.ward) && scope.includes(day: r.night) { inner.observation(r) } }
}
