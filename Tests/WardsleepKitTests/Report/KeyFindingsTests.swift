import Foundation
import Testing
@testable import WardsleepKit

/// The key findings follow the data: a sample study is perturbed (incidents rise, hypnotics rise, night incidents fall,
/// ratings fall) and each sentence must turn with it, with the same numbers as the tables.
@Suite(.serialized) struct KeyFindingsTests {
    /// Splits CSV text into records of fields (RFC 4180 quoting), keeping the bytes (Latin-1 round trip).
    static func records(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, i = text.startIndex
        while i < text.endIndex {
            let ch = text[i]
            if quoted {
                if ch == "\"" {
                    let next = text.index(after: i)
                    if next < text.endIndex && text[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else { field.append(ch) }
            } else if ch == "\"" { quoted = true } else if ch == "," { row.append(field); field = "" } else if ch == "\n" || ch == "\r\n" {
                row.append(field); rows.append(row); row = []; field = ""
            } else if ch != "\r" { field.append(ch) }
            i = text.index(after: i)
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Rewrites `file` of the study: each data row goes through `change` (nil drops it).
    func perturb(_ study: String, _ file: String, _ change: ([String: Int], [String], Int) -> [String]?) throws {
        let path = study + "/" + file
        let rows = Self.records(try String(contentsOfFile: path, encoding: .isoLatin1))
        let header = rows[0]
        let columns = Dictionary(header.enumerated().map { ($1.replacingOccurrences(of: "\u{EF}\u{BB}\u{BF}", with: ""), $0) },
                                 uniquingKeysWith: { a, _ in a })
        var out = [header]
        for (n, row) in rows.dropFirst().enumerated() { if let r = change(columns, row, n) { out.append(r) } }
        func cell(_ v: String) -> String {
            v.contains(where: { ",\"\r\n".contains($0) }) ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
        }
        let text = out.map { $0.map(cell).joined(separator: ",") }
            .joined(separator: "\r\n") + "\r\n"
        try text.write(toFile: path, atomically: true, encoding: .isoLatin1)
    }

    func findings(_ study: String, _ dir: TempFolder, _ name: String) throws -> (lines: [String], tables: String) {
        let out = dir.path + "/" + name
        let r = try runWardsleep(["run", study, "--out", out, "--format", "md,csv"], environment: ["WARDSLEEP_KEY": testKey])
        #expect(r.status == 0 || r.status == 1, "\(r.err)\n\(r.out)")
        let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        let block = summary.components(separatedBy: "## Key findings\n\n")[1].components(separatedBy: "\n\n")[0]
        return (block.components(separatedBy: "\n"), try String(contentsOfFile: out + "/tables/incidents.csv", encoding: .utf8))
    }

    func line(_ lines: [String], _ title: String) -> String { lines.first { $0.hasPrefix("- **\(title).**") } ?? "(none)" }

    /// The study-wide row of tables/incidents.csv for `window`, as the sentence prints it.
    func tableRatio(_ csv: String, window: String) -> String {
        let row = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .first { $0.count > 13 && $0[0] == "study" && $0[2] == "all" && $0[3] == window }!
        func two(_ s: String) -> String { NumberFormat.fixed(Double(s)!, 2) }
        return "rate ratio \(two(row[11])) (95% CI \(two(row[12])) to \(two(row[13]));"
    }

    @Test func sentencesTurnWithTheDataAndAgreeWithTheTables() throws {
        let dir = TempFolder()
        let study = dir.path + "/study"
        #expect(try runWardsleep(["sample", "--out", study]).status == 0)
        let before = try findings(study, dir, "before")
        #expect(before.lines.count == 7)
        #expect(line(before.lines, "Safety").hasPrefix("- **Safety.** No evidence of a change in incidents over 24 hours"))
        #expect(line(before.lines, "Safety").contains(tableRatio(before.tables, window: "24h")))
        #expect(line(before.lines, "Hypnotics").contains("DDD per 100 occupied bed days fell from"))

        // Incidents rise: half of the baseline rows go. Night incidents fall: every pilot incident between 00:00 and 06:00 goes.
        try perturb(study, "incidents.csv") { c, row, n in
            let date = row[c["Incident date"]!], time = row[c["Time"]!]
            if date.hasSuffix("2018") && n % 2 == 0 { return nil }
            if date.hasSuffix("2019") && time.count == 5 && time < "06:00" { return nil }
            return row
        }
        // Hypnotics rise: every pilot issue doubled.
        try perturb(study, "hypnotics.csv") { c, row, _ in
            guard row[c["Issue date"]!].hasSuffix("2019"), let q = Int(row[c["Qty"]!]) else { return row }
            var r = row
            r[c["Qty"]!] = String(q * 2)
            return r
        }
        // Ratings fall: every rating 5 before and 1 after.
        try perturb(study, "feedback.csv") { c, row, _ in
            var r = row
            switch row[c["Stage"]!] {
            case "before": r[c["Rating"]!] = "5"
            case "after": r[c["Rating"]!] = "1"
            default: break
            }
            return r
        }
        // Delivery falls: every check for a clinical need becomes a routine check (a lapse on a protected night).
        try perturb(study, "observations.csv") { c, row, _ in
            var r = row
            if r[c["Reason"]!] == "Clinical need" { r[c["Reason"]!] = "Routine" }
            return r
        }
        let after = try findings(study, dir, "after")
        func delivered(_ lines: [String]) -> Double {
            let text = line(lines, "Delivery")
            return Double(text.split(separator: " ")[2].dropLast()) ?? .nan  // "- **Delivery.** 93.4% of ..."
        }
        #expect(line(before.lines, "Delivery").hasPrefix("- **Delivery.** ") && delivered(before.lines) > 90)
        #expect(delivered(after.lines) < delivered(before.lines))
        #expect(line(after.lines, "Safety").hasPrefix("- **Safety.** Evidence of an increase in incidents over 24 hours"))
        #expect(line(after.lines, "Safety").contains(tableRatio(after.tables, window: "24h")))
        #expect(line(after.lines, "Safety at night").hasPrefix("- **Safety at night.** Evidence of a decrease in incidents in the protected window"))
        #expect(line(after.lines, "Safety at night").contains(tableRatio(after.tables, window: "protected")))
        #expect(line(after.lines, "Hypnotics").contains("DDD per 100 occupied bed days rose from"))
        #expect(!line(after.lines, "Hypnotics").contains("evidence"))
        #expect(line(after.lines, "Experience").hasPrefix("- **Experience.** Ratings (1–5) from patients: lower after the change, median 5 before and 1 after"))
    }

    /// A rate in the thousands reads as the counts beside it do, grouped: a benchmark study of 60,000 doses on seven
    /// wards gives over 1,000 DDD per 100 ward-days, in the key findings and the hypnotics section alike.
    @Test func ratesInTheThousandsAreGroupedAsCountsAre() throws {
        let study = TempFolder(), out = TempFolder()
        try BenchmarkStudy.write(to: study.path, rows: 60_000)
        let r = try runWardsleep(["run", study.path, "--out", out.path + "/report"], environment: ["WARDSLEEP_KEY": testKey])
        #expect(r.status == 0, "\(r.err)")
        let summary = try String(contentsOfFile: out.path + "/report/summary.md", encoding: .utf8)
        let lines = summary.components(separatedBy: "\n")
        #expect(line(lines, "Hypnotics").firstMatch(of: /DDD per 100 ward-days (rose|fell) from \d{1,3}(,\d{3})+\.\d\d to \d{1,3}(,\d{3})+\.\d\d/) != nil,
                "\(line(lines, "Hypnotics"))")
        #expect(summary.firstMatch(of: /DDD per 100 ward-days \d{1,3}(,\d{3})+\.\d\d → \d{1,3}(,\d{3})+\.\d\d/) != nil)
        // A benchmark study is synthetic, and the notice does not say another command made it.
        #expect(summary.contains("**Synthetic data.** This study is marked synthetic in study.yaml, as `wardsleep sample` and "
                                 + "`wardsleep bench` mark the studies they generate; it describes no real patients."), "\(lines.prefix(6))")
    }
}
