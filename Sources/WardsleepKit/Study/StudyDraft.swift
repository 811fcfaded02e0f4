import Foundation

/// `wardsleep init DIR --from-exports EXPORTS`: reads a folder of raw exports and drafts a study.yaml for them. Each
/// CSV's kind is guessed from its headers (`HeaderNames`), its headers are mapped to canonical fields by name, every
/// distinct ward label becomes a ward, every distinct value of a coded field a commented mapping stub, and the date
/// format and encoding are detected from the bytes. The draft loads as it is; the analyst edits the lines marked
/// CHECK, and `validate` confirms.
public enum StudyDraft {
    /// What was learnt from one export.
    public struct Export: Sendable {
        /// The file name.
        public var file: String
        /// The export it was taken for.
        public var kind: ExportKind
        /// For hypnotics: issues or administrations.
        public var hypnotics: HypnoticsExportKind = .issues
        /// Canonical field → header label, in the export's field order.
        public var columns: [(field: String, header: String)] = []
        /// Header labels no field uses.
        public var unused: [String] = []
        /// Required fields with no column found.
        public var missing: [String] = []
        /// Header labels matched over all labels (how sure the guess is).
        public var score = 0
        /// Data rows read.
        public var rows = 0
        /// The line the header is on (below a title or an export date when over 1).
        public var headerLine = 1
        /// Dates written with a two-digit year (`05/03/19`), read as 2000–2099 for the draft.
        public var twoDigitYearDates = 0
        /// `utf-8` or `windows-1252`.
        public var encoding = "utf-8"
        /// Dates that can only be day first, only month first, other slash dates (either way), ISO dates, and dates
        /// that name their month (`01-Jan-2019`: either way, but not ISO).
        public var dayFirst = 0, monthFirst = 0, otherSlashDates = 0, isoDates = 0, namedMonthDates = 0
        /// The first day-first and month-first dates (line, value), as evidence.
        public var firstDayFirst: (line: Int, value: String)?, firstMonthFirst: (line: Int, value: String)?
        /// The earliest and latest dates read day first and month first (ISO dates in both).
        var dmyRange: (CalendarDay, CalendarDay)?, mdyRange: (CalendarDay, CalendarDay)?
        /// Distinct ward labels in order of first sight, with counts.
        public var wards: [(label: String, rows: Int)] = []
        /// The most occupied beds seen per normalised ward label (occupancy).
        public var mostOccupied: [String: Int] = [:]
        /// Per coded field (incident `category` included): distinct labels in order of first sight, with counts.
        public var coded: [String: [(label: String, rows: Int)]] = [:]
        /// Why the file could not be read to its end, if it could not.
        public var readProblem: String?
    }

    /// The most distinct labels kept per field.
    static let distinctLimit = 500

    /// Guesses the export a header belongs to: the kind (and hypnotics kind) whose fields name the most labels,
    /// required fields counting double; the file name breaks ties.
    public static func guessKind(_ labels: [String], file: String) -> (ExportKind, HypnoticsExportKind, score: Int)? {
        var best: (ExportKind, HypnoticsExportKind, Int)?
        let name = file.lowercased()
        let hints: [(ExportKind, HypnoticsExportKind?, [String])] = [
            (.occupancy, nil, ["occupancy", "census", "bed"]), (.incidents, nil, ["incident", "datix"]),
            (.hypnotics, .administrations, ["epma", "administration"]), (.hypnotics, .issues, ["pharmacy", "issue"]),
            (.feedback, nil, ["feedback", "survey"]), (.sleepPlans, nil, ["sleep", "plan"]),
            (.involvement, nil, ["involvement", "ledger"]), (.observations, nil, ["observation", "obs", "check"]),
        ]
        for kind in ExportKind.allCases {
            for h in kind == .hypnotics ? HypnoticsExportKind.allCases : [.issues] {
                let fields = kind.fields(hypnotics: h)
                var score = 0, matched = Set<String>()
                for label in labels {
                    guard let f = HeaderNames.field(for: label, in: kind, hypnotics: h), matched.insert(f).inserted else { continue }
                    score += fields.first { $0.name == f }!.required ? 2 : 1
                }
                guard fields.filter(\.required).allSatisfy({ matched.contains($0.name) }) || score >= 4 else { continue }
                let hinted = hints.contains { $0.0 == kind && ($0.1 == nil || $0.1 == h) && $0.2.contains { name.contains($0) } }
                let total = score * 2 + (hinted ? 1 : 0)
                if total > (best?.2 ?? 0) { best = (kind, h, total) }
            }
        }
        return best
    }

