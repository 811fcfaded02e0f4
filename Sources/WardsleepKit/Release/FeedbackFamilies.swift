/// The counts of feedback a report publishes, the ones that add up to others, and how a count is shown once
/// `SecondarySuppression` has withheld some beside the small ones.
///
/// Families: responses to a group at a stage against each ward's; the ratings of a group at a stage against each rating's
/// count; the ratings at a stage (all respondents) against each group's; a theme's or request's mentions by a group
/// against each stage's, and a request's mentions against each group's. Only what adds up exactly is a family.
extension FeedbackSummary {
    /// One published count of feedback.
    public enum Count: Hashable, Sendable, Codable {
        /// Responses to a group at a stage, all wards (`ward` nil) or one ward.
        case responses(ward: Int?, Cell)
        /// Ratings of a group at a stage: all of them (`level` nil), or those of one rating (1–5).
        case ratings(Cell, level: Int?)
        /// Ratings at a stage from all respondents.
        case allRatings(FeedbackStage)
        /// Mentions of a theme or (`request`) a request by a group (or all, `nil`) at a stage (or all, `nil`).
        case mentions(name: String, request: Bool, group: FeedbackGroup?, stage: FeedbackStage?)
    }

    /// A count's exact value.
    public func count(_ c: Count) -> Int {
        switch c {
        case .responses(nil, let cell): return responses[cell] ?? 0
        case .responses(let ward, let cell): return responsesByWard[ward]?[cell] ?? 0
        case .ratings(let cell, nil): return ratings[cell]?.n ?? 0
        case .ratings(let cell, let level?): return ratings[cell]?.counts[level - 1] ?? 0
        case .allRatings(let stage): return FeedbackGroup.allCases.reduce(0) { $0 + (ratings[Cell(group: $1, stage: stage)]?.n ?? 0) }
        case .mentions(let name, let request, let group, let stage):
            let cells = (request ? requestMentions[name] : themeMentions[name]) ?? [:]
            return cells.filter { (group == nil || $0.key.group == group) && (stage == nil || $0.key.stage == stage) }.values.reduce(0, +)
        }
    }

    /// A count as a copy of the report shows it: `*` when withheld, else published in `style`.
    public func shown(_ c: Count, style: CountStyle) -> (text: String, value: Int?) {
        style.publish(count(c), withheld: withheldCounts?.contains(c) == true)
    }

    /// A count's text as a copy of the report shows it, thousands grouped.
    public func show(_ c: Count, style: CountStyle) -> String {
        style.show(count(c), withheld: withheldCounts?.contains(c) == true)
    }

    /// A count as results.json shows it.
    public func json(_ c: Count, style: CountStyle) -> JSONValue {
        style.json(count(c), withheld: withheldCounts?.contains(c) == true)
    }

    /// Every count the report publishes, and the families among them.
    func families() -> (counts: [Count: Int], families: [SecondarySuppression.Family<Count>]) {
        var families: [SecondarySuppression.Family<Count>] = []
        let cells = FeedbackStage.allCases.flatMap { s in FeedbackGroup.allCases.map { Cell(group: $0, stage: s) } }
        let wards = responsesByWard.keys.compactMap { $0 }.sorted()
        for cell in cells {
            families.append(.init(total: .responses(ward: nil, cell), parts: wards.map { .responses(ward: $0, cell) }))
            // Ratings, and a theme's or request's mentions, come from some of the responses.
            families.append(.init(total: .responses(ward: nil, cell), parts: [.ratings(cell, level: nil)], kind: .bound))
            for (name, request) in codebook.themes.map({ ($0.name, false) }) + codebook.requests.map({ ($0.name, true) }) {
                families.append(.init(total: .responses(ward: nil, cell), parts: [.mentions(name: name, request: request, group: cell.group, stage: cell.stage)],
                                      kind: .bound))
            }
            families.append(.init(total: .ratings(cell, level: nil), parts: (1...5).map { .ratings(cell, level: $0) }))
        }
        for stage in FeedbackStage.allCases {
            families.append(.init(total: .allRatings(stage), parts: FeedbackGroup.allCases.map { .ratings(Cell(group: $0, stage: stage), level: nil) }))
        }
        for (name, request) in codebook.themes.map({ ($0.name, false) }) + codebook.requests.map({ ($0.name, true) }) {
            for group in FeedbackGroup.allCases {
                families.append(.init(total: .mentions(name: name, request: request, group: group, stage: nil),
                                      parts: FeedbackStage.allCases.map { .mentions(name: name, request: request, group: group, stage: $0) }))
            }
            families.append(.init(total: .mentions(name: name, request: request, group: nil, stage: nil),
                                  parts: FeedbackGroup.allCases.map { .mentions(name: name, request: request, group: $0, stage: nil) }))
        }
        var counts: [Count: Int] = [:]
        for f in families { for c in [f.total] + f.parts where counts[c] == nil { counts[c] = count(c) } }
        families = families.filter { $0.holds(counts) }
        return (counts, families)
    }
}
