import Foundation

/// A benchmark study for the sleep plans: `study.yaml` (the seven sample wards) and `sleep_plans.csv`, exactly the
/// number of rows asked for, night by night from January 2018 to August 2019, in the sample study's columns (night,
/// ward, patient, protected, who decided, patient and carer involved; about 44 bytes a row).
///
/// Each night has the same number of planned beds (rows ÷ nights); a bed's patient changes every 30 nights, so every
/// row is a different patient-night and the join the fidelity analysis builds holds every plan. Nights between the
/// periods (September to December 2018) are read and set aside, as a real export's would be. Every row is valid; the
/// same rows and seed give identical bytes.
enum BenchmarkSleepPlans {
    static func write(to folder: String, rows: Int, seed: UInt64, wards: [SampleWardTemplate] = SampleWardTemplate.all) throws -> BenchmarkStudy.Written {
        let path = try BenchmarkStudy.writeStudy(in: folder, rows: rows, export: .sleepPlans, title: "sleep plans",
                                                 entry: SampleStudy.sleepPlansExportYAML, wards: wards)
        let firstDay = BenchmarkStudy.firstDay, days = BenchmarkStudy.lastDay.dayNumber - firstDay.dayNumber + 1
        let bytes = try ByteSink.write(to: path) { sink, pieces in
            let header = pieces.add("Night of,Ward,Patient ID,Protected sleep,Decided by,Patient involved,Carer involved\n")
            let nightPieces = (0..<days).map { pieces.add(firstDay.adding(days: $0).ukFormatted + ",") }
            let wardPieces = wards.map { pieces.add($0.id + ",") }
            let decisions = [",Y,MDT;Night coordinator,Y,N\n", ",Y,MDT,Y,Y\n", ",N,MDT,Y,N\n", ",N,MDT;Night coordinator,N,N\n",
                             ",Y,Consultant,N,N\n"].map { pieces.add($0) }
            // Over wards generated for `--wards`, each night's beds go on from the ward where the last night's ended, so
            // that every ward has plans however few a night has (the sample's seven wards take a night's beds in turn).
            let perNight = wards.first?.id == SampleWardTemplate.all.first?.id ? 0 : (rows + days - 1) / days
            try sink.writeRows(rows, days: days, seed: seed, header: header, pieces: pieces) { sink, arena, i, day, r1, _ in
                // The row's bed on its night: rows of a night are consecutive, so a bed is i less the night's first row.
                let bed = i - (day * rows + days - 1) / days
                sink.put(arena, nightPieces[day])
                sink.put(arena, wardPieces[(bed + day * perNight) % wards.count])
                sink.nhsNumber((bed * 21 + day / 30) % 1_000_000)  // 21 blocks of 30 nights: one patient per bed and block
                sink.put(arena, decisions[Int(r1 % UInt64(decisions.count))])
            }
        }
        return BenchmarkStudy.Written(folder: folder, export: path, rows: rows, bytes: bytes)
    }
}

/// A benchmark study for feedback: `study.yaml` (the seven sample wards, the default codebook) and `feedback.csv`,
/// exactly the number of rows asked for, in the sample study's columns (reference, respondent, stage, date, ward,
/// rating, comment; about 106 bytes a row). Comments are the sample study's: most name a theme, some ask for the checks
/// back, some hold a comma (quoted); ratings run from 1 to 5. Every row is valid; the same rows and seed give identical
/// bytes.
enum BenchmarkFeedback {
    static func write(to folder: String, rows: Int, seed: UInt64, wards: [SampleWardTemplate] = SampleWardTemplate.all) throws -> BenchmarkStudy.Written {
        let path = try BenchmarkStudy.writeStudy(in: folder, rows: rows, export: .feedback, title: "feedback",
                                                 entry: SampleStudy.feedbackExportYAML, wards: wards)
        let firstDay = BenchmarkStudy.firstDay, days = BenchmarkStudy.lastDay.dayNumber - firstDay.dayNumber + 1
        let pilotStart = CalendarDay(year: 2019, month: 1, day: 1)!.dayNumber - firstDay.dayNumber
        let groups: [(FeedbackGroup, String)] = [(.patient, "Patient"), (.staff, "Staff"), (.carer, "Carer"), (.other, "Visitor")]
        let bytes = try ByteSink.write(to: path) { sink, pieces in
            let header = pieces.add("Response ID,Respondent,Stage,Date,Ward,Rating,Comment\n")
            let datePieces = (0..<days).map { pieces.add(firstDay.adding(days: $0).ukFormatted + ",") }
            let wardPieces = wards.map { pieces.add($0.id + ",") }
            // Per group: its label with the stage, and its comments before and after the change.
            let labelled = groups.map { g, label in
                (before: pieces.add(",\(label),before,"), during: pieces.add(",\(label),during,"), after: pieces.add(",\(label),after,"),
                 commentsBefore: SampleText.commentsBefore[g]!.map { pieces.add("," + CSVOutput.quoted($0) + "\n") },
                 commentsAfter: SampleText.commentsAfter[g]!.map { pieces.add("," + CSVOutput.quoted($0) + "\n") })
            }
            let ratings = (1...5).map { pieces.add("\($0)") }
            try sink.writeRows(rows, days: days, seed: seed, header: header, pieces: pieces) { sink, arena, i, day, r1, r2 in
                sink.byte(UInt8(ascii: "R"))
                sink.digits4(i / 10_000 % 10_000)
                sink.digits4(i % 10_000)
                let g = labelled[Int(r1 % 10 < 5 ? 0 : (r1 % 10 < 8 ? 1 : (r1 % 10 < 9 ? 2 : 3)))]
                let before = day < pilotStart
                sink.put(arena, before ? g.before : ((r1 >> 8) & 1 == 0 ? g.during : g.after))
                sink.put(arena, datePieces[day])
                sink.put(arena, wardPieces[Int((r1 >> 16) % UInt64(wards.count))])
                // Ratings lower before the change than after.
                let rating = min(4, Int((r2 % 4) + (before ? 0 : (r2 >> 8) % 2)))
                sink.put(arena, ratings[rating])
                let comments = before ? g.commentsBefore : g.commentsAfter
                sink.put(arena, comments[Int((r2 >> 16) % UInt64(comments.count))])
            }
        }
        return BenchmarkStudy.Written(folder: folder, export: path, rows: rows, bytes: bytes)
    }
}

extension BenchmarkStudy {
    /// Writes `study.yaml` for a generated export (`wards`, then `entry` under `exports:`) and returns the export's
    /// path, named in `entry`.
    static func writeStudy(in folder: String, rows: Int, export: Export, title: String, entry: String,
                           wards: [SampleWardTemplate] = SampleWardTemplate.all) throws -> String {
        var y = studyYAMLOpening(comment: "generated by `wardsleep bench --rows \(rows) --export \(export.rawValue)`.",
                                 study: "Benchmark \(title) \(rows) rows", templates: wards)
        y += "exports:\n" + entry + "quality: { max_quarantined_percent: 5 }\n"
        try Data(y.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("study.yaml")))
        return (folder as NSString).appendingPathComponent(export.kind.defaultFileName)
    }
}
