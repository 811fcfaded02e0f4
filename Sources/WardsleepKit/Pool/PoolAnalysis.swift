/// One trust in a pooled analysis: where its aggregate came from and what it covers.
public struct PooledTrust: Sendable, Equatable {
    /// The aggregate file as given on the command line.
    public var file: String
    /// The aggregate's own SHA-256.
    public var sha256: String
    /// The aggregate.
    public var aggregate: TrustAggregate
    /// The trust's name in the report (organisation, or study name).
    public var name: String { aggregate.name }

    /// The aggregate's SHA-256 as a copy of the pooled report may show it: always in a restricted copy; in a releasable
    /// one only when the aggregate is salted, since the hash of an unsalted exact aggregate confirms a guess at its counts.
    public func shownHash(restricted: Bool) -> String? { restricted || aggregate.salt != nil ? sha256 : nil }
}

/// One ward of one trust for one measure, as a stratum of the Mantel–Haenszel estimate.
public struct PooledStratum: Sendable, Equatable {
    /// Trust index.
    public var trust: Int
    /// Ward number within the trust (from 1).
    public var ward: Int
    /// Baseline events as used (published or exact); `nil` when suppressed.
    public var baseline: Int?
    /// Pilot events as used; `nil` when suppressed.
    public var pilot: Int?
    /// Baseline exposure.
    public var baselineExposure: Double
    /// Pilot exposure.
    public var pilotExposure: Double
}

/// One trust's comparison for one measure.
public struct PooledTrustRate: Sendable, Equatable {
    /// Trust index.
    public var trust: Int
    /// Baseline events over all its wards, as used (published or exact); `nil` when suppressed.
    public var baseline: Int?
    /// Pilot events; `nil` when suppressed.
    public var pilot: Int?
    /// Baseline exposure over all its wards.
    public var baselineExposure: Double
    /// Pilot exposure.
    public var pilotExposure: Double
    /// The exact rate ratio (`poisson.test`) from the counts used; `nil` when a count is suppressed or an exposure is 0.
    public var ratio: RateRatio?
    /// The log rate ratio pooled by inverse variance (½ added when a count is zero); `nil` as `ratio`.
    public var logRateRatio: LogRateRatio?
}

/// The pooled comparison for one category and window.
public struct PooledMeasure: Sendable {
    /// Category, or `all`.
    public var category: String
    /// 24 h or protected window.
    public var window: TimeWindow
    /// Each trust, in the order given.
    public var trusts: [PooledTrustRate]
    /// Every ward of every trust.
    public var strata: [PooledStratum]
    /// Mantel–Haenszel over all ward strata of all trusts; `nil` when withheld.
    public var mantelHaenszel: PooledRateRatio?
    /// Why the Mantel–Haenszel estimate is withheld from a releasable output.
    public var mantelHaenszelWithheld: String?
    /// Fixed and random effects over the trusts' log rate ratios; `nil` when withheld or no trust has exposure.
    public var pooling: InverseVariancePooling?
    /// Why the inverse-variance estimates are withheld from a releasable output.
    public var poolingWithheld: String?
}

/// One trust's hypnotic use in DDDs.
public struct PooledHypnotics: Sendable, Equatable {
    /// Trust index; `nil` for all the trusts together (DDDs and exposures summed).
    public var trust: Int?
    /// Pharmacy issues or administrations.
    public var kind: HypnoticsExportKind
    /// DDDs in each period; `nil` when withheld (doses given, in a releasable output).
    public var baselineDDD: Double?, pilotDDD: Double?
    /// Exposure in each period.
    public var baselineExposure: Double, pilotExposure: Double

    /// DDD per 100 units of exposure in a period.
    public func per100(_ period: StudyPeriod) -> Double? {
        let (d, t) = period == .baseline ? (baselineDDD, baselineExposure) : (pilotDDD, pilotExposure)
        guard let d, t > 0 else { return nil }
        return d / t * 100
    }
}

