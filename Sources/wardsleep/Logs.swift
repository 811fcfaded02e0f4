import ArgumentParser
import Foundation
import Logging
import WardsleepKit

/// Options for what a command prints while it works.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print errors only, and the data-quality warnings a run must not hide.")
    var quiet = false

    @Flag(name: .long, help: "Print debugging detail in the logs.")
    var verbose = false

    @Option(name: .customLong("log-format"), help: "Log lines as text or json (one object per line), on standard error.")
    var logFormat: LogFormat = .text

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together.") }
    }

    /// Sets up logging once for the process.
    func logger() -> Logger {
        let level: Logger.Level = quiet ? .error : (verbose ? .debug : .notice)
        let format = logFormat
        LoggingSystem.bootstrap { label in
            var h = StandardErrorLogHandler(label: label, json: format == .json)
            h.logLevel = level
            return h
        }
        return Logger(label: "wardsleep")
    }

    /// A progress line on the terminal for large inputs; nothing when output is not a terminal or `--quiet`.
    func progress() -> (@Sendable (String, Int, Int) -> Void)? {
        guard !quiet, isatty(STDERR_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { return nil }
        return { file, read, size in
            guard size > 4 << 20 else { return }
            let percent = min(100, read * 100 / max(size, 1))
            let end = read >= size ? "\r\u{1B}[K" : ""
            FileHandle.standardError.write(Data("\r  reading \(file) \(percent)%\(end)".utf8))
        }
    }
}

enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Writes log records to standard error as text or JSON lines.
struct StandardErrorLogHandler: LogHandler {
    let label: String
    let json: Bool
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, json: Bool) {
        self.label = label
        self.json = json
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let (level, message) = (event.level, event.message)
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let time = RunClock.utc(Date())
        let text: String
        if json {
            var pairs: [(String, JSONValue)] = [("time", .string(time)), ("level", .string(level.rawValue)), ("message", .string("\(message)"))]
            for (k, v) in all.sorted(by: { $0.key < $1.key }) { pairs.append((k, .string("\(v)"))) }
            text = JSONValue.object(pairs).rendered().replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "  ", with: "") + "\n"
        } else {
            let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            text = "\(time) \(level.rawValue) \(message)\(fields.isEmpty ? "" : " " + fields)\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