    /// Reads every CSV file in `folder` (sorted by name). Files whose kind cannot be guessed are listed in `skipped`;
    /// a file that cannot be read as CSV text at all (UTF-16, a spreadsheet, compressed) with why, after a colon.
    public static func scan(folder: String) throws -> (exports: [Export], skipped: [String]) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted() } catch {
            throw UsageError(option: "--from-exports", value: folder, message: "is not a folder that can be read")
        }
        var exports: [Export] = [], skipped: [String] = []
        for name in names where name.lowercased().hasSuffix(".csv") {
            let path = (folder as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            do {
                exports.append(try read(path, file: name))
            } catch let e as InputError where e.message != "not recognised" {
                skipped.append("\(name): \(e.message)")
            } catch {
                skipped.append(name)
            }
        }
        // One file per export: the best-matched file of each kind is kept, the others listed as skipped.
        var kept: [Export] = []
        for e in exports.sorted(by: { $0.score > $1.score }) {
            if kept.contains(where: { $0.kind == e.kind }) { skipped.append(e.file) } else { kept.append(e) }
        }
        return (kept.sorted { $0.kind < $1.kind }, skipped.sorted())
    }

    /// Reads one export: its header decides the kind and columns, its rows give wards, coded values and dates.
    static func read(_ path: String, file: String) throws -> Export {
        var export: Export?
        var plan: [(field: String, column: Int)] = []
        var wardIndex: [String: Int] = [:]
        var codedIndex: [String: [String: Int]] = [:]
        let summary: CSVFileSummary?
        var problem: String?, unreadable: String?
        var titleLines = 0  // lines before the header that are not one (a report title, an export date)
        do {
            summary = try CSVFileReader(path: path, displayName: file).read { record in
                guard var e = export else {
                    let labels = (0..<record.fieldCount).map { TextDecoding.decode(record.field($0).trimmingWhitespace()).0 }
                    guard let (kind, h, score) = guessKind(labels, file: file) else {
                        titleLines += 1
                        if titleLines > 5 { throw InputError(file: file, message: "not recognised") }
                        return
                    }
                    var e = Export(file: file, kind: kind, hypnotics: h, score: score)
                    // Lines above the header (a report title, an export date) are skipped by `header_line`.
                    e.headerLine = record.line
                    var used = Set<Int>()
                    for f in kind.fields(hypnotics: h) {
                        guard let i = labels.indices.first(where: { !used.contains($0) && HeaderNames.field(for: labels[$0], in: kind, hypnotics: h) == f.name })
                        else {
                            if f.required { e.missing.append(f.name) }
                            continue
                        }
                        used.insert(i)
                        e.columns.append((f.name, labels[i]))
                        plan.append((f.name, i))
                    }
                    e.unused = labels.indices.filter { !used.contains($0) }.map { labels[$0] }
                    if labels.contains(where: { $0.unicodeScalars.contains { $0.value > 0x7F } }),
                       !(0..<record.fieldCount).allSatisfy({ UTF8Check.isValid(record.field($0)) }) { e.encoding = "windows-1252" }
                    export = e
                    return
                }
                e.rows += 1
                for i in 0..<record.fieldCount where e.encoding == "utf-8" && !UTF8Check.isValid(record.field(i)) { e.encoding = "windows-1252" }
                var ward: String?
                for (field, column) in plan where column < record.fieldCount {
                    guard let bytes = record.trimmedField(column) else { continue }
                    if field == "ward" { ward = TextDecoding.decode(bytes).0 }
                    if field == "occupied_beds", let ward, let n = FieldParsing.integerValue(bytes), n >= 0 {
                        e.mostOccupied[WardDefinition.normalisedLabel(ward)] = max(e.mostOccupied[WardDefinition.normalisedLabel(ward)] ?? 0, n)
                    }
                    note(&e, field: field, bytes: bytes, line: record.line, wardIndex: &wardIndex, codedIndex: &codedIndex)
                }
                export = e
            }
        } catch let error as InputError where error.message == "not recognised" {
            throw error
        } catch {
            summary = nil
            problem = "\(error)"
            unreadable = (error as? InputError)?.message
        }
        _ = summary
        guard var e = export else {
            // Not CSV text at all (UTF-16, a spreadsheet, compressed): say why, as validate would.
            if let unreadable, unreadable != "not recognised" { throw InputError(file: file, message: unreadable) }
            throw InputError(file: file, message: "not recognised")
        }
        e.readProblem = problem
        return e
    }

    /// Notes one cell of a mapped column.
    static func note(_ e: inout Export, field: String, bytes: ArraySlice<UInt8>, line: Int, wardIndex: inout [String: Int],
                     codedIndex: inout [String: [String: Int]]) {
        switch field {
        case "date", "datetime", "night":
            var datePart = bytes[..<FieldParsing.dateEnd(bytes[...])]
            let written = String(decoding: datePart, as: UTF8.self)  // quoted as the file has it, two-digit year and all
            if let full = FieldParsing.withFullYear(datePart, base: 2000) {
                e.twoDigitYearDates += 1
                datePart = ArraySlice(full)
            }
            switch FieldParsing.evidentOrder(datePart) {
            case .dmy?:
                e.dayFirst += 1
                if e.firstDayFirst == nil { e.firstDayFirst = (line, written) }
            case .mdy?:
                e.monthFirst += 1
                if e.firstMonthFirst == nil { e.firstMonthFirst = (line, written) }
            default:
                if datePart.count == 10, datePart[datePart.startIndex + 4] == UInt8(ascii: "-") { e.isoDates += 1 }
                let parts = datePart.split { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
                if parts.count == 3, parts.prefix(2).contains(where: { FieldParsing.monthNumber($0) != nil }) {
                    e.namedMonthDates += 1  // `01/Jan/2019` too: a named month tells nothing of the order, and needs none
                } else if datePart.contains(UInt8(ascii: "/")) {
                    e.otherSlashDates += 1
                }
            }
            if let d = try? FieldParsing.date(datePart, order: .dmy) { e.dmyRange = widen(e.dmyRange, d) }
            if let d = try? FieldParsing.date(datePart, order: .mdy) { e.mdyRange = widen(e.mdyRange, d) }
        case "ward":
            let label = TextDecoding.decode(bytes).0
            let key = WardDefinition.normalisedLabel(label)
            if let i = wardIndex[key] { e.wards[i].rows += 1 } else if e.wards.count < distinctLimit {
                wardIndex[key] = e.wards.count
                e.wards.append((label, 1))
            }
        default:
            guard field == "category" && e.kind == .incidents || CodedFields.field(e.kind, field) != nil else { return }
            let text = TextDecoding.decode(bytes).0
            let labels = CodedFields.field(e.kind, field)?.multiple == true ? CodedField.split(text) : [text]
            for label in labels {
                let key = Slug.normaliseLabel(label)
                if let i = codedIndex[field]?[key] { e.coded[field]![i].rows += 1 } else if (e.coded[field]?.count ?? 0) < distinctLimit {
                    codedIndex[field, default: [:]][key] = e.coded[field]?.count ?? 0
                    e.coded[field, default: []].append((label, 1))
                }
            }
        }
    }

    static func widen(_ r: (CalendarDay, CalendarDay)?, _ d: CalendarDay) -> (CalendarDay, CalendarDay) {
        guard let r else { return (d, d) }
        return (min(r.0, d), max(r.1, d))
    }
}
