/// Feedback by group, stage and ward: response counts, rating distributions, themes and requests from the codebook,
/// and candidate quotes. Memory is bounded: counters, and at most a few candidate quotes per theme and cell.
public struct FeedbackSummary: Sendable, Codable {
    /// A group × stage cell.
    public struct Cell: Hashable, Sendable, Codable {
        /// Respondent group.
        public var group: FeedbackGroup
        /// Before, during or after.
        public var stage: FeedbackStage
    }

    /// The codebook in use, as the report lists it.
    public var codebook: CodebookListing
    /// Responses per cell (all wards).
    public internal(set) var responses: [Cell: Int] = [:]
    /// Responses per ward and cell (`nil` ward: no ward given).
    public internal(set) var responsesByWard: [Int?: [Cell: Int]] = [:]
    /// Ratings per cell.
    public internal(set) var ratings: [Cell: RatingDistribution] = [:]
    /// Mentions of each theme per cell.
    public internal(set) var themeMentions: [String: [Cell: Int]] = [:]
    /// Mentions of each request per cell.
    public internal(set) var requestMentions: [String: [Cell: Int]] = [:]
    /// Up to `candidatesPerCell` comments per theme and cell, in file order (redacted once the summary is complete:
    /// `FeedbackTally.summary`).
    public internal(set) var candidates: [String: [Cell: [String]]] = [:]
    /// How many candidate quotes are kept per theme and cell.
    public static let candidatesPerCell = 6

    /// Creates an empty summary.
    public init(codebook: Codebook) { self.codebook = CodebookListing(codebook) }

    /// Counts one response against `codebook` (the compiled form of `self.codebook`).
    mutating func add(_ r: FeedbackRecord, codebook: Codebook) {
        let cell = Cell(group: r.group, stage: r.stage)
        responses[cell, default: 0] += 1
        responsesByWard[r.ward, default: [:]][cell, default: 0] += 1
        if let rating = r.rating { ratings[cell, default: RatingDistribution()].add(rating) }
        let prepared = Codebook.Prepared(r.text)
        for theme in codebook.themes where theme.matches(prepared) {
            themeMentions[theme.name, default: [:]][cell, default: 0] += 1
            if (candidates[theme.name]?[cell]?.count ?? 0) < FeedbackSummary.candidatesPerCell,
               !(candidates[theme.name]?[cell]?.contains(r.text) ?? false) {
                candidates[theme.name, default: [:]][cell, default: []].append(r.text)
            }
        }
        for request in codebook.requests where request.matches(prepared) {
            requestMentions[request.name, default: [:]][cell, default: 0] += 1
        }
    }

    /// Responses in all cells of a group (or every group when `nil`) at a stage (or every stage when `nil`).
    public func total(group: FeedbackGroup? = nil, stage: FeedbackStage? = nil) -> Int {
        responses.filter { (group == nil || $0.key.group == group) && (stage == nil || $0.key.stage == stage) }.values.reduce(0, +)
    }

    /// Ratings of a group (or all) at a stage, merged.
    public func ratings(group: FeedbackGroup?, stage: FeedbackStage) -> RatingDistribution {
        var d = RatingDistribution()
        for (cell, r) in ratings where cell.stage == stage && (group == nil || cell.group == group) {
            for i in 0..<5 { d.counts[i] += r.counts[i] }
            d.withheld = d.withheld || r.withheld
        }
        return d
    }

    /// Before against after for a group (or all): the rank-sum test of ratings after vs before.
    public func beforeAfter(group: FeedbackGroup?) -> RankSumTest? {
        let after = ratings(group: group, stage: .after), before = ratings(group: group, stage: .before)
        guard !after.withheld, !before.withheld else { return nil }
        return RankSumTest(after.values, before.values)
    }

    /// Up to `limit` quotes for a theme (already redacted), only from cells with more respondents than the disclosure threshold,
    /// taken in turn from each eligible cell (stage, then group) so they spread across groups and stages; each at most
    /// 240 characters.
    public func quotes(theme: String, limit: Int = 3, policy: DisclosurePolicy) -> [(Cell, String)] {
        let cells = FeedbackStage.allCases.flatMap { stage in FeedbackGroup.allCases.map { Cell(group: $0, stage: stage) } }
            .filter { (responses[$0] ?? 0) > policy.suppressAtOrBelow }
        var out: [(Cell, String)] = []
        var round = 0
        while out.count < limit && round < FeedbackSummary.candidatesPerCell {
            for cell in cells where out.count < limit {
                guard let texts = candidates[theme]?[cell], round < texts.count else { continue }
                let quote = texts[round]
                if !out.contains(where: { $0.1 == quote }) && quote.count <= 240 { out.append((cell, quote)) }
            }
            round += 1
        }
        return out
    }
}

/// The codebook as a report lists it: names, labels and the source texts of the matchers, without compiled patterns.
public struct CodebookListing: Sendable, Codable {
    /// One theme or request.
    public struct Term: Sendable, Codable {
        /// Key (`being_checked`).
        public var name: String
        /// Label for people.
        public var label: String
        /// Keywords as written.
        public var keywords: [String]
        /// Regular expressions as written.
        public var patterns: [String]
    }

    /// Themes, in file order.
    public var themes: [Term]
    /// Requests, in file order.
    public var requests: [Term]

    /// The listing of `codebook`.
    public init(_ codebook: Codebook) {
        func terms(_ entries: [Codebook.Entry]) -> [Term] {
            entries.map { Term(name: $0.name, label: $0.label, keywords: $0.keywords, patterns: $0.patterns) }
        }
        themes = terms(codebook.themes)
        requests = terms(codebook.requests)
    }
}

/// Accumulates a `FeedbackSummary` as responses stream in.
public final class FeedbackTally: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.feedback] }
    /// The codebook comments are matched against.
    public let codebook: Codebook
    /// The summary so far; its candidate quotes are not yet redacted.
    public private(set) var counted: FeedbackSummary

    /// Creates an empty tally.
    public init(codebook: Codebook) {
        self.codebook = codebook
        counted = FeedbackSummary(codebook: codebook)
    }

    public func feedback(_ r: FeedbackRecord) { counted.add(r, codebook: codebook) }

    /// The summary, every candidate quote redacted by `redactor`: no unredacted comment leaves the analysis.
    public func summary(redactor: Redactor) -> FeedbackSummary {
        var s = counted
        s.candidates = s.candidates.mapValues { $0.mapValues { $0.map(redactor.redact) } }
        return s
    }
}
