/// Passes on only the records inside the scope's wards, categories and months. Generic over what it feeds, so each
/// record reaches it by a direct call.
final class ScopeFilter<Inner: StudyConsumer>: StudyConsumer {
    let inner: Inner
    let scope: AnalysisScope

    init(_ inner: Inner, scope: AnalysisScope) {
        self.inner = inner
        self.scope = scope
    }

    /// Every incident category read (normalised → its spelling), in scope or not, so a `--category` can be checked
    /// against the export.
    var categoriesSeen: [String: String] { spellings.byKey }
    /// Labels used as categories (no `categories` map) that differ only in case or spacing are one category, spelled
    /// as first read: what `--category` selects by is what the full report groups by, so a filtered report cannot add up
    /// categories the full report shows (and suppresses) apart.
    private var spellings = CategorySpellings()

    func inScope(_ ward: Int) -> Bool { scope.wards?.contains(ward) ?? true }

    func occupancy(_ r: OccupancyRecord) { if inScope(r.ward) && scope.includes(day: r.day) { inner.occupancy(r) } }
    func incident(_ r: IncidentRecord) {
        var r = r
        r.category = spellings.spelling(of: r.category)
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

/// The first spelling read of each incident category, by its normalised label (`Slug.normaliseLabel`: case and runs of
/// spaces ignored). Records arrive in file order whatever the threads, so the spelling kept is the same on every run.
struct CategorySpellings {
    /// Label as read → the category's spelling (a label met again costs one lookup, no normalising), for at most
    /// `labelLimit` labels: an export writing one category in ever more ways (case, spacing) would otherwise grow it
    /// without end. Labels past it are normalised each time they are met, with the same spelling.
    private(set) var byLabel: [String: String] = [:]
    static let labelLimit = 50_000
    /// Normalised label → the first spelling: every category read.
    private(set) var byKey: [String: String] = [:]

    /// Labels met lately that are their own spelling (nearly all): found without hashing.
    private var own = RecentLabels()

    /// The spelling of the category `label` names.
    mutating func spelling(of label: String) -> String {
        if own.contains(label) { return label }
        if let known = byLabel[label] {
            if known == label { own.add(label) }
            return known
        }
        let key = Slug.normaliseLabel(label)
        let spelled = byKey[key] ?? label
        byKey[key] = spelled
        if byLabel.count < CategorySpellings.labelLimit { byLabel[label] = spelled }
        if spelled == label { own.add(label) }
        return spelled
    }
}
