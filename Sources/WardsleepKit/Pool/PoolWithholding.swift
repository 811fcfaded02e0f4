/// What a releasable pooled report withholds beside its small counts, so that neither it alone nor it beside each
/// trust's own report gives a suppressed count back (`SecondarySuppression`).
///
/// A pooled report shows each ward's counts as the trust's own report does, and each trust's total over all its wards.
/// So it withholds every count the trust's report withheld (the aggregate lists them), and works out, as an attacker with
/// both reports would, what its trust totals add: each total against its wards, the trust report's study-wide count
/// (its wards with exposure in both periods) against those wards, `all` against the categories and the protected window
/// against 24 hours, at every level. The
/// wards' counts and the trust report's study-wide counts are shown in that report already: only a trust total can be
/// withheld here.
enum PoolWithholding {
    /// A count a pooled report shows, or (`own`) one the trust's own report shows.
    enum Key: Hashable {
        case ward(trust: Int, ward: Int, category: String, window: TimeWindow, period: StudyPeriod)
        case trust(trust: Int, category: String, window: TimeWindow, period: StudyPeriod)
        case own(trust: Int, category: String, window: TimeWindow, period: StudyPeriod)
    }

    /// The counts to show as `*` beside the suppressed ones, each trust's under its own policy.
    static func withheld(_ trusts: [PooledTrust]) -> Set<Key> {
        var counts: [Key: Int] = [:], families: [SecondarySuppression.Family<Key>] = []
        var initial = Set<Key>(), fixed = Set<Key>()
        for (t, trust) in trusts.enumerated() {
            let a = trust.aggregate
            let compared = a.wards.indices.filter { a.wards[$0].baselineExposure > 0 && a.wards[$0].pilotExposure > 0 }
            let isCompared = Set(compared)
            for window in a.windows {
                for period in StudyPeriod.allCases {
                    for category in a.categories {
                        let total = Key.trust(trust: t, category: category, window: window, period: period)
                        let own = Key.own(trust: t, category: category, window: window, period: period)
                        var sum = 0, ownSum = 0
                        for (w, ward) in a.wards.enumerated() {
                            let key = Key.ward(trust: t, ward: w, category: category, window: window, period: period)
                            let c = ward.count(category, window)
                            let n = (period == .baseline ? c?.baseline : c?.pilot) ?? 0
                            counts[key] = n
                            fixed.insert(key)
                            if c?.withheld.contains(period) == true { initial.insert(key) }
                            sum += n
                            if isCompared.contains(w) { ownSum += n }
                        }
                        counts[total] = sum
                        counts[own] = ownSum
                        fixed.insert(own)
                        let ownWithheld = a.studyWithheld.contains { $0.category == category && $0.window == window && $0.periods.contains(period) }
                        if ownWithheld {
                            initial.insert(own)
                            // The same wards: the same count, withheld as the trust's report withholds it.
                            if compared.count == a.wards.count { initial.insert(total) }
                        }
                        families.append(.init(total: total, parts: a.wards.indices.map {
                            .ward(trust: t, ward: $0, category: category, window: window, period: period)
                        }))
                        families.append(.init(total: own, parts: compared.map {
                            .ward(trust: t, ward: $0, category: category, window: window, period: period)
                        }))
                    }
                    // A count inside the protected window is at most the same count over 24 hours.
                    if window == .protected && a.windows.contains(.allDay) {
                        for category in a.categories {
                            for w in a.wards.indices {
                                families.append(.init(total: .ward(trust: t, ward: w, category: category, window: .allDay, period: period),
                                                      parts: [.ward(trust: t, ward: w, category: category, window: .protected, period: period)],
                                                      kind: .bound))
                            }
                            families.append(.init(total: .trust(trust: t, category: category, window: .allDay, period: period),
                                                  parts: [.trust(trust: t, category: category, window: .protected, period: period)], kind: .bound))
                            families.append(.init(total: .own(trust: t, category: category, window: .allDay, period: period),
                                                  parts: [.own(trust: t, category: category, window: .protected, period: period)], kind: .bound))
                        }
                    }
                    // `all` against the categories, for each ward, the trust and the trust's own study-wide rows.
                    guard let all = a.categories.first, a.categories.count > 1 else { continue }
                    let categories = a.categories.dropFirst()
                    for w in a.wards.indices {
                        families.append(.init(total: .ward(trust: t, ward: w, category: all, window: window, period: period),
                                              parts: categories.map { .ward(trust: t, ward: w, category: $0, window: window, period: period) }))
                    }
                    families.append(.init(total: .trust(trust: t, category: all, window: window, period: period),
                                          parts: categories.map { .trust(trust: t, category: $0, window: window, period: period) }))
                    families.append(.init(total: .own(trust: t, category: all, window: window, period: period),
                                          parts: categories.map { .own(trust: t, category: $0, window: window, period: period) }))
                }
            }
        }
        families = families.filter { $0.holds(counts) }
        return SecondarySuppression.withheld(counts: counts, families: families, policyOf: { trusts[$0.trust].aggregate.disclosure },
                                             initial: initial, fixed: fixed)
    }
}

extension PoolWithholding.Key {
    /// The trust a count belongs to.
    var trust: Int {
        switch self {
        case .ward(let t, _, _, _, _), .trust(let t, _, _, _), .own(let t, _, _, _): return t
        }
    }
}
