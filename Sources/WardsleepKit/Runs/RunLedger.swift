import Crypto
import Foundation
import GRDB

/// The run ledger: one row per run in an embedded SQLite database (by default `<study>/.wardsleep/ledger.sqlite`), with
/// its inputs' sizes and hashes, parameters, outcome and row counts. It lets a scheduled run skip unchanged inputs and
/// records runs that were killed.
public final class RunLedger {
    /// The default location inside the study folder (never an input: nothing reads it as one).
    public static let defaultPath = ".wardsleep/ledger.sqlite"

    /// The default ledger of a study: `<study>/.wardsleep/ledger.sqlite`, whatever the current folder.
    public static func defaultPath(forStudy folder: String) -> String {
        (PathGuard.real(folder) as NSString).appendingPathComponent(defaultPath)
    }
    let queue: DatabaseQueue
    /// The database file.
    public let path: String

    /// One run as the ledger records it.
    public struct Entry: Sendable, Equatable {
        public var id: Int64
        public var startedAt: String
        public var finishedAt: String?
        public var toolVersion: String
        public var studyFolder: String
        public var studyHash: String
        public var outputFolder: String
        public var parameters: String
        public var outcome: String
        public var exitCode: Int?
        public var rowsRead: Int?
        public var rowsAccepted: Int?
        public var rowsQuarantined: Int?
        public var message: String?
    }

    /// Opens (creating if needed) the ledger at `path`. An existing file that is not a run ledger is refused
    /// (`UsageError`), never turned into one.
    /// Opens the ledger at `path` (created when missing); `reading` when it is only to be read (`history`), which
    /// messages then say.
    public init(path: String, reading: Bool = false) throws {
        self.path = path
        try RunLedger.refuseForeignFile(path, reading: reading)
        do {
            let folder = PathGuard.parent(of: path)
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            var config = Configuration()
            config.busyMode = .timeout(30)  // runs of different studies may share one ledger
            queue = try DatabaseQueue(path: path, configuration: config)
            // Read before anything is written: a database with tables is a ledger only when it has a ledger's tables and
            // columns (a table merely called `runs` is someone else's).
            let isLedger: Bool? = try queue.read { db in
                let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
                guard !tables.isEmpty else { return nil }
                guard tables.isSuperset(of: ["runs", "run_inputs", "grdb_migrations"]) else { return false }
                let columns = Set(try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('runs')"))
                return columns.isSuperset(of: ["started_at", "pid", "tool_version", "study_folder", "study_hash", "output_folder",
                                               "parameters", "fingerprint", "outcome"])
            }
            if isLedger == false {
                throw UsageError(option: "--ledger", value: path, message: "is an SQLite database but not a wardsleep run ledger; "
                                 + (reading ? "refusing to read it" : "refusing to write to it"))
            }
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(sql: """
                    CREATE TABLE runs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        started_at TEXT NOT NULL, finished_at TEXT, pid INTEGER NOT NULL, tool_version TEXT NOT NULL,
                        study_folder TEXT NOT NULL, study_hash TEXT NOT NULL, output_folder TEXT NOT NULL,
                        parameters TEXT NOT NULL, fingerprint TEXT,
                        outcome TEXT NOT NULL, exit_code INTEGER, message TEXT,
                        rows_read INTEGER, rows_accepted INTEGER, rows_quarantined INTEGER);
                    CREATE TABLE run_inputs (
                        run_id INTEGER NOT NULL REFERENCES runs(id), export TEXT NOT NULL, path TEXT NOT NULL,
                        bytes INTEGER NOT NULL, sha256 TEXT NOT NULL,
                        rows_read INTEGER NOT NULL, rows_accepted INTEGER NOT NULL, rows_quarantined INTEGER NOT NULL);
                    CREATE INDEX runs_by_study ON runs(study_folder, output_folder, outcome);
                    """)
            }
            try migrator.migrate(queue)
        } catch let e as WardsleepFailure {
            throw e
        } catch {
            throw ConfigurationError(file: path, keyPath: "--ledger", message: "cannot open the run ledger: \(error)")
        }
    }

