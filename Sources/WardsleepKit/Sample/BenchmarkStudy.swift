import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a benchmark study: `study.yaml` (the seven SleepWell wards, baseline January–August 2018, pilot
/// January–August 2019) and `hypnotics.csv`, an EPMA administrations export of exactly the number of rows asked for.
///
/// The export imitates a large trust extract: ten columns (`dd/mm/yyyy HH:MM`, ward, an NHS-number-like patient
/// identifier with about one distinct patient per 20 rows, six drugs, dose, given/refused/omitted, PRN, route, a quoted
/// comment holding a comma, the nurse), about 87 bytes a row, day by day from January 2018 to August 2019. Every row
/// is valid: a `wardsleep validate` accepts them all. The same rows and seed give identical bytes, and 5,000,000 rows
/// (about 437 MB) take seconds: rows are assembled from pre-encoded pieces in a large buffer, without per-row strings.
public enum BenchmarkStudy {
    /// The seed used unless another is given.
    public static let defaultSeed: UInt64 = 2019
    /// The export's header (ten columns).
    public static let header = ["Administered", "Ward", "Patient ID", "Drug", "Dose (mg)", "Status", "PRN", "Route", "Comment",
                                "Administered by"]
    /// Drugs written and their two doses in mg (every dose a multiple of 0.25, so sums of doses are exact in floating point).
    public static let drugs: [(name: String, doses: (String, String), percent: Int)] = [
        ("Zopiclone", ("7.5", "3.75"), 35), ("Zolpidem", ("10", "5"), 10), ("Temazepam", ("20", "10"), 15),
        ("Lorazepam", ("1", "0.5"), 10), ("Promethazine", ("25", "10"), 20), ("Melatonin", ("2", "4"), 10),
    ]
    /// First day of the export; rows run in time order from here to `lastDay` (and a night dose after midnight to the day after).
    static let firstDay = CalendarDay(year: 2018, month: 1, day: 1)!
    static let lastDay = CalendarDay(year: 2019, month: 8, day: 31)!

    /// What was written.
    public struct Written: Sendable, Equatable {
        /// The study folder.
        public var folder: String
        /// The export's path.
        public var export: String
        /// Data rows (header excluded).
        public var rows: Int
        /// Size of the export in bytes.
        public var bytes: Int
    }

    /// The export a generated benchmark study holds.
    public enum Export: String, Sendable, CaseIterable {
        /// An EPMA administrations export (`hypnotics.csv`).
        case administrations
        /// An overnight observation log (`observations.csv`) with the sleep plans it is joined to.
        case observations
        /// An incident export (`incidents.csv`) with quoted narratives, some over two lines.
        case incidents
        /// Sleep plans (`sleep_plans.csv`), every row a different patient-night.
        case sleepPlans = "sleep-plans"
        /// Feedback (`feedback.csv`) with comments the codebook codes.
        case feedback
        /// An occupancy census (`occupancy.csv`): every ward on every day, as many wards as the rows need.
        case occupancy
        /// Pharmacy issues of hypnotic products to wards (`hypnotics.csv`), returns among them.
        case issues

        /// The export's kind, as the bench table names it.
        public var kind: ExportKind {
            switch self {
            case .administrations: .hypnotics
            case .observations: .observations
            case .incidents: .incidents
            case .sleepPlans: .sleepPlans
            case .feedback: .feedback
            case .occupancy: .occupancy
            case .issues: .hypnotics
            }
        }
    }

    /// The most distinct patients an administrations export can name (`--patients`).
    public static let maximumPatients = 1_000_000

    /// The most wards a generated study can have (`--wards`).
    public static let maximumWards = 100_000

    /// Writes `study.yaml` and the export of `rows` data rows into `folder` (created if needed; files replaced). With
    /// `patients`, the administrations export draws each row's patient at random from that many (see `write`). With
    /// `wards`, the study has that many wards instead of the seven sample wards (`SampleWardTemplate.benchmark`), the
    /// rows spread over them as over the seven; an occupancy census has as many wards as its rows need, so takes none.
    @discardableResult
    public static func write(to folder: String, rows: Int, seed: UInt64 = defaultSeed, export: Export, patients: Int? = nil,
                             wards count: Int? = nil) throws -> Written {
        guard rows >= 1 else { throw ConfigurationError(file: "bench", keyPath: "--rows", message: "expected 1 or more rows, found \(rows)") }
        if let count {
            guard export != .occupancy else {
                throw ConfigurationError(file: "bench", keyPath: "--wards",
                                         message: "an occupancy census has as many wards as its rows need (every ward on every day); leave out --wards")
            }
            guard (1...maximumWards).contains(count) else {
                throw ConfigurationError(file: "bench", keyPath: "--wards", message: "expected 1 to \(NumberFormat.grouped(maximumWards)) wards, found \(count)")
            }
        }
        let wards = SampleWardTemplate.benchmark(count)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        switch export {
        case .administrations: return try writeAdministrations(to: folder, rows: rows, seed: seed, patients: patients, wards: wards)
        case .observations: return try BenchmarkObservationLog.write(to: folder, rows: rows, seed: seed, wards: wards)
        case .incidents: return try BenchmarkIncidentLog.write(to: folder, rows: rows, seed: seed, wards: wards)
        case .sleepPlans: return try BenchmarkSleepPlans.write(to: folder, rows: rows, seed: seed, wards: wards)
        case .feedback: return try BenchmarkFeedback.write(to: folder, rows: rows, seed: seed, wards: wards)
        case .occupancy: return try BenchmarkCensus.write(to: folder, rows: rows, seed: seed)
        case .issues: return try BenchmarkPharmacyIssues.write(to: folder, rows: rows, seed: seed, wards: wards)
        }
    }

    /// Writes `study.yaml` and `hypnotics.csv` with `rows` data rows into `folder` (created if needed; both replaced).
    /// Rows name about one distinct patient per 20 rows, from a window of 40 that slides along the export; with
    /// `patients` (1 to `maximumPatients`), each row names one of that many at random instead, as an export in no
    /// useful order would, and the distinct patients grow with the rows up to that many.
    @discardableResult
    public static func write(to folder: String, rows: Int, seed: UInt64 = defaultSeed, patients: Int? = nil) throws -> Written {
        try writeAdministrations(to: folder, rows: rows, seed: seed, patients: patients, wards: SampleWardTemplate.all)
    }

    /// The same, over `wards`.
    static func writeAdministrations(to folder: String, rows: Int, seed: UInt64, patients: Int?, wards: [SampleWardTemplate]) throws -> Written {
        guard rows >= 1 else { throw ConfigurationError(file: "bench", keyPath: "--rows", message: "expected 1 or more rows, found \(rows)") }
        if let patients, !(1...maximumPatients).contains(patients) {
            throw ConfigurationError(file: "bench", keyPath: "--patients", message: "expected 1 to \(NumberFormat.grouped(maximumPatients)) patients, found \(patients)")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let yaml = (folder as NSString).appendingPathComponent("study.yaml")
        let export = (folder as NSString).appendingPathComponent("hypnotics.csv")
        try Data(studyYAML(rows: rows, wards: wards).utf8).write(to: URL(fileURLWithPath: yaml))
        let bytes = try writeExport(export, rows: rows, seed: seed, patients: patients, wards: wards)
        return Written(folder: folder, export: export, rows: rows, bytes: bytes)
    }

    /// The study definition: the seven sample wards, one period each, the administrations export.
    static func studyYAML(rows: Int, wards: [SampleWardTemplate] = SampleWardTemplate.all) -> String {
        var y = studyYAMLOpening(comment: "generated by `wardsleep bench --rows \(rows)`. Every patient and dose is invented.",
                                 study: "Benchmark administrations \(rows) rows", templates: wards)
        y += """
        exports:
          hypnotics:
            file: hypnotics.csv
            kind: administrations
            columns: { datetime: Administered, ward: Ward, patient: "Patient ID", drug: Drug, dose_mg: "Dose (mg)",
                       status: Status, prn: PRN, route: Route }
        quality: { max_quarantined_percent: 5 }

        """
        return y
    }

    /// study.yaml up to its exports: the wards of `templates` (or the `wards` lines given), baseline January–August 2018,
    /// pilot January–August 2019.
    static func studyYAMLOpening(comment: String, study: String, wards: [String]? = nil,
                                 templates: [SampleWardTemplate] = SampleWardTemplate.all) -> String {
        var y = """
        # Benchmark study (synthetic): \(comment)
        version: 1
        study: \(study)
        organisation: Example Mental Health NHS Foundation Trust
        synthetic: true
        protected_window: { start: "00:00", end: "06:00" }
        date_format: dmy
        periods:
          baseline: { from: 2018-01-01, to: 2018-08-31 }
          pilot:    { from: 2019-01-01, to: 2019-08-31 }
        wards:

        """
        for line in wards ?? templates.map({ w in
            "  - { id: \(w.id), name: \"\(w.name)\", type: \(w.type), beds: \(w.beds), cbti: \(w.cbti) }\n"
        }) { y += line }
        return y
    }

    /// Comments nurses type; each quoted in the file, each with a comma, one with doubled quotes.
    static let comments = [
        "Settled, slept well", "Requested, settled", "Taken, no concerns", "Awake 02:00, reassured", "Said \"can't sleep\", given",
        "Obs as plan, settled", "Slept, woke once", "Declined, then took", "Anxious, talked to RN", "Asleep, no issues",
        "Pain, escalated to Dr", "Quiet, no concerns",
    ]

    /// Writes the export and returns its size in bytes.
    static func writeExport(_ path: String, rows: Int, seed: UInt64, patients pool: Int? = nil,
                            wards: [SampleWardTemplate] = SampleWardTemplate.all) throws -> Int {
        try ByteSink.write(to: path) { sink, pieces in
            let headerPiece = pieces.add(CSVOutput.exportLine(header))
            let days = lastDay.dayNumber - firstDay.dayNumber + 1
            // One piece per day (and the day after the last, for doses after midnight): "dd/mm/yyyy ".
            let datePieces = (0...days).map { pieces.add(firstDay.adding(days: $0).ukFormatted + " ") }
            let wardPieces = wards.map { pieces.add(",\($0.id),") }
            // Each bed picks the ward of a patient: wards are as busy as they are big.
            let bedWard = wards.indices.flatMap { w in Array(repeating: w, count: wards[w].beds) }
            let drugPieces = drugs.map { d in (pieces.add(",\(d.name),\(d.doses.0),"), pieces.add(",\(d.name),\(d.doses.1),")) }
            var drugOfPercent: [Int] = []
            for (i, d) in drugs.enumerated() { drugOfPercent += Array(repeating: i, count: d.percent) }
            let statusPieces = ["Given", "Refused", "Omitted"].map { s in (pieces.add("\(s),N,Oral,"), pieces.add("\(s),Y,Oral,")) }
            let commentPieces = comments.map { pieces.add(CSVOutput.quoted($0) + ",RN") }  // every comment has a comma: quoted
            let prnHours = [22, 22, 22, 23, 23, 23, 0, 0, 1, 1, 2, 3]
            // About one distinct patient per 20 rows: row i picks among a window of 40 patients that slides along the export.
            let patients = max(1, rows / 20), window = 40
            try sink.writeRows(rows, days: days, seed: seed, header: headerPiece, pieces: pieces) { sink, arena, i, day, r1, r2 in
                let prn = r1 & 0xFF < 77  // ~30% PRN doses in the night, the rest regular at 22:00
                var hour = 22, minute = 0
                if prn {
                    hour = prnHours[Int((r1 >> 8) % UInt64(prnHours.count))]
                    minute = Int((r1 >> 16) % 60)
                }
                sink.put(arena, datePieces[hour < 12 ? day + 1 : day])
                sink.digits2(hour)
                sink.byte(UInt8(ascii: ":"))
                sink.digits2(minute)
                let patient = pool.map { Int((r2 >> 48 ^ r1 >> 30) % UInt64($0)) } ?? i &* patients / rows + Int((r1 >> 24) % UInt64(window))
                let ward = bedWard[Int((UInt64(truncatingIfNeeded: patient &* 2_654_435_761) >> 7) % UInt64(bedWard.count))]
                sink.put(arena, wardPieces[ward])
                sink.nhsNumber(patient % 1_000_000)
                let drug = drugOfPercent[Int(r2 % 100)]
                sink.put(arena, (r2 >> 8) & 3 == 0 ? drugPieces[drug].1 : drugPieces[drug].0)
                let s = (r2 >> 16) % 100
                let status = s < 92 ? 0 : (s < 98 ? 1 : 2)
                sink.put(arena, prn ? statusPieces[status].1 : statusPieces[status].0)
                sink.put(arena, commentPieces[Int((r2 >> 24) % UInt64(commentPieces.count))])
                sink.digits4(Int((r2 >> 40) % 10_000))
                sink.byte(0x0A)
            }
        }
    }
}

/// Pre-encoded pieces of rows, held in one block of bytes.
struct PieceTable {
    struct Piece {
        var start: Int
        var count: Int
    }

    var bytes: [UInt8] = []

    mutating func add(_ text: String) -> Piece {
        let p = Piece(start: bytes.count, count: text.utf8.count)
        bytes.append(contentsOf: text.utf8)
        return p
    }

    func withPointer<T>(_ body: (UnsafePointer<UInt8>) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}

/// A 4 MiB output buffer written with one `fwrite` when full.
struct ByteSink {
    static let capacity = 4 << 20
    let file: UnsafeMutablePointer<FILE>
    let path: String
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: ByteSink.capacity + 4096)
    var count = 0
    var written = 0
    var closed = false

    init(file: UnsafeMutablePointer<FILE>, path: String) {
        self.file = file
        self.path = path
    }

    /// Whether the buffer should be written out (a row is far shorter than the slack left).
    var full: Bool { count >= ByteSink.capacity }

    mutating func put(_ arena: UnsafePointer<UInt8>, _ piece: PieceTable.Piece) {
        (buffer + count).update(from: arena + piece.start, count: piece.count)
        count += piece.count
    }

    mutating func byte(_ b: UInt8) {
        buffer[count] = b
        count += 1
    }

    mutating func digits2(_ n: Int) {
        buffer[count] = UInt8(48 + n / 10)
        buffer[count + 1] = UInt8(48 + n % 10)
        count += 2
    }

    mutating func digits4(_ n: Int) {
        digits2(n / 100)
        digits2(n % 100)
    }

    /// A ten-digit NHS number in the ranges reserved for testing (999 and, where its check digit would be 10, 998).
    mutating func nhsNumber(_ k: Int) {
        var nine = 999_000_000 + k
        var check = ByteSink.checkDigit(nine)
        if check == nil {
            nine -= 1_000_000
            check = ByteSink.checkDigit(nine)
        }
        var n = nine
        for i in stride(from: 8, through: 0, by: -1) {
            buffer[count + i] = UInt8(48 + n % 10)
            n /= 10
        }
        buffer[count + 9] = UInt8(48 + (check ?? 0))
        count += 10
    }

    static func checkDigit(_ nine: Int) -> Int? {
        var n = nine, sum = 0
        for weight in 2...10 {
            sum += (n % 10) * weight
            n /= 10
        }
        let check = 11 - sum % 11
        return check == 11 ? 0 : (check == 10 ? nil : check)
    }

    mutating func flush() throws {
        guard count > 0 else { return }
        guard fwrite(buffer, 1, count, file) == count else {
            throw InputError(file: path, message: "cannot write the file: \(String(cString: strerror(errno)))")
        }
        written += count
        count = 0
    }

    /// Writes `header`, then `rows` rows, flushing as the buffer fills: `row` writes row `i`, given the day it falls on
    /// (the rows spread evenly over `days` days, in order) and two random words drawn from `seed` for it.
    mutating func writeRows(_ rows: Int, days: Int, seed: UInt64, header: PieceTable.Piece, pieces: PieceTable,
                            _ row: (inout ByteSink, UnsafePointer<UInt8>, _ i: Int, _ day: Int, UInt64, UInt64) throws -> Void) throws {
        var random = SampleRandom(seed: seed)
        try pieces.withPointer { arena in
            put(arena, header)
            for i in 0..<rows {
                let r1 = random.next(), r2 = random.next()
                try row(&self, arena, i, Int(UInt64(i) &* UInt64(days) / UInt64(rows)), r1, r2)
                if full { try flush() }
            }
        }
    }

    mutating func release() {
        buffer.deallocate()
        if !closed { fclose(file) }
    }

    /// Opens `path`, hands a sink and an empty piece table to `body`, then flushes and closes; returns the bytes written.
    @discardableResult
    static func write(to path: String, _ body: (inout ByteSink, inout PieceTable) throws -> Void) throws -> Int {
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
}
