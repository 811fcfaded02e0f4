import Testing
@testable import WardsleepKit

/// Feedback: redaction of quotes, the small-cell rule, themes and requests from the codebook.
@Suite struct FeedbackTests {
    let redactor = Redactor(names: ["Sarah", "Mr Patel"])

    @Test func identifyingDetailsAreRedacted() {
        #expect(redactor.redact("Nurse Sarah was lovely, and mr patel too.") == "Nurse [name] was lovely, and [name] too.")
        #expect(redactor.redact("Sarahs are fine") == "Sarahs are fine")  // whole words only
        // 943 476 5919 is a valid NHS number (modulus 11); so is 9434765919.
        #expect(redactor.redact("My NHS number is 943 476 5919.") == "My NHS number is [NHS number].")
        #expect(redactor.redact("ref 9434765919 please") == "ref [NHS number] please")
        #expect(redactor.redact("Call me on 07700 900123 or +44 20 7946 0958") == "Call me on [phone] or [phone]")
        #expect(redactor.redact("Ring 01632 960001 after six") == "Ring [phone] after six")
        #expect(redactor.redact("DOB: 03/04/1956, admitted 12 March 2019") == "[date of birth], admitted [date]")
        #expect(redactor.redact("email jo.bloggs@example.nhs.uk") == "email [email]")
        #expect(redactor.redact("I slept better") == "I slept better")
    }

    func record(_ group: FeedbackGroup, _ stage: FeedbackStage, _ text: String, rating: Int? = nil) -> FeedbackRecord {
        FeedbackRecord(id: "x", group: group, stage: stage, text: text, day: nil, ward: nil, rating: rating)
    }

    /// An unthemed comment written over two lines (a quoted line break) is shown on one, its lines apart, redacted.
    @Test func anUnthemedExampleOverTwoLinesReadsAsOne() {
        let unthemed = UnthemedComments(codebook: Codebook.standard(), redactor: redactor)
        unthemed.feedback(record(.patient, .after, "two\r\nlines from Sarah"))
        unthemed.feedback(record(.patient, .after, "and\nthree\rmore"))
        #expect(unthemed.examples == ["two lines from [name]", "and three more"])
        #expect(unthemed.unmatched == 2 && unthemed.comments == 2)
    }

    @Test func quotesComeOnlyFromCellsAboveTheDisclosureThreshold() {
        let tally = FeedbackTally(codebook: Codebook.standard())
        var f: FeedbackSummary { tally.summary(redactor: Redactor(names: ["Sarah", "Mr Patel"])) }
        for i in 0..<8 { tally.feedback(record(.patient, .after, "It is much quieter at night now (\(i))")) }
        for i in 0..<3 { tally.feedback(record(.carer, .after, "Too noisy, Sarah said so (\(i))")) }
        let quotes = f.quotes(theme: "noise", policy: DisclosurePolicy())
        #expect(quotes.count == 3)
        #expect(quotes.allSatisfy { $0.0.group == .patient })  // 3 carers is a small cell: never quoted
        #expect(f.themeMentions["noise"]?[FeedbackSummary.Cell(group: .carer, stage: .after)] == 3)
        // With a threshold of 2, the carers' cell is large enough, and their quote is redacted.
        let lax = f.quotes(theme: "noise", limit: 20, policy: DisclosurePolicy(suppressAtOrBelow: 2, roundTo: 1))
        #expect(lax.contains { $0.1 == "Too noisy, [name] said so (0)" })
    }

    /// Comments too long to be quoted (3,000 bytes here) are counted, but never kept as candidate quotes: they take no
    /// short comment's place, and are not redacted whole (a comment of a megabyte took seconds to redact, only to be
    /// left out).
    @Test func aCommentTooLongToQuoteTakesNoQuotesPlace() {
        let tally = FeedbackTally(codebook: Codebook.standard())
        let long = "It is much quieter at night now, " + String(repeating: "and I slept through ", count: 150)
        for _ in 0..<FeedbackSummary.candidatesPerCell { tally.feedback(record(.patient, .after, long)) }
        for i in 0..<8 { tally.feedback(record(.patient, .after, "It is much quieter at night now (\(i))")) }
        let counted = tally.counted
        let cell = FeedbackSummary.Cell(group: .patient, stage: .after)
        #expect(counted.themeMentions["noise"]?[cell] == 8 + FeedbackSummary.candidatesPerCell)
        #expect(counted.candidates["noise"]?[cell] == (0..<FeedbackSummary.candidatesPerCell).map { "It is much quieter at night now (\($0))" })
        #expect(tally.summary(redactor: redactor).quotes(theme: "noise", policy: DisclosurePolicy()).count == 3)
    }

