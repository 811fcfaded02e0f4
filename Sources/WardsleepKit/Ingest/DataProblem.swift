import Foundation

/// One reason a row was quarantined: where it is (file, line, column) and what was wrong with which value.
public struct DataProblem: Sendable, Equatable {
    /// The export the row came from.
    public var export: ExportKind
    /// The file name as the study names it.
    public var file: String
    /// The 1-based line the row begins on.
    public var line: Int
    /// The column's header label as in the file (empty when the problem is the whole row).
    public var column: String
    /// The canonical field (empty when the problem is the whole row).
    public var field: String
    /// The raw value; withheld for patient identifiers and free text.
    public var value: String
    /// What was wrong and what was expected.
    public var reason: String
    /// The rows read the quarantined row stands for: 1, or the lines an unbalanced quote swallowed into it.
    public var rows: Int

    /// Creates a problem.
    public init(export: ExportKind, file: String, line: Int, column: String, field: String, value: String, reason: String,
                rows: Int = 1) {
        self.export = export
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.value = value
        self.reason = reason
        self.rows = rows
    }

    /// The kind of problem, for counting: the field and the reason up to its first colon (`date: US-style date`).
    public var kind: String {
        let summary: String
        if let colon = reason.firstIndex(of: ":"), colon != reason.startIndex {
            summary = String(reason[..<colon])
        } else {
            summary = reason.split(separator: ":", maxSplits: 1).first.map(String.init) ?? reason
        }
        return field.isEmpty ? summary : "\(field): \(summary)"
    }

    /// One line for people: `incidents.csv:14: column "Incident date": "31/02/2019": no such date: ...`.
    public var message: String {
        var s = "\(file):\(line):"
        if !column.isEmpty { s += " column \"\(column)\":" }
        if !value.isEmpty { s += " \"\(value)\":" }
        return s + " " + reason
    }

    /// Whether the problem is a label no mapping knows (an unmapped coded value; an unknown ward, product, stakeholder
    /// group, stage or level): `validate` lists each distinct one once, with its count and first line, rather than a
    /// line per row.
    public var isUnmappedValue: Bool { !value.isEmpty && DataProblem.reasonIsUnmapped(reason) }

    /// Whether `reason` is an unmapped value's (`isUnmappedValue`, whatever the value).
    static func reasonIsUnmapped(_ reason: String) -> Bool { reason.hasPrefix("unmapped ") || reason.hasPrefix("unknown ") }

    /// Fields whose raw values must never be copied into any output, quarantine included.
    static let withheldFields: Set<String> = ["patient", "description", "text", "staff"]
    /// Fields whose raw values are shown unredacted: a wrong date or time is itself what the reader must see.
    /// Values of every other field (labels above all) go through `Redactor.standard`.
    static let verbatimFields: Set<String> = ["date", "datetime", "night", "time"]
}

/// Where problems go as they are found.
public protocol ProblemSink: AnyObject {
    /// Records the problems of one quarantined row (at least one).
    func quarantine(_ problems: [DataProblem]) throws
}

/// Keeps the first few problems and counts all of them by kind; enough for messages and the summary.
public final class ProblemDigest: ProblemSink {
    /// How many problems to keep in full.
    public let keep: Int
    /// The first `keep` problems, in file order.
    public private(set) var first: [DataProblem] = []
    /// Rows with each `kind` of problem: a problem counts the rows it quarantined (an unbalanced quote's, every line it
    /// swallowed), so that the kinds of a file with one problem a row add up to its rows quarantined.
    public var countsByKind: [String: Int] { Dictionary(uniqueKeysWithValues: kinds.map { ($0.kind, $0.rows) }) }
    /// Every problem counted.
    public private(set) var total = 0
    /// The line of the first problem of each kind.
    public var firstLineByKind: [String: Int] { Dictionary(uniqueKeysWithValues: kinds.map { ($0.kind, $0.firstLine) }) }
    /// Each kind met, in order of first sight, with its rows and first line; `kindIndex` finds a kind's place.
    private var kinds: [(kind: String, rows: Int, firstLine: Int)] = []
    private var kindIndex: [String: Int] = [:]
    /// Distinct unmapped values (`DataProblem.isUnmappedValue`) in order of first sight, at most `distinctLimit`.
    public private(set) var unmapped: [UnmappedValue] = []
    /// Unmapped problems whose value was not among the first `distinctLimit` distinct ones (counted only).
    public private(set) var unmappedBeyondLimit = 0
    /// Every unmapped problem counted.
    public private(set) var unmappedTotal = 0
    private var unmappedIndex: [UnmappedKey: Int] = [:]
    private struct UnmappedKey: Hashable { let field: String, value: String }
    /// The last problem's field and reason, the place of its kind, and whether the reason is an unmapped value's.
    private var lastKind: (field: String, reason: String, place: Int, unmapped: Bool)?
    /// The last unmapped problem's field and value, and the place of its value in `unmapped` (-1: beyond the limit).
    private var lastUnmapped: (field: String, value: String, place: Int)?
    /// How many distinct unmapped values are kept.
    public let distinctLimit = 1000

