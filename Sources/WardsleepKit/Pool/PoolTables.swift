/// The tables (`tables/pooled*.csv`) and `results.json` of a pooled report. Column and key names are an output contract.
public enum PoolTables {
    /// Columns of `tables/pooled.csv`.
    public static let pooledColumns = [
        "category", "window", "trusts", "wards", "mh_rate_ratio", "mh_ci_lower", "mh_ci_upper", "fixed_rate_ratio", "fixed_ci_lower",
        "fixed_ci_upper", "fixed_p", "random_rate_ratio", "random_ci_lower", "random_ci_upper", "random_p", "tau2", "i2", "q", "q_df",
        "q_p", "withheld",
    ]
    /// Columns of `tables/pooled_trusts.csv`.
    public static let trustColumns = [
        "trust", "category", "window", "baseline_events", "pilot_events", "baseline_exposure", "pilot_exposure", "exposure_unit",
        "rate_ratio", "ci_lower", "ci_upper", "p_exact", "log_rate_ratio", "variance",
    ]
    /// Columns of `tables/pooled_strata.csv`.
    public static let strataColumns = [
        "trust", "ward", "category", "window", "baseline_events", "pilot_events", "baseline_exposure", "pilot_exposure",
    ]
    /// Columns of `tables/pooled_hypnotics.csv`.
    public static let hypnoticColumns = [
        "trust", "hypnotics", "baseline_ddd", "pilot_ddd", "baseline_exposure", "pilot_exposure", "baseline_ddd_per_100", "pilot_ddd_per_100",
    ]

    /// A count as shown: the number used, or `*`.
    static func shown(_ n: Int?) -> String { n.map(String.init) ?? "*" }

    /// Why a measure's estimates are withheld, in one cell.
    static func withheld(_ m: PooledMeasure) -> String {
        [m.mantelHaenszelWithheld.map { "Mantel-Haenszel: \($0)" }, m.poolingWithheld.map { "fixed and random effects: \($0)" }]
            .compactMap { $0 }.joined(separator: "; ")
    }

    /// `tables/pooled.csv`: one line per category × window.
    public static func pooledCSV(_ r: PoolResults) -> String {
        var out = CSVOutput.line(pooledColumns)
        for m in r.measures {
            let mh = m.mantelHaenszel, f = m.pooling?.fixed, d = m.pooling?.random, h = m.pooling
            out += CSVOutput.line([
                m.category, m.window.rawValue, String(r.trusts.count), String(mh?.strata ?? m.strata.count),
                NumberFormat.machine(mh?.estimate), NumberFormat.machine(mh?.lower), NumberFormat.machine(mh?.upper),
                NumberFormat.machine(f?.rateRatio), NumberFormat.machine(f?.lower), NumberFormat.machine(f?.upper), NumberFormat.machine(f?.p),
                NumberFormat.machine(d?.rateRatio), NumberFormat.machine(d?.lower), NumberFormat.machine(d?.upper), NumberFormat.machine(d?.p),
                NumberFormat.machine(h?.tau2), NumberFormat.machine(h?.i2), NumberFormat.machine(h?.q), h.map { String($0.k - 1) } ?? "",
                NumberFormat.machine(h?.qP), withheld(m),
            ])
        }
        return out
    }

    /// `tables/pooled_trusts.csv`: each trust's counts and rate ratio for each measure.
    public static func trustsCSV(_ r: PoolResults) -> String {
        var out = CSVOutput.line(trustColumns)
        for m in r.measures {
            for t in m.trusts {
                out += CSVOutput.line([
                    r.trusts[t.trust].name, m.category, m.window.rawValue, shown(t.baseline), shown(t.pilot),
                    NumberFormat.machine(t.baselineExposure), NumberFormat.machine(t.pilotExposure), r.exposureUnit.rawValue,
                    NumberFormat.machine(t.ratio?.estimate), NumberFormat.machine(t.ratio?.lower), NumberFormat.machine(t.ratio?.upper),
                    NumberFormat.machine(t.ratio?.pExact), NumberFormat.machine(t.logRateRatio?.yi), NumberFormat.machine(t.logRateRatio?.vi),
                ])
            }
        }
        return out
    }

    /// `tables/pooled_strata.csv`: every ward of every trust, the strata of the Mantel–Haenszel estimates.
    public static func strataCSV(_ r: PoolResults) -> String {
        var out = CSVOutput.line(strataColumns)
        for m in r.measures {
            for s in m.strata {
                out += CSVOutput.line([
                    r.trusts[s.trust].name, String(s.ward), m.category, m.window.rawValue, shown(s.baseline), shown(s.pilot),
                    NumberFormat.machine(s.baselineExposure), NumberFormat.machine(s.pilotExposure),
                ])
            }
        }
        return out
    }

    /// `tables/pooled_hypnotics.csv`: each trust's DDDs, when any trust supplied hypnotics.
    public static func hypnoticsCSV(_ r: PoolResults) -> String {
        var out = CSVOutput.line(hypnoticColumns)
        for h in r.hypnotics {
            out += CSVOutput.line([
                r.name(h.trust), h.kind.rawValue, NumberFormat.machine(h.baselineDDD), NumberFormat.machine(h.pilotDDD),
                NumberFormat.machine(h.baselineExposure), NumberFormat.machine(h.pilotExposure), NumberFormat.machine(h.per100(.baseline)),
                NumberFormat.machine(h.per100(.pilot)),
            ])
        }
        return out
    }

