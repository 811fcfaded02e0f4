/// Tables and results.json parts for feedback, protected sleep and involvement.
public enum InvolvementTables {
    /// Columns of `tables/protected_sleep.csv` (an output contract).
    public static let protectedSleepColumns = ["ward", "patients", "patients_protected", "percent", "ci_lower", "ci_upper"]
    /// Columns of `tables/involvement.csv` (an output contract).
    public static let involvementColumns = ["stage", "group", "level", "evidence"]
    /// Columns of `tables/feedback.csv`.
    public static let feedbackColumns = ["ward", "group", "stage", "responses", "rated", "rating_median", "rating_q1", "rating_q3",
                                         "rating_1", "rating_2", "rating_3", "rating_4", "rating_5"]
    /// Columns of `tables/feedback_themes.csv`.
    public static let themeColumns = ["kind", "theme", "label", "group", "stage", "mentions"]

    /// `tables/protected_sleep.csv`.
    public static func protectedSleepCSV(_ u: ProtectedSleepUptake, study: StudyDefinition, style: CountStyle) -> String {
        var out = CSVOutput.line(protectedSleepColumns)
        for r in u.shown(study: study, style: style).rows {
            out += CSVOutput.line([r.ward, r.patients, r.protected, NumberFormat.machine(r.share?.estimate.map { $0 * 100 }),
                                   NumberFormat.machine(r.share?.lower.map { $0 * 100 }), NumberFormat.machine(r.share?.upper.map { $0 * 100 })])
        }
        return out
    }

    /// `tables/involvement.csv`: one row per stage and group with anything recorded.
    public static func involvementCSV(_ m: InvolvementMatrix) -> String {
        var out = CSVOutput.line(involvementColumns)
        for stage in InvolvementStage.allCases {
            for (g, group) in m.groups.enumerated() {
                guard let c = m.cells[stage]?[g] else { continue }
                out += CSVOutput.line([stage.rawValue, group.label, c.level.rawValue, c.evidence.joined(separator: "; ")])
            }
        }
        return out
    }

    /// `tables/feedback_quotes.csv`: the redacted quotes the summary shows.
    public static func quotesCSV(_ f: FeedbackSummary, study: StudyDefinition) -> String {
        var out = CSVOutput.line(["theme", "group", "stage", "quote"])
        for theme in f.codebook.themes {
            for (cell, q) in f.quotes(theme: theme.name, policy: study.disclosure) {
                out += CSVOutput.line([theme.name, cell.group.rawValue, cell.stage.rawValue, q])
            }
        }
        return out
    }

    /// `tables/feedback.csv`: responses and ratings by group × stage for the study (`all`) and each ward.
    public static func feedbackCSV(_ f: FeedbackSummary, study: StudyDefinition, style: CountStyle) -> String {
        var out = CSVOutput.line(feedbackColumns)
        for group in FeedbackGroup.allCases {
            for stage in FeedbackStage.allCases {
                let cell = FeedbackSummary.Cell(group: group, stage: stage)
                let n = f.shown(.responses(ward: nil, cell), style: style)
                let r = f.ratings[cell] ?? RatingDistribution()
                // A released distribution keeps which levels are suppressed and its total as published.
                let rated = r.publishedTotal.map { ($0, Int($0)) } ?? style.publish(r.n)
                let show = n.1 != nil && rated.1 != nil && (rated.1 ?? 0) > 0
                out += CSVOutput.line(["all", group.rawValue, stage.rawValue, n.0, rated.0]
                    + [0.5, 0.25, 0.75].map { NumberFormat.machine(show ? r.quantile($0) : nil) }
                    + r.counts.indices.map { r.suppressed[$0] ? "*" : style.publish(r.counts[$0]).text })
            }
        }
        for ward in f.responsesByWard.keys.compactMap({ $0 }).sorted() {
            for group in FeedbackGroup.allCases {
                for stage in FeedbackStage.allCases {
                    let n = FeedbackSummary.Count.responses(ward: ward, FeedbackSummary.Cell(group: group, stage: stage))
                    guard f.count(n) > 0 else { continue }
                    out += CSVOutput.line([study.wards[ward].id, group.rawValue, stage.rawValue, f.shown(n, style: style).text, "", "", "", "",
                                           "", "", "", "", ""])
                }
            }
        }
        return out
    }

    /// `tables/feedback_themes.csv`: mentions of each theme and request by group and stage; requests always listed.
    public static func themesCSV(_ f: FeedbackSummary, style: CountStyle) -> String {
        var out = CSVOutput.line(themeColumns)
        for (kind, entries) in [("theme", f.codebook.themes), ("request", f.codebook.requests)] {
            for e in entries {
                for group in FeedbackGroup.allCases {
                    for stage in FeedbackStage.allCases {
                        let n = FeedbackSummary.Count.mentions(name: e.name, request: kind == "request", group: group, stage: stage)
                        if f.count(n) == 0 && kind == "theme" { continue }
                        out += CSVOutput.line([kind, e.name, e.label, group.rawValue, stage.rawValue, f.shown(n, style: style).text])
                    }
                }
            }
        }
        return out
    }

