import Foundation
import Testing
@testable import WardsleepKit

/// The quarantine file: every value as the study's redactor shows it, whether it was redacted just now or remembered from
/// an earlier row, through more distinct values than are remembered; dates and times as written.
@Suite struct QuarantineWriterTests {
    @Test func rememberedValuesAreRedactedAsFreshOnes() throws {
        let dir = TempFolder()
        let redactor = Redactor(names: ["Sarah Jones"])
        let writer = QuarantineWriter(folder: dir.path, redactor: redactor)
        var random = SampleRandom(seed: 3)
        var expected = [QuarantineWriter.header.joined(separator: ",")]
        // Values that repeat (an unknown ward named again and again), and more distinct ones than are remembered.
        let repeated = ["Ward of Sarah Jones", "call 07700 900123", "Unknown ward"]
        for i in 0..<(QuarantineWriter.memoLimit * 2 + 500) {
            let field = i % 7 == 0 ? "date" : "ward"
            let value = field == "date" ? "31/02/2019" : (random.chance(0.5) ? repeated[i % repeated.count] : "ward \(i) Sarah Jones")
            let p = DataProblem(export: .incidents, file: "incidents.csv", line: i + 2, column: field, field: field, value: value,
                                reason: "unknown ward")
            try writer.quarantine([p])
            expected.append(CSVOutput.line(["incidents.csv", String(i + 2), field, field,
                                            field == "date" ? value : redactor.redact(value), "unknown ward"]))
        }
        try writer.close()
        let written = try #require(dir.read("incidents.csv"))
        #expect(written == expected.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined())
        #expect(!written.contains("Sarah") && written.contains("[name]"))
    }
}