    /// One distinct label that no mapping knows, with how often and where it was first seen.
    public struct UnmappedValue: Sendable, Equatable {
        /// The canonical field and the column it was read from.
        public var field: String, column: String
        /// The label as shown (redacted like every quarantined value).
        public var value: String
        /// Why (the first problem's reason: it names the study.yaml key to map it in).
        public var reason: String
        /// Rows with this label in this field, and the first one's line.
        public var count: Int, firstLine: Int
    }

    /// Creates a digest keeping `keep` problems in full.
    public init(keep: Int = 50) { self.keep = keep }

    /// Counts `problems`. Rows quarantined for one reason come one after another (a wrong mapping quarantines every row
    /// naming the label), so the last problem's kind, and the last unmapped value, are kept and found again without
    /// hashing.
    public func quarantine(_ problems: [DataProblem]) {
        for p in problems {
            total += 1
            let place: Int, reasonIsUnmapped: Bool
            if let last = lastKind, last.field == p.field, last.reason == p.reason {
                (place, reasonIsUnmapped) = (last.place, last.unmapped)
            } else {
                let kind = p.kind
                if let known = kindIndex[kind] {
                    place = known
                } else {
                    place = kinds.count
                    kindIndex[kind] = place
                    kinds.append((kind, 0, p.line))
                }
                reasonIsUnmapped = DataProblem.reasonIsUnmapped(p.reason)
                lastKind = (p.field, p.reason, place, reasonIsUnmapped)
            }
            kinds[place].rows += p.rows
            if reasonIsUnmapped && !p.value.isEmpty {
                unmappedTotal += 1
                let at: Int
                if let last = lastUnmapped, last.field == p.field, last.value == p.value {
                    at = last.place
                } else if let i = unmappedIndex[UnmappedKey(field: p.field, value: p.value)] {
                    at = i
                } else if unmapped.count < distinctLimit {
                    at = unmapped.count
                    unmappedIndex[UnmappedKey(field: p.field, value: p.value)] = at
                    unmapped.append(UnmappedValue(field: p.field, column: p.column, value: p.value, reason: p.reason, count: 0,
                                                  firstLine: p.line))
                } else {
                    at = -1
                }
                lastUnmapped = (p.field, p.value, at)
                if at >= 0 { unmapped[at].count += 1 } else { unmappedBeyondLimit += 1 }
                continue
            }
            if first.count < keep { first.append(p) }
        }
    }

    /// The unmapped values for people: per field, a heading with the reason, then each distinct value once with its
    /// count and first line (at most `show` per field).
    public func unmappedLines(show: Int) -> [String] {
        var lines: [String] = []
        var fields: [String] = []
        for u in unmapped where !fields.contains(u.field) { fields.append(u.field) }
        for field in fields {
            let values = unmapped.filter { $0.field == field }
            let parts = values[0].reason.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            lines.append("  \(parts[0]) in column \"\(values[0].column)\"" + (parts.count > 1 ? " (\(parts[1])):" : ":"))
            for u in values.prefix(max(0, show)) {
                lines.append("    \"\(u.value)\": \(NumberFormat.grouped(u.count)) \(u.count == 1 ? "row" : "rows"), first on line \(u.firstLine)")
            }
            if values.count > show {
                let rest = values.dropFirst(max(0, show))
                let rows = rest.reduce(0) { $0 + $1.count }
                lines.append("    ... and \(NumberFormat.grouped(rest.count)) more distinct values (\(NumberFormat.grouped(rows)) rows)")
            }
        }
        if unmappedBeyondLimit > 0 {
            lines.append("  ... and \(NumberFormat.grouped(unmappedBeyondLimit)) more rows with unmapped values beyond the first "
                         + "\(NumberFormat.grouped(distinctLimit)) distinct ones")
        }
        return lines
    }

    /// Problem kinds, most frequent first (ties by name).
    public var topKinds: [(kind: String, count: Int)] {
        countsByKind.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }
}

/// What a report says about one export's quarantined rows: how many, of which kinds, and the first line of each kind.
public struct ProblemSummary: Sendable, Equatable, Codable {
    /// Rows quarantined.
    public var total: Int
    /// Rows per problem kind.
    public var countsByKind: [String: Int]
    /// The first line of each problem kind.
    public var firstLineByKind: [String: Int]

    /// The summary of `digest`.
    public init(_ digest: ProblemDigest) {
        total = digest.total
        countsByKind = digest.countsByKind
        firstLineByKind = digest.firstLineByKind
    }

    /// Problem kinds, most frequent first (ties by name).
    public var topKinds: [(kind: String, count: Int)] {
        countsByKind.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }
}