    /// The `involvement` object of results.json.
    public static func json(matrix: InvolvementMatrix?, uptake: ProtectedSleepUptake?, occupancy: OccupancyTotals?,
                            feedback: FeedbackSummary?, study: StudyDefinition, style: CountStyle) -> JSONValue {
        var pairs: [(String, JSONValue)] = []
        if let m = matrix {
            let programme = InvolvementRules.programme(m)
            func classification(_ c: InvolvementClassification) -> JSONValue {
                .object([("class", .string(c.kind.rawValue)), ("label", .string(c.label)), ("parts", .array(c.parts.map { .string($0) })),
                         ("also_noted", .array(c.alsoNoted.map { .string($0) })), ("reasons", .array(c.reasons.map { .string($0) }))])
            }
            pairs.append(("classification", .object([("programme", classification(programme))]
                + InvolvementStage.allCases.map { ($0.rawValue, classification(InvolvementRules.stage($0, m))) })))
            pairs.append(("note", .string("A classification describes who took part and how far; it is not a verdict on quality.")))
            pairs.append(("matrix", .array(InvolvementStage.allCases.flatMap { stage in
                m.groups.enumerated().compactMap { g, group -> JSONValue? in
                    guard let c = m.cells[stage]?[g] else { return nil }
                    return .object([("stage", .string(stage.rawValue)), ("group", .string(group.label)), ("role", .string(group.role.rawValue)),
                                    ("level", .string(c.level.rawValue)), ("evidence", .array(c.evidence.map { .string($0) })),
                                    ("activities", .array(c.activities.map { .string($0) }))])
                }
            })))
        } else {
            pairs.append(("classification", .string("not supplied")))
        }
        if let u = uptake {
            let shown = u.shown(study: study, style: style)
            func prop(_ p: Proportion?) -> JSONValue {
                guard let p, let e = p.estimate else { return .null }
                return .object([("percent", .double(e * 100)), ("ci_lower", .double(p.lower! * 100)), ("ci_upper", .double(p.upper! * 100))])
            }
            let s = u.study
            func share(_ k: ProtectedSleepUptake.Count, _ n: ProtectedSleepUptake.Count) -> JSONValue {
                let shown = u.share(k, of: n, style: style)
                guard let percent = shown.percent, let x = shown.count.value, let y = shown.of.value else {
                    return .object([("count", .string(shown.count.text)), ("of", .string(shown.of.text))])
                }
                return .object([("count", .int(x)), ("of", .int(y)), ("percent", .double(percent))])
            }
            let perNights = u.protectedNightsPer100(occupancy: occupancy, style: style).map { JSONValue.double($0) } ?? .null
            let wardRows: [JSONValue] = shown.rows.map { r in
                JSONValue.object([("ward", .string(r.ward)), ("patients", style.jsonText(r.patients)),
                                  ("patients_protected", style.jsonText(r.protected)), ("uptake", prop(r.share))])
            }
            let mean: JSONValue = shown.summary.unweightedMeanPercent.map { .double($0) } ?? .null
            let items: [(String, JSONValue)] = [
                ("wards", .array(wardRows)),
                ("pooled_percent", prop(shown.rows.last?.share)),
                ("pooled_label", .string("all patients together: patients with a protected night / patients with a sleep plan")),
                ("unweighted_mean_percent", mean),
                ("unweighted_mean_label", .string("mean of the ward percentages, each ward counted once")),
                ("protected_nights_per_100_occupied_bed_nights", perNights),
                ("decisions_basis", .string("protected patient-nights in the sleep plans")),
                ("decisions_involving_patient", s.patientRecorded == 0 ? .string("not recorded") : share(.patientInvolved, .patientRecorded)),
                ("decisions_involving_carer", s.carerRecorded == 0 ? .string("not recorded") : share(.carerInvolved, .carerRecorded)),
                ("decisions_with_night_coordinator", u.rolesNamed.contains("night coordinator")
                    ? share(.nightCoordinator, .decidedByRecorded) : .string("not recorded")),
                ("decisions_with_mdt", u.rolesNamed.contains("mdt") ? share(.mdt, .decidedByRecorded) : .string("not recorded")),
            ]
            pairs.append(("protected_sleep", .object(items)))
        }
        if let f = feedback {
            pairs.append(("feedback", .object([
                ("responses", .object(FeedbackGroup.allCases.map { g in
                    (g.rawValue, .object(FeedbackStage.allCases.map { ($0.rawValue, f.json(.responses(ward: nil, .init(group: g, stage: $0)), style: style)) }))
                })),
                ("ratings_before_after", .array(([nil] + FeedbackGroup.allCases.map(Optional.some)).compactMap { g -> JSONValue? in
                    guard let (b, a, t) = f.shownRatings(group: g, style: style) else { return nil }
                    return .object([("group", .string(g?.rawValue ?? "all")), ("before_n", style.json(b.n)), ("after_n", style.json(a.n)),
                                    ("before_median", b.quantile(0.5).map { .double($0) } ?? .null),
                                    ("after_median", a.quantile(0.5).map { .double($0) } ?? .null),
                                    ("wilcoxon_w", .double(t.statistic)), ("p", .double(t.p)),
                                    ("method", .string(t.exact ? "exact" : "normal approximation with continuity and tie corrections"))])
                })),
                ("requests", .array(f.codebook.requests.map { r in
                    .object([("request", .string(r.name)), ("label", .string(r.label)),
                             ("mentions", f.json(.mentions(name: r.name, request: true, group: nil, stage: nil), style: style))])
                })),
            ])))
        }
        return .object(pairs)
    }
}

extension CountStyle {
    /// A shown count text as JSON: a number when it is one, else the `*` string.
    func jsonText(_ text: String) -> JSONValue { Int(text).map { .int($0) } ?? .string(text) }
}
