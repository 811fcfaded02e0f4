import ArgumentParser
import Foundation
import WardsleepKit

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic study imitating the SleepWell pilot.",
        discussion: """
        Seven wards on two sites, baseline January–August 2018 and pilot January–August 2019, simulated day by day.
        The same seed and scale give identical files; --scale repeats the wards as further units for benchmarks.

        Example:
          wardsleep sample --out /tmp/big --scale 100
        """
    )

    @Option(name: .long, help: "The folder to write the study into.")
    var out: String

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = SampleStudy.defaultSeed

    @Option(name: .long, help: "Volume multiplier (1 = seven wards).")
    var scale: Int = 1

    @Option(name: .long, help: "The hypnotics export: issues (pharmacy supply) or administrations (EPMA doses).")
    var hypnotics: String = "issues"

    @Flag(name: .long, help: "Write into a folder that is not empty, replacing its study.yaml and exports of the same names.")
    var force = false

    func validate() throws {
        guard scale >= 1 else { throw ValidationError("--scale must be 1 or more.") }
        guard HypnoticsExportKind(rawValue: hypnotics) != nil else {
            throw ValidationError("--hypnotics must be issues or administrations, not \(hypnotics).")
        }
    }

    func run() throws {
        try runReporting {
            let written = try SampleStudy.write(to: out, seed: seed, scale: scale, hypnotics: HypnoticsExportKind(rawValue: hypnotics)!,
                                                force: force)
            for kind in ExportKind.allCases {
                print("\(kind.defaultFileName): \(written.rows[kind] ?? 0) rows")
            }
            print("synthetic study written to \(out)")
            return .success
        }
    }
}
