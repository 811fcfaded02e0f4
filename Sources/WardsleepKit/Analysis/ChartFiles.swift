import Foundation

/// File names for the charts of one report (`charts/<name>.svg`), one per chart and never two alike.
///
/// A chart is named by the slug of its title (`Incidents, ward A1` → `incidents-ward-a1`). A slug drops case, spacing
/// and punctuation, so different titles can share one ("ward A 3" and "ward A-3"): every chart whose slug is shared,
/// or longer than `maxSlug`, gets the first 8 hex digits of the SHA-256 of its exact title appended; should two names
/// still be alike (two charts with the same title), a counter follows in chart order. The names depend only on the
/// titles, so the same report always has the same names.
public enum ChartFiles {
    /// The longest slug used whole; longer ones are cut and marked with the hash (file names have a length limit).
    static let maxSlug = 80

    /// The file name (without folder or extension) of each title, in the same order.
    public static func names(_ titles: [String]) -> [String] {
        let slugs = titles.map(Slug.make)
        var bySlug: [String: Set<String>] = [:]
        for (slug, title) in zip(slugs, titles) { bySlug[slug, default: []].insert(title) }
        var names = zip(slugs, titles).map { slug, title in
            guard (bySlug[slug]?.count ?? 0) > 1 || slug.count > maxSlug else { return slug }
            return String(slug.prefix(maxSlug)) + "-" + String(Digest.sha256(Data(title.utf8)).prefix(8))
        }
        var taken = Set<String>(), all = Set(names), next: [String: Int] = [:]
        for i in names.indices {
            let name = names[i]
            if taken.contains(name) {
                var n = next[name, default: 1]
                repeat { n += 1 } while taken.contains("\(name)-\(n)") || all.contains("\(name)-\(n)")
                next[name] = n
                names[i] = "\(name)-\(n)"
            }
            taken.insert(names[i])
        }
        return names
    }
}
