import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A benchmark study for the observation log: `study.yaml` (the seven sample wards), `sleep_plans.csv` (a plan for
/// every bed's patient on every pilot night, about three in five protected) and `observations.csv`, an overnight check
/// log of exactly the number of rows asked for (`dd/mm/yyyy HH:MM`, ward, NHS-number-like patient, reason, level, staff;
/// about 52 bytes a row), night by night from January 2018 to August 2019.
///
/// The plans stay the same whatever the number of checks (one patient per bed per 30 nights), so a run's memory, which
/// follows the planned patient-nights, can be compared between log sizes. Every row is valid; the same rows and seed
/// give identical bytes.
enum BenchmarkObservationLog {
    static let firstDay = BenchmarkStudy.firstDay
    static let lastDay = BenchmarkStudy.lastDay
    static let pilot = DayRange(from: CalendarDay(year: 2019, month: 1, day: 1)!, to: lastDay)

    static func write(to folder: String, rows: Int, seed: UInt64) throws -> BenchmarkStudy.Written {
        let yaml = (folder as NSString).appendingPathComponent("study.yaml")
        let plans = (folder as NSString).appendingPathComponent("sleep_plans.csv")
        let log = (folder as NSString).appendingPathComponent("observations.csv")
        try Data(studyYAML(rows: rows).utf8).write(to: URL(fileURLWithPath: yaml))
        let wards = SampleWardTemplate.all
        let bedWard = wards.indices.flatMap { w in Array(repeating: w, count: wards[w].beds) }
        /// The patient in bed `b` on night `n` (days from `firstDay`): a new one every 30 nights.
        func patient(_ b: Int, _ n: Int) -> Int { (b * 1000 + n / 30) % 1_000_000 }
        let nights = lastDay.dayNumber - firstDay.dayNumber + 1

        try withSink(plans) { sink, pieces in
            let header = pieces.add("night,ward,patient,protected\n")
            let nightPieces = (0..<nights).map { pieces.add(firstDay.adding(days: $0).ukFormatted) }
            let wardPieces = wards.map { pieces.add(",\($0.id),") }
            let flags = (pieces.add(",Y\n"), pieces.add(",N\n"))
            try pieces.withPointer { arena in
                sink.put(arena, header)
                for n in 0..<nights where pilot.contains(firstDay.adding(days: n)) {
                    for b in bedWard.indices {
                        sink.put(arena, nightPieces[n])
                        sink.put(arena, wardPieces[bedWard[b]])
                        sink.nhsNumber(patient(b, n))
                        sink.put(arena, (UInt64(truncatingIfNeeded: patient(b, n) &* 2_654_435_761) >> 9) % 5 < 3 ? flags.0 : flags.1)
                        if sink.full { try sink.flush() }
                    }
                }
            }
        }
        let bytes = try withSink(log) { sink, pieces in
            let header = pieces.add("datetime,ward,patient,reason,level,staff\n")
            // The morning a night's checks fall on: "dd/mm/yyyy ".
            let mornings = (0...nights).map { pieces.add(firstDay.adding(days: $0).ukFormatted + " ") }
            let wardPieces = wards.map { pieces.add(",\($0.id),") }
            let reasons = [(",Routine,General,", 90), (",Clinical need,General,", 8), (",Enhanced,Within eyesight,", 2)]
            var reasonOfPercent: [PieceTable.Piece] = []
            for (text, percent) in reasons { reasonOfPercent += Array(repeating: pieces.add(text), count: percent) }
            let staff = ["HCA\n", "RMN\n", "Nurse in charge\n"].map { pieces.add($0) }
            var random = SampleRandom(seed: seed)
            try pieces.withPointer { arena in
                sink.put(arena, header)
                for i in 0..<rows {
                    let r = random.next()
                    let n = Int(UInt64(i) &* UInt64(nights) / UInt64(rows))
                    let b = Int((r >> 8) % UInt64(bedWard.count))
                    sink.put(arena, mornings[n + 1])
                    sink.digits2(Int(r % 6))
                    sink.byte(UInt8(ascii: ":"))
                    sink.digits2(Int((r >> 3) % 60))
                    sink.put(arena, wardPieces[bedWard[b]])
                    sink.nhsNumber(patient(b, n))
                    sink.put(arena, reasonOfPercent[Int((r >> 32) % 100)])
                    sink.put(arena, staff[Int((r >> 40) % 3)])
                    if sink.full { try sink.flush() }
                }
            }
        }
        return BenchmarkStudy.Written(folder: folder, export: log, rows: rows, bytes: bytes)
    }

    /// Opens `path`, hands a sink and an empty piece table to `body`, then flushes and closes; returns the bytes written.
    @discardableResult
    static func withSink(_ path: String, _ body: (inout ByteSink, inout PieceTable) throws -> Void) throws -> Int {
        guard let file = fopen(path, "wb") else {
            throw InputError(file: path, message: "cannot write the file: \(String(cString: strerror(errno)))")
        }
        var sink = ByteSink(file: file, path: path)
        defer { sink.release() }
        var pieces = PieceTable()
        try body(&sink, &pieces)
        try sink.flush()
        let closed = fclose(file)
        sink.closed = true
        guard closed == 0 else { throw InputError(file: path, message: "cannot write the file: \(String(cString: strerror(errno)))") }
        return sink.written
    }

    static func studyYAML(rows: Int) -> String {
        var y = BenchmarkStudy.studyYAMLOpening(comment: "generated by `wardsleep bench --rows \(rows) --export observations`.",
                                                study: "Benchmark observation log \(rows) rows")
        y += """
        exports:
          sleep_plans: { file: sleep_plans.csv }
          observations: { file: observations.csv }
        quality: { max_quarantined_percent: 5 }

        """
        return y
    }
}
