import Foundation
import Testing
@testable import WardsleepKit

/// Dates and times written the ways exports write them (one-digit days, months and hours; hyphens or dots; months as
/// words in any case; seconds with a fraction; the 12-hour clock) are read as the same instants: a study whose
/// administrations, incidents, sleep plans and observations are rewritten row by row in such forms gives the same
/// tables, charts and results as the study as generated, with no row quarantined.
struct DateFormsTests {
    static let months = ["Jan", "FEB", "mar", "April", "May", "JUNE", "Jul", "Aug", "Sept", "OCT", "nov", "December"]

    /// `dd/mm/yyyy` with an optional `HH:MM` rewritten in the form numbered `form`.
    /// Cells that are no such date or time (the sample quarantines a few) are left as they are.
    static func rewritten(_ cell: String, form: Int) -> String {
        let parts = cell.split(separator: " ")
        let date = parts[0].split(separator: "/").compactMap { Int($0) }
        guard parts.count <= 2, date.count == 3, parts[0].hasSuffix("/\(date[2])"), date[2] >= 1000,
              CalendarDay(year: date[2], month: date[1], day: date[0]) != nil else { return cell }
        let (d, m, y) = (date[0], date[1], date[2])
        let dateText: String
        switch form % 5 {
        case 0: dateText = "\(d)/\(m)/\(y)"
        case 1: dateText = String(format: "%02d-%@-%d", d, months[m - 1], y)
        case 2: dateText = "\(d).\(m).\(y)"
        case 3: dateText = "\(months[m - 1].uppercased())-\(d)-\(y)"
        default: dateText = String(format: "%02d-%02d-%d", d, m, y)
        }
        guard parts.count == 2 else { return dateText }
        let time = parts[1].split(separator: ":").compactMap { Int($0) }
        guard parts[1].count == 5, time.count == 2, (0...23).contains(time[0]), (0...59).contains(time[1]) else { return cell }
        let (h, minute) = (time[0], time[1])
        switch form % 4 {
        case 0: return dateText + " \(h):" + String(format: "%02d", minute)
        case 1: return dateText + " " + String(format: "%d:%02d %@", h % 12 == 0 ? 12 : h % 12, minute, h < 12 ? "AM" : "pm")
        case 2: return dateText + " " + String(format: "%02d:%02d:00.000", h, minute)
        default: return dateText + " " + String(format: "%d:%02d:00 %@", h % 12 == 0 ? 12 : h % 12, minute, h < 12 ? "a.m." : "P.M.")
        }
    }

    /// Rewrites column `column` of every data row of `file` (a column that is never quoted).
    static func rewrite(_ file: String, column: Int) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        var form = 0
        for i in 1..<lines.count where !lines[i].isEmpty && lines[i].first!.isNumber {
            var fields = lines[i].components(separatedBy: ",")
            guard fields.count > column, fields[column].contains("/") else { continue }
            fields[column] = rewritten(fields[column], form: form)
            form += 1
            lines[i] = fields.joined(separator: ",")
        }
        try lines.joined(separator: "\n").write(toFile: file, atomically: false, encoding: .utf8)
    }

    @Test func aStudyWithDatesWrittenOtherWaysReportsTheSame() throws {
        let dir = TempFolder()
        let study = dir.path + "/study", other = dir.path + "/other"
        #expect(try runWardsleep(["sample", "--out", study, "--hypnotics", "administrations"]).status == 0)
        #expect(try runWardsleep(["sample", "--out", other, "--hypnotics", "administrations"]).status == 0)
        try Self.rewrite(other + "/hypnotics.csv", column: 0)
        try Self.rewrite(other + "/observations.csv", column: 0)
        try Self.rewrite(other + "/sleep_plans.csv", column: 0)
        try Self.rewrite(other + "/occupancy.csv", column: 0)
        let sample = try String(contentsOfFile: other + "/hypnotics.csv", encoding: .utf8)
        #expect(sample.contains("-OCT-") && sample.contains(" pm") && sample.contains(":00.000") && sample.contains("Sept"))
        var outs: [String] = []
        for folder in [study, other] {
            var o = RunOptions(studyFolder: folder, outFolder: folder + "-report", environment: ["WARDSLEEP_KEY": testKey], unsuppressed: true)
            o.ledgerPath = dir.path + "/ledger.sqlite"
            _ = try StudyRun.run(o)
            outs.append(o.outFolder!)
        }
        let checked = ["results.json"] + ((FileManager.default.subpaths(atPath: outs[0]) ?? []).filter {
            ($0.hasPrefix("tables/") || $0.hasPrefix("charts/")) && !$0.hasSuffix("README.md")
        })
        #expect(checked.count > 20)
        for f in checked {
            #expect(FileManager.default.contents(atPath: outs[0] + "/" + f) == FileManager.default.contents(atPath: outs[1] + "/" + f), "\(f) differs")
        }
    }
}
