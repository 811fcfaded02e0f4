import Foundation

/// Measures wardsleep through its command line, each pass a child process of the wardsleep binary: a parse-only pass
/// through libcsv, the same through wardsleep's reader, `wardsleep validate` and `wardsleep run`, at each thread count
/// when the commands take `--threads`. Wall time, CPU time and each child's own peak memory are recorded. Speed lives
/// here, never in tests.
///
/// With row counts, a benchmark study (`BenchmarkStudy`: an export of exactly that many rows, administrations by default) is
/// generated for each; with a study folder, each export is measured on its own (in a copy of the study holding only
/// that export, hard-linked), then the study as a whole.
public enum Benchmark {
    /// One pass over the data.
    public enum Phase: String, Sendable, CaseIterable {
        /// libcsv alone, counting records.
        case parse
        /// wardsleep's streaming reader, counting records.
        case read
        /// `wardsleep validate`.
        case validate
        /// `wardsleep run` into a temporary folder.
        case run
    }

    /// A thread count asked for on the command line.
    public enum ThreadSetting: Hashable, Sendable {
        /// That many threads.
        case count(Int)
        /// One per core.
        case all

        /// Parses `1`, `4` or `all`.
        public init?(_ text: String) {
            if text == "all" { self = .all } else if let n = Int(text), n >= 1 { self = .count(n) } else { return nil }
        }

        /// The number of threads that work on this machine: one per core, or as many as asked for, at most as many as
        /// work at once (`OrderedParallel.maxWorkers`), so the table shows what ran.
        public func resolved(cores: Int) -> Int {
            switch self {
            case .count(let n): return OrderedParallel.workers(n)
            case .all: return OrderedParallel.workers(cores)
            }
        }
    }

    /// One measured pass.
    public struct Measurement: Sendable {
        /// The export (`hypnotics`, ...), or `all` for the whole study.
        public var export: String
        /// Data rows (headers excluded).
        public var rows: Int
        /// Bytes of input.
        public var bytes: Int
        /// Whether the data came from `--rows` (a generated study).
        public var generated: Bool
        /// The pass.
        public var phase: Phase
        /// Threads asked for; `nil` when the command takes no `--threads` (shown `n/a`).
        public var threads: Int?
        /// What the child cost.
        public var process: ProcessMeasurement
    }

    /// What to measure.
    public struct Options: Sendable {
        /// The wardsleep binary to run (the running one, for the command line).
        public var executable: String
        /// Row counts to generate a benchmark study for.
        public var rows: [Int] = []
        /// Thread counts for validate and run (used only when the commands take `--threads`).
        public var threads: [ThreadSetting] = [.count(1), .all]
        /// Where generated studies are written and kept (otherwise a temporary folder, removed afterwards).
        public var keep: String?
        /// An existing study folder to measure export by export.
        public var study: String?
        /// A key file passed on to the children.
        public var keyFile: String?
        /// The environment the children start from.
        public var environment: [String: String]
        /// The generator's seed.
        public var seed: UInt64 = BenchmarkStudy.defaultSeed
        /// The export generated for `rows`.
        public var export = BenchmarkStudy.Export.administrations
        /// Distinct patients a generated administrations export draws its rows from at random (`nil`: about one per
        /// 20 rows, in a sliding window).
        public var patients: Int?
        /// Wards of a generated study (`nil`: the seven sample wards).
        public var wards: Int?
        /// Cores on this machine.
        public var cores = ProcessInfo.processInfo.activeProcessorCount

        /// Options for running `executable` in `environment`.
        public init(executable: String, environment: [String: String]) {
            self.executable = executable
            self.environment = environment
        }
    }

    /// The key given to children measuring a generated study when no key is set: the data is invented, and a key in
    /// the environment works whatever a study's `synthetic` flag allows.
    static let generatedStudyKey = "wardsleep-bench-key-synthetic-data-only"

    /// A pass that did not finish as it should.
    public struct Failure: WardsleepFailure {
        /// What failed, with the end of the child's standard error.
        public var message: String
        public var exitStatus: ExitStatus { .internalError }
        public var description: String { message }
    }