    /// A theme mentioned by few people in a cell with many respondents: no quote from it, since showing two quotes where
    /// up to three are shown would give its suppressed count.
    @Test func aThemeMentionedByFewIsNeverQuoted() {
        let tally = FeedbackTally(codebook: Codebook.standard())
        for i in 0..<30 { tally.feedback(record(.patient, .during, "Fine overall (\(i))")) }
        for i in 0..<2 { tally.feedback(record(.patient, .during, "It is much quieter at night now (\(i))")) }
        let f = tally.summary(redactor: redactor)
        #expect(f.themeMentions["noise"]?[FeedbackSummary.Cell(group: .patient, stage: .during)] == 2)
        #expect(f.quotes(theme: "noise", policy: DisclosurePolicy()).isEmpty)
        #expect(f.quotes(theme: "noise", policy: DisclosurePolicy(suppressAtOrBelow: 1, roundTo: 1)).count == 2)
    }

    @Test func themesAndRequestsFollowTheCodebook() throws {
        let tally = FeedbackTally(codebook: Codebook.standard())
        var f: FeedbackSummary { tally.summary(redactor: Redactor(names: ["Sarah", "Mr Patel"])) }
        tally.feedback(record(.carer, .after, "Could the hourly checks come back for my father? I worry he might fall."))
        tally.feedback(record(.patient, .after, "The blackout blinds help; I slept better."))
        let carer = FeedbackSummary.Cell(group: .carer, stage: .after), patient = FeedbackSummary.Cell(group: .patient, stage: .after)
        #expect(f.requestMentions["restore_checks"]?[carer] == 1)
        #expect(f.requestMentions["stop_protected_sleep"] == nil)  // reported as zero, never left out
        #expect(f.themeMentions["being_checked"]?[carer] == 1 && f.themeMentions["safety"]?[carer] == 1)
        #expect(f.themeMentions["light"]?[patient] == 1 && f.themeMentions["sleep_quality"]?[patient] == 1)
        #expect(f.themeMentions["noise"] == nil)
        let own = try Codebook.parse("themes:\n  noise: { label: Noise, keywords: [racket] }\n  food: { keywords: [breakfast] }\n", file: "codebook.yaml")
        let merged = Codebook.standard().merged(with: own)
        #expect(merged.themes.first { $0.name == "noise" }?.keywords == ["racket"])
        #expect(merged.themes.last?.name == "food" && merged.requests.count == 2)
        #expect(throws: ConfigurationError.self) { try Codebook.parse("themes:\n  x: { keywords: [a], colour: red }\n", file: "c.yaml") }
        #expect(throws: ConfigurationError.self) { try Codebook.parse("themes:\n  x: { patterns: ['(unclosed'] }\n", file: "c.yaml") }
        // A name given twice in one section is refused, so a theme's name finds one theme.
        #expect(throws: ConfigurationError.self) {
            try Codebook.parse("themes:\n  x: { keywords: [a] }\n  x: { keywords: [b] }\n", file: "c.yaml")
        }
    }

    @Test func ratingsBeforeAndAfter() {
        let tally = FeedbackTally(codebook: Codebook.standard())
        var f: FeedbackSummary { tally.summary(redactor: Redactor(names: ["Sarah", "Mr Patel"])) }
        for r in [2, 2, 3, 1] { tally.feedback(record(.patient, .before, "x", rating: r)) }
        for r in [4, 5, 4, 3, 5] { tally.feedback(record(.patient, .after, "y", rating: r)) }
        #expect(f.ratings(group: .patient, stage: .after).quantile(0.5) == 4)
        // wilcox.test(c(4,5,4,3,5), c(2,2,3,1)): W = 19.5, p-value = 0.0249466432229087 (R 4.2.2)
        let t = f.beforeAfter(group: .patient)!
        #expect(t.statistic == 19.5 && abs(t.p - 0.0249466432229087) < 1e-9)
        #expect(f.beforeAfter(group: .carer) == nil)
    }

    /// A released rating distribution with small levels: the table shows them as `*` (never 0, which would read as no
    /// one), and the number of ratings as published, not the sum of the levels that are shown.
    @Test func aSuppressedRatingIsStarredNotZeroInTheTable() throws {
        let tally = FeedbackTally(codebook: Codebook.standard())
        for (rating, n) in [(1, 4), (2, 5), (3, 6), (4, 2), (5, 0)] {
            for _ in 0..<n { tally.feedback(record(.patient, .before, "x", rating: rating)) }
        }
        for _ in 0..<30 { tally.feedback(record(.patient, .during, "y", rating: 3)) }
        for _ in 0..<3 { tally.feedback(record(.patient, .during, "y", rating: 5)) }
        let policy = DisclosurePolicy()
        let released = tally.summary(redactor: redactor).released(policy)
        let csv = InvolvementTables.feedbackCSV(released, study: testStudy(""), style: .published(policy))
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let before = try #require(rows.first { $0.prefix(3) == ["all", "patient", "before"] })
        let during = try #require(rows.first { $0.prefix(3) == ["all", "patient", "during"] })
        // 17 ratings, published as 15; every level 1 to 7 suppressed; none at 5.
        #expect(before[3...] == ["15", "15", "", "", "", "*", "*", "*", "*", "0"], "\(before)")
        // 33 ratings, published as 35 (not 30, the sum of the levels shown); 3 fives suppressed.
        #expect(during[3...] == ["35", "35", "", "", "", "0", "0", "30", "0", "*"], "\(during)")
    }
}
