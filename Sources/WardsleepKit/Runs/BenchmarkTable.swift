/// The benchmark's table, one line per measured pass, and the goal checks it prints (checks, not tests: timing is
/// never asserted in the test suite).
public enum BenchmarkTable {
    /// Peak memory allowed for validate and run, in MiB.
    public static let rssLimitMiB = 64.0
    /// How much peak memory may grow from the smallest to the largest generated study.
    public static let rssGrowthLimit = 1.5
    /// Time may grow this much faster than rows (10× rows in at most 12× the time).
    public static let timeGrowthSlack = 1.2
    /// `validate` may take this multiple of a parse-only pass spread over every core: measured over that many threads
    /// when the benchmark ran one (the libcsv pass at the most threads asked for), else one thread's divided by the cores.
    public static let validateOverParse = 1.2

    /// The column heads.
    public static let header = "export          rows        MB  phase     threads   seconds       rows/s     MB/s  peak RSS MiB   cpu s"

    /// One measurement as a table line (MB are 10^6 bytes; RSS in MiB).
    public static func line(_ m: Benchmark.Measurement) -> String {
        let s = m.process.seconds, mb = Double(m.bytes) / 1e6
        return [
            m.export.padding(toLength: 11, withPad: " ", startingAt: 0),
            NumberFormat.grouped(m.rows).leftPadded(10), NumberFormat.fixed(mb, 1).leftPadded(9),
            " " + m.phase.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0),
            (m.threads.map(String.init) ?? "n/a").leftPadded(6), NumberFormat.fixed(s, 2).leftPadded(9),
            (s > 0 ? NumberFormat.grouped(Int(Double(m.rows) / s)) : "—").leftPadded(12),
            (s > 0 ? NumberFormat.fixed(mb / s, 1) : "—").leftPadded(8),
            NumberFormat.fixed(mib(m.process.peakRSSBytes), 1).leftPadded(13), NumberFormat.fixed(m.process.cpuSeconds, 2).leftPadded(7),
        ].joined(separator: " ")
    }

    static func mib(_ bytes: Int) -> Double { Double(bytes) / 1_048_576 }

    /// The goal checks over the generated studies, as `PASS`/`FAIL` lines with the numbers behind them.
    public static func goalChecks(_ results: [Benchmark.Measurement], cores: Int) -> [String] {
        let generated = results.filter(\.generated)
        let sizes = Set(generated.map(\.rows)).sorted()
        guard !sizes.isEmpty else { return [] }
        func verdict(_ ok: Bool) -> String { ok ? "PASS" : "FAIL" }
        func rows(_ n: Int) -> String { "\(NumberFormat.grouped(n)) rows" }
        /// The measurement of a phase at the most threads (the only one when the command takes no --threads).
        func widest(_ phase: Benchmark.Phase, _ n: Int) -> Benchmark.Measurement? {
            generated.filter { $0.rows == n && $0.phase == phase }.max { ($0.threads ?? 0) < ($1.threads ?? 0) }
        }
        func peak(_ phase: Benchmark.Phase, _ n: Int) -> Double? {
            generated.filter { $0.rows == n && $0.phase == phase }.map { mib($0.process.peakRSSBytes) }.max()
        }
        func threads(_ m: Benchmark.Measurement) -> String { m.threads.map { "\($0) thread\($0 == 1 ? "" : "s")" } ?? "threads n/a" }
        var lines = ["goal checks:"]
        for n in sizes {
            if let parse = widest(.parse, n), let validate = widest(.validate, n) {
                let measured = (parse.threads ?? 1) > 1
                let v = NumberFormat.fixed(validate.process.seconds, 2), p = NumberFormat.fixed(parse.process.seconds, 2)
                if measured {
                    // The parse-only pass itself ran over that many threads: the floor as measured, not worked out.
                    let t = parse.threads ?? 1, limit = validateOverParse * parse.process.seconds
                    let single = generated.first { $0.rows == n && $0.phase == .parse && $0.threads == 1 }
                    lines.append("\(verdict(validate.process.seconds <= limit)) validate ≤ \(validateOverParse) × parse-only spread over "
                                 + "\(t) threads, \(rows(n)): \(v) s (\(threads(validate))); limit \(NumberFormat.fixed(limit, 2)) s "
                                 + "(parse-only \(p) s on \(t) threads"
                                 + (single.map { ", \(NumberFormat.fixed($0.process.seconds, 2)) s on 1" } ?? "") + ")")
                } else {
                    let limit = validateOverParse * parse.process.seconds / Double(max(cores, 1))
                    lines.append("\(verdict(validate.process.seconds <= limit)) validate ≤ \(validateOverParse) × parse-only spread over "
                                 + "\(cores) cores, \(rows(n)): \(v) s (\(threads(validate))); "
                                 + "limit \(NumberFormat.fixed(limit, 2)) s (parse-only \(p) s)")
                }
            }
            let v = peak(.validate, n) ?? 0, r = peak(.run, n) ?? 0
            lines.append("\(verdict(max(v, r) <= rssLimitMiB)) peak RSS ≤ \(Int(rssLimitMiB)) MiB, \(rows(n)): validate "
                         + "\(NumberFormat.fixed(v, 1)) MiB, run \(NumberFormat.fixed(r, 1)) MiB")
        }
        if let small = sizes.first, let large = sizes.last, large > small {
            let rowRatio = Double(large) / Double(small)
            for phase in [Benchmark.Phase.validate, .run] {
                if let a = peak(phase, small), let b = peak(phase, large), a > 0 {
                    lines.append("\(verdict(b / a <= rssGrowthLimit)) \(phase.rawValue) peak RSS within \(rssGrowthLimit)× from \(rows(small)) "
                                 + "to \(rows(large)): \(NumberFormat.fixed(a, 1)) → \(NumberFormat.fixed(b, 1)) MiB "
                                 + "(\(NumberFormat.fixed(b / a, 2))×)")
                }
                if let a = widest(phase, small), let b = widest(phase, large), a.process.seconds > 0 {
                    let timeRatio = b.process.seconds / a.process.seconds, limit = timeGrowthSlack * rowRatio
                    lines.append("\(verdict(timeRatio <= limit)) \(phase.rawValue) time grows no faster than rows: "
                                 + "\(NumberFormat.fixed(rowRatio, 1))× rows took \(NumberFormat.fixed(timeRatio, 1))× the time "
                                 + "(limit \(NumberFormat.fixed(limit, 1))×; \(NumberFormat.fixed(a.process.seconds, 2)) → "
                                 + "\(NumberFormat.fixed(b.process.seconds, 2)) s)")
                }
            }
        }
        lines.append("run ≤ 0.8 × polars: compared by scripts/bench-peers on the same file (make bench runs it)")
        return lines
    }
}
