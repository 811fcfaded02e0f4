/// Feedback as a releasable output may show it: rating distributions published level by level, so the medians,
/// quartiles and the Wilcoxon rank-sum statistic and p-value are computed from the published counts. A distribution with
/// a suppressed level is withheld (no quantile, no test), since a statistic of the exact ratings beside the published
/// counts could be solved for the suppressed one; a suppressed level stays `*` in the tables, and the number of ratings
/// is the exact number published, not the sum of the published levels. Response, theme and request counts are
/// published as they are shown.
extension FeedbackSummary {
    /// A copy whose ratings are released under `policy`.
    public func released(_ policy: DisclosurePolicy, withheld: Set<Count> = []) -> FeedbackSummary {
        var copy = self
        // Counts that, with a total and its published parts, would give a suppressed one back: withheld too
        // (`ReleaseFamilies`, which solves feedback's families with every other).
        copy.withheldCounts = withheld
        copy.ratings = Dictionary(uniqueKeysWithValues: ratings.map { cell, r in
            var shown = RatingDistribution()
            for i in r.counts.indices {
                let p = withheld.contains(.ratings(cell, level: i + 1)) ? .suppressed : Disclosure.publish(r.counts[i], policy: policy)
                shown.counts[i] = p.number ?? 0
                if p == .suppressed {
                    shown.withheld = true
                    shown.suppressed[i] = true
                }
            }
            shown.publishedTotal = withheld.contains(.ratings(cell, level: nil)) ? "*" : Disclosure.publish(r.n, policy: policy).description
            if shown.publishedTotal == "*" { shown.withheld = true }
            return (cell, shown)
        })
        return copy
    }

    /// The ratings before and after of `group` (`nil`: all respondents) and their rank-sum test, when the report shows
    /// them: both distributions published and each above the disclosure threshold.
    public func shownRatings(group g: FeedbackGroup?, style: CountStyle)
        -> (before: RatingDistribution, after: RatingDistribution, test: RankSumTest)?
    {
        let b = ratings(group: g, stage: .before), a = ratings(group: g, stage: .after)
        guard let t = beforeAfter(group: g) else { return nil }
        // All respondents' numbers of ratings are shown with the comparison: none when one is withheld.
        if g == nil, [FeedbackStage.before, .after].contains(where: { withheldCounts?.contains(.allRatings($0)) == true }) { return nil }
        if let policy = style.policy, a.n <= policy.suppressAtOrBelow || b.n <= policy.suppressAtOrBelow { return nil }
        return (b, a, t)
    }

    /// What a report says when no group's ratings are compared: that they are withheld by disclosure control (a rating
    /// given by too few people to publish, which a comparison would reveal), or that there are too few.
    public func unshownRatingsSentence() -> String {
        let stages: [FeedbackStage] = [.before, .after]
        let withheld = ([nil] + FeedbackGroup.allCases.map(Optional.some)).contains { g in
            stages.contains { ratings(group: g, stage: $0).withheld }
        }
        return withheld
            ? "Ratings before and after are not compared: a rating was given by too few people to publish, and a comparison would reveal how many."
            : "Too few ratings before and after to compare."
    }
}
