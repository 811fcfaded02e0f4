import Foundation

/// Renders and writes the study.yaml `StudyDraft` drafts.
extension StudyDraft {
    /// Drafts `<studyFolder>/study.yaml` from the exports in `exportsFolder`, copying them into the study folder when
    /// it is another folder. Paths are checked first (`PathGuard.checkDraftFolder`): nothing is written over a file
    /// wardsleep did not write. Returns the lines to print.
    public static func write(studyFolder: String, exportsFolder: String, force: Bool) throws -> [String] {
        let (exports, skipped) = try scan(folder: exportsFolder)
        guard !exports.isEmpty else {
            throw UsageError(option: "--from-exports", value: exportsFolder,
                             message: "holds no CSV file whose headers look like an export wardsleep reads")
        }
        try PathGuard.checkDraftFolder(studyFolder, exports: exportsFolder, files: exports.map(\.file), force: force)
        let target = (studyFolder as NSString).appendingPathComponent(StudyLoader.fileName)
        do { try FileManager.default.createDirectory(atPath: studyFolder, withIntermediateDirectories: true) } catch {
            throw OutputError(file: studyFolder, reason: error.localizedDescription)
        }
        let sameFolder = PathGuard.real(exportsFolder) == PathGuard.real(studyFolder)
        if !sameFolder {
            for e in exports where !FileManager.default.fileExists(atPath: (studyFolder as NSString).appendingPathComponent(e.file)) {
                let to = (studyFolder as NSString).appendingPathComponent(e.file)
                do { try FileManager.default.copyItem(atPath: (exportsFolder as NSString).appendingPathComponent(e.file), toPath: to) } catch {
                    throw OutputError(file: to, reason: error.localizedDescription)
                }
            }
        }
        let name = (PathGuard.real(studyFolder) as NSString).lastPathComponent
        let text = yaml(exports, study: name.isEmpty ? "Protected sleep evaluation" : name, source: exportsFolder)
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: target)) } catch {
            throw OutputError(file: target, reason: error.localizedDescription)
        }
        var lines: [String] = []
        for e in exports {
            var line = "\(e.file): \(e.kind.rawValue)\(e.kind == .hypnotics ? " (\(e.hypnotics.rawValue))" : ""), "
                + "\(NumberFormat.grouped(e.rows)) rows, \(e.columns.count) columns mapped, encoding \(e.encoding)"
            if !e.missing.isEmpty { line += "; no column for " + e.missing.joined(separator: ", ") }
            lines.append(line)
            if let problem = e.readProblem { lines.append("  read stopped early: \(problem)") }
            let unmapped = unmappedLabels(e)
            for (field, labels) in unmapped.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(field): \(labels.count) unmapped " + (labels.count == 1 ? "value" : "values") + " (stubs in study.yaml)")
            }
        }
        for f in skipped {
            lines.append(f.contains(": ") ? "\(f); left out" : "\(f): not recognised as an export, or a second file of the same export; left out")
        }
        lines.append("wrote \(target)\(sameFolder ? "" : ", and copied the exports beside it"); check the lines marked CHECK, "
                     + "then run: wardsleep validate \(studyFolder)")
        return lines
    }

    /// Labels of each coded field that neither the default synonyms nor a canonical value cover.
    static func unmappedLabels(_ e: Export) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (field, labels) in e.coded {
            guard let coded = CodedFields.field(e.kind, field) else { continue }
            let table = coded.defaults
            let missing = labels.filter { table[Slug.normaliseLabel($0.label)] == nil }.map(\.label)
            if !missing.isEmpty { out[field] = missing }
        }
        return out
    }

    /// A YAML double-quoted string.
    static func q(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u.value == 0xFEFF {
                    out += String(format: "\\u%04X", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    static func rows(_ n: Int) -> String { "\(NumberFormat.grouped(n)) \(n == 1 ? "row" : "rows")" }

    /// The order one export's own dates can only be read in, when its evidence points one way.
    static func evidentOrder(_ e: Export) -> DateOrder? {
        if e.monthFirst > 0 && e.dayFirst == 0 { return .mdy }
        if e.dayFirst > 0 && e.monthFirst == 0 { return .dmy }
        return nil
    }

    /// `" (e.g. "02/13/2019" in incidents.csv line 3)"`.
    static func example(_ e: Export, _ x: (line: Int, value: String)?) -> String {
        x.map { " (e.g. \(q($0.value)) in \(e.file) line \($0.line))" } ?? ""
    }

    /// The study's date format: the order more exports can only be read in (an export written the other way gets its
    /// own `date_format`), and why.
    static func dateFormat(_ exports: [Export]) -> (DateOrder, String) {
        let uk = exports.filter { evidentOrder($0) == .dmy }, us = exports.filter { evidentOrder($0) == .mdy }
        // Month first for the whole study only when every export says so: an export whose dates tell nothing (or whose
        // date column is not mapped yet) stays day first, the UK way, and a US one gets its own date_format.
        if let e = us.first, us.count == exports.count {
            return (.mdy, "detected: \(NumberFormat.grouped(e.monthFirst)) dates can only be month first\(example(e, e.firstMonthFirst)), "
                    + "none day first")
        }
        if uk.isEmpty, !us.isEmpty {
            return (.dmy, "CHECK: only \(us.map(\.file).joined(separator: ", ")) has dates that can only be month first (given its own "
                    + "date_format below); dd/mm/yyyy assumed for the rest")
        }
        if let e = uk.first {
            return (.dmy, "detected: \(NumberFormat.grouped(e.dayFirst)) dates can only be day first\(example(e, e.firstDayFirst))")
        }
        let iso = exports.reduce(0) { $0 + $1.isoDates }, otherSlash = exports.reduce(0) { $0 + $1.otherSlashDates }
        let named = exports.reduce(0) { $0 + $1.namedMonthDates }
        let mixed = exports.contains { $0.dayFirst > 0 && $0.monthFirst > 0 }
        // `iso` would refuse dates that name their month; with no slash date left to tell, those need no order.
        if !mixed && otherSlash == 0 && named == 0 && iso > 0 { return (.iso, "detected: all \(NumberFormat.grouped(iso)) dates are yyyy-mm-dd") }
        if !mixed && otherSlash == 0 && named > 0 {
            return (.dmy, "detected: \(NumberFormat.grouped(named)) dates name their month (01-Jan-2019), read the same either way")
        }
        return (.dmy, mixed ? "CHECK: an export has dates both ways (see below); dd/mm/yyyy assumed"
                    : "CHECK: no date in the exports tells day-first from month-first; dd/mm/yyyy assumed")
    }

    /// The export's own `date_format` line, when its dates can only be read the other way from the study's; a CHECK
    /// comment when they go both ways.
    static func exportDateFormat(_ e: Export, study order: DateOrder) -> String {
        if let own = evidentOrder(e), own != order, !(own == .dmy && order == .iso) {
            let (n, x, how) = own == .mdy ? (e.monthFirst, e.firstMonthFirst, "month") : (e.dayFirst, e.firstDayFirst, "day")
            return "    date_format: \(own.rawValue)   # detected: \(NumberFormat.grouped(n)) dates can only be \(how) first"
                + "\(example(e, x)), none the other way\n"
        }
        if e.dayFirst > 0 && e.monthFirst > 0 {
            return "    # CHECK: dates both ways: day first\(example(e, e.firstDayFirst)) and month first\(example(e, e.firstMonthFirst))\n"
        }
        return ""
    }

    /// The draft study.yaml.
    static func yaml(_ exports: [Export], study: String, source: String) -> String {
        let (order, why) = dateFormat(exports)
        var y = "# Drafted by `wardsleep init --from-exports` from \(exports.count) \(exports.count == 1 ? "export" : "exports") in \(source).\n"
        y += "# Check every line marked CHECK, map the values listed as stubs, then run `wardsleep validate`.\n"
        y += "version: 1\nstudy: \(q(study))   # CHECK: the study's name\n"
        y += "date_format: \(order.rawValue)   # \(why)\n"

        var range: (CalendarDay, CalendarDay)?
        for e in exports where e.kind != .involvement {
            guard let r = (evidentOrder(e) ?? order) == .mdy ? e.mdyRange : e.dmyRange else { continue }
            range = widen(widen(range, r.0), r.1)
        }
        y += periods(range)

        // Wards: every distinct label, sorted; each with the exports it appears in.
        var wards: [String: (label: String, files: [String], beds: Int?)] = [:]
        for e in exports {
            for w in e.wards {
                let key = WardDefinition.normalisedLabel(w.label)
                var entry = wards[key] ?? (w.label, [], nil)
                if !entry.files.contains(e.file) { entry.files.append(e.file) }
                if let b = e.mostOccupied[key] { entry.beds = max(entry.beds ?? 0, b) }
                wards[key] = entry
            }
        }
        y += "# CHECK: one ward per distinct label in the exports. Merge labels of the same ward (one entry, the others as\n"
        y += "# aliases), set type, beds and cbti, and move wards outside the evaluation to exclude_wards.\nwards:\n"
        if wards.isEmpty { y += "  - { id: W1, name: \"Ward 1\", type: unspecified, beds: 1 }   # CHECK: no ward column found\n" }
        for key in wards.keys.sorted() {
            let w = wards[key]!
            let beds = max(1, min(w.beds ?? 1, PlausibleLimits.beds))
            y += "  - { id: \(q(w.label)), name: \(q(w.label)), type: unspecified, beds: \(beds) }   # "
            y += (w.beds.map { "most occupied beds seen: \($0); " } ?? "CHECK beds; ") + "in " + w.files.joined(separator: ", ") + "\n"
        }
        y += "exclude_wards: []   # labels of wards outside the evaluation: their rows are set aside, counted, not quarantined\n"

        y += "exports:\n"
        for e in exports { y += export(e, order: order) }
        y += "\n# Patient identifiers are pseudonymised on ingest with a keyed HMAC: set WARDSLEEP_KEY or pass --key-file.\n"
        return y
    }

    static func periods(_ range: (CalendarDay, CalendarDay)?) -> String {
        var baseline = DayRange(from: CalendarDay(year: 2018, month: 1, day: 1)!, to: CalendarDay(year: 2018, month: 12, day: 31)!)
        var pilot = DayRange(from: CalendarDay(year: 2019, month: 1, day: 1)!, to: CalendarDay(year: 2019, month: 12, day: 31)!)
        var note = "no dates found"
        if let (first, last) = range {
            note = "the exports' dates run from \(first.iso) to \(last.iso)"
            let y0 = first.components.year, y1 = last.components.year
            if y1 > y0 {
                baseline = DayRange(from: first, to: CalendarDay(year: y0, month: 12, day: 31)!)
                pilot = DayRange(from: CalendarDay(year: y1, month: 1, day: 1)!, to: last)
            } else if last.dayNumber > first.dayNumber {
                let middle = first.adding(days: (last.dayNumber - first.dayNumber) / 2)
                baseline = DayRange(from: first, to: middle)
                pilot = DayRange(from: middle.adding(days: 1), to: last)
            }
        }
        return "# CHECK: the baseline and pilot periods (\(note); the split below is only a guess).\nperiods:\n"
            + "  baseline: { from: \(baseline.from.iso), to: \(baseline.to.iso) }\n"
            + "  pilot:    { from: \(pilot.from.iso), to: \(pilot.to.iso) }\n"
    }

    static func export(_ e: Export, order: DateOrder) -> String {
        var y = "  \(e.kind.rawValue):\n"
        y += "    file: \(q(e.file))   # \(rows(e.rows)); encoding \(e.encoding)"
        y += e.encoding == "utf-8" ? "\n" : " (read as such; no setting needed)\n"
        if e.twoDigitYearDates > 0 {
            y += "    two_digit_years: 2000   # CHECK: \(NumberFormat.grouped(e.twoDigitYearDates)) dates have two-digit years, read as 2000-2099\n"
        }
        if e.headerLine > 1 {
            y += "    header_line: \(e.headerLine)   # the column names are on line \(e.headerLine): the line\(e.headerLine == 2 ? "" : "s") above (a title, an export date) are skipped\n"
        }
        y += exportDateFormat(e, study: order)
        if e.kind == .hypnotics { y += "    kind: \(e.hypnotics.rawValue)   # from the headers\n" }
        if !e.columns.isEmpty {
            y += "    columns: { " + e.columns.map { "\($0.field): \(q($0.header))" }.joined(separator: ", ") + " }\n"
        }
        for f in e.missing {
            y += "    # CHECK: no column found for the required field \(f): add \(f): \"<header>\" to columns\n"
        }
        if !e.unused.isEmpty { y += "    # headers not used: " + e.unused.map(q).joined(separator: ", ") + "\n" }
        if e.kind == .occupancy {
            y += "    obd_includes_leave: true   # CHECK: true when occupied beds count patients on leave (the midnight census)\n"
        }
        if e.kind == .incidents, let labels = e.coded["category"] {
            y += "    # Categories: uncomment to map labels to category names (labels not listed are then quarantined).\n"
            y += "    # categories:\n"
            for l in labels { y += "    #   \(q(l.label)): \(Slug.make(l.label).replacingOccurrences(of: "-", with: "_"))   # \(rows(l.rows))\n" }
        }
        if e.kind == .incidents, e.coded["status"] != nil {
            y += "    # exclude_status: [rejected, duplicate]   # CHECK: statuses whose incidents are set aside\n"
        }
        let fields = CodedFields.all.filter { c in c.export == e.kind && e.coded[c.field] != nil }
        guard !fields.isEmpty else { return y }
        y += "    # Local labels of coded fields: uncomment values, the field and the labels to map (\"\" must become one of\n"
        y += "    # the values listed); labels marked (default) are already understood.\n"
        y += "    # values:\n"
        for c in fields {
            y += "    #   \(c.field):   # \(c.canonical.joined(separator: ", "))\n"
            let table = c.defaults
            for l in e.coded[c.field] ?? [] {
                if let v = table[Slug.normaliseLabel(l.label)] {
                    y += "    #     \(q(l.label)): \(q(v))   # \(rows(l.rows)) (default)\n"
                } else {
                    y += "    #     \(q(l.label)): \"\"   # \(rows(l.rows)); UNMAPPED\n"
                }
            }
        }
        return y
    }
}
