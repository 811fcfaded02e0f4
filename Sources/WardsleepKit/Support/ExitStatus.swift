/// The process exit codes of every `wardsleep` command, in one place (SPEC §6).
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// The run completed and every export is within the study's data-quality threshold.
    case success = 0
    /// The run completed, but at least one export quarantined more rows than `quality.max_quarantined_percent`.
    case dataQuality = 1
    /// A usage or configuration error: the message names the file, the key and what was expected.
    case configuration = 2
    /// An input could not be read at all (missing, unreadable, not text, not CSV).
    case unreadableInput = 3
    /// An unexpected failure (the system refused a write, or a fault in wardsleep, EX_SOFTWARE): nothing was replaced.
    case internalError = 70
    /// Another run is writing the same report folder (EX_TEMPFAIL): try again later.
    case locked = 75
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
