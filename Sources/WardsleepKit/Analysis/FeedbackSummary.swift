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
    /// In a released copy: the counts withheld to protect a small one (`SecondarySuppression`), shown as `*`.
    public internal(set) var withheldCounts: Set<Count>?
    /// How many candidate quotes are kept per theme and cell.
    public static let candidatesPerCell = 6
    /// The longest comment kept as a candidate quote, in bytes. A quote is at most 240 characters (960 bytes of UTF-8
    /// at most), so a longer comment could be one only if redaction took out most of it; kept, it would take a
    /// candidate's place and be redacted whole (a comment of a megabyte took seconds) only to be left out.
    public static let candidateBytes = 2_000

    /// Creates an empty summary.
    public init(codebook: Codebook) { self.codebook = CodebookListing(codebook) }

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
        return RankSumTest(after, before)
    }

    /// Up to `limit` quotes for a theme (already redacted), only from cells with more respondents, and more mentions of the
    /// theme, than the disclosure threshold,
    /// taken in turn from each eligible cell (stage, then group) so they spread across groups and stages; each at most
    /// 240 characters.
    public func quotes(theme: String, limit: Int = 3, policy: DisclosurePolicy) -> [(Cell, String)] {
        // Only from cells where the theme's own count is published: from a cell with fewer mentions than the threshold,
        // showing fewer quotes than the limit would tell how many there were.
        let cells = FeedbackStage.allCases.flatMap { stage in FeedbackGroup.allCases.map { Cell(group: $0, stage: stage) } }
            .filter { (responses[$0] ?? 0) > policy.suppressAtOrBelow && (themeMentions[theme]?[$0] ?? 0) > policy.suppressAtOrBelow }
            // Nor from a cell whose count is withheld: a quote would tell it is above the threshold.
            .filter { c in withheldCounts.map { w in !w.contains(.responses(ward: nil, c)) && !w.contains(.mentions(name: theme, request: false, group: c.group, stage: c.stage)) } ?? true }
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

/// Accumulates a `FeedbackSummary` as responses stream in: counts in arrays by cell, theme and ward; the summary's
/// dictionaries are built when asked for. Each comment comes coded (`FeedbackRecord.codes`, worked out by the thread that
/// read it) against the tally's `compiledCodebook`; a record coded against another codebook, or not at all, is coded here.
public final class FeedbackTally: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.feedback] }
    /// The codebook comments are matched against, compiled: hand it to the `NormaliseContext` the export is read with.
    public let compiledCodebook: CompiledCodebook
    /// The codebook comments are matched against.
    public var codebook: Codebook { compiledCodebook.codebook }
    private var coder: CommentCoder
    /// Every group × stage cell; counts below are kept by place in this list.
    private static let cells = FeedbackGroup.allCases.flatMap { g in FeedbackStage.allCases.map { FeedbackSummary.Cell(group: g, stage: $0) } }
    private static func place(_ group: FeedbackGroup, _ stage: FeedbackStage) -> Int {
        FeedbackGroup.allCases.firstIndex(of: group)! * FeedbackStage.allCases.count + FeedbackStage.allCases.firstIndex(of: stage)!
    }

    private var responses: [Int]
    /// Responses by ward (place 0: no ward given, then ward index + 1) and cell.
    private var responsesByWard: [[Int]] = []
    private var ratings: [RatingDistribution?]
    /// Mentions and candidate quotes by theme or request (its place in the codebook; a name appears once in each,
    /// `Codebook.parse` refuses it twice), then cell.
    private var themeMentions: [[Int]], requestMentions: [[Int]]
    private var candidates: [[[String]]]

    /// Creates an empty tally.
    public convenience init(codebook: Codebook) { self.init(compiledCodebook: CompiledCodebook(codebook)) }

    /// Creates an empty tally over a compiled codebook.
    public init(compiledCodebook: CompiledCodebook) {
        self.compiledCodebook = compiledCodebook
        coder = CommentCoder(compiledCodebook)
        let codebook = compiledCodebook.codebook, cellCount = FeedbackTally.cells.count
        responses = Array(repeating: 0, count: cellCount)
        ratings = Array(repeating: nil, count: cellCount)
        themeMentions = Array(repeating: Array(repeating: 0, count: cellCount), count: codebook.themes.count)
        requestMentions = Array(repeating: Array(repeating: 0, count: cellCount), count: codebook.requests.count)
        candidates = Array(repeating: Array(repeating: [], count: cellCount), count: codebook.themes.count)
    }

    public func feedback(_ r: FeedbackRecord) {
        let cell = FeedbackTally.place(r.group, r.stage)
        responses[cell] += 1
        let ward = r.ward.map { $0 + 1 } ?? 0
        while responsesByWard.count <= ward { responsesByWard.append(Array(repeating: 0, count: FeedbackTally.cells.count)) }
        responsesByWard[ward][cell] += 1
        if let rating = r.rating {
            if ratings[cell] == nil { ratings[cell] = RatingDistribution() }
            ratings[cell]!.add(rating)
        }
        let codes = coder.codes(of: r)
        for t in codebook.themes.indices where codes.contains(t) {
            themeMentions[t][cell] += 1
            if candidates[t][cell].count < FeedbackSummary.candidatesPerCell, r.text.utf8.count <= FeedbackSummary.candidateBytes,
               !candidates[t][cell].contains(r.text) {
                candidates[t][cell].append(r.text)
            }
        }
        for q in codebook.requests.indices where codes.contains(compiledCodebook.requestEntry(q)) { requestMentions[q][cell] += 1 }
    }

    /// Throws when a codebook pattern ran past its time budget on a comment, on any thread that coded
    /// (`CompiledCodebook.checkPatterns`).
    public func checkPatterns() throws { try compiledCodebook.checkPatterns() }

    /// The summary so far; its candidate quotes are not yet redacted.
    public var counted: FeedbackSummary {
        let cells = FeedbackTally.cells
        func nonZero(_ counts: [Int]) -> [FeedbackSummary.Cell: Int] {
            Dictionary(uniqueKeysWithValues: zip(cells, counts).filter { $0.1 > 0 })
        }
        var s = FeedbackSummary(codebook: codebook)
        s.responses = nonZero(responses)
        for (w, counts) in responsesByWard.enumerated() where counts.contains(where: { $0 > 0 }) {
            s.responsesByWard[w == 0 ? nil : w - 1] = nonZero(counts)
        }
        s.ratings = Dictionary(uniqueKeysWithValues: zip(cells, ratings).compactMap { c, r in r.map { (c, $0) } })
        for (t, theme) in codebook.themes.enumerated() {
            let mentions = nonZero(themeMentions[t])
            if !mentions.isEmpty { s.themeMentions[theme.name] = mentions }
            let quotes = Dictionary(uniqueKeysWithValues: zip(cells, candidates[t]).filter { !$0.1.isEmpty })
            if !quotes.isEmpty { s.candidates[theme.name] = quotes }
        }
        for (q, request) in codebook.requests.enumerated() {
            let mentions = nonZero(requestMentions[q])
            if !mentions.isEmpty { s.requestMentions[request.name] = mentions }
        }
        return s
    }

    /// The summary, every candidate quote redacted by `redactor`: no unredacted comment leaves the analysis.
    public func summary(redactor: Redactor) -> FeedbackSummary {
        var s = counted
        s.candidates = s.candidates.mapValues { $0.mapValues { $0.map(redactor.redact) } }
        return s
    }
}