    /// Refuses an existing file that is not an SQLite database (or empty), e.g. `--ledger study.yaml`.
    static func refuseForeignFile(_ path: String, reading: Bool = false) throws {
        let refusal = reading ? "refusing to read it" : "refusing to write to it"
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return }
        guard !isFolder.boolValue else {
            throw UsageError(option: "--ledger", value: path, message: "is a folder; name the run ledger's file, e.g. \(defaultPath)")
        }
        let handle = FileHandle(forReadingAtPath: path)
        let start = (try? handle?.read(upToCount: 16)) ?? Data()  // nil at the end of the file
        try? handle?.close()
        guard handle != nil, start.isEmpty || start == Data("SQLite format 3\u{0}".utf8) else {
            throw UsageError(option: "--ledger", value: path, message: "is not a wardsleep run ledger (not an SQLite database); \(refusal)")
        }
    }

    static func now() -> String { RunClock.utc(Date()) }

    /// Marks runs left `running` by processes that no longer exist as `interrupted`; returns how many.
    @discardableResult
    public func markInterrupted() throws -> Int {
        try queue.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, pid FROM runs WHERE outcome = 'running'")
            var n = 0
            for row in rows where !RunLock.isAlive(Int32(row["pid"] as Int)) {
                try db.execute(sql: "UPDATE runs SET outcome = 'interrupted', message = 'the process ended before the run finished' WHERE id = ?",
                               arguments: [row["id"] as Int64])
                n += 1
            }
            return n
        }
    }

    /// Records the start of a run; returns its id.
    public func begin(studyFolder: String, studyHash: String, outputFolder: String, parameters: String) throws -> Int64 {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO runs (started_at, pid, tool_version, study_folder, study_hash, output_folder, parameters, outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'running')
                """, arguments: [RunLedger.now(), Int(getpid()), WardsleepVersion.current, studyFolder, studyHash, outputFolder, parameters])
            return db.lastInsertedRowID
        }
    }

    /// Records how a run ended.
    public func finish(_ id: Int64, outcome: String, exitCode: Int32, ingest: IngestResult?, fingerprint: String?, message: String?) throws {
        try queue.write { db in
            let t = ingest?.tallies ?? []
            try db.execute(sql: """
                UPDATE runs SET finished_at = ?, outcome = ?, exit_code = ?, message = ?, fingerprint = ?,
                    rows_read = ?, rows_accepted = ?, rows_quarantined = ? WHERE id = ?
                """, arguments: [RunLedger.now(), outcome, Int(exitCode), message, fingerprint,
                                 ingest.map { _ in t.reduce(0) { $0 + $1.rowsRead } }, ingest.map { _ in t.reduce(0) { $0 + $1.accepted } },
                                 ingest.map { _ in t.reduce(0) { $0 + $1.quarantined } }, id])
            for x in t {
                try db.execute(sql: "INSERT INTO run_inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [id, x.export.rawValue, x.file, x.bytes, x.sha256, x.rowsRead, x.accepted, x.quarantined])
            }
        }
    }

    /// The fingerprint of the last successful (or data-quality) run writing `outputFolder` from `studyFolder`.
    public func lastFingerprint(studyFolder: String, outputFolder: String) throws -> String? {
        try queue.read { db in
            try String.fetchOne(db, sql: """
                SELECT fingerprint FROM runs WHERE study_folder = ? AND output_folder = ? AND outcome IN ('success', 'data-quality')
                ORDER BY id DESC LIMIT 1
                """, arguments: [studyFolder, outputFolder])
        }
    }

    /// Runs, newest first, optionally for one study folder.
    public func history(studyFolder: String? = nil, limit: Int = 50) throws -> [Entry] {
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM runs \(studyFolder == nil ? "" : "WHERE study_folder = ?") ORDER BY id DESC LIMIT \(max(1, limit))
                """, arguments: StatementArguments(studyFolder.map { [$0] } ?? []))
            return rows.map { r in
                Entry(id: r["id"], startedAt: r["started_at"], finishedAt: r["finished_at"], toolVersion: r["tool_version"],
                      studyFolder: r["study_folder"], studyHash: r["study_hash"], outputFolder: r["output_folder"],
                      parameters: r["parameters"], outcome: r["outcome"], exitCode: r["exit_code"], rowsRead: r["rows_read"],
                      rowsAccepted: r["rows_accepted"], rowsQuarantined: r["rows_quarantined"], message: r["message"])
            }
        }
    }

    /// The inputs recorded for a run: (export, path, bytes, sha256).
    public func inputs(of id: Int64) throws -> [(String, String, Int, String)] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT export, path, bytes, sha256 FROM run_inputs WHERE run_id = ? ORDER BY rowid", arguments: [id])
                .map { ($0["export"], $0["path"], $0["bytes"], $0["sha256"]) }
        }
    }
}

/// What identifies a run's inputs: study.yaml, every export's bytes, the parameters and the tool version.
public enum InputFingerprint {
    /// The fingerprint from per-file hashes (`name sha256` lines).
    public static func combine(studyHash: String, files: [(String, String)], parameters: String) -> String {
        var text = "wardsleep \(WardsleepVersion.current)\nstudy.yaml \(studyHash)\nparameters \(parameters)\n"
        for (name, sha) in files { text += "\(name) \(sha)\n" }
        return Digest.sha256(Data(text.utf8))
    }

    /// The fingerprint of the study's current files, hashing each export (no parsing).
    public static func current(folder: String, loaded: LoadedStudy, parameters: String) throws -> String {
        var files: [(String, String)] = []
        for kind in ExportKind.allCases {
            let spec = loaded.study.exports[kind]
            guard let path = try StudyFolder.resolve(spec, folder: folder) else { continue }
            files.append(("\(kind.rawValue) \(spec.file)", try Digest.sha256(file: path, display: spec.file)))
        }
        return combine(studyHash: loaded.studyHash, files: files + (try codebook(folder: folder, loaded: loaded)) + key(loaded),
                       parameters: parameters)
    }

    /// The key, as its salt (its keyed hash of a fixed phrase, never the key): another key makes other pseudonyms and
    /// another aggregate salt, so a run with it is not the same run.
    static func key(_ loaded: LoadedStudy) -> [(String, String)] {
        loaded.pseudonymiser.map { [("key", $0.pseudonym(for: TrustAggregate.saltPhrase))] } ?? []
    }

    /// The fingerprint of a finished run, from the hashes its ingest computed.
    public static func of(_ ingest: IngestResult, loaded: LoadedStudy, folder: String, parameters: String) throws -> String {
        let files = ingest.tallies.map { ("\($0.export.rawValue) \($0.file)", $0.sha256) }
        return combine(studyHash: loaded.studyHash, files: files + (try codebook(folder: folder, loaded: loaded)) + key(loaded),
                       parameters: parameters)
    }

    /// The study's own feedback codebook, which changes the report too.
    static func codebook(folder: String, loaded: LoadedStudy) throws -> [(String, String)] {
        guard let name = loaded.study.feedback.codebook, let path = try? StudyFolder.codebook(loaded.study, folder: folder) else { return [] }
        return [("codebook", try Digest.sha256(file: path, display: name))]
    }
}
