import ArgumentParser
import Foundation
import WardsleepKit

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed and memory: parse-only passes, validate and run, each a child process.",
        discussion: """
        With --rows, generates a benchmark study for each row count (seven wards, an export of exactly that many rows: \
        by default EPMA administrations, about 87 bytes a row; see --export) and measures it; with a study folder, \
        measures each export on its own, then the whole study.

        Each pass runs as a child process of this binary: a parse-only pass through libcsv, the same through \
        wardsleep's reader, `wardsleep validate` and `wardsleep run`, the last two at each --threads count when those \
        commands take --threads. Prints rows/s, MB/s, wall and CPU seconds and each child's peak memory, then the \
        goal checks (scripts/bench-peers compares polars and DuckDB on the same file).

        Examples:
          wardsleep bench --rows 500000,5000000 --keep .build/bench
          wardsleep bench --rows 500k,5M --patients 1000000   # patients grow with the rows
          wardsleep bench --rows 1M,10M --export observations
          wardsleep bench --rows 100k,1M --export incidents
          wardsleep bench --rows 500k,5M --export sleep-plans
          wardsleep bench --rows 100k,1M --export feedback
          wardsleep bench --rows 500k,5M --export occupancy     # wards grow with the rows
          wardsleep bench --rows 500k,5M --export issues
          wardsleep bench --rows 100k,1M --export observations --wards 5000   # many wards
          wardsleep bench data/sample
        """
    )

    @Argument(help: "A study folder to measure export by export.")
    var folder: String?

    @Option(name: .long, help: "A study folder to measure export by export (as the argument).")
    var study: String?

    @Option(name: .long, help: "Generate and measure a benchmark study of this many rows; comma-separated for several (500k and 5M allowed).")
    var rows: String?

    @Option(name: .long, help: "The export --rows generates: administrations (an EPMA export), observations (an overnight check log with its sleep plans), incidents (a Datix-style export, narratives over two lines), sleep-plans (every row a different patient-night), feedback (comments the codebook codes), occupancy (a census of every ward on every day, as many wards as the rows need) or issues (pharmacy issues of hypnotic products).")
    var export: String = BenchmarkStudy.Export.administrations.rawValue

    @Option(name: .long, help: "Thread counts for validate and run, comma-separated (a number or all).")
    var threads: String = "1,all"

    @Option(name: .long, help: "Write the generated studies into this folder (rows-N/) and keep them.")
    var keep: String?

    @Option(name: .customLong("key-file"), help: "A file holding the pseudonymisation key (otherwise WARDSLEEP_KEY).")
    var keyFile: String?

    @Option(name: .long, help: "Distinct patients a generated administrations export names, each row one of them at random (at most 1,000,000; default: about one per 20 rows, a few dozen at a time), to measure memory as patients grow with the rows.")
    var patients: Int?

    @Option(name: .long, help: "Wards of a generated study (1 to 100,000; default: the seven sample wards), the rows spread over them, to measure time and memory as wards grow. Not for --export occupancy, whose wards grow with the rows.")
    var wards: Int?

    @Option(name: .long, help: "Random seed of the generated studies.")
    var seed: UInt64 = BenchmarkStudy.defaultSeed

    @Option(name: .customLong("parse-only"), help: .hidden)
    var parseOnly: String?

    @Option(name: .long, help: .hidden)
    var parser: String = ParseOnlyPass.Parser.libcsv.rawValue

    func rowCounts() throws -> [Int] {
        guard let rows else { return [] }
        return try rows.split(separator: ",").map { part in
            let text = part.trimmingCharacters(in: .whitespaces).lowercased()
            let (digits, unit) = text.hasSuffix("m") ? (text.dropLast(), 1_000_000) : (text.hasSuffix("k") ? (text.dropLast(), 1_000) : (Substring(text), 1))
            guard let n = Int(digits), n >= 1, n <= Int.max / unit else {
                throw ValidationError("--rows takes row counts such as 500000,5000000 or 500k,5M, not \(part).")
            }
            return n * unit
        }
    }

    func threadSettings() throws -> [Benchmark.ThreadSetting] {
        try threads.split(separator: ",").map { part in
            guard let t = Benchmark.ThreadSetting(part.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--threads takes thread counts such as 1,all, not \(part).")
            }
            return t
        }
    }

    func validate() throws {
        _ = try rowCounts()
        _ = try threadSettings()
        if folder != nil && study != nil { throw ValidationError("Give the study folder once: as the argument or with --study.") }
        guard BenchmarkStudy.Export(rawValue: export) != nil else {
            throw ValidationError("--export must be " + BenchmarkStudy.Export.allCases.map(\.rawValue).dropLast().joined(separator: ", ")
                                  + " or " + BenchmarkStudy.Export.allCases.last!.rawValue + ".")
        }
        if let patients {
            guard (1...BenchmarkStudy.maximumPatients).contains(patients) else {
                throw ValidationError("--patients takes 1 to 1000000 patients, not \(patients).")
            }
            guard export == BenchmarkStudy.Export.administrations.rawValue else {
                throw ValidationError("--patients applies to --export administrations only.")
            }
        }
        if let wards {
            guard (1...BenchmarkStudy.maximumWards).contains(wards) else {
                throw ValidationError("--wards takes 1 to 100000 wards, not \(wards).")
            }
            guard export != BenchmarkStudy.Export.occupancy.rawValue else {
                throw ValidationError("--wards does not apply to --export occupancy: a census has as many wards as its rows need.")
            }
        }
        guard ParseOnlyPass.Parser(rawValue: parser) != nil else { throw ValidationError("--parser must be libcsv or reader.") }
        if parseOnly == nil && rows == nil && folder == nil && study == nil {
            throw ValidationError("Give --rows N to measure a generated study, or a study folder.")
        }
    }

    func run() throws {
        try runReporting {
            if let parseOnly {
                let threads = try threadSettings().first?.resolved(cores: ProcessInfo.processInfo.activeProcessorCount) ?? 1
                let count = try ParseOnlyPass.count(path: parseOnly, parser: ParseOnlyPass.Parser(rawValue: parser)!, threads: threads)
                print("records \(count.records) bytes \(count.bytes)")
                return .success
            }
            var options = Benchmark.Options(executable: MeasuredProcess.currentExecutable(), environment: ProcessInfo.processInfo.environment)
            options.rows = try rowCounts()
            options.threads = try threadSettings()
            options.keep = keep
            options.study = try (folder ?? study).map(StudyFolder.argument)
            options.keyFile = keyFile
            options.seed = seed
            options.patients = patients
            options.wards = wards
            options.export = BenchmarkStudy.Export(rawValue: export) ?? .administrations
            let results = try Benchmark.run(options) { line in
                print(line)
                fflush(nil)  // every stream: the table shows as it is measured
            }
            let checks = BenchmarkTable.goalChecks(results, cores: options.cores)
            if !checks.isEmpty { printLines(checks) }
            return .success
        }
    }
}