/// Everything `wardsleep pool` reports, computed from the counts one copy of the report may use.
public struct PoolResults: Sendable {
    /// The trusts, in the order given.
    public var trusts: [PooledTrust]
    /// Categories, `all` first.
    public var categories: [String]
    /// Windows.
    public var windows: [TimeWindow]
    /// The unit of exposure shared by every trust.
    public var exposureUnit: ExposureUnit
    /// The strictest of the trusts' disclosure policies, applied to every published count.
    public var policy: DisclosurePolicy
    /// One line per category × window.
    public var measures: [PooledMeasure]
    /// Hypnotic DDDs per trust that supplied them, then all of them together when they are of one kind and shown.
    public var hypnotics: [PooledHypnotics]
    /// Exact or published counts.
    public var style: CountStyle

    /// A trust's name; `all` for all the trusts together.
    public func name(_ trust: Int?) -> String { trust.map { trusts[$0].name } ?? "all" }
}

/// Pools trusts' aggregates (`wardsleep pool`): per-trust exact rate ratios, Mantel–Haenszel over every ward of every
/// trust, and inverse-variance fixed and DerSimonian–Laird random effects over the trusts' log rate ratios.
///
/// The same function computes the exact results (restricted copy) and the released ones: in a releasable copy each
/// count — a ward's or a trust's — is published under its trust's own policy, as the trust's own report shows it (the
/// strictest of the trusts' policies judges the pooled totals), and every statistic is computed from the published
/// counts; one that would need a suppressed count is withheld with the reason.
public enum PoolAnalysis {
    /// The strictest policy: the highest suppression threshold and the coarsest rounding of any trust.
    public static func strictest(_ trusts: [PooledTrust]) -> DisclosurePolicy {
        DisclosurePolicy(suppressAtOrBelow: trusts.map(\.aggregate.disclosure.suppressAtOrBelow).max() ?? 7,
                         roundTo: trusts.map(\.aggregate.disclosure.roundTo).max() ?? 5)
    }

