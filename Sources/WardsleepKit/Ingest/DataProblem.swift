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
        let summary = reason.split(separator: ":", maxSplits: 1).first.map(String.init) ?? reason
        return field.isEmpty ? summary : "\(field): \(summary)"
    }

    /// One line for people: `incidents.csv:14: column "Incident date": "31/02/2019": no such date: ...`.
    public var message: String {
        var s = "\(file):\(line):"
        if !column.isEmpty { s += " column \"\(column)\":" }
        if !value.isEmpty { s += " \"\(value)\":" }
        return s + " " + reason
    }

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
    /// Every problem counted by `kind`.
    public private(set) var countsByKind: [String: Int] = [:]
    /// Every problem counted.
    public private(set) var total = 0

    /// Creates a digest keeping `keep` problems in full.
    public init(keep: Int = 50) { self.keep = keep }

    public func quarantine(_ problems: [DataProblem]) {
        for p in problems {
            total += 1
            countsByKind[p.kind, default: 0] += 1
            if first.count < keep { first.append(p) }
        }
    }

    /// Problem kinds, most frequent first (ties by name).
    public var topKinds: [(kind: String, count: Int)] {
        countsByKind.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }
}
