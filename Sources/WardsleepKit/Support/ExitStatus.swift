/// The process exit codes of every `wardsleep` command, in one place (SPEC §6).
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// The run completed and every export is within the study's data-quality threshold.
    case success = 0
    /// The run completed, but at least one export quarantined more rows than `quality.max_quarantined_percent`, or
    /// counted rows twice (a reference given again further back than the reader looks: `RepeatedReferences`).
    case dataQuality = 1
    /// A configuration error: the message names the file, the key and what was expected.
    case configuration = 2
    /// An input could not be read at all (missing, unreadable, not text, not CSV).
    case unreadableInput = 3
    /// A command-line usage error (EX_USAGE): a bad option or argument, or a path option that would overwrite or read
    /// what it must not (the study folder, an input, a folder wardsleep did not write). Nothing was read or written.
    case usage = 64
    /// An unexpected failure (the system refused a write, or a fault in wardsleep, EX_SOFTWARE): nothing was replaced.
    case internalError = 70
    /// Another run is writing the same report folder (EX_TEMPFAIL): try again later.
    case locked = 75
}

extension ExitStatus {
    /// What the code means, in one line: the words of `--help` and of the README's table.
    public var summary: String {
        switch self {
        case .success: return "success, or nothing to do (--if-changed)"
        case .dataQuality: return "completed, but an export quarantined more than quality.max_quarantined_percent of its rows, "
            + "or repeated an incident reference or response id too far back to be quarantined"
        case .configuration: return "configuration error in study.yaml or in the pseudonymisation key (the message names the file, "
            + "the key and what was expected)"
        case .unreadableInput: return "an input could not be read (missing, not CSV text, not a regular file, no header row)"
        case .usage: return "command-line usage error (a bad option or value, an unknown --ward or --category, or a path that "
            + "would overwrite the study, an input or a folder wardsleep did not write)"
        case .internalError: return "the system refused a write, or an unexpected failure; the previous report is left as it was"
        case .locked: return "another run is writing the same report folder; try again later"
        }
    }

    /// Every code with its meaning, one per line (`  64 command-line usage error ...`), for `--help`.
    public static var helpTable: String { allCases.map { "  \($0.rawValue) \($0.summary)" }.joined(separator: "\n") }
}

/// An error that stops a command, with the exit status it maps to and a message for people.
public protocol WardsleepFailure: Error, CustomStringConvertible {
    /// The exit status the command ends with.
    var exitStatus: ExitStatus { get }
}

/// A problem in `study.yaml` or on the command line: exits 2 and names the key.
public struct ConfigurationError: WardsleepFailure, Equatable {
    /// The file the problem is in (usually `study.yaml`), as the user named it.
    public var file: String
    /// The key path, e.g. `wards[3].beds`; empty for the document as a whole.
    public var keyPath: String
    /// The line in the file, when known.
    public var line: Int?
    /// What was wrong and what was expected, as a full sentence.
    public var message: String

    /// Creates a configuration error.
    public init(file: String, keyPath: String, line: Int? = nil, message: String) {
        self.file = file
        self.keyPath = keyPath
        self.line = line
        self.message = message
    }

    public var exitStatus: ExitStatus { .configuration }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if !keyPath.isEmpty { place += ": \(keyPath)" }
        return "\(place): \(message)"
    }
}

/// A command-line problem: exits 64. Names the option and its value, and says what was wrong.
public struct UsageError: WardsleepFailure, Equatable {
    /// The option (`--out`) or argument (`DIR`) at fault.
    public var option: String
    /// The value given, as typed.
    public var value: String
    /// What was wrong and what to do instead, as a full sentence.
    public var message: String

    /// Creates a usage error.
    public init(option: String, value: String, message: String) {
        self.option = option
        self.value = value
        self.message = message
    }

    public var exitStatus: ExitStatus { .usage }

    public var description: String { value.isEmpty ? "\(option): \(message)" : "\(option) \(value): \(message)" }
}

/// A write the system refused (disk full, read-only file system, no permission): exits 70. Says what was not written
/// and what was left as it was.
public struct OutputError: WardsleepFailure, Equatable {
    /// The file or folder that could not be written.
    public var file: String
    /// The system's reason, e.g. "No space left on device".
    public var reason: String
    /// What this means for the outputs, e.g. "the previous report at reports/x is left as it was".
    public var consequence: String?

    /// Creates an output error.
    public init(file: String, reason: String, consequence: String? = nil) {
        self.file = file
        self.reason = reason
        self.consequence = consequence
    }

    public var exitStatus: ExitStatus { .internalError }

    public var description: String { "cannot write \(file): \(reason)" + (consequence.map { "; \($0)" } ?? "") }
}

/// An input that could not be read at all: exits 3.
public struct InputError: WardsleepFailure, Equatable {
    /// The file that could not be read.
    public var file: String
    /// The line where reading stopped, when known.
    public var line: Int?
    /// What went wrong, as a full sentence.
    public var message: String

    /// Creates an input error.
    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var exitStatus: ExitStatus { .unreadableInput }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
