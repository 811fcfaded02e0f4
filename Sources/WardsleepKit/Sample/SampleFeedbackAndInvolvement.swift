/// The sample's feedback export (Windows-1252 with CRLF line breaks, as Excel saves it) and its involvement ledger.
extension SampleSimulation {
    mutating func writeFeedback(_ path: String) throws {
        var r = random.stream("feedback")
        let w = try TextFileWriter(path: path)
        try w.write(bytes: SampleSimulation.windows1252(CSVOutput.exportLine(
            ["Response ID", "Respondent", "Stage", "Date", "Ward", "Rating", "Comment"], lineEnding: "\r\n")))
        let plan: [(FeedbackGroup, FeedbackStage, Int, String)] = [
            (.patient, .before, 18, "Patient"), (.patient, .during, 30, "Service user"), (.patient, .after, 22, "Patient"),
            (.staff, .before, 20, "Staff"), (.staff, .during, 24, "Staff"), (.staff, .after, 20, "Staff"),
            (.carer, .before, 6, "Carer"), (.carer, .after, 14, "Relative"), (.other, .during, 4, "Visitor"),
        ]
        var id = 1
        for (group, stage, n, label) in plan {
            for _ in 0..<(n * scale) {
                let ward = r.pick(wards)
                let span = stage == .before ? SampleStudy.baseline : ward.pilot
                let date = span.from.adding(days: Int(r.next() % UInt64(span.length)))
                let mean = stage == .before ? 2.6 : 3.6
                let rating = min(5, max(1, Int((mean + (r.uniform() - 0.5) * 3).rounded())))
                var text = r.pick((stage == .before ? SampleText.commentsBefore : SampleText.commentsAfter)[group]!)
                if stage != .before && group == .patient && r.chance(0.15) { text += " The new blinds cost about £40 a window \u{2014} worth it." }
                let ratingText = id == 7 ? "6" : String(rating)  // one out-of-range rating, quarantined
                try w.write(bytes: SampleSimulation.windows1252(CSVOutput.exportLine(
                    ["FB\(1000 + id)", label, stage.rawValue, date.ukFormatted, ward.id, ratingText, text], lineEnding: "\r\n")))
                id += 1
                written.rows[.feedback, default: 0] += 1
            }
        }
        try w.close()
    }

    mutating func writeInvolvement(_ path: String) throws {
        var text = CSVOutput.exportLine(["stage", "group", "level", "activity", "evidence", "date"])
        for e in SampleText.ledger {
            text += CSVOutput.exportLine([e.stage, e.group, e.level, e.activity, e.evidence, e.date])
            written.rows[.involvement, default: 0] += 1
        }
        try write(path, text)
    }

    /// Encodes text as Windows-1252 (characters it lacks become `?`).
    static func windows1252(_ s: String) -> [UInt8] {
        var reverse: [UInt32: UInt8] = [:]
        for (i, cp) in TextDecoding.windows1252High.enumerated() where cp != 0xFFFD { reverse[cp] = UInt8(0x80 + i) }
        return s.unicodeScalars.map { u in
            if u.value < 0x80 || (0xA0...0xFF).contains(u.value) { return UInt8(u.value) }
            return reverse[u.value] ?? UInt8(ascii: "?")
        }
    }
}
