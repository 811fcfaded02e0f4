/// The segmented regressions and the quasi-Poisson hypnotic comparison in the summary and results.json (`its`).
/// Renders what the analyses and the release step computed; computes nothing.
public enum SegmentedTables {
    /// The chart file of a series, for the series that are charted (all incidents in each window, hypnotic DDDs).
    public static func chartPath(_ s: InterruptedSeries) -> String? {
        guard !s.points.isEmpty else { return nil }
        if s.measure == "hypnotic_ddd" { return "charts/its-hypnotic-ddd.svg" }
        guard s.category == IncidentCounts.allCategories, let w = s.window else { return nil }
        return "charts/its-incidents-\(w.rawValue).svg"
    }

    /// A series' name for people: "All incidents, 24 h", "Violence, protected window", "Hypnotic DDDs".
    public static func label(_ s: InterruptedSeries, study: StudyDefinition) -> String {
        guard s.measure == "incidents", let category = s.category, let window = s.window else { return "Hypnotic DDDs" }
        let what = category == IncidentCounts.allCategories ? study.incidentsInScopeName : study.categoryLabel(category)
        return "\(what), \(window == .allDay ? "24 h" : "protected window (\(study.protectedWindow))")"
    }

    /// The rate unit of a series' chart: "per 1,000 occupied bed days".
    public static func unit(_ s: InterruptedSeries) -> String {
        "\(s.measure == "hypnotic_ddd" ? "DDD " : "")per \(s.scale == 1000 ? "1,000" : "100") \(s.unit == .days ? "ward-days" : s.unit.words)"
    }

    /// `0.99 (0.97 to 1.01; p = 0.42)`.
    static func parameter(_ p: SegmentParameter?) -> String {
        guard let p else { return "aliased" }
        return "\(NumberFormat.fixed(p.rateRatio, 3)) (\(NumberFormat.fixed(p.lower, 3)) to \(NumberFormat.fixed(p.upper, 3)); p \(SafetySection.pValue(p.p)))"
    }

    /// The ITS part of the safety (`incidents`) or hypnotic (`hypnotic_ddd`) section: charts, then the table.
    public static func section(_ all: [InterruptedSeries], measure: String, study: StudyDefinition, policy: DisclosurePolicy?) -> ReportDocument {
        var doc = ReportDocument()
        let series = all.filter { $0.measure == measure }
        guard !series.isEmpty else { return doc }
        doc.heading(3, "Interrupted time series (segmented regression)")
        doc.paragraph("Monthly rates modelled as a baseline trend, a change in level when the pilot began and a change in trend "
                      + "after it (quasi-Poisson, ward-months, log exposure as offset; see Analysis). Each figure is a rate ratio: the "
                      + "baseline trend and the slope change per month, the level change at the first pilot month against the "
                      + "baseline trend continued.")
        if series.contains(where: { $0.unit == .days }) {
            doc.paragraph("No occupancy export was supplied, so the offset is ward-days.")
        }
        let uncovered = series[0].rows.filter { $0.exposure <= 0 }.count
        if uncovered > 0 && series[0].unit != .days {
            doc.paragraph("\(uncovered) ward-month\(uncovered == 1 ? " has" : "s have") no census day, so no exposure, and \(uncovered == 1 ? "is" : "are") left out of every model.")
        }
        for s in series {
            guard let path = chartPath(s) else { continue }
            doc.figure(alt: SegmentedChart.altText(s, study: study), path: path)
        }
        doc.table(header: ["Measure", "Months", "Baseline trend per month", "Level change", "Slope change per month", "Dispersion"],
                  numeric: [false, true, false, false, false, true], rows: series.map { s in
            let months = Set(s.modelRows.map(\.month)).count
            guard let m = s.model else {
                return [label(s, study: study), String(months), s.withheld == InterruptedSeries.tooManySuppressed ? "withheld: too many ward-months are suppressed" : reason(s),
                        "—", "—", "—"].map { Prose($0) }
            }
            return [label(s, study: study), String(months), parameter(m.baselineTrend), parameter(m.levelChange), parameter(m.slopeChange),
                    NumberFormat.fixed(m.fit.dispersion, 2)].map { Prose($0) }
        })
        let aliased = series.compactMap { s in s.model.flatMap { $0.fit.aliased.isEmpty ? nil : "\(label(s, study: study)): \($0.fit.aliased.joined(separator: ", "))" } }
        if !aliased.isEmpty {
            doc.paragraph("Columns dropped as aliased (not estimable from these months): \(aliased.joined(separator: "; ")).")
        }
        // Counts of people's events are refitted as published; pharmacy issues (supplies) are modelled as they are.
        // Only models refitted as published: incidents (DDDs of doses given are withheld whole, supplies shown as they are).
        if let policy, series.contains(where: { $0.measure != "hypnotic_ddd" && $0.rows.contains { $0.events != nil } }) {
            doc.paragraph("In this copy each model is fitted to the monthly ward counts as published (rounded to the nearest "
                          + "\(policy.roundTo); a count from 1 to \(policy.suppressAtOrBelow) taken as "
                          + "\(NumberFormat.json(InterruptedSeries.standIn(policy)))), so that its estimates reveal no exact count; they "
                          + "differ a little from the exact model's. A model is withheld when more than a quarter of its ward-months "
                          + "with events are small numbers (suppressed).")
        }
        doc.paragraph("Every model is in \(code: "results.json") under \(code: "its").")
        return doc
    }

