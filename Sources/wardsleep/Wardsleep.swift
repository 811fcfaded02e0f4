import ArgumentParser
import Foundation
import WardsleepKit

@main
struct Wardsleep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wardsleep",
        abstract: "Evaluate ward sleep-observation changes from the CSV exports a trust already has.",
        discussion: """
        A study folder holds study.yaml and the exports (occupancy, incidents,
        hypnotics, feedback, sleep_plans, involvement, observations). Reports go to DIR/reports
        and the run ledger to DIR/.wardsleep/ledger.sqlite unless --out and
        --ledger say otherwise.

        Examples:
          wardsleep sample --out data/sample --force
          wardsleep validate data/sample
          wardsleep run data/sample --out reports/sample
          wardsleep run data/sample --share
          wardsleep pool north/aggregate.json south/aggregate.json --out reports/region
          wardsleep history --study data/sample

        Exit codes:
        """ + "\n" + ExitStatus.helpTable,
        version: WardsleepVersion.current,
        subcommands: [Run.self, Validate.self, History.self, Init.self, Sample.self, Bench.self, Pool.self]
    )
}

/// Options every command that reads a study shares.
/// How many threads parse and normalise the exports.
struct ThreadOptions: ParsableArguments {
    @Option(name: .long, help: "Threads that read the exports (default: every core; at most 8 work at once). Any number gives byte-identical outputs.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be a whole number from 1 to 1024, not \(threads).") }
    }
}

struct StudyOptions: ParsableArguments {
    @Argument(help: "The study folder (holding study.yaml and the exports).")
    var study: String

    @Option(name: .customLong("key-file"), help: "A file holding the pseudonymisation key (otherwise WARDSLEEP_KEY).")
    var keyFile: String?
}

/// Runs a body that may fail with a wardsleep error, printing the message and exiting with its status.
func runReporting(_ body: () throws -> ExitStatus) throws {
    let status: ExitStatus
    /// A message can quote a file (a header, a value): no control character in it but line breaks and tabs (so no
    /// terminal escape sequence) reaches the terminal.
    func report(_ message: String) {
        FileHandle.standardError.write(Data("wardsleep: error: \(PlainText.removingControls(message))\n".utf8))
    }
    do {
        status = try body()
    } catch let failure as WardsleepFailure {
        report(failure.description)
        throw ExitCode(failure.exitStatus.rawValue)
    } catch let exit as ExitCode {
        throw exit
    } catch let usage as ValidationError {
        report(usage.message)
        throw ExitCode(ExitStatus.usage.rawValue)
    } catch {
        report("unexpected failure, nothing was replaced: \(error.localizedDescription)")
        throw ExitCode(ExitStatus.internalError.rawValue)
    }
    if status != .success { throw ExitCode(status.rawValue) }
}

func printLines(_ lines: [String]) {
    print(lines.joined(separator: "\n"))
}
