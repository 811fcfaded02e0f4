import Foundation
import Testing
@testable import WardsleepKit

/// `wardsleep bench --wards N`: a generated study of N wards instead of the seven sample wards, for measuring how time
/// and memory grow with the wards (the release step's families grow with them).
@Suite struct BenchmarkWardsTests {
    func sha256(_ path: String) throws -> String { Digest.sha256(try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// Every export but the census, over 40 wards: the wards in study.yaml, the rows spread over them, every row
    /// accepted by `validate`, the same bytes for the same rows and seed.
    @Test func everyExportSpreadsItsRowsOverTheWardsAsked() throws {
        for export in BenchmarkStudy.Export.allCases where export != .occupancy {
            let a = TempFolder(), b = TempFolder()
            let written = try BenchmarkStudy.write(to: a.path, rows: 4_000, export: export, wards: 40)
            try BenchmarkStudy.write(to: b.path, rows: 4_000, export: export, wards: 40)
            #expect(try sha256(written.export) == sha256(b.path + "/" + (written.export as NSString).lastPathComponent), "\(export)")
            let yaml = try #require(a.read("study.yaml"))
            #expect(yaml.contains("id: W00001,") && yaml.contains("id: W00040,") && !yaml.contains("id: W00041,")
                    && !yaml.contains("id: A1,"), "\(export)")
            let text = try String(contentsOfFile: written.export, encoding: .utf8)
            let named = (1...40).filter { text.contains(String(format: ",W%05d,", $0)) || text.contains(String(format: "\nW%05d,", $0)) }
            // Pharmacy issues name wards by name, as their systems write them.
            let byName = (1...40).filter { i in text.contains(SampleWardTemplate.benchmark(40)[i - 1].name + ",")
                || text.contains(SampleWardTemplate.benchmark(40)[i - 1].name.uppercased() + ",") }
            #expect(max(named.count, byName.count) >= 30, "\(export): \(named.count) wards named by id, \(byName.count) by name")
            let r = try runWardsleep(["validate", a.path], environment: ["WARDSLEEP_KEY": testKey])
            #expect(r.status == 0, "\(export): \(r.err)")
            #expect(r.out.contains("4,000 rows read, 4,000 accepted, 0 quarantined (0.0%)"), "\(export): \(r.out)")
        }
    }

    @Test func wardsOutOfRangeOrForTheCensusAreRefused() {
        let dir = TempFolder()
        for (export, wards) in [(BenchmarkStudy.Export.occupancy, 10), (.administrations, 0), (.incidents, 100_001)] {
            #expect(throws: ConfigurationError.self) { try BenchmarkStudy.write(to: dir.path, rows: 10, export: export, wards: wards) }
        }
        let r = try? runWardsleep(["bench", "--rows", "10", "--export", "occupancy", "--wards", "10"])
        #expect(r?.status == 64 && r?.err.contains("--wards does not apply to --export occupancy") == true, "\(String(describing: r))")
    }
}
