import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one child process cost: wall time, CPU time and peak resident memory, as `wait4` reports them for that child alone.
public struct ProcessMeasurement: Sendable, Equatable {
    /// The exit code, or 128 + the signal number when a signal ended the process.
    public var exitCode: Int32
    /// Wall-clock seconds from spawn to exit.
    public var seconds: Double
    /// User plus system CPU seconds.
    public var cpuSeconds: Double
    /// Peak resident set size in bytes (`ru_maxrss`).
    public var peakRSSBytes: Int
}

/// Spawns a program and waits for it with `wait4`, so each measurement is that child's own: `getrusage(RUSAGE_CHILDREN)`
/// would give the largest peak of every child waited for so far.
///
/// Linux carries the spawning process's peak into a child's `ru_maxrss` when the child calls `exec` (the child starts on
/// a copy, or with `posix_spawn` a share, of the parent's memory), so a child's own peak is read through GNU time
/// (`/usr/bin/time`, Debian package `time`), a small program whose children inherit only its own few pages. Without
/// it the peak comes from `wait4` directly and is at least this process's own peak.
///
/// Foundation's `Process` is not used: it reaps its children itself, and the resource usage with them.
public enum MeasuredProcess {
    /// GNU time, through which peak memory is measured when it is installed.
    public static let timeProgram = "/usr/bin/time"

    /// Whether each child's peak memory is its own (GNU time is installed), rather than at least this process's peak.
    public static var peakIsExact: Bool { FileManager.default.isExecutableFile(atPath: timeProgram) }

    /// A program that could not be started or waited for.
    public struct Failure: WardsleepFailure {
        /// What failed.
        public var message: String
        public var exitStatus: ExitStatus { .internalError }
        public var description: String { message }
    }

    /// Runs `executable` with `arguments` and `environment`, standard output and error going to the files given
    /// (created or truncated), standard input from /dev/null.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           stdout: String, stderr: String) throws -> ProcessMeasurement {
        guard peakIsExact else { return try spawn(executable, arguments, environment: environment, stdout: stdout, stderr: stderr) }
        let peakFile = NSTemporaryDirectory() + "wardsleep-peak-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: peakFile) }
        // GNU time exits with the child's status (128 + the signal when one ended it) and writes the peak in KiB as the
        // last line of its output file; CPU time from wait4 on time includes the child's.
        var m = try spawn(timeProgram, ["-f", "%M", "-o", peakFile, "--", executable] + arguments, environment: environment,
                          stdout: stdout, stderr: stderr)
        let last = ((try? String(contentsOfFile: peakFile, encoding: .utf8)) ?? "").split(separator: "\n").last
        if let kib = last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) { m.peakRSSBytes = kib * 1024 }
        return m
    }

    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String],
                      stdout: String, stderr: String) throws -> ProcessMeasurement {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }

        let clock = ContinuousClock()
        let start = clock.now
        var pid: pid_t = 0
        let spawned = argv.withUnsafeBufferPointer { a in
            envp.withUnsafeBufferPointer { e in posix_spawn(&pid, executable, &actions, nil, a.baseAddress!, e.baseAddress!) }
        }
        guard spawned == 0 else {
            throw Failure(message: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw Failure(message: "cannot wait for \(executable): \(String(cString: strerror(errno)))") }
        }
        let seconds = (clock.now - start).seconds
        let signal = status & 0x7F
        let code = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        #if os(Linux)
        let rssBytes = Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
        #else
        let rssBytes = Int(usage.ru_maxrss)  // bytes on macOS
        #endif
        return ProcessMeasurement(exitCode: code, seconds: seconds, cpuSeconds: s(usage.ru_utime) + s(usage.ru_stime),
                                  peakRSSBytes: rssBytes)
    }

    /// The path of the running executable (so a command can measure copies of itself).
    public static func currentExecutable() -> String {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 { return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        #endif
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