    /// Runs every pass; `report` receives each line of progress and each table line as it is measured.
    public static func run(_ options: Options, report: @escaping (String) -> Void) throws -> [Measurement] {
        if let keep = options.keep {
            for n in options.rows { try PathGuard.checkBenchFolder((keep as NSString).appendingPathComponent("rows-\(n)")) }
        }
        let work = NSTemporaryDirectory() + "wardsleep-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work + "/logs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var runner = Runner(options: options, work: work, report: report)
        let threads = ["validate", "run"].map { runner.takesThreads($0) }
        runner.threadsFor = [.validate: threads[0], .run: threads[1]]
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))
            .map { " (load average \($0.split(separator: " ").prefix(3).joined(separator: " ")))" } ?? ""
        report("threads: validate \(threads[0] ? "takes" : "does not take") --threads, run \(threads[1] ? "takes" : "does not take") --threads; "
               + "\(options.cores) cores\(load); peak RSS "
               + (MeasuredProcess.peakIsExact ? "through \(MeasuredProcess.timeProgram)" : "from wait4, at least this process's own (install time for exact peaks)"))
        for n in options.rows {
            let folder = options.keep.map { ($0 as NSString).appendingPathComponent("rows-\(n)") } ?? "\(work)/rows-\(n)"
            let clock = ContinuousClock()
            var written: BenchmarkStudy.Written?
            let took = try clock.measure { written = try BenchmarkStudy.write(to: folder, rows: n, seed: options.seed, export: options.export,
                                                                                     patients: options.patients, wards: options.wards) }
            guard let written else { continue }
            report("generated \(written.export): \(NumberFormat.grouped(n)) rows, \(NumberFormat.fixed(Double(written.bytes) / 1e6, 1)) MB "
                   + "in \(NumberFormat.fixed(took.seconds, 2)) s")
            var env = options.environment
            if options.keyFile == nil && (env[Pseudonymiser.environmentVariable] ?? "").isEmpty {
                env[Pseudonymiser.environmentVariable] = generatedStudyKey
            }
            try runner.measure(export: options.export.kind.rawValue, file: written.export, rows: n, bytes: written.bytes, generated: true,
                               study: folder, environment: env, label: "rows-\(n)")
        }
        if let study = options.study { try runner.measureStudy(study) }
        return runner.results
    }

    /// Runs the passes and keeps what they measured.
    struct Runner {
        let options: Options
        let work: String
        let report: (String) -> Void
        var threadsFor: [Phase: Bool] = [:]
        var results: [Measurement] = []
        var printedHeader = false

        init(options: Options, work: String, report: @escaping (String) -> Void) {
            self.options = options
            self.work = work
            self.report = report
        }

        /// Whether `wardsleep <command>` takes `--threads` (its help lists the option).
        func takesThreads(_ command: String) -> Bool {
            let out = "\(work)/logs/help-\(command).out"
            guard let m = try? MeasuredProcess.run(options.executable, [command, "--help"], environment: options.environment,
                                                   stdout: out, stderr: "/dev/null"), m.exitCode == 0,
                  let text = try? String(contentsOfFile: out, encoding: .utf8) else { return false }
            return text.contains("--threads")
        }

        /// Runs one child; fails with the end of its standard error when it exits other than 0 or 1 (data quality).
        func child(_ arguments: [String], environment: [String: String], name: String) throws -> (ProcessMeasurement, String) {
            let out = "\(work)/logs/\(name).out", err = "\(work)/logs/\(name).err"
            let m = try MeasuredProcess.run(options.executable, arguments, environment: environment, stdout: out, stderr: err)
            guard m.exitCode == 0 || m.exitCode == 1 else {
                let tail = ((try? String(contentsOfFile: err, encoding: .utf8)) ?? "").split(separator: "\n").suffix(5).joined(separator: "\n")
                throw Failure(message: "wardsleep \(arguments.joined(separator: " ")) exited \(m.exitCode)\(tail.isEmpty ? "" : ":\n\(tail)")")
            }
            return (m, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
        }

        mutating func record(_ m: Measurement) {
            if !printedHeader {
                report(BenchmarkTable.header)
                printedHeader = true
            }
            results.append(m)
            report(BenchmarkTable.line(m))
        }

        /// The parse passes, then validate and run at each thread count, over one study; returns the data rows counted.
        @discardableResult
        mutating func measure(export: String, file: String, rows: Int?, bytes: Int, generated: Bool, study: String,
                              environment: [String: String], label: String) throws -> Int {
            var rows = rows
            // libcsv alone on one thread, then spread over the most threads asked for (the floor validate is held to);
            // wardsleep's reader on one thread.
            let widest = options.threads.map { $0.resolved(cores: options.cores) }.max() ?? 1
            for (parser, threads) in [(ParseOnlyPass.Parser.libcsv, 1)] + (widest > 1 ? [(.libcsv, widest)] : []) + [(.reader, 1)] {
                let (m, out) = try child(["bench", "--parse-only", file, "--parser", parser.rawValue, "--threads", String(threads)],
                                         environment: environment, name: "\(label)-\(parser.rawValue)-\(threads)")
                // "records N bytes B": the header is a record. A pass over several threads cuts the file at line starts,
                // which miscounts a quoted field holding a line break across a cut: only the one-thread counts are checked.
                let words = out.split(whereSeparator: { $0 == " " || $0 == "\n" })
                let records = words.firstIndex(of: "records").flatMap { $0 + 1 < words.count ? Int(words[$0 + 1]) : nil }
                if threads == 1, generated, let expected = rows, records != expected + 1 {
                    throw Failure(message: "\(file): the parse-only pass counted \(records.map(String.init) ?? "no") records, expected \(expected + 1)")
                }
                if rows == nil, threads == 1, let records { rows = max(0, records - 1) }
                record(Measurement(export: export, rows: rows ?? 0, bytes: bytes, generated: generated,
                                   phase: parser == .libcsv ? .parse : .read, threads: threads, process: m))
            }
            try measureCommands(export: export, rows: rows ?? 0, bytes: bytes, generated: generated, study: study,
                                environment: environment, label: label)
            return rows ?? 0
        }

        /// `wardsleep validate` and `wardsleep run` over a study, at each thread count when they take `--threads`.
        mutating func measureCommands(export: String, rows: Int, bytes: Int, generated: Bool, study: String,
                                      environment: [String: String], label: String) throws {
            let key = options.keyFile.map { ["--key-file", $0] } ?? []
            for phase in [Phase.validate, .run] {
                var counts: [Int?] = [nil]
                if threadsFor[phase] == true {
                    counts = []
                    for t in options.threads.map({ $0.resolved(cores: options.cores) }) where !counts.contains(t) { counts.append(t) }
                }
                for threads in counts {
                    let name = "\(label)-\(phase.rawValue)-\(threads.map(String.init) ?? "na")"
                    var arguments = [phase.rawValue, study] + key
                    if phase == .run { arguments += ["--out", "\(work)/\(name)", "--ledger", "\(work)/ledger.sqlite", "--quiet"] }
                    if let threads { arguments += ["--threads", String(threads)] }
                    let (m, _) = try child(arguments, environment: environment, name: name)
                    try? FileManager.default.removeItem(atPath: "\(work)/\(name)")
                    record(Measurement(export: export, rows: rows, bytes: bytes, generated: generated, phase: phase, threads: threads,
                                       process: m))
                }
            }
        }

        /// Each export of a study on its own, then the whole study.
        mutating func measureStudy(_ folder: String) throws {
            let study = try StudyLoader.load(folder: folder)
            var files: [ExportKind: String] = [:]
            for kind in ExportKind.allCases {
                if let path = try StudyFolder.resolve(study.exports[kind], folder: folder) { files[kind] = path }
            }
            var totalRows = 0, totalBytes = 0
            for kind in ExportKind.allCases {
                guard let file = files[kind] else { continue }
                let single = "\(work)/\(kind.rawValue)"
                try BenchmarkStudyCopy.make(of: folder, keeping: kind, leavingOut: Set(files.values).subtracting([file]), into: single)
                let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
                // The export as the copy's study.yaml names it (the folder may be named relative to the working folder).
                let copy = (single as NSString).appendingPathComponent(study.exports[kind].file)
                totalRows += try measure(export: kind.rawValue, file: copy, rows: nil, bytes: bytes, generated: false, study: single,
                                         environment: options.environment, label: kind.rawValue)
                totalBytes += bytes
                try? FileManager.default.removeItem(atPath: single)
            }
            try measureCommands(export: "all", rows: totalRows, bytes: totalBytes, generated: false, study: folder,
                                environment: options.environment, label: "all")
        }
    }
}
