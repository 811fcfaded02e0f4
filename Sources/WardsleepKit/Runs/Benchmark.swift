import Foundation

/// Measures ingest speed export by export: a parse-only pass through libcsv, then the full pipeline (header matching,
/// typed fields, normalising, pseudonymising and every analysis), on the same file. Speed lives here, never in tests.
public enum Benchmark {
    /// One export's measurements.
    public struct Result: Sendable {
        /// The export.
        public var export: ExportKind
        /// Its size in bytes.
        public var bytes: Int
        /// Data rows.
        public var rows: Int
        /// Seconds for the parse-only pass.
        public var parseSeconds: Double
        /// Seconds for the full ingest and analysis.
        public var fullSeconds: Double
    }

    /// Runs both passes over every export of the study in `folder`.
    public static func run(folder: String, keyFile: String?, environment: [String: String]) throws -> [Result] {
        let loaded = try LoadedStudy.load(folder: folder, keyFile: keyFile, environment: environment)
        let clock = ContinuousClock()
        var results: [Result] = []
        for kind in ExportKind.allCases {
            let spec = loaded.study.exports[kind]
            guard let path = try StudyFolder.resolve(spec, folder: folder) else { continue }
            var records = 0
            let parse = try clock.measure {
                _ = try CSVFileReader(path: path, displayName: spec.file).read { _ in records += 1 }
            }
            var tally: ExportTally?
            let analyses = try StudyAnalyses(study: loaded.study, folder: folder)
            let full = try clock.measure {
                tally = try StudyIngest.read(kind, spec: spec, path: path, context: loaded.context, problems: ProblemDigest(keep: 0),
                                             consumer: analyses.consumer, progress: nil)
            }
            results.append(Result(export: kind, bytes: tally?.bytes ?? 0, rows: max(0, records - 1),
                                  parseSeconds: parse.seconds, fullSeconds: full.seconds))
        }
        return results
    }

    /// A table of the results: rows/s and MB/s for both passes and how many times slower the full pipeline is.
    public static func table(_ results: [Result]) -> [String] {
        func rate(_ n: Double, _ s: Double) -> String { s > 0 ? NumberFormat.grouped(Int(n / s)) : "—" }
        var lines = ["export         MB      rows   parse rows/s  parse MB/s    full rows/s   full MB/s  full/parse"]
        for r in results {
            let mb = Double(r.bytes) / 1_048_576
            lines.append([
                r.export.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0),
                NumberFormat.fixed(mb, 1).leftPadded(7), NumberFormat.grouped(r.rows).leftPadded(10),
                rate(Double(r.rows), r.parseSeconds).leftPadded(14), NumberFormat.fixed(mb / max(r.parseSeconds, 1e-9), 1).leftPadded(11),
                rate(Double(r.rows), r.fullSeconds).leftPadded(14), NumberFormat.fixed(mb / max(r.fullSeconds, 1e-9), 1).leftPadded(11),
                NumberFormat.fixed(r.fullSeconds / max(r.parseSeconds, 1e-9), 1).leftPadded(10) + "x",
            ].joined(separator: " "))
        }
        let bytes = results.reduce(0) { $0 + $1.bytes }, rows = results.reduce(0) { $0 + $1.rows }
        let parse = results.reduce(0) { $0 + $1.parseSeconds }, full = results.reduce(0) { $0 + $1.fullSeconds }
        lines.append("all: \(NumberFormat.fixed(Double(bytes) / 1_048_576, 1)) MB, \(NumberFormat.grouped(rows)) rows; parse only "
                     + "\(NumberFormat.fixed(parse, 2)) s, full \(NumberFormat.fixed(full, 2)) s (\(NumberFormat.fixed(full / max(parse, 1e-9), 1))x)")
        return lines
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
