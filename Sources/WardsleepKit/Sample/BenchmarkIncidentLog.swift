import Foundation

/// A benchmark study for the incident export: `study.yaml` (the seven sample wards; the sample study's categories and
/// harm levels mapped, rejected reports excluded) and `incidents.csv`, a Datix-style export of exactly the number of rows
/// asked for, in date order from January 2018 to August 2019.
///
/// Each row has eleven columns: a reference, the incident date and time, the date it was reported (that day or the
/// next), the ward, a category and subcategory, the harm level, an NHS-number-like patient, the status and a quoted
/// narrative. About one row in ten has no patient (an incident with none involved). Every narrative holds a comma, some
/// hold doubled quotes, and about half run over two lines, so records and lines part company throughout the file. A
/// row is about 190 bytes.
///
/// Every row is valid: a `wardsleep validate` accepts them all, and sets aside the rejected reports (about 2%) by design.
/// The same rows and seed give identical bytes.
enum BenchmarkIncidentLog {
    static let header = "Ref,Incident date,Time,Reported date,Location (exact),Category,Subcategory,Harm level,Patient ID,Status,"
        + "Description\n"

    static let harms: [(label: String, percent: Int)] = [("No harm", 60), ("Low", 30), ("Moderate", 8), ("Severe", 2)]
    static let statuses: [(label: String, percent: Int)] = [("Approved", 88), ("Under review", 10), ("Rejected", 2)]

    /// Narratives staff write: each with a comma; some with doubled quotes; the second of each pair over two lines.
    static let narratives = [
        "Patient distressed, tearful and asking for family. De-escalated by two staff.",
        "Patient distressed, tearful and asking for family.\nDe-escalated by two staff; PRN offered, declined.",
        "Patient said the \"checks keep waking me up\", became angry at the office door.",
        "Patient said the \"checks keep waking me up\", became angry.\nFirst aid given, no further treatment needed.",
        "Found in corridor at night, unsettled. Reassured, returned to bed, slept.",
        "Found in corridor at night, unsettled.\nReassured by night staff, returned to bed, slept until 06:00.",
        "Ligature found during room search, removed. Care plan reviewed with patient.",
        "Ligature found during room search, removed.\nCare plan reviewed with patient, observations increased.",
    ]

    static func write(to folder: String, rows: Int, seed: UInt64, wards: [SampleWardTemplate] = SampleWardTemplate.all) throws -> BenchmarkStudy.Written {
        let yaml = (folder as NSString).appendingPathComponent("study.yaml")
        let path = (folder as NSString).appendingPathComponent("incidents.csv")
        try Data(studyYAML(rows: rows, wards: wards).utf8).write(to: URL(fileURLWithPath: yaml))
        let firstDay = BenchmarkStudy.firstDay, days = BenchmarkStudy.lastDay.dayNumber - firstDay.dayNumber + 1
        // Wards report as many incidents as they are big.
        let bedWard = wards.indices.flatMap { w in Array(repeating: w, count: wards[w].beds) }
        let bytes = try ByteSink.write(to: path) { sink, pieces in
            let headerPiece = pieces.add(header)
            // "dd/mm/yyyy," for every day and the day after the last (a report the morning after).
            let datePieces = (0...days).map { pieces.add(firstDay.adding(days: $0).ukFormatted + ",") }
            let wardPieces = wards.map { pieces.add($0.id + ",") }
            // The sample study's categories in their shares, to a thousandth.
            var categoryOfPerMille: [(PieceTable.Piece, [PieceTable.Piece])] = []
            for c in SampleCategory.all {
                let piece = (pieces.add(c.label + ","), c.subcategories.map { pieces.add($0 + ",") })
                categoryOfPerMille += Array(repeating: piece, count: Int((c.share * 1000).rounded()))
            }
            func byPercent(_ table: [(label: String, percent: Int)], then suffix: String) -> [PieceTable.Piece] {
                table.flatMap { entry in Array(repeating: pieces.add(entry.label + suffix), count: entry.percent) }
            }
            let harmOfPercent = byPercent(harms, then: ",")
            let statusOfPercent = byPercent(statuses, then: ",")
            let narrativePieces = narratives.map { pieces.add(CSVOutput.quoted($0) + "\n") }
            let comma = pieces.add(",")
            // About one distinct patient per 5 incidents, from a window that slides along the export.
            let patients = max(1, rows / 5), window = 30
            try sink.writeRows(rows, days: days, seed: seed, header: headerPiece, pieces: pieces) { sink, arena, i, day, r1, r2 in
                sink.byte(UInt8(ascii: "W"))
                sink.digits4(i / 10_000 % 10_000)
                sink.digits4(i % 10_000)
                sink.byte(UInt8(ascii: ","))
                sink.put(arena, datePieces[day])
                sink.digits2(Int(r1 % 24))
                sink.byte(UInt8(ascii: ":"))
                sink.digits2(Int((r1 >> 8) % 60))
                sink.byte(UInt8(ascii: ","))
                sink.put(arena, datePieces[(r1 >> 16) & 3 == 0 ? day + 1 : day])
                let patient = i &* patients / rows + Int((r1 >> 24) % UInt64(window))
                sink.put(arena, wardPieces[bedWard[Int((UInt64(truncatingIfNeeded: patient &* 2_654_435_761) >> 7) % UInt64(bedWard.count))]])
                let (category, subcategories) = categoryOfPerMille[Int(r2 % UInt64(categoryOfPerMille.count))]
                sink.put(arena, category)
                sink.put(arena, subcategories[Int((r2 >> 8) % UInt64(subcategories.count))])
                sink.put(arena, harmOfPercent[Int((r2 >> 16) % 100)])
                if (r2 >> 24) % 10 != 0 { sink.nhsNumber(patient % 1_000_000) }  // one incident in ten involves no patient
                sink.put(arena, comma)
                sink.put(arena, statusOfPercent[Int((r2 >> 32) % 100)])
                sink.put(arena, narrativePieces[Int((r2 >> 40) % UInt64(narrativePieces.count))])
            }
        }
        return BenchmarkStudy.Written(folder: folder, export: path, rows: rows, bytes: bytes)
    }

    static func studyYAML(rows: Int, wards: [SampleWardTemplate] = SampleWardTemplate.all) -> String {
        var y = BenchmarkStudy.studyYAMLOpening(comment: "generated by `wardsleep bench --rows \(rows) --export incidents`.",
                                                study: "Benchmark incident export \(rows) rows", templates: wards)
        y += "exports:\n" + SampleCategory.incidentsExportYAML + "quality: { max_quarantined_percent: 5 }\n"
        return y
    }
}
