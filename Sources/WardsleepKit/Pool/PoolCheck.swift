/// Problems with the set of aggregates given to `wardsleep pool` that no single file shows: exits 2 with every one.
public struct PoolInputError: WardsleepFailure, Equatable {
    /// One sentence per problem.
    public var problems: [String]

    /// Creates the error.
    public init(problems: [String]) { self.problems = problems }

    public var exitStatus: ExitStatus { .configuration }

    public var description: String {
        problems.count == 1 ? problems[0] : "the aggregates cannot be pooled:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Reads every aggregate and checks they can be pooled: each file once, each trust once, the same incident categories,
/// windows and unit of exposure everywhere.
public enum PoolCheck {
    /// Reads `files` (each checked by `AggregateReader`) and checks them as a set.
    public static func load(_ files: [String]) throws -> [PooledTrust] {
        let trusts = try files.map { f -> PooledTrust in
            let (aggregate, sha) = try AggregateReader.read(f)
            return PooledTrust(file: f, sha256: sha, aggregate: aggregate)
        }
        try check(trusts)
        return trusts
    }

    /// `file (trust name)`.
    static func named(_ t: PooledTrust) -> String { "\(t.file) (\(plain(t.name)))" }

    /// A name from another organisation's file as a terminal may show it: no control characters.
    static func plain(_ name: String) -> String { PlainText.removingControls(name) }

    /// Checks the trusts as a set; throws `PoolInputError` listing every problem.
    public static func check(_ trusts: [PooledTrust]) throws {
        var problems: [String] = []
        var bySha: [String: PooledTrust] = [:], byName: [String: PooledTrust] = [:], bySalt: [String: PooledTrust] = [:]
        var duplicate = Set<Int>()
        for (i, t) in trusts.enumerated() {
            if let earlier = bySha[t.sha256] {
                problems.append("\(t.file) and \(earlier.file) are the same aggregate (identical content, SHA-256 \(t.sha256.prefix(12))…); "
                                + "give each trust's aggregate once")
                duplicate.insert(i)
                continue
            }
            bySha[t.sha256] = t
            let key = Slug.normaliseLabel(t.name)
            if let earlier = byName[key] {
                problems.append("\(t.file) and \(earlier.file) both come from \(plain(t.name)); give each trust's aggregate once "
                                + "(pool a trust's latest run only)")
                duplicate.insert(i)
                continue
            }
            byName[key] = t
            // The salt is the trust key's keyed hash of a fixed phrase: the same salt is the same key, so the same trust
            // under another organisation name (renamed, or its study.yaml edited), whatever the files say.
            if let salt = t.aggregate.salt {
                if let earlier = bySalt[salt] {
                    problems.append("\(t.file) and \(earlier.file) were made with the same trust key (the same salt), so come from one "
                                    + "trust, whatever their organisation names (\(plain(earlier.name)), \(plain(t.name))); give each "
                                    + "trust's aggregate once (pool a trust's latest run only), and give each trust its own key")
                    duplicate.insert(i)
                    continue
                }
                bySalt[salt] = t
            }
        }
        let distinct = trusts.indices.filter { !duplicate.contains($0) }.map { trusts[$0] }
        for t in distinct where t.aggregate.categories.isEmpty {
            problems.append("\(named(t)) has no incident counts (its study had no incidents export); leave it out or run it with one")
        }
        let withIncidents = distinct.filter { !$0.aggregate.categories.isEmpty }
        var allCategories: [String] = [], seen = Set<String>()
        for t in withIncidents {
            for c in t.aggregate.categories where seen.insert(c).inserted { allCategories.append(c) }
        }
        let lacking = withIncidents.compactMap { t -> String? in
            let has = Set(t.aggregate.categories)
            let missing = allCategories.filter { !has.contains($0) }
            return missing.isEmpty ? nil : "\(named(t)) lacks \(missing.joined(separator: ", "))"
        }
        if !lacking.isEmpty {
            problems.append("the trusts' incident categories differ: \(lacking.joined(separator: "; ")); map each trust's categories to "
                            + "the same names (exports.incidents.categories in its study.yaml) and run it again with --share")
        }
        let windows = Set(withIncidents.map { $0.aggregate.windows.map(\.rawValue).sorted().joined(separator: " and ") })
        if windows.count > 1 {
            problems.append("the trusts counted different windows: " + withIncidents.map { "\(named($0)) \($0.aggregate.windows.map(\.rawValue).joined(separator: " and "))" }
                .joined(separator: "; ") + "; run each study without --window")
        }
        let units = Set(distinct.map(\.aggregate.exposureUnit))
        if units.count > 1 {
            problems.append("the trusts' exposures differ: " + distinct.map { "\(named($0)) \($0.aggregate.exposureUnit.words)" }.joined(separator: "; ")
                            + "; every trust needs an occupancy export (or none does) for rates to be pooled")
        }
        if !problems.isEmpty { throw PoolInputError(problems: problems) }
    }
}