    /// Why a series has no model in this copy.
    static func reason(_ s: InterruptedSeries) -> String {
        if let w = s.withheld { return "withheld: \(w)" }
        if case .failure(let f) = s.outcome { return "not fitted: \(f)" }
        return "not fitted"
    }

    /// The quasi-Poisson line of the hypnotic section, if there is a model.
    public static func hypnoticModelLine(_ m: HypnoticRateModel?, what: String, per: String) -> String? {
        guard let m else { return nil }
        let months = m.rows.filter { $0.exposure > 0 }.count
        if let r = m.ratio, let d = m.dispersion {
            var s = "On monthly ward totals (\(months) ward-months), allowing for over-dispersion: quasi-Poisson rate ratio per \(per) "
            s += "\(SafetySection.ratio(r.rateRatio)) (95% CI \(SafetySection.ratio(r.lower)) to \(SafetySection.ratio(r.upper)); p \(SafetySection.pValue(r.p))); "
            s += "dispersion \(NumberFormat.fixed(d, 2)) (1 would be Poisson)"
            return s + ": " + SafetySection.verdict(lower: r.lower, upper: r.upper) + "."
        }
        if let w = m.withheld { return "Quasi-Poisson comparison on monthly ward totals: withheld — \(w)." }
        if case .failure(let f) = m.outcome { return "Quasi-Poisson comparison on monthly ward totals: not fitted — \(f)." }
        return nil
    }

