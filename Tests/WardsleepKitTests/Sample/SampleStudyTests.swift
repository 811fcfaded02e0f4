import Foundation
import Testing
@testable import WardsleepKit

/// The synthetic sample: deterministic, realistic in shape, and identical to the committed copy in data/sample.
@Suite(.serialized) struct SampleStudyTests {
    @Test func sameSeedGivesIdenticalFilesAndAnotherSeedDiffers() throws {
        let a = TempFolder(), b = TempFolder(), c = TempFolder()
        try SampleStudy.write(to: a.path)
        try SampleStudy.write(to: b.path)
        try SampleStudy.write(to: c.path, seed: 7)
        for f in ["study.yaml", "occupancy.csv", "incidents.csv", "hypnotics.csv", "feedback.csv", "sleep_plans.csv", "involvement.csv"] {
            #expect(FileManager.default.contents(atPath: a.path + "/" + f) == FileManager.default.contents(atPath: b.path + "/" + f), "\(f)")
        }
        #expect(FileManager.default.contents(atPath: a.path + "/incidents.csv") != FileManager.default.contents(atPath: c.path + "/incidents.csv"))
    }

    @Test func committedSampleMatchesTheGenerator() throws {
        let fresh = TempFolder()
        try SampleStudy.write(to: fresh.path)
        let committed = packageRoot() + "/data/sample"
        for f in try FileManager.default.contentsOfDirectory(atPath: fresh.path).sorted() {
            #expect(FileManager.default.contents(atPath: committed + "/" + f) == FileManager.default.contents(atPath: fresh.path + "/" + f),
                    "data/sample/\(f) differs from `wardsleep sample`; regenerate it with `make sample`")
        }
    }

    @Test func committedReportMatchesThePipeline() throws {
        let dir = TempFolder()
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", dir.path + "/sample"])
        #expect(r.status == 0, "\(r.err)")
        let committed = packageRoot() + "/reports/sample"
        let produced = try FileManager.default.subpathsOfDirectory(atPath: dir.path + "/sample").sorted()
        #expect(produced == (try FileManager.default.subpathsOfDirectory(atPath: committed).sorted()),
                "reports/sample has other files than the pipeline writes; regenerate it with `make report`")
        for f in produced {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir.path + "/sample/" + f, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            #expect(FileManager.default.contents(atPath: committed + "/" + f) == FileManager.default.contents(atPath: dir.path + "/sample/" + f),
                    "reports/sample/\(f) differs from what the pipeline writes; regenerate it with `make report`")
        }
    }

    @Test func sampleImitatesTheSleepWellDesignAndReadsCleanly() throws {
        let dir = TempFolder()
        let written = try SampleStudy.write(to: dir.path)
        let study = try StudyLoader.load(folder: dir.path)
        #expect(study.synthetic && study.wards.map(\.beds) == [16, 16, 16, 26, 16, 12, 18])
        #expect(study.wards.filter(\.cbti).map(\.id) == ["A1", "A3"])
        let result = try StudyValidation.validate(folder: dir.path, keyFile: nil, environment: [:])
        #expect(result.status == .success && result.ingest.notSupplied.isEmpty)
        for t in result.ingest.tallies {
            #expect(t.rowsRead == t.accepted + t.quarantined, "\(t.file)")
            #expect(t.rowsRead == written.rows[t.export], "\(t.file)")
            #expect(t.sha256.isEmpty, "validate shows no hash, so it computes none: \(t.file)")
        }
        // The three planted bad incidents and one bad rating are quarantined; nothing else is.
        #expect(result.ingest.tally(.incidents)?.quarantined == 3)
        #expect(result.ingest.tally(.feedback)?.quarantined == 1)
        #expect(result.ingest.tally(.feedback)?.encoding == "windows-1252")
        #expect(result.ingest.tally(.incidents)?.byteOrderMark == true)
    }

    /// An occupancy export of the wrong year: every row is accepted and set aside, which is no data-quality failure, but
    /// validate and run say the export adds nothing, and the key findings say no rate can be given rather than "no
    /// incidents". Blank lines (and lines of commas only) are counted and said.
    @Test func anExportOfTheWrongYearIsSaidToAddNothing() throws {
        let dir = TempFolder()
        _ = try SampleStudy.write(to: dir.path)
        let path = dir.path + "/occupancy.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let wrongYear = text.replacingOccurrences(of: "/2018,", with: "/2016,").replacingOccurrences(of: "/2019,", with: "/2017,")
        try (wrongYear + "\n,,,,\n , , \n").write(toFile: path, atomically: true, encoding: .utf8)
        let environment = ["WARDSLEEP_KEY": testKey]
        let result = try StudyValidation.validate(folder: dir.path, keyFile: nil, environment: environment)
        let occupancy = try #require(result.ingest.tally(.occupancy))
        #expect(result.status == .success && occupancy.quarantined == 0 && occupancy.blankLines == 3)
        #expect(result.lines.contains("  warning: occupancy.csv: none of its \(NumberFormat.grouped(occupancy.accepted)) accepted rows falls "
                                      + "in the baseline or pilot period, so it adds nothing to the report; check its dates against "
                                      + "study.yaml's periods"))
        #expect(result.lines.contains("  blank lines skipped: 3 (lines with no value in any field; not rows)"))
        var o = RunOptions(studyFolder: dir.path, outFolder: dir.path + "/report", environment: environment)
        o.ledgerPath = dir.path + "/ledger.sqlite"
        let outcome = try StudyRun.run(o)
        #expect(outcome.warnings.contains { $0.hasPrefix("occupancy.csv: none of its") })
        let summary = try String(contentsOfFile: dir.path + "/report/summary.md", encoding: .utf8)
        #expect(summary.contains("**Safety.** Rates of incidents over 24 hours cannot be given: no ward has occupied bed days in both periods"))
        #expect(summary.contains("**Hypnotics.** Hypnotic use cannot be compared across the study"))
        #expect(summary.contains("but occupancy.csv adds nothing to the report: no row was analysed; one finding on the data"))
        #expect(!summary.contains("No incidents over 24 hours in either period"))
    }

    @Test func scaleMultipliesVolume() throws {
        let one = TempFolder(), three = TempFolder()
        let w1 = try SampleStudy.write(to: one.path, scale: 1)
        let w3 = try SampleStudy.write(to: three.path, scale: 3)
        #expect(try StudyLoader.load(folder: three.path).wards.count == 21)
        let ratio = Double(w3.rows[.occupancy]!) / Double(w1.rows[.occupancy]!)
        #expect(ratio == 3)
        #expect(Double(w3.rows[.sleepPlans]!) / Double(w1.rows[.sleepPlans]!) > 2.5)
    }

    @Test func syntheticPatientNumbersAreValidTestNumbers() throws {
        let dir = TempFolder()
        try SampleStudy.write(to: dir.path)
        let plans = try String(contentsOfFile: dir.path + "/sleep_plans.csv", encoding: .utf8)
        let ids = plans.split(separator: "\n").dropFirst().prefix(500).map { String($0.split(separator: ",")[2]) }
        #expect(ids.allSatisfy { $0.hasPrefix("999") && NHSNumber.isValid($0) })
    }
}
