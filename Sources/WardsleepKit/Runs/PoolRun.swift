import Foundation

/// What `wardsleep pool` is asked to do.
public struct PoolOptions: Sendable {
    /// The trusts' aggregate files (`restricted/aggregate.json` of each trust's `run --share`).
    public var aggregates: [String]
    /// The report folder.
    public var outFolder: String
    /// Also write exact counts to `restricted/`.
    public var unsuppressed = false
    /// Put the time of the run in the summary and manifest.
    public var timestamp: Date?
    /// Formats to write.
    public var formats = Set(OutputFormat.allCases)

    /// Creates options.
    public init(aggregates: [String], outFolder: String) {
        self.aggregates = aggregates
        self.outFolder = outFolder
    }
}

/// `wardsleep pool`: reads and checks the aggregates, pools them and writes the report atomically, like a run.
public enum PoolRun {
    /// Pools; returns the lines to print. Bad aggregates throw configuration errors (exit 2); `--out` is checked like
    /// `run --out` before anything is read or written, and may be none of the aggregates nor hold one.
    public static func run(_ o: PoolOptions) throws -> [String] {
        guard !o.aggregates.isEmpty else { throw UsageError(option: "AGGREGATE", value: "", message: "name at least one aggregate file") }
        let protected = o.aggregates.map { PathGuard.Protected("the aggregate \($0)", path: $0, kind: .other) }
        try PathGuard.checkReportFolder(o.outFolder, protected: protected)
        let trusts = try PoolCheck.load(o.aggregates)
        OutputStaging.recover(destination: o.outFolder)
        let lock = try RunLock(destination: o.outFolder)
        defer { lock.release() }
        do {
            let staging = try OutputStaging(destination: o.outFolder)
            defer { staging.discard() }
            let stamp = o.timestamp.map(RunClock.utc)
            var outputs: [Manifest.Output] = []
            let policy = PoolAnalysis.strictest(trusts)
            try write(PoolAnalysis.analyse(trusts, style: .published(policy)), formats: o.formats, generated: stamp, into: staging, under: "", outputs: &outputs)
            if o.unsuppressed {
                try write(PoolAnalysis.analyse(trusts, style: .exact), formats: o.formats, generated: stamp, into: staging, under: "restricted/", outputs: &outputs)
            }
            outputs.append(.init(path: "manifest.json", sensitivity: .releasable))
            try staging.write("manifest.json", manifest(trusts, outputs: outputs, generated: stamp, hashes: o.unsuppressed))
            try staging.commit()
        } catch {
            throw OutputStaging.explain(error, destination: o.outFolder)
        }
        return trusts.map { "\($0.file): \(PoolCheck.plain($0.name)), \($0.aggregate.wards.count) wards" } + ["pooled report written to \(o.outFolder)"]
    }

    /// Writes one copy of the pooled report under `prefix`.
    static func write(_ r: PoolResults, formats: Set<OutputFormat>, generated: String?, into staging: OutputStaging, under prefix: String,
                      outputs: inout [Manifest.Output]) throws {
        func put(_ name: String, _ format: OutputFormat, _ render: () -> String) throws {
            guard OutputFormat.writes(format, path: name, for: formats) else { return }
            try staging.write(prefix + name, render())
            outputs.append(.init(path: prefix + name, sensitivity: r.style.sensitivity))
        }
        let document = PoolSummary.build(r, generated: generated.map { "Generated \($0)." })
        let summary = MarkdownWriter.render(document)
        var charts: [String: String] = [:]
        if OutputFormat.drawsCharts(formats) {
            for (i, m) in r.measures.enumerated() {
                let svg = PoolSummary.forest(m, results: r).render(id: "forest\(i + 1)")
                charts[PoolSummary.chartPath(i)] = svg
                try put(PoolSummary.chartPath(i), .html) { svg }
            }
        }
        try put("summary.md", .md) { summary }
        try put("report.html", .html) { HTMLReport.render(document: document, title: "Pooled evaluation of protected sleep", charts: charts) }
        try put("results.json", .json) { PoolTables.json(r) }
        try put("tables/pooled.csv", .csv) { PoolTables.pooledCSV(r) }
        try put("tables/pooled_trusts.csv", .csv) { PoolTables.trustsCSV(r) }
        try put("tables/pooled_strata.csv", .csv) { PoolTables.strataCSV(r) }
        if !r.hypnotics.isEmpty { try put("tables/pooled_hypnotics.csv", .csv) { PoolTables.hypnoticsCSV(r) } }
    }

    /// `manifest.json` of a pooled report: tool, each aggregate (with its SHA-256 when it is salted, or when `hashes`:
    /// the manifest is releasable, and the hash of an unsalted exact aggregate confirms a guess at its counts, so it is
    /// then listed only beside a restricted copy), each output with its sensitivity.
    static func manifest(_ trusts: [PooledTrust], outputs: [Manifest.Output], generated: String?, hashes: Bool = false) -> String {
        var pairs: [(String, JSONValue)] = [
            ("schema_version", .int(Manifest.schemaVersion)),
            ("tool", .object([("name", .string("wardsleep")), ("version", .string(WardsleepVersion.current))])),
            ("command", .string("pool")),
            ("aggregates", .array(trusts.map { t in
                .object([("file", .string(t.file)), ("trust", .string(t.name)), ("study", .string(t.aggregate.study))]
                            + (t.shownHash(restricted: hashes).map { [("sha256", JSONValue.string($0))] } ?? []))
            })),
            ("outputs", .array(outputs.sorted { $0.path < $1.path }.map {
                .object([("path", .string($0.path)), ("sensitivity", .string($0.sensitivity.rawValue))])
            })),
        ]
        if let generated { pairs.insert(("generated_at", .string(generated)), at: 1) }
        return JSONValue.object(pairs).rendered()
    }
}