    /// The methods bullets.
    public static func methods(exposureFromOccupancy: Bool, hasHypnotics: Bool) -> [Prose] {
        var its: Prose = "Interrupted time series: segmented quasi-Poisson regression on ward-months, "
        its += "\(code: "events ~ t + post + post·(t − t0) + offset(log exposure)"), with t the calendar month index from the first "
        its += "baseline month (months between the periods are not rows, but t keeps counting across them), post = 1 in a ward's "
        its += "pilot and t0 its first pilot month; with more than one ward, ward fixed effects, and each ward's own post and t0 "
        its += "(staggered roll-out). Exposure is \(exposureFromOccupancy ? "occupied bed days" : "ward-days (no occupancy export)"). "
        its += "Fitted by iteratively reweighted least squares as R's \(code: "glm(..., family = quasipoisson)"); dispersion = Pearson χ² "
        its += "/ residual degrees of freedom; 95% intervals exp(β ± 1.96·SE) with the dispersion in the SE (R's \(code: "confint.default")), "
        its += "p-values from t with the residual degrees of freedom. Fewer than \(SegmentedRegression.minimumMonths) months in a "
        its += "period, or no events in a period: not fitted; a ward without a single event is left out of the model (its level "
        its += "would be zero). Seasonality and autocorrelation beyond over-dispersion are not modelled, and with few months a "
        its += "period the trends are imprecise. A model whose ward total in a period is suppressed is withheld; charted months "
        its += "are published counts."
        guard hasHypnotics else { return [its] }
        var hypnotics: Prose = "Hypnotic comparison on monthly ward totals: tablets and doses are not independent events (packs, the same patients "
        hypnotics += "night after night), so the exact Poisson interval overstates certainty. A quasi-Poisson rate ratio, "
        hypnotics += "\(code: "units ~ post + offset(log exposure)") on ward-months, has the same estimate as the crude rate ratio and an "
        hypnotics += "interval widened by the dispersion it reports; percentage changes are of rates per unit of exposure, not of raw "
        hypnotics += "units, because the periods differ in length and occupancy."
        return [its, hypnotics]
    }

    /// The `its` value of results.json.
    public static func json(_ all: [InterruptedSeries], study: StudyDefinition) -> JSONValue {
        .array(all.map { s in
            var pairs: [(String, JSONValue)] = [
                ("measure", .string(s.measure)),
                ("category", s.category.map { .string($0) } ?? .null),
                ("window", s.window.map { .string($0.rawValue) } ?? .null),
                ("ward", s.ward.map { .string(study.wards[$0].id) } ?? .null),
                ("interval", .string("month")),
                ("exposure", .string(s.unit == .days ? "ward_days" : s.unit.rawValue)),
                ("points", .int(s.modelRows.count)),
            ]
            func parameter(_ p: SegmentParameter?) -> JSONValue {
                guard let p else { return .string("aliased") }
                return .object([("estimate", .double(p.estimate)), ("rate_ratio", .double(p.rateRatio)), ("ci_lower", .double(p.lower)),
                                ("ci_upper", .double(p.upper)), ("p", .double(p.p))])
            }
            if let m = s.model {
                pairs += [
                    ("dispersion", .double(m.fit.dispersion)), ("df_residual", .int(m.fit.dfResidual)),
                    ("parameters", .object([("baseline_trend", parameter(m.baselineTrend)), ("level_change", parameter(m.levelChange)),
                                            ("slope_change", parameter(m.slopeChange))])),
                    ("aliased", .array(m.fit.aliased.map { .string($0) })),
                ]
            } else {
                pairs += [("dispersion", .null), ("df_residual", .null), ("parameters", .null)]
                pairs.append(s.withheld != nil ? ("withheld", .string(s.withheld!)) : ("not_fitted", .string(reason(s).replacingOccurrences(of: "not fitted: ", with: ""))))
            }
            return .object(pairs)
        })
    }

    /// The quasi-Poisson hypnotic comparison in results.json.
    public static func hypnoticModelJSON(_ m: HypnoticRateModel) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("model", .string("quasipoisson: units ~ post + offset(log exposure), ward-months")),
                                            ("points", .int(m.rows.filter { $0.exposure > 0 }.count))]
        if let r = m.ratio, let d = m.dispersion {
            pairs += [("rate_ratio", .double(r.rateRatio)), ("ci_lower", .double(r.lower)), ("ci_upper", .double(r.upper)), ("p", .double(r.p)),
                      ("dispersion", .double(d))]
        } else if let w = m.withheld {
            pairs.append(("withheld", .string(w)))
        } else if case .failure(let f) = m.outcome {
            pairs.append(("not_fitted", .string(f.description)))
        }
        return .object(pairs)
    }
}