    static func number(_ d: Double?) -> JSONValue {
        guard let d else { return .null }
        return d.isInfinite ? .string(d > 0 ? "Inf" : "-Inf") : .double(d)
    }

    /// The `pooled` list of results.json: for each measure the trusts' rate ratios, the Mantel–Haenszel estimate, and
    /// the fixed and random effects; a withheld value is `null`.
    public static func pooledJSON(_ r: PoolResults) -> JSONValue {
        .array(r.measures.map { m in
            let mh = m.mantelHaenszel, f = m.pooling?.fixed, d = m.pooling?.random, h = m.pooling
            return .object([
                ("category", .string(m.category)),
                ("window", .string(m.window.rawValue)),
                ("trusts", .array(m.trusts.map { t in
                    .object([("name", .string(r.trusts[t.trust].name)), ("rate_ratio", number(t.ratio?.estimate)),
                             ("ci_lower", number(t.ratio?.lower)), ("ci_upper", number(t.ratio?.upper))])
                })),
                ("mantel_haenszel", .object([("rate_ratio", number(mh?.estimate)), ("ci_lower", number(mh?.lower)), ("ci_upper", number(mh?.upper))])),
                ("fixed", .object([("rate_ratio", number(f?.rateRatio)), ("ci_lower", number(f?.lower)), ("ci_upper", number(f?.upper)),
                                   ("p", number(f?.p))])),
                ("random", .object([("rate_ratio", number(d?.rateRatio)), ("ci_lower", number(d?.lower)), ("ci_upper", number(d?.upper)),
                                    ("p", number(d?.p)), ("tau2", number(h?.tau2)), ("i2", number(h?.i2)), ("q", number(h?.q)),
                                    ("q_p", number(h?.qP))])),
            ])
        })
    }

    /// results.json of a pooled report.
    public static func json(_ r: PoolResults) -> String {
        var withheld: [JSONValue] = []
        for m in r.measures {
            for (part, reason) in [("mantel_haenszel", m.mantelHaenszelWithheld), ("fixed_and_random", m.poolingWithheld)] {
                guard let reason else { continue }
                withheld.append(.object([("category", .string(m.category)), ("window", .string(m.window.rawValue)),
                                         ("estimate", .string(part)), ("reason", .string(reason))]))
            }
        }
        let pairs: [(String, JSONValue)] = [
            ("schema_version", .int(ResultsJSON.schemaVersion)),
            ("tool", .object([("name", .string("wardsleep")), ("version", .string(WardsleepVersion.current))])),
            ("sensitivity", .string(r.style.sensitivity.rawValue)),
            ("trusts", .array(r.trusts.map { t in
                let a = t.aggregate
                return .object([
                    ("name", .string(t.name)), ("study", .string(a.study)), ("organisation", a.organisation.map { .string($0) } ?? .null),
                    ("aggregate_sha256", .string(t.shownHash(restricted: r.style.sensitivity == .restricted) ?? "restricted copy only")),
                    ("wardsleep_version", .string(a.toolVersion)), ("wards", .int(a.wards.count)),
                    ("baseline", .object([("from", .string(a.periods[0])), ("to", .string(a.periods[1]))])),
                    ("pilot", .object([("from", .string(a.periods[2])), ("to", .string(a.periods[3]))])),
                ])
            })),
            ("parameters", .object([
                ("exposure", .string(r.exposureUnit.rawValue)),
                ("confidence_level", .double(0.95)),
                ("disclosure", r.style.policy.map { p in
                    .object([("suppress_at_or_below", .int(p.suppressAtOrBelow)), ("round_to", .int(p.roundTo)),
                             ("note", .string(Disclosure.note(p) + " This is the strictest of the trusts' policies, which judges pooled totals; each trust's counts are shown under its own policy, as its own report shows them."))])
                } ?? .string("none: exact counts, restricted output")),
                ("methods", .object([
                    ("trusts", .string("exact conditional binomial rate ratio (Clopper-Pearson), as R poisson.test")),
                    ("mantel_haenszel", .string("Mantel-Haenszel rate ratio over every ward of every trust, Greenland-Robins variance")),
                    ("fixed", .string("inverse-variance fixed effect on the trusts' log rate ratios, as metafor rma(method = \"FE\")")),
                    ("random", .string("DerSimonian-Laird random effects, as metafor rma(method = \"DL\")")),
                    ("log_rate_ratios", .string("metafor escalc(measure = \"IRR\"): 1/2 added to both counts when either is zero; "
                                                + "trusts with no events in both periods kept")),
                ])),
            ])),
            ("pooled", pooledJSON(r)),
            ("withheld", .array(withheld)),
            ("hypnotics", .array(r.hypnotics.map { h in
                .object([("trust", .string(r.name(h.trust))), ("hypnotics", .string(h.kind.rawValue)),
                         ("baseline_ddd", number(h.baselineDDD)), ("pilot_ddd", number(h.pilotDDD)),
                         ("baseline_ddd_per_100", number(h.per100(.baseline))), ("pilot_ddd_per_100", number(h.per100(.pilot)))])
            })),
        ]
        return JSONValue.object(pairs).rendered()
    }
}
