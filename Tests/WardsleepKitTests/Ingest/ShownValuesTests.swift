import Foundation
import Testing
@testable import WardsleepKit

/// The memo of values problems show: the same text as working it out each time, each distinct value worked out once
/// while it is met lately, and bounded whatever the input.
@Suite struct ShownValuesTests {
    /// Whatever the memo holds, a value is shown as `ExportRow.showing` shows it: withheld, redacted, made visible and cut,
    /// the second time as the first, and for values too long to be kept.
    @Test func aValueIsShownAsWorkingItOutShowsIt() {
        let long = "Seen by Dr Jane Smith on ward 7, NHS number 943 476 5919, " + String(repeating: "and more ", count: 20)
        let cases: [(String, String)] = [
            ("A9", "ward"), ("Dr Jane Smith", "ward"), ("943 476 5919", "drug"), ("9434765919", "patient"), ("free text", "text"),
            ("31/02/2019", "date"), ("tab\there\u{1B}[31m", "status"), (long, "ward"), ("", "ward"), ("Zopiclone 7.5mg", "drug"),
        ]
        let memo = ShownValues()
        for _ in 0..<2 {
            for (value, field) in cases {
                #expect(memo.shown(value, field: field, ExportRow.showing) == ExportRow.showing(value, field: field), "\(field): \(value)")
                #expect(ExportRow.shown(value, field: field) == ExportRow.showing(value, field: field), "\(field): \(value)")
            }
        }
        #expect(ExportRow.showing("Dr Jane Smith", field: "ward").contains("[name]"))
        #expect(!ExportRow.showing("943 476 5919", field: "drug").contains("5919"))
        // The same text in two fields is two values: a date is shown verbatim, a ward redacted.
        #expect(memo.shown("943 476 5919", field: "date", ExportRow.showing) == "943 476 5919")
    }

    /// A file that repeats a few wrong labels on every row works each out once; values met lately are found again
    /// after a generation has turned over; values too long to keep are worked out every time.
    @Test func eachDistinctValueIsWorkedOutOnceWhileItIsMetLately() {
        let memo = ShownValues()
        var workedOut = 0
        func show(_ v: String, _ f: String) -> String { workedOut += 1; return "<\(v)>" }
        for row in 0..<100_000 { _ = memo.shown("Ward \(row % 7)", field: "ward", show) }
        #expect(workedOut == 7)
        // Cycling through more values than fit before the newer generation turns over (6,000 of 8,192, twice over
        // 12,000 rows): the second time round every one is found.
        workedOut = 0
        for pass in 0..<2 {
            for k in 0..<6_000 { _ = memo.shown("L\(k)", field: "drug", show) }
            #expect(workedOut == 6_000, "pass \(pass)")
        }
        workedOut = 0
        let long = String(repeating: "x", count: ShownValues.longestKept + 1)
        for _ in 0..<3 { #expect(memo.shown(long, field: "ward", show) == "<\(long)>") }
        #expect(workedOut == 3)
    }

    /// However many distinct values arrive, the memo holds at most two generations of them.
    @Test func theMemoStaysBounded() {
        let memo = ShownValues()
        for k in 0..<50_000 { _ = memo.shown("value \(k)", field: "ward") { v, _ in v } }
        #expect(memo.count <= 2 * ShownValues.limit)
        #expect(memo.count > ShownValues.limit)
    }
}

/// The digest's counts by kind: rows quarantined for one reason come in runs, and the kind kept from the row before
/// must never be lent to a row with another field or reason.
@Suite struct ProblemDigestKindTests {
    func problem(_ field: String, _ reason: String, line: Int, rows: Int = 1) -> DataProblem {
        DataProblem(export: .hypnotics, file: "hypnotics.csv", line: line, column: field, field: field, value: "x", reason: reason, rows: rows)
    }

    @Test func kindsAreCountedWhateverTheOrderOfTheirRows() {
        let digest = ProblemDigest()
        let reasons = [("datetime", "no such date: month 13"), ("datetime", "no such date: day 32"), ("dose_mg", "no such date: month 13"),
                       ("", "unbalanced quote: the row ran to the end of the file"), ("status", "empty"), ("status", ":odd")]
        var line = 2
        for run in [1, 3, 1, 2] {
            for (field, reason) in reasons {
                for _ in 0..<run {
                    digest.quarantine([problem(field, reason, line: line, rows: field.isEmpty ? 4 : 1)])
                    line += 1
                }
            }
        }
        #expect(digest.total == 7 * reasons.count)
        #expect(digest.countsByKind == ["datetime: no such date": 14, "dose_mg: no such date": 7,
                                        "unbalanced quote": 28, "status: empty": 7, "status: odd": 7])
        #expect(digest.firstLineByKind == ["datetime: no such date": 2, "dose_mg: no such date": 4, "unbalanced quote": 5,
                                           "status: empty": 6, "status: odd": 7])
    }

    /// Unmapped values counted as a plain reading counts them: runs of one value, values interleaved with others and
    /// with other kinds, the same value in two fields, and values past the distinct limit.
    @Test func unmappedValuesAreCountedAsAPlainReadingCountsThem() {
        let digest = ProblemDigest()
        var random = SampleRandom(seed: 77)
        var reference: [String: (count: Int, firstLine: Int)] = [:], order: [String] = [], beyond = 0, kinds: [String: Int] = [:]
        for line in 2..<40_000 {
            let field = random.chance(0.8) ? "ward" : "drug"
            let value = random.chance(0.5) ? "Ward \(line / 50 % 7)" : "Label \(Int(random.uniform() * 1_500))"
            let p: DataProblem
            if random.chance(0.1) {
                p = DataProblem(export: .hypnotics, file: "h.csv", line: line, column: "Status", field: "status", value: "",
                                reason: "unmapped status: empty", rows: 1)  // no value: not listed as unmapped
            } else {
                p = DataProblem(export: .hypnotics, file: "h.csv", line: line, column: field, field: field, value: value,
                                reason: field == "ward" ? "unknown ward: not in study.yaml" : "unmapped drug: not in the formulary")
            }
            digest.quarantine([p])
            kinds[p.kind, default: 0] += 1
            guard p.isUnmappedValue else { continue }
            let key = p.field + "|" + p.value
            if let known = reference[key] {
                reference[key] = (known.count + 1, known.firstLine)
            } else if order.count < digest.distinctLimit {
                reference[key] = (1, line)
                order.append(key)
            } else {
                beyond += 1
            }
        }
        #expect(digest.unmapped.map { $0.field + "|" + $0.value } == order)
        #expect(digest.unmapped.map(\.count) == order.map { reference[$0]!.count })
        #expect(digest.unmapped.map(\.firstLine) == order.map { reference[$0]!.firstLine })
        #expect(digest.unmappedBeyondLimit == beyond && beyond > 0)
        #expect(digest.unmappedTotal == reference.values.reduce(0) { $0 + $1.count } + beyond)
        #expect(digest.countsByKind == kinds)
    }
}
