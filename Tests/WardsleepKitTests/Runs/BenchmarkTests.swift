import Foundation
import Testing
@testable import WardsleepKit

/// The benchmark's generator, its measuring of child processes, its goal checks and the `bench` command end to end.
/// Nothing here asserts a speed: timings depend on the machine.
@Suite(.serialized) struct BenchmarkTests {
    func sha256(_ path: String) throws -> String { Digest.sha256(try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func generatorGivesIdenticalBytesForTheSameRowsAndSeed() throws {
        let a = TempFolder(), b = TempFolder(), c = TempFolder()
        let first = try BenchmarkStudy.write(to: a.path, rows: 2_000)
        let second = try BenchmarkStudy.write(to: b.path, rows: 2_000)
        let otherSeed = try BenchmarkStudy.write(to: c.path, rows: 2_000, seed: 7)
        #expect(try sha256(first.export) == sha256(second.export))
        #expect(try sha256(a.path + "/study.yaml") == sha256(b.path + "/study.yaml"))
        #expect(try sha256(first.export) != sha256(otherSeed.export))
    }

    @Test func generatorWritesExactlyTheRowsAskedForInTenColumns() throws {
        let dir = TempFolder()
        for n in [1, 2_000, 2_001] {
            let w = try BenchmarkStudy.write(to: dir.path, rows: n)
            #expect(w.rows == n)
            let size = try FileManager.default.attributesOfItem(atPath: w.export)[.size] as? Int
            #expect(w.bytes == size)
            for parser in ParseOnlyPass.Parser.allCases {
                #expect(try ParseOnlyPass.count(path: w.export, parser: parser) == .init(records: n + 1, bytes: w.bytes), "\(parser)")
            }
        }
        let text = try #require(dir.read("hypnotics.csv"))
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "Administered,Ward,Patient ID,Drug,Dose (mg),Status,PRN,Route,Comment,Administered by")
        // A record: date and time, ward, a ten-digit identifier, ..., a quoted comment holding a comma, the nurse.
        let row = try Regex(#"^\d\d/\d\d/20\d\d \d\d:\d\d,[A-Z]\d,\d{10},[A-Z][a-z]+,[\d.]+,(Given|Refused|Omitted),[YN],Oral,"[^"]*(""[^"]*"")?[^"]*,[^"]*",RN\d{4}$"#)
        #expect(lines.dropFirst().allSatisfy { $0.wholeMatch(of: row) != nil })
        // About one distinct patient per 20 rows.
        let patients = Set(lines.dropFirst().map { $0.split(separator: ",")[2] })
        #expect((100...160).contains(patients.count), "\(patients.count) patients")
    }

    /// With a number of patients, every row names one of them at random: the distinct patients grow with the rows up
    /// to that many, and every row is still accepted.
    @Test func patientsDrawnAtRandomFromAPool() throws {
        let dir = TempFolder()
        for (rows, pool) in [(2_000, 50), (20_000, 1_000_000)] {
            let w = try BenchmarkStudy.write(to: dir.path, rows: rows, export: .administrations, patients: pool)
            let lines = try #require(dir.read("hypnotics.csv")).split(separator: "\n").dropFirst()
            #expect(lines.count == rows && w.rows == rows)
            let patients = Set(lines.map { $0.split(separator: ",")[2] })
            // 50 of 50; about 1,000,000 × (1 − e^(−0.02)) ≈ 19,800 of a million.
            #expect(pool == 50 ? patients.count == 50 : (19_600...19_950).contains(patients.count), "\(patients.count) patients")
            let r = try runWardsleep(["validate", dir.path], environment: ["WARDSLEEP_KEY": testKey])
            #expect(r.out.contains("\(NumberFormat.grouped(rows)) rows read, \(NumberFormat.grouped(rows)) accepted, 0 quarantined"), "\(r.out)")
        }
        #expect(throws: ConfigurationError.self) { try BenchmarkStudy.write(to: dir.path, rows: 10, export: .administrations, patients: 0) }
    }

    @Test func validateAcceptsEveryGeneratedRow() throws {
        let dir = TempFolder()
        try BenchmarkStudy.write(to: dir.path, rows: 2_000)
        let r = try runWardsleep(["validate", dir.path], environment: ["WARDSLEEP_KEY": testKey])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("hypnotics.csv: 2,000 rows read, 2,000 accepted, 0 quarantined (0.0%)"), "\(r.out)")
    }

    /// The observation log: the same bytes for the same rows and seed, exactly the rows asked for, every check and
    /// every plan accepted by `validate`.
    @Test func observationLogIsExactRepeatableAndValid() throws {
        let a = TempFolder(), b = TempFolder(), c = TempFolder()
        let first = try BenchmarkStudy.write(to: a.path, rows: 3_001, export: .observations)
        let second = try BenchmarkStudy.write(to: b.path, rows: 3_001, export: .observations)
        try BenchmarkStudy.write(to: c.path, rows: 3_001, seed: 7, export: .observations)
        #expect(first.rows == 3_001 && first.export == a.path + "/observations.csv")
        for file in ["observations.csv", "sleep_plans.csv", "study.yaml"] {
            #expect(try sha256(a.path + "/" + file) == sha256(b.path + "/" + file), "\(file)")
        }
        #expect(try sha256(a.path + "/observations.csv") != sha256(c.path + "/observations.csv"))
        for parser in ParseOnlyPass.Parser.allCases {
            #expect(try ParseOnlyPass.count(path: first.export, parser: parser) == .init(records: 3_002, bytes: first.bytes), "\(parser)")
        }
        let text = try #require(a.read("observations.csv"))
        let row = try Regex(#"^\d\d/\d\d/20\d\d 0\d:\d\d,[A-Z]\d,\d{10},(Routine|Clinical need|Enhanced),(General|Within eyesight),(HCA|RMN|Nurse in charge)$"#)
        #expect(text.split(separator: "\n").dropFirst().allSatisfy { $0.wholeMatch(of: row) != nil })
        let r = try runWardsleep(["validate", a.path], environment: ["WARDSLEEP_KEY": testKey])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("observations.csv: 3,001 rows read, 3,001 accepted, 0 quarantined (0.0%)"), "\(r.out)")
        // A plan for every bed on every pilot night (243 nights, 120 beds), whatever the number of checks.
        #expect(r.out.contains("sleep_plans.csv: 29,160 rows read, 29,160 accepted, 0 quarantined (0.0%)"), "\(r.out)")
    }

    /// The incident export: the same bytes for the same rows and seed, exactly the rows asked for although about half
    /// the narratives run over two lines, and every row accepted by `validate` (rejected reports set aside by design).
    @Test func incidentExportIsExactRepeatableAndValid() throws {
        let a = TempFolder(), b = TempFolder(), c = TempFolder()
        let first = try BenchmarkStudy.write(to: a.path, rows: 4_000, export: .incidents)
        try BenchmarkStudy.write(to: b.path, rows: 4_000, export: .incidents)
        try BenchmarkStudy.write(to: c.path, rows: 4_000, seed: 7, export: .incidents)
        #expect(first.rows == 4_000 && first.export == a.path + "/incidents.csv")
        for file in ["incidents.csv", "study.yaml"] { #expect(try sha256(a.path + "/" + file) == sha256(b.path + "/" + file), "\(file)") }
        #expect(try sha256(a.path + "/incidents.csv") != sha256(c.path + "/incidents.csv"))
        for parser in ParseOnlyPass.Parser.allCases {
            #expect(try ParseOnlyPass.count(path: first.export, parser: parser) == .init(records: 4_001, bytes: first.bytes), "\(parser)")
        }
        let text = try #require(a.read("incidents.csv"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect((5_000...7_000).contains(lines), "\(lines) lines")  // narratives over two lines in about half the rows
        #expect(text.contains("\"\"checks keep waking me up\"\""))
        let r = try runWardsleep(["validate", a.path], environment: ["WARDSLEEP_KEY": testKey])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("incidents.csv: 4,000 rows read, 4,000 accepted, 0 quarantined (0.0%)"), "\(r.out)")
        #expect(r.out.contains("excluded by status: "), "\(r.out)")
    }

    /// Writes a generated export three times (twice with the default seed, once with another): the same bytes for the
    /// same rows and seed, other bytes for another seed, exactly `rows` records in `file`. Returns the first study's
    /// folder and what was written there.
    func writtenRepeatably(_ export: BenchmarkStudy.Export, rows: Int, file: String) throws -> (TempFolder, BenchmarkStudy.Written) {
        let a = TempFolder(), b = TempFolder(), c = TempFolder()
        let first = try BenchmarkStudy.write(to: a.path, rows: rows, export: export)
        try BenchmarkStudy.write(to: b.path, rows: rows, export: export)
        try BenchmarkStudy.write(to: c.path, rows: rows, seed: 7, export: export)
        #expect(first.rows == rows && first.export == a.path + "/" + file)
        for f in [file, "study.yaml"] { #expect(try sha256(a.path + "/" + f) == sha256(b.path + "/" + f), "\(f)") }
        #expect(try sha256(a.path + "/" + file) != sha256(c.path + "/" + file))
        #expect(try ParseOnlyPass.count(path: first.export, parser: .libcsv) == .init(records: rows + 1, bytes: first.bytes))
        return (a, first)
    }

    /// Sleep plans and feedback: the same bytes for the same rows and seed, exactly the rows asked for, every row
    /// accepted by `validate`; every plan a different patient-night (the fidelity join holds them all), and most
    /// comments coded by the default codebook.
    @Test func sleepPlanAndFeedbackExportsAreExactRepeatableAndValid() throws {
        for (export, file, rows) in [(BenchmarkStudy.Export.sleepPlans, "sleep_plans.csv", 5_003), (.feedback, "feedback.csv", 2_999)] {
            let (a, _) = try writtenRepeatably(export, rows: rows, file: file)
            let r = try runWardsleep(["validate", a.path], environment: ["WARDSLEEP_KEY": testKey])
            #expect(r.status == 0, "\(r.err)")
            #expect(r.out.contains("\(file): \(NumberFormat.grouped(rows)) rows read, \(NumberFormat.grouped(rows)) accepted, 0 quarantined (0.0%)"), "\(r.out)")
            let text = try #require(a.read(file))
            let records = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", maxSplits: 3).map(String.init) }
            if export == .sleepPlans {
                let nights = Set(records.map { $0[0] + " " + $0[2] })
                #expect(nights.count == rows, "every row a different patient-night")
            } else {
                // Most comments name a theme: validate lists fewer than one in five as matching none.
                let unthemed = r.out.firstMatch(of: /([0-9,]+) of ([0-9,]+) comments matched no codebook theme/)
                #expect(unthemed.map { Int($0.1.filter(\.isNumber))! * 5 < rows } ?? true, "\(r.out)")
                #expect(text.contains("Could the hourly checks come back for my father? I worry he might fall."))
            }
        }
    }

    /// The occupancy census: the same bytes for the same rows and seed, exactly the rows asked for, one row per ward per
    /// day (a ward-day never twice), as many wards as the rows need, every row accepted by `validate`.
    @Test func censusIsExactRepeatableAndValid() throws {
        let rows = 1_300  // three wards, each counted on 433 days, and the first on a 434th
        let (a, _) = try writtenRepeatably(.occupancy, rows: rows, file: "occupancy.csv")
        #expect(BenchmarkCensus.wards(rows: rows) == 3 && BenchmarkCensus.wards(rows: 500_000) == 823
                && BenchmarkCensus.wards(rows: 5_000_000) == 8_224 && BenchmarkCensus.wards(rows: 1) == 1)
        let text = try #require(a.read("occupancy.csv"))
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "Date,Ward,Occupied beds,Leave beds")
        let records = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(Set(records.map { $0[0] + " " + $0[1] }).count == rows, "a ward-day never twice")
        #expect(Set(records.map { $0[1] }) == ["W00001", "W00002", "W00003"])
        #expect(records.filter { $0[1] == "W00001" }.count == 434 && records.filter { $0[1] == "W00003" }.count == 433)
        #expect(records.allSatisfy { (12...20).contains(Int($0[2])!) && (0...2).contains(Int($0[3])!) })
        // Day by day, the wards in turn within a day: 433 whole days from 1 January 2018, then the first ward on 10 March 2019.
        #expect(records.prefix(3).map { $0[0] + " " + $0[1] } == ["01/01/2018 W00001", "01/01/2018 W00002", "01/01/2018 W00003"])
        #expect(records.suffix(2).map { $0[0] + " " + $0[1] } == ["09/03/2019 W00003", "10/03/2019 W00001"])
        let r = try runWardsleep(["validate", a.path], environment: ["WARDSLEEP_KEY": testKey])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("occupancy.csv: 1,300 rows read, 1,300 accepted, 0 quarantined (0.0%)"), "\(r.out)")
    }

    /// Pharmacy issues: the same bytes for the same rows and seed, exactly the rows asked for, both pharmacy systems'
    /// spellings of products and wards, returns among the issues, every row accepted by `validate`.
    @Test func pharmacyIssuesAreExactRepeatableAndValid() throws {
        let rows = 3_001
        let (a, _) = try writtenRepeatably(.issues, rows: rows, file: "hypnotics.csv")
        let text = try #require(a.read("hypnotics.csv"))
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "Issue date,Ward,Product,Qty")
        let records = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(Set(records.map { $0[2] }).count == 2 * SampleProduct.all.count, "each product in both spellings")
        #expect(Set(records.map { $0[1] }).count == SampleWardTemplate.all.count)
        let returns = records.filter { $0[3].hasPrefix("-") }.count
        #expect((250...500).contains(returns), "about one row in eight a return: \(returns)")
        #expect(records.first?[0] == "01/01/2018" && records.last?[0] == "31/08/2019")
        let r = try runWardsleep(["validate", a.path], environment: ["WARDSLEEP_KEY": testKey])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("hypnotics.csv: 3,001 rows read, 3,001 accepted, 0 quarantined (0.0%)"), "\(r.out)")
    }

    @Test func parseOnlyPassesCountRecordsNotLines() throws {
        let dir = TempFolder()
        let text = "a,b\n1,\"two\nlines\"\n\n2,3\n3,\"x,y\""
        let path = dir.write("quoted.csv", text)
        for parser in ParseOnlyPass.Parser.allCases {
            #expect(try ParseOnlyPass.count(path: path, parser: parser) == .init(records: 4, bytes: text.utf8.count), "\(parser)")
        }
    }

    @Test(.enabled(if: MeasuredProcess.peakIsExact, "needs GNU time (/usr/bin/time)"))
    func eachChildsPeakMemoryIsItsOwn() throws {
        let dir = TempFolder()
        let out = dir.path + "/out", err = dir.path + "/err"
        // dd reads into a 200 MB buffer; `true` afterwards must not inherit that peak (as RUSAGE_CHILDREN would give), nor
        // the test process's own (as a child spawned from it directly would).
        let big = try MeasuredProcess.run("/bin/sh", ["-c", "dd if=/dev/zero of=/dev/null bs=200M count=1 2>/dev/null"],
                                          environment: [:], stdout: out, stderr: err)
        let small = try MeasuredProcess.run("/bin/sh", ["-c", "true"], environment: [:], stdout: out, stderr: err)
        let failing = try MeasuredProcess.run("/bin/sh", ["-c", "echo hello; exit 3"], environment: [:], stdout: out, stderr: err)
        #expect(big.exitCode == 0 && small.exitCode == 0)
        #expect(big.peakRSSBytes > 150 << 20, "\(big.peakRSSBytes)")
        #expect(small.peakRSSBytes < 50 << 20, "\(small.peakRSSBytes)")
        #expect(failing.exitCode == 3)
        #expect(dir.read("out") == "hello\n")
    }

    func measurement(_ rows: Int, _ phase: Benchmark.Phase, seconds: Double, mib: Int, threads: Int? = nil) -> Benchmark.Measurement {
        .init(export: "hypnotics", rows: rows, bytes: rows * 87, generated: true, phase: phase, threads: threads,
              process: .init(exitCode: 0, seconds: seconds, cpuSeconds: seconds, peakRSSBytes: mib << 20))
    }

    @Test func goalChecksCompareTheNumbersTheyName() {
        let results = [
            measurement(500_000, .parse, seconds: 0.4, mib: 10), measurement(500_000, .validate, seconds: 0.2, mib: 20),
            measurement(500_000, .run, seconds: 2, mib: 40),
            measurement(5_000_000, .parse, seconds: 4, mib: 10), measurement(5_000_000, .validate, seconds: 3, mib: 29),
            measurement(5_000_000, .run, seconds: 20, mib: 70),
        ]
        let lines = BenchmarkTable.goalChecks(results, cores: 2)
        #expect(lines.contains("PASS validate ≤ 1.2 × parse-only spread over 2 cores, 500,000 rows: 0.20 s (threads n/a); limit 0.24 s (parse-only 0.40 s)"))
        #expect(lines.contains("FAIL validate ≤ 1.2 × parse-only spread over 2 cores, 5,000,000 rows: 3.00 s (threads n/a); limit 2.40 s (parse-only 4.00 s)"))
        #expect(lines.contains("PASS peak RSS ≤ 64 MiB, 500,000 rows: validate 20.0 MiB, run 40.0 MiB"))
        #expect(lines.contains("FAIL peak RSS ≤ 64 MiB, 5,000,000 rows: validate 29.0 MiB, run 70.0 MiB"))
        #expect(lines.contains("PASS validate peak RSS within 1.5× from 500,000 rows to 5,000,000 rows: 20.0 → 29.0 MiB (1.45×)"))
        #expect(lines.contains("FAIL run peak RSS within 1.5× from 500,000 rows to 5,000,000 rows: 40.0 → 70.0 MiB (1.75×)"))
        #expect(lines.contains("FAIL validate time grows no faster than rows: 10.0× rows took 15.0× the time (limit 12.0×; 0.20 → 3.00 s)"))
        #expect(lines.contains("PASS run time grows no faster than rows: 10.0× rows took 10.0× the time (limit 12.0×; 2.00 → 20.00 s)"))
    }

    @Test func goalChecksUseTheMostThreads() {
        let results = [
            measurement(1_000, .parse, seconds: 1, mib: 10), measurement(1_000, .validate, seconds: 2, mib: 20, threads: 1),
            measurement(1_000, .validate, seconds: 0.5, mib: 20, threads: 4),
        ]
        #expect(BenchmarkTable.goalChecks(results, cores: 4).contains(
            "FAIL validate ≤ 1.2 × parse-only spread over 4 cores, 1,000 rows: 0.50 s (4 threads); limit 0.30 s (parse-only 1.00 s)"))
    }

    /// Spread over threads, the libcsv pass cuts the file at line starts, each part parsed on its own: every byte is
    /// read once and every record counted once, whatever the number of parts, even with more parts than lines.
    @Test func parseOnlySpreadOverThreadsCountsEveryRecordOnce() throws {
        let dir = TempFolder()
        let w = try BenchmarkStudy.write(to: dir.path, rows: 20_001)
        for threads in [1, 2, 3, 7, 8] {
            #expect(try ParseOnlyPass.count(path: w.export, parser: .libcsv, threads: threads) == .init(records: 20_002, bytes: w.bytes),
                    "\(threads) threads")
        }
        // Fewer lines than parts, no line break at the end, CRLF, and an empty file.
        for (text, records) in [("a,b\n1,2", 2), ("a,b\r\n1,2\r\n3,4\r\n", 3), ("", 0), ("a", 1)] {
            let path = dir.write("small.csv", text)
            for threads in [1, 2, 8] {
                #expect(try ParseOnlyPass.count(path: path, parser: .libcsv, threads: threads) == .init(records: records, bytes: text.utf8.count),
                        "\(text.debugDescription) on \(threads) threads")
            }
        }
    }

    /// With a parse-only pass measured over several threads, validate is held to 1.2 × that, not to one thread's time
    /// divided by the cores.
    @Test func goalChecksUseTheMeasuredSpreadParse() {
        let results = [
            measurement(1_000, .parse, seconds: 1, mib: 10, threads: 1), measurement(1_000, .parse, seconds: 0.6, mib: 10, threads: 2),
            measurement(1_000, .validate, seconds: 0.7, mib: 20, threads: 2),
        ]
        #expect(BenchmarkTable.goalChecks(results, cores: 2).contains(
            "PASS validate ≤ 1.2 × parse-only spread over 2 threads, 1,000 rows: 0.70 s (2 threads); limit 0.72 s (parse-only 0.60 s on 2 threads, 1.00 s on 1)"))
    }

    @Test func benchGeneratesAndMeasuresEveryPhase() throws {
        let dir = TempFolder()
        let r = try runWardsleep(["bench", "--rows", "2000", "--keep", dir.path])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("generated \(dir.path)/rows-2000/hypnotics.csv: 2,000 rows, 0.2 MB in ") })
        #expect(lines.contains(BenchmarkTable.header))
        for phase in ["parse", "read", "validate", "run"] {
            #expect(lines.contains { $0.hasPrefix("hypnotics        2,000       0.2  \(phase) ") }, "no \(phase) line in\n\(r.out)")
        }
        #expect(lines.contains { $0.hasPrefix("PASS peak RSS ≤ 64 MiB, 2,000 rows: ") || $0.hasPrefix("FAIL peak RSS ≤ 64 MiB, 2,000 rows: ") })
        #expect(dir.exists("rows-2000/hypnotics.csv") && dir.exists("rows-2000/study.yaml"))
    }

    @Test func benchMeasuresAStudyExportByExportThenWhole() throws {
        let dir = TempFolder()
        dir.write("study.yaml", studyYAML("""
        exports:
          incidents: { file: incidents.csv, categories: { "Self harm": self_harm },
                       columns: { id: Ref, date: "Incident date", time: Time, ward: Ward, category: Category } }

        """))
        // The export's own column names: measured alone, each export's copy must hold none of the others (a stray
        // incidents.csv read with the default columns would fail).
        dir.write("incidents.csv", "Ref,Incident date,Time,Ward,Category\nI1,05/01/2018,01:00,A1,Self harm\nI2,05/02/2019,02:00,A1,Self harm\n")
        dir.write("occupancy.csv", "date,ward,occupied_beds\n05/01/2018,A1,14\n05/02/2019,A1,15\n05/02/2019,D1,11\n")
        // The folder named in full, and relative to the working folder (as a user types it), with and without "./".
        let parent = (dir.path as NSString).deletingLastPathComponent, name = (dir.path as NSString).lastPathComponent
        for (folder, workingFolder) in [(dir.path, nil), (name, parent), ("./\(name)/", parent)] {
            let r = try runWardsleep(["bench", "--study", folder], in: workingFolder)
            #expect(r.status == 0, "\(folder): \(r.err)")
            for (export, rows) in [("occupancy", 3), ("incidents", 2)] {
                for phase in ["parse", "read", "validate", "run"] {
                    #expect(r.out.split(separator: "\n").contains {
                        $0.hasPrefix(export.padding(toLength: 11, withPad: " ", startingAt: 0) + " " + "\(rows)".leftPadded(10) + " ") && $0.contains(" \(phase) ")
                    }, "no \(export) \(phase) line for \(folder) in\n\(r.out)")
                }
            }
            for phase in ["validate", "run"] {
                #expect(r.out.split(separator: "\n").contains { $0.hasPrefix("all" + String(repeating: " ", count: 18) + "5 ") && $0.contains(" \(phase) ") }, "\(r.out)")
            }
            #expect(!r.out.contains("goal checks:"))
        }
    }

    @Test func threadCountsArePassedOnceTheCommandsTakeThem() throws {
        // A stand-in for a wardsleep whose validate and run take --threads: it lists the option in --help, logs the
        // count it is given and runs the real binary without it.
        let dir = TempFolder()
        let log = dir.path + "/threads.log"
        let script = dir.write("wardsleep-threads", """
        #!/bin/sh
        if [ "$2" = "--help" ]; then echo "  --threads <n>   Worker threads."; exit 0; fi
        skip=0 command=$1
        for a in "$@"; do
          shift
          if [ $skip = 1 ]; then skip=0; echo "$command $a" >> \(log); continue; fi
          if [ "$a" = "--threads" ]; then skip=1; continue; fi
          set -- "$@" "$a"
        done
        exec \(wardsleepBinary()) "$@"

        """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        var options = Benchmark.Options(executable: script, environment: [:])
        options.rows = [300]
        options.threads = [.count(1), .all, .count(3)]
        options.cores = 3
        var lines: [String] = []
        let results = try Benchmark.run(options) { lines.append($0) }
        #expect(results.map { "\($0.phase.rawValue) \($0.threads.map(String.init) ?? "n/a")" }
            == ["parse 1", "parse 3", "read 1", "validate 1", "validate 3", "run 1", "run 3"])
        #expect(lines.first?.hasPrefix("threads: validate takes --threads, run takes --threads; 3 cores") == true, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("hypnotics          300       0.0  run            3 ") }, "\(lines)")
        let logged = try String(contentsOfFile: log, encoding: .utf8)
        // The parse-only passes (children of `bench`): libcsv on 1 and on 3 threads, the reader on 1.
        #expect(logged == "bench 1\nbench 3\nbench 1\nvalidate 1\nvalidate 3\nrun 1\nrun 3\n")
    }

    @Test func benchRejectsBadCountsAndNothingToMeasure() throws {
        let rows = try runWardsleep(["bench", "--rows", "0"])
        #expect(rows.status == 64)
        #expect(rows.err.contains("--rows takes row counts such as 500000,5000000 or 500k,5M, not 0."), "\(rows.err)")
        for (arguments, message) in [(["--patients", "0"], "--patients takes 1 to 1000000 patients, not 0."),
                                     (["--patients", "2000000"], "--patients takes 1 to 1000000 patients, not 2000000."),
                                     (["--patients", "10", "--export", "incidents"], "--patients applies to --export administrations only.")] {
            let r = try runWardsleep(["bench", "--rows", "1000"] + arguments)
            #expect(r.status == 64 && r.err.contains(message), "\(arguments): \(r.err)")
        }
        let nothing = try runWardsleep(["bench"])
        #expect(nothing.status == 64)
        #expect(nothing.err.contains("Give --rows N to measure a generated study, or a study folder."), "\(nothing.err)")
    }
}