    /// The results of checked trusts (`PoolCheck.check`) in `style`.
    public static func analyse(_ trusts: [PooledTrust], style: CountStyle) -> PoolResults {
        let first = trusts.first?.aggregate
        let categories = first?.categories ?? [], windows = first?.windows ?? []
        func used(_ n: Int) -> Int? { style.publish(n).value }
        // Counts withheld to protect a small one, here or in a trust's own report (a releasable copy only).
        let withheld = style.policy == nil ? [] : PoolWithholding.withheld(trusts)
        // A trust's counts as its own report shows them, under its own policy: shown under another rounding, the two
        // reports together would narrow a count to where the two roundings meet.
        func used(_ n: Int, _ key: PoolWithholding.Key) -> Int? {
            guard style.policy != nil else { return n }
            return withheld.contains(key) ? nil : Disclosure.publish(n, policy: trusts[key.trust].aggregate.disclosure).number
        }
        // Each ward's counts by category and window, found once: searching them for every measure would take time in the
        // square of the number of categories.
        let counts: [[[String: TrustAggregate.Count]]] = trusts.map { t in
            t.aggregate.wards.map { w in Dictionary(w.incidents.map { ("\($0.category)|\($0.window.rawValue)", $0) }, uniquingKeysWith: { a, _ in a }) }
        }
        func suppressed(_ n: Int) -> Bool { used(n) == nil }
        var measures: [PooledMeasure] = []
        for category in categories {
            for window in windows {
                var m = PooledMeasure(category: category, window: window, trusts: [], strata: [])
                for (t, trust) in trusts.enumerated() {
                    var b = 0, p = 0, tb = 0.0, tp = 0.0
                    for (w, ward) in trust.aggregate.wards.enumerated() {
                        let c = counts[t][w]["\(category)|\(window.rawValue)"]
                        let cb = c?.baseline ?? 0, cp = c?.pilot ?? 0
                        b += cb; p += cp; tb += ward.baselineExposure; tp += ward.pilotExposure
                        m.strata.append(PooledStratum(trust: t, ward: w + 1,
                                                      baseline: used(cb, .ward(trust: t, ward: w, category: category, window: window, period: .baseline)),
                                                      pilot: used(cp, .ward(trust: t, ward: w, category: category, window: window, period: .pilot)),
                                                      baselineExposure: ward.baselineExposure, pilotExposure: ward.pilotExposure))
                    }
                    var rate = PooledTrustRate(trust: t, baseline: used(b, .trust(trust: t, category: category, window: window, period: .baseline)),
                                               pilot: used(p, .trust(trust: t, category: category, window: window, period: .pilot)),
                                               baselineExposure: tb, pilotExposure: tp)
                    if let x0 = rate.baseline, let x1 = rate.pilot, tb > 0, tp > 0 {
                        rate.ratio = exactRateRatio(x1: x1, t1: tp, x0: x0, t0: tb)
                        rate.logRateRatio = LogRateRatio(x1: x1, t1: tp, x0: x0, t0: tb)
                    }
                    m.trusts.append(rate)
                }
                let strata = m.strata.filter { $0.baselineExposure > 0 && $0.pilotExposure > 0 }
                if strata.contains(where: { $0.baseline == nil || $0.pilot == nil }) {
                    m.mantelHaenszelWithheld = "a ward's count is a small number (suppressed), so no pooled estimate is published"
                } else if [strata.reduce(0) { $0 + $1.baseline! }, strata.reduce(0) { $0 + $1.pilot! }].contains(where: suppressed) {
                    m.mantelHaenszelWithheld = "the pooled total is a small number"
                } else {
                    m.mantelHaenszel = mantelHaenszelRateRatio(strata: strata.map {
                        RateStratum(x1: $0.pilot!, t1: $0.pilotExposure, x0: $0.baseline!, t0: $0.baselineExposure)
                    })
                }
                let compared = m.trusts.filter { $0.baselineExposure > 0 && $0.pilotExposure > 0 }
                if compared.contains(where: { $0.baseline == nil || $0.pilot == nil }) {
                    m.poolingWithheld = "a trust's count is a small number (suppressed), so the trusts' rate ratios are not pooled"
                } else {
                    m.pooling = InverseVariancePooling(compared.compactMap(\.logRateRatio))
                }
                measures.append(m)
            }
        }
        var hypnotics: [PooledHypnotics] = []
        for (t, trust) in trusts.enumerated() {
            guard let kind = trust.aggregate.hypnoticsKind else { continue }
            let wards = trust.aggregate.wards
            // Doses given are events; their DDDs are shown only in an exact copy. Pharmacy issues are supplies.
            let shown = style.policy == nil || kind == .issues
            hypnotics.append(PooledHypnotics(trust: t, kind: kind,
                                             baselineDDD: shown ? wards.reduce(0.0) { $0 + ($1.ddd?.baseline ?? 0) } : nil,
                                             pilotDDD: shown ? wards.reduce(0.0) { $0 + ($1.ddd?.pilot ?? 0) } : nil,
                                             baselineExposure: wards.reduce(0.0) { $0 + $1.baselineExposure },
                                             pilotExposure: wards.reduce(0.0) { $0 + $1.pilotExposure }))
        }
        if hypnotics.count > 1, Set(hypnotics.map(\.kind)).count == 1, hypnotics.allSatisfy({ $0.baselineDDD != nil && $0.pilotDDD != nil }) {
            hypnotics.append(PooledHypnotics(trust: nil, kind: hypnotics[0].kind,
                                             baselineDDD: hypnotics.reduce(0.0) { $0 + $1.baselineDDD! }, pilotDDD: hypnotics.reduce(0.0) { $0 + $1.pilotDDD! },
                                             baselineExposure: hypnotics.reduce(0.0) { $0 + $1.baselineExposure },
                                             pilotExposure: hypnotics.reduce(0.0) { $0 + $1.pilotExposure }))
        }
        return PoolResults(trusts: trusts, categories: categories, windows: windows, exposureUnit: first?.exposureUnit ?? .occupiedBedDays,
                           policy: strictest(trusts), measures: measures, hypnotics: hypnotics, style: style)
    }
}
