import Foundation
import CSystem
import Testing
@testable import WardsleepKit

/// Malformed and adversarial exports through the real binary: each gives a clear error or quarantine with the right
/// exit code, never a crash, a hang or unbounded memory, and every row read is accounted for.
@Suite(.serialized) struct HostileInputTests {
    func study(_ incidents: [UInt8], extra: String = "") -> TempFolder {
        let dir = TempFolder()
        dir.write("study.yaml", studyYAML("""
        exports:
          incidents: { file: incidents.csv, categories: { "Violence and aggression": violence, "Self harm": self_harm } }
        quality: { max_quarantined_percent: 50 }

        """ + extra))
        dir.write("incidents.csv", bytes: incidents)
        return dir
    }

    func validate(_ dir: TempFolder) throws -> (status: Int32, out: String, err: String) {
        try runWardsleep(["validate", dir.path])
    }

    /// The accounting line for incidents.csv, checked: read = accepted + quarantined.
    func accounting(_ out: String) -> (read: Int, accepted: Int, quarantined: Int)? {
        guard let line = out.split(separator: "\n").first(where: { $0.hasPrefix("incidents.csv: ") && $0.contains("rows read") }) else { return nil }
        let numbers = line.split(whereSeparator: { !$0.isNumber && $0 != "," }).map { Int($0.replacingOccurrences(of: ",", with: "")) }.compactMap { $0 }
        let r = (numbers[0], numbers[1], numbers[2])
        #expect(r.0 == r.1 + r.2, "\(line)")
        return r
    }

    let header = Array("id,date,time,ward,category\n".utf8)
    func row(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func fileTruncatedMidQuote() throws {
        let r = try validate(study(header + row("I1,05/03/2019,02:10,A1,Self harm\nI2,05/03/2019,02:10,A1,\"Self ha")))
        #expect(r.status == 1 || r.status == 0)
        #expect(r.out.contains("incidents.csv:3: column \"category\": unbalanced quote: the file ends inside a quoted field that starts on this row"))
        #expect(accounting(r.out)! == (2, 1, 1))
    }

    @Test func unbalancedQuoteSwallowsTheLinesAfterItAndSaysWhich() throws {
        let r = try validate(study(header + row("I1,05/03/2019,02:10,A1,\"Self harm\nI2,05/03/2019,02:10,A1,Self harm\nI3,05/03/2019,02:10,A1,Self harm\n")))
        #expect(r.out.contains("incidents.csv:2: column \"category\": unbalanced quote: a quoted field opens on this line and swallows lines 3 to 4 "
                               + "(the file ends inside it); quarantined as 3 rows"))
        #expect(accounting(r.out)! == (3, 0, 3))  // the three lines of the file, not the one record libcsv made of them
        #expect(r.status == 1)  // 100% quarantined is above the threshold
        // The tally by kind counts the rows too, so it adds up to the rows quarantined.
        #expect(r.out.contains("\n  3 × unbalanced quote"), "\(r.out)")
    }

    @Test func aStrayQuoteClosedLaterIsQuarantinedWithEveryLineItSwallowed() throws {
        // The stray quote in I2's category runs on to the quote opening I4's description: I3 would vanish into it.
        let dir = study(row("id,date,time,ward,category,description\n") + row("""
        I1,05/03/2019,02:10,A1,Self harm,x
        I2,05/03/2019,02:10,A1,"Self harm,x
        I3,05/03/2019,02:10,A1,Self harm,x
        I4,05/03/2019,02:10,A1,Self harm,"quiet, settled"
        I5,05/03/2019,02:10,A1,Self harm,"Hit out, said ""no""
        then slept"

        """))
        let q = TempFolder()  // outside the study folder, where quarantine files may go
        let r = try runWardsleep(["validate", dir.path, "--quarantine", q.path + "/q"])
        #expect(r.out.contains("incidents.csv:3: column \"category\": unbalanced quote: a quoted field opens on this line and swallows lines 4 to 5 "
                               + "(a quote inside it is not doubled); quarantined as 3 rows"))
        #expect(accounting(r.out)! == (5, 2, 3))
        #expect(q.read("q/incidents.csv")?.contains("incidents.csv,3,category,,,unbalanced quote: a quoted field opens on this line") == true)
    }

    /// Values of a headerless export's first line that must never be shown anywhere.
    static let sentinels = ["943 476 5919", "9434765919", "Zanzibar"]

    @Test func aHeaderlessExportIsNamedButItsFirstLineNeverShown() throws {
        let dir = study(row("943 476 5919,05/03/2019,02:10,A1,Self harm,Zanzibar said he felt unsafe\nI2,05/03/2019,02:10,A1,Self harm,x\n"))
        let expected = "wardsleep: error: incidents.csv: no header row: the first row does not name the columns study.yaml expects "
            + "and looks like data (its values are not shown: they may identify a patient); expected a header with the columns "
            + "\"id\", \"date\", \"ward\", \"category\"\n"
        let q = TempFolder()
        let checked = try runWardsleep(["validate", dir.path, "--quarantine", q.path + "/q"])
        let reports = dir.path + "/reports"
        let ran = try runWardsleep(["run", dir.path, "--out", reports + "/out", "--ledger", reports + "/ledger.sqlite",
                                    "--verbose", "--log-format", "json"])
        let textLogs = try runWardsleep(["run", dir.path, "--out", reports + "/out", "--ledger", reports + "/ledger.sqlite", "--verbose"])
        let history = try runWardsleep(["history", "--ledger", reports + "/ledger.sqlite"])
        for r in [checked, ran, textLogs] {
            #expect(r.status == 3 && r.err.hasSuffix(expected), "\(r.err)")
        }
        #expect(history.out.contains("no header row"), "the failure is in the ledger")
        var shown = [checked, ran, textLogs, history].map { $0.out + $0.err }
        for file in FileManager.default.subpaths(atPath: dir.path) ?? [] where file != "incidents.csv" {
            shown.append(String(decoding: FileManager.default.contents(atPath: dir.path + "/" + file) ?? Data(), as: UTF8.self))
        }
        for file in FileManager.default.subpaths(atPath: q.path) ?? [] {
            shown.append(String(decoding: FileManager.default.contents(atPath: q.path + "/" + file) ?? Data(), as: UTF8.self))
        }
        #expect(FileManager.default.fileExists(atPath: reports + "/ledger.sqlite"))
        for sentinel in Self.sentinels {
            #expect(!shown.contains { $0.contains(sentinel) }, "\(sentinel) was shown")
        }
    }

    @Test func filesThatAreNotCSVTextExitThreeSayingWhatTheyAre() throws {
        let csv = header + row("I1,05/03/2019,02:10,A1,Self harm\n")
        let cases: [([UInt8], String)] = [
            ([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00] + csv, "a gzip-compressed file, not CSV text; decompress it first"),
            (row("PK\u{3}\u{4}\u{14}\u{0}[Content_Types].xml PK\u{3}\u{4}xl/workbook.xml"),
             "an Excel workbook (.xlsx), not CSV text; open it in Excel and save it as CSV UTF-8"),
            ([0xFF, 0xFE] + Array(String(decoding: csv, as: UTF8.self).utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
             "UTF-16 text (little-endian), not UTF-8 or Windows-1252; save it as CSV UTF-8"),
            ([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01] + [UInt8](repeating: 0, count: 57),
             "binary data, not CSV text (95% of its first 64 bytes are NUL or other control characters)"),
        ]
        for (bytes, what) in cases {
            let r = try validate(study(bytes))
            #expect(r.status == 3 && r.err == "wardsleep: error: incidents.csv: input unreadable: this is \(what)\n", "\(r.err)")
        }
    }

    /// Runs wardsleep under coreutils `timeout`, so that a read that blocks fails the test instead of hanging it.
    func runBounded(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runWardsleep(arguments, timeout: 30)
    }

    @Test func aNamedPipeOrDeviceIsRefusedAtOnceAndTheLockReleased() throws {
        let dir = study(header)
        let csv = dir.path + "/incidents.csv", out = dir.path + "/out", ledger = dir.path + "/ledger.sqlite"
        try FileManager.default.removeItem(atPath: csv)
        #expect(mkfifo(csv, 0o600) == 0)
        let fifo = "wardsleep: error: incidents.csv: input unreadable: this is a named pipe (FIFO), not a regular file; "
            + "copy the export into the study folder as an ordinary file\n"
        let checked = try runBounded(["validate", dir.path])
        #expect(checked.status == 3 && checked.err == fifo, "\(checked.err)")
        let ran = try runBounded(["run", dir.path, "--out", out, "--ledger", ledger, "--quiet"])
        #expect(ran.status == 3 && ran.err == fifo, "\(ran.err)")
        #expect(!FileManager.default.fileExists(atPath: out + ".lock"), "the lock is released")

        // A link inside the study folder to the pipe, also inside: refused the same way.
        try FileManager.default.moveItem(atPath: csv, toPath: dir.path + "/pipe")
        try FileManager.default.createSymbolicLink(atPath: csv, withDestinationPath: dir.path + "/pipe")
        let linked = try runBounded(["run", dir.path, "--out", out, "--ledger", ledger, "--quiet"])
        #expect(linked.status == 3 && linked.err == fifo, "\(linked.err)")

        // A link to a device: refused at once (today because it leads outside the study folder).
        try FileManager.default.removeItem(atPath: csv)
        try FileManager.default.createSymbolicLink(atPath: csv, withDestinationPath: "/dev/zero")
        let zero = try runBounded(["validate", dir.path])
        #expect(zero.status == 2 || zero.status == 3, "\(zero.err)")

        // The next run, with an ordinary file, takes the lock and succeeds.
        try FileManager.default.removeItem(atPath: csv)
        dir.write("incidents.csv", bytes: header + row("I1,05/03/2019,02:10,A1,Self harm\n"))
        let next = try runBounded(["run", dir.path, "--out", out, "--ledger", ledger, "--quiet"])
        #expect(next.status == 0 && FileManager.default.fileExists(atPath: out + "/summary.md"), "\(next.err)")
        #expect(!FileManager.default.fileExists(atPath: out + ".lock"))
    }

    @Test func everyOtherFileReadIsRefusedAtOnceWhenItIsAPipe() throws {
        // study.yaml itself.
        let a = study(header + row("I1,05/03/2019,02:10,A1,Self harm\n"))
        try FileManager.default.removeItem(atPath: a.path + "/study.yaml")
        #expect(mkfifo(a.path + "/study.yaml", 0o600) == 0)
        let yaml = try runBounded(["validate", a.path])
        #expect(yaml.status == 3 && yaml.err.contains("study.yaml: input unreadable: this is a named pipe (FIFO)"), "\(yaml.err)")

        // The study's codebook.
        let b = study(header + row("I1,05/03/2019,02:10,A1,Self harm\n"), extra: "feedback: { codebook: codebook.yaml }\n")
        #expect(mkfifo(b.path + "/codebook.yaml", 0o600) == 0)
        let codebook = try runBounded(["run", b.path, "--out", b.path + "/out", "--ledger", b.path + "/l.sqlite", "--quiet"])
        #expect(codebook.status == 3 && codebook.err.contains("codebook.yaml: input unreadable: this is a named pipe"), "\(codebook.err)")
        #expect(!FileManager.default.fileExists(atPath: b.path + "/out.lock"))

        // A key file.
        let keys = TempFolder()
        #expect(mkfifo(keys.path + "/key", 0o600) == 0)
        let key = try runBounded(["validate", b.path, "--key-file", keys.path + "/key"])
        #expect(key.status == 2 && key.err.contains("is not an ordinary file of at most 64 KiB"), "\(key.err)")

        // An input swapped for a pipe after a successful run: --if-changed hashes it, and must not wait on it.
        let c = study(header + row("I1,05/03/2019,02:10,A1,Self harm\n"))
        let first = try runBounded(["run", c.path, "--out", c.path + "/out", "--ledger", c.path + "/l.sqlite", "--quiet"])
        #expect(first.status == 0, "\(first.err)")
        try FileManager.default.removeItem(atPath: c.path + "/incidents.csv")
        #expect(mkfifo(c.path + "/incidents.csv", 0o600) == 0)
        let again = try runBounded(["run", c.path, "--out", c.path + "/out", "--ledger", c.path + "/l.sqlite", "--if-changed", "--quiet"])
        #expect(again.status == 3 && again.err.contains("incidents.csv: input unreadable: this is a named pipe"), "\(again.err)")
        #expect(FileManager.default.fileExists(atPath: c.path + "/out/summary.md") && !FileManager.default.fileExists(atPath: c.path + "/out.lock"))
    }

    /// An error message quotes the file (here a header) without any control character: no escape sequence reaches the
    /// terminal.
    @Test func anErrorQuotingTheFileCarriesNoTerminalEscape() throws {
        let r = try validate(study(Array("Incident ID,Date,Time,Lo\u{1B}]0;pwned\u{07}\u{1B}[2Jcation,Category\n".utf8)
            + row("I1,05/03/2019,02:10,A1,Self harm\n")))
        #expect(r.status == 2 && r.err.contains("the header has: "), "\(r.err)")
        #expect(!r.err.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(r.err.debugDescription)")
        #expect(r.err.hasSuffix("\n") && r.err.filter { $0 == "\n" }.count == 1)
    }

    /// Text after a closing quote (`"A1"x`) with no quote later on its line: the field is read as closed there, and that
    /// row alone is quarantined, naming the column; the rows after it are read (they used to run into the field, to the
    /// end of the file). With a closing quote later on the line, the quote is read as one inside the field.
    @Test func textAfterAClosingQuoteQuarantinesItsRowAlone() throws {
        let r = try validate(study(header + row("I1,05/03/2019,02:10,\"A1\"x,Self harm\nI2,05/03/2019,02:10,A1,Self harm\nI3,05/03/2019,02:10,A1,Self harm\n")))
        #expect(r.out.contains("incidents.csv:2: column \"ward\": \"A1x\": text after a closing quote in column \"ward\""), "\(r.out)")
        #expect(accounting(r.out)! == (3, 2, 1))
        // CRLF, at the end of the file without a line break, and in the last column.
        let crlf = try validate(study(header + row("I1,05/03/2019,02:10,A1,\"Self harm\"x\r\nI2,05/03/2019,02:10,A1,Self harm\r\nI3,05/03/2019,02:10,\"A1\"x,Self harm")))
        #expect(accounting(crlf.out)! == (3, 1, 2), "\(crlf.out)")
        #expect(crlf.out.contains("incidents.csv:2: column \"category\"") && crlf.out.contains("incidents.csv:4: column \"ward\""), "\(crlf.out)")
    }

    /// In a column study.yaml does not read (free text, say), a closing quote followed by text quarantines its row with
    /// the column named in the quarantine file's `column` cell, as the reason names it, and the cell's text is not
    /// shown (an unread column may hold anything). Its `column` cell was empty.
    @Test func aBrokenCellInAnUnreadColumnIsNamedInTheQuarantine() throws {
        let dir = study(row("id,date,time,ward,category,Notes\n") + row("I1,05/03/2019,02:10,A1,Self harm,\"Mrs Jones\" said\n")
            + row("I2,05/03/2019,02:10,A1,Self harm,Seen by Dr Patel\nI3,05/03/2019,02:10,A1,Self harm,\"fine\"\n"))
        let q = TempFolder()
        let r = try runWardsleep(["validate", dir.path, "--quarantine", q.path + "/q"])
        #expect(accounting(r.out)! == (3, 2, 1), "\(r.out)")
        let quarantine = q.read("q/incidents.csv") ?? ""
        #expect(quarantine.contains("incidents.csv,2,Notes,,,\"text after a closing quote in column \"\"Notes\"\""), "\(quarantine)")
        #expect(!quarantine.contains("Jones"))
    }

    /// A line of a hundred thousand quotes each followed by text: every one is decided on what follows it, in one pass
    /// (a scan from each would take minutes), and the line is one quarantined row.
    @Test(.timeLimit(.minutes(1))) func aLineOfManyStrayQuotesIsReadInLinearTime() throws {
        // Each `"y` is a quote followed by text with a closing quote later on the line (the last one), read as inside.
        let line = "I1,05/03/2019,02:10,A1,\"x" + String(repeating: "\"y", count: 100_000) + "\"\n"
        let r = try validate(study(header + row(line + "I2,05/03/2019,02:10,A1,Self harm\n")))
        #expect(accounting(r.out)! == (2, 1, 1), "\(r.out.prefix(600))")
    }

    /// Title lines above the header: the configuration error names the line that has the columns and the setting that
    /// skips the lines above it; with `header_line` set, they are skipped, every row is read, and a problem is reported
    /// on the file's own line.
    @Test func titleLinesAboveTheHeaderAreNamedAndSkipped() throws {
        let titled = row("Incident report for the trust\nExported 01/09/2019\n") + header
            + row("I1,05/03/2019,02:10,A1,Self harm\nI2,31/02/2019,02:10,A1,Self harm\n")
        let r = try validate(study(titled))
        #expect(r.status == 2 && r.err.contains("line 3 has the columns study.yaml names: set exports.incidents.header_line: 3 in "
                                                + "study.yaml, or delete the lines above it"), "\(r.err)")
        let dir = study(titled)
        dir.write("study.yaml", studyYAML("""
        exports:
          incidents: { file: incidents.csv, header_line: 3, categories: { "Self harm": self_harm } }
        quality: { max_quarantined_percent: 50 }

        """))
        let skipped = try validate(dir)
        #expect(skipped.status == 0 && accounting(skipped.out)! == (2, 1, 1), "\(skipped.out) \(skipped.err)")
        #expect(skipped.out.contains("quarantined (50.0%); 2 lines above the header skipped (header_line)"), "\(skipped.out)")
        #expect(skipped.out.contains("incidents.csv:5: column \"date\""), "\(skipped.out)")
        // Blank lines above a header are blank lines, not lines skipped by header_line.
        let blank = try validate(study(row("\n\n") + header + row("I1,05/03/2019,02:10,A1,Self harm\n")))
        #expect(blank.status == 0 && !blank.out.contains("above the header") && blank.out.contains("blank lines skipped: 2"), "\(blank.out)")
        // Page breaks (form feeds, vertical tabs) on lines of their own are blank lines too, above the header and among
        // the rows; a form feed inside a row is refused.
        let paged = try validate(study(row("\u{0C}\n") + header + row("I1,05/03/2019,02:10,A1,Self harm\n\u{0C}\n \u{0B}\r\n"
            + "I2,05/03/2019,02:10,A1,Self\u{0C}harm\nI3,05/03/2019,02:10,A1,Self harm\n")))
        #expect(paged.status == 0 && accounting(paged.out)! == (3, 2, 1) && paged.out.contains("blank lines skipped: 3"), "\(paged.out)")
        #expect(paged.out.contains("incidents.csv:6: column \"category\""), "\(paged.out)")
        // A header_line past the header, or past the end of the file, is said as such.
        dir.write("study.yaml", studyYAML("exports:\n  incidents: { file: incidents.csv, header_line: 9 }\n"))
        let past = try validate(dir)
        #expect(past.status == 3 && past.err.contains("the file has no header row on line 9 (header_line) or after"), "\(past.err)")
        dir.write("study.yaml", studyYAML("exports:\n  incidents: { file: incidents.csv, header_line: 0 }\n"))
        let zero = try validate(dir)
        #expect(zero.status == 2 && zero.err.contains("exports.incidents.header_line: expected the line the column names are on, from 1 to 100, found 0"),
                "\(zero.err)")
    }

    /// An incident given on two rows (an export with one row per person involved): the second is quarantined, so the
    /// incident counts once, and every row is accounted for.
    @Test func aRepeatedIncidentReferenceCountsOnce() throws {
        let r = try validate(study(header + row("I1,05/03/2019,02:10,A1,Self harm\nI1,05/03/2019,02:10,A1,Self harm\n"
            + "I2,05/03/2019,02:10,A1,Self harm\nI3,06/03/2019,02:10,A1,Self harm\nI2,05/03/2019,02:10,A1,Self harm\n")))
        #expect(accounting(r.out)! == (5, 3, 2), "\(r.out)")
        #expect(r.out.contains("incidents.csv:3: column \"id\": \"I1\": repeated incident reference: an earlier row has the same "
                               + "reference, and an incident counts once"), "\(r.out)")
        #expect(r.out.contains("incidents.csv:6: column \"id\": \"I2\""), "\(r.out)")
    }

    /// NUL and the other control characters (but tab and line breaks) are in no text an export writes, and are
    /// invisible in every output: `Viol\0ence` would be a category that reads as `Violence` beside it. The row is
    /// quarantined, naming the character and the column; no row is lost.
    @Test func nulBytesAndOtherControlCharactersAreQuarantinedNotCrashing() throws {
        let r = try validate(study(header + row("I1,05/03/2019,02:10,A\u{0}1,Self harm\nI2,05/03/2019,02:10,A1,Self harm\n"
            + "I3,05/03/2019,02:10,A1,Viol\u{0}ence\nI4,05/03/2019,02:10,A1,\"Self\u{7F} harm\"\nI5,05/03/2019,02:10,A1,\u{1}Self harm\n"
            + "I6,05/03/2019,02:10,A1,Self\tharm\n")))
        #expect(r.out.contains("incidents.csv:2: column \"ward\": \"A?1\": control character 0x00 (NUL): text in an export "
                               + "holds none (the file may be damaged or not a text export)"), "\(r.out)")
        #expect(r.out.contains("incidents.csv:4: column \"category\": \"Viol?ence\": control character 0x00 (NUL): "), "\(r.out)")
        #expect(r.out.split(separator: "\n").contains { $0.contains("incidents.csv:5: column \"category\": ") && $0.contains(": control character 0x7F (DEL): ") },
                "\(r.out)")
        #expect(r.out.contains("incidents.csv:6: column \"category\": \"?Self harm\": control character 0x01: "), "\(r.out)")
        // A tab is text (I6 is accepted, its category read as "Self harm").
        #expect(accounting(r.out)! == (6, 2, 4), "\(r.out)")
    }

    /// Only columns read as labels, codes, numbers, dates or identifiers are held to that: free text (an incident's
    /// description) drops a stray control character where it is shown, and a column no field reads is never looked at.
    @Test func aControlCharacterInFreeTextOrAnUnreadColumnLeavesTheRow() throws {
        let r = try validate(study(row("id,date,time,ward,category,description,notes\n"
            + "I1,05/03/2019,02:10,A1,Self harm,\"pasted\u{8} text\",x\nI2,05/03/2019,02:10,A1,Self harm,ok,\u{0}\u{1B}\n"
            + "I3,05/03/2019,02:10,A1,Self harm\u{1A},ok,\n")))
        #expect(accounting(r.out)! == (3, 2, 1), "\(r.out)")
        #expect(r.out.contains("incidents.csv:4: column \"category\": "), "\(r.out)")
    }

    @Test func aFiftyMegabyteFieldIsRefusedWithAMessage() throws {
        let big = header + row("I1,05/03/2019,02:10,A1,\"") + [UInt8](repeating: UInt8(ascii: "x"), count: 50 << 20) + row("\"\n")
        let r = try validate(study(big))
        #expect(r.status == 3)
        #expect(r.err.contains("incidents.csv:2: a record starting here is longer than 16 MiB (it passes that in column \"category\"); "
                               + "this is not a ward export, or a quote is unbalanced"), "\(r.err)")
    }

    @Test func aHundredThousandColumns() throws {
        let extra = (0..<100_000).map { "c\($0)" }.joined(separator: ",")
        let r = try validate(study(row("id,date,time,ward,category,\(extra)\n") + row("I1,05/03/2019,02:10,A1,Self harm\n")))
        #expect(r.status == 1)  // one row of one quarantined: above the threshold
        #expect(accounting(r.out)! == (1, 0, 1))  // the row has 5 fields where the header has 100,005
        #expect(r.out.contains("ragged row: 5 fields where the header has 100005"))
    }

    @Test func tenMegabyteLines() throws {
        let long = String(repeating: "y", count: 10 << 20)
        let r = try validate(study(row("id,date,time,ward,category,description\n") + row("I1,05/03/2019,02:10,A1,Self harm,\(long)\n")
                                   + row("I2,05/03/2019,02:10,A1,Self harm,short\n")))
        #expect(r.status == 0 && accounting(r.out)! == (2, 2, 0))
    }

    @Test func invalidUTF8InTheHeader() throws {
        let r = try validate(study(row("id,") + [0x64, 0xE1, 0x74, 0x65] + row(",time,ward,category\nI1,05/03/2019,02:10,A1,Self harm\n")))
        #expect(r.status == 2)
        #expect(r.err.contains("no column \"date\" for the required field date (set exports.incidents.columns.date to map it); the header has: \"id\", \"dáte\""))
    }

    /// A file saved with semicolons or tabs (Excel in many locales) reads as one column: the message says so.
    @Test func anExportSeparatedBySemicolonsOrTabsIsNamedAsSuch() throws {
        for (mark, name) in [(";", "semicolons"), ("\t", "tabs")] {
            let r = try validate(study(row("id\(mark)date\(mark)time\(mark)ward\(mark)category\nI1\(mark)05/03/2019\(mark)02:10\(mark)A1\(mark)Self harm\n")))
            #expect(r.status == 2)
            #expect(r.err.contains("; the columns look separated by \(name), not commas: save the export as comma-separated CSV"), "\(r.err)")
        }
        // A header that merely lacks a column gets no such hint.
        let r = try validate(study(row("id,date,time,ward\nI1,05/03/2019,02:10,A1\n")))
        #expect(r.status == 2 && !r.err.contains("separated by"))
    }

    @Test func aHeaderRepeatedMidFile() throws {
        let r = try validate(study(header + row("I1,05/03/2019,02:10,A1,Self harm\nid,date,time,ward,category\nI2,05/03/2019,02:10,A1,Self harm\n")))
        #expect(r.out.contains("incidents.csv:3: repeated header row: the export looks like two files joined together"))
        #expect(accounting(r.out)! == (3, 2, 1))
        // Two exports saved with byte-order marks and joined: the second's mark starts its header line.
        let joined = try validate(study(header + row("I1,05/03/2019,02:10,A1,Self harm\n\u{FEFF}id,date,time,ward,category\nI2,05/03/2019,02:10,A1,Self harm\n")))
        #expect(joined.out.contains("incidents.csv:3: repeated header row: the export looks like two files joined together"), "\(joined.out)")
        #expect(accounting(joined.out)! == (3, 2, 1))
    }

    /// A value holding a character that cannot be seen is shown with it escaped: a tab in a ward id, a zero-width
    /// space before one, a byte-order mark at the start of a date, a C1 control (U+0085) inside one. Otherwise the message names a ward that looks valid.
    @Test func invisibleCharactersInAValueAreShown() throws {
        let r = try validate(study(header + row("I1,05/03/2019,02:10,A\t1,Self harm\nI2,05/03/2019,02:10,\u{200B}A1,Self harm\n"
                                                + "I3,\u{FEFF}05/03/2019,02:10,A1,Self harm\nI4,05/03/2019,02:10,A\u{85}1,Self harm\n")))
        #expect(r.out.contains("\"A\\t1\""), "\(r.out)")
        #expect(r.out.contains("\"A\\u{85}1\""), "\(r.out)")
        #expect(r.out.contains("\"\\u{200B}A1\""), "\(r.out)")
        #expect(r.out.contains("\"\\u{FEFF}05/03/2019\""), "\(r.out)")
        #expect(accounting(r.out)! == (4, 0, 4))
        #expect(ExportRow.visible("Ward\u{AD}7\u{7F}") == "Ward\\u{AD}7?" && ExportRow.visible("Zoë") == "Zoë")
    }

    /// Carriage returns without a line feed (a stray one in a quoted field, or rows ended by one) are line breaks, and
    /// validate says how many there are and how that numbers lines against grep and sed; a file without any says
    /// nothing of them.
    @Test func loneCarriageReturnsAreCountedAndSaidOnce() throws {
        let r = try validate(study(header + row("I1,05/03/2019,02:10,A1,\"Self\rharm\"\nI2,05/03/2019,02:10,A1,Self harm\r"
            + "I3,31/02/2019,02:10,A1,Self harm\n")))
        #expect(r.out.contains("line numbers count a carriage return without a line feed as a line break (2 in this file), as most "
                               + "text editors do; grep -n and sed count only line feeds, so they number the lines after one lower"), "\(r.out)")
        #expect(r.out.contains("incidents.csv:5: column \"date\""), "\(r.out)")
        let plain = try validate(study(header + row("I1,05/03/2019,02:10,A1,Self harm\r\n")))
        #expect(!plain.out.contains("carriage return"), "\(plain.out)")
    }

    /// A line of NUL bytes (a block a failed copy left) is one damaged row wherever it is, first or later, quarantined
    /// naming the NUL; the rows around it are read.
    @Test func aLineOfNulBytesIsADamagedRowWhereverItIs() throws {
        func good(_ prefix: String) -> String { (1...40).map { "\(prefix)\($0),05/03/2019,02:10,A1,Self harm\n" }.joined() }
        let nuls = [UInt8](repeating: 0, count: 300) + [0x0A]
        for text in [header + nuls + row(good("I")), header + row(good("I")) + nuls + row(good("J"))] {
            let r = try validate(study(text))
            #expect(r.status == 0, "\(r.err)")
            #expect(r.out.contains("ragged row: 1 field where the header has 5; it holds control character 0x00 (NUL) (the file may be damaged there)"),
                    "\(r.out)")
            #expect(accounting(r.out)!.quarantined == 1)
        }
    }

    /// A file that begins with two byte-order marks (saved twice by a tool that adds one) is read as if it had one.
    @Test func twoByteOrderMarksAtTheStart() throws {
        let r = try validate(study(row("\u{FEFF}\u{FEFF}") + header + row("I1,05/03/2019,02:10,A1,Self harm\n")))
        #expect(r.status == 0 && accounting(r.out)! == (1, 1, 0), "\(r.out)\(r.err)")
    }

    @Test func studyYamlWithAWrongType() throws {
        let dir = study(header)
        dir.write("study.yaml", studyYAML("disclosure: { round_to: five }\n"))
        let r = try validate(dir)
        #expect(r.status == 2 && r.err.contains("disclosure.round_to: expected a whole number, found \"five\""))
    }

    @Test func pathsOutsideTheStudyFolder() throws {
        let r = try validate(study(header, extra: "").then { $0.write("study.yaml", studyYAML("exports:\n  incidents: { file: ../../etc/passwd }\n")) })
        #expect(r.status == 2 && r.err.contains("is outside the study folder"))
        let link = study(header)
        try FileManager.default.removeItem(atPath: link.path + "/incidents.csv")
        try FileManager.default.createSymbolicLink(atPath: link.path + "/incidents.csv", withDestinationPath: "/etc/passwd")
        let r2 = try validate(link)
        #expect(r2.status == 2 && r2.err.contains("is a link to a file outside the study folder"))
    }

    @Test func emptyAndHeaderOnlyFiles() throws {
        let empty = try validate(study([]))
        #expect(empty.status == 3 && empty.err.contains("incidents.csv: the file is empty: expected a header row"))
        let headerOnly = try validate(study(header))
        #expect(headerOnly.status == 0 && accounting(headerOnly.out)! == (0, 0, 0))
    }
}

extension TempFolder {
    /// Applies `body` and returns the folder (for one-line set-ups).
    func then(_ body: (TempFolder) -> Void) -> TempFolder {
        body(self)
        return self
    }
}

/// `ws_first_control`, eight bytes at a time, against a byte-by-byte reference on random text: every control character
/// found at its place, tab, line breaks and UTF-8 bytes passed over, whatever the length and alignment.
@Suite struct ControlCharacterScanTests {
    @Test func theWordScanFindsWhatTheByteScanFinds() {
        var random = SampleRandom(seed: 11)
        let alphabet: [UInt8] = Array("abcXYZ 019,.-/".utf8) + [0x09, 0x0A, 0x0D, 0xC3, 0xA9, 0xE2, 0x80, 0x99, 0x7E, 0x80, 0xFF]
        let controls: [UInt8] = [0x00, 0x01, 0x08, 0x0B, 0x0C, 0x1A, 0x1B, 0x1F, 0x7F]
        func reference(_ b: [UInt8]) -> Int {
            b.firstIndex { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F } ?? -1
        }
        for _ in 0..<5_000 {
            let n = Int(random.next() % 70)
            var bytes = (0..<n).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            if n > 0, random.next() % 2 == 0 { bytes[Int(random.next() % UInt64(n))] = controls[Int(random.next() % UInt64(controls.count))] }
            let offset = Int(random.next() % 8)
            let padded = [UInt8](repeating: 0x41, count: offset) + bytes
            let found = padded.withUnsafeBufferPointer { p in bytes.isEmpty ? -1 : ws_first_control(p.baseAddress! + offset, UInt(n)) }
            #expect(found == reference(bytes), "\(bytes)")
        }
    }
}

/// `ws_has_low_byte`, which lets a record with no byte below 0x20 (nor 0x7F) go unscanned for control characters and
/// line breaks: such a byte at any place of a record of any length and alignment is found, among any other bytes
/// (UTF-8 included, bytes at 0x80 and above that a signed comparison would take as small), and none is found in a
/// record without one, whatever lies just outside it.
@Suite struct LowByteScanTests {
    @Test func aByteBelowSpaceOrDELAnywhereIsFoundAndNothingElseIs() {
        var random = SampleRandom(seed: 12)
        let ordinary: [UInt8] = Array("abcXYZ 019,.-/~!".utf8) + [0x20, 0x7E, 0x80, 0xC3, 0xA9, 0xE2, 0x99, 0xFF, 0xA0, 0x9F, 0x9F]
        let low: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1A, 0x1F, 0x7F]
        for n in 0...70 {
            for place in -1..<n {  // -1: no such byte
                for _ in 0..<4 {
                    var record = (0..<n).map { _ in ordinary[Int(random.next() % UInt64(ordinary.count))] }
                    if place >= 0 { record[place] = low[Int(random.next() % UInt64(low.count))] }
                    let offset = Int(random.next() % 16)
                    let padded = [UInt8](repeating: 0x00, count: offset) + record + [UInt8](repeating: 0x0A, count: 16)
                    let found = padded.withUnsafeBufferPointer { ws_has_low_byte($0.baseAddress! + offset, UInt(n)) }
                    #expect((found != 0) == (place >= 0), "length \(n), place \(place): \(record)")
                }
            }
        }
    }
}

/// `ws_has_high_byte`, which lets an ASCII field be made text without a walk over its bytes: a byte at 0x80 or above at
/// any place of a field of any length and alignment is found, and none in a field without one, whatever lies just
/// outside it. `TextDecoding` agrees with the plain reading on the same fields.
@Suite struct HighByteScanTests {
    @Test func aByteAtOrAbove0x80AnywhereIsFoundAndNothingElseIs() {
        var random = SampleRandom(seed: 13)
        let ascii: [UInt8] = Array("abcXYZ 019,.-/~!".utf8) + [0x00, 0x09, 0x0A, 0x7F]
        let high: [UInt8] = [0x80, 0x81, 0x9F, 0xA0, 0xC3, 0xE2, 0xFF]
        for n in 0...70 {
            for place in -1..<n {  // -1: no such byte
                for _ in 0..<4 {
                    var field = (0..<n).map { _ in ascii[Int(random.next() % UInt64(ascii.count))] }
                    if place >= 0 { field[place] = high[Int(random.next() % UInt64(high.count))] }
                    let offset = Int(random.next() % 16)
                    let padded = [UInt8](repeating: 0xFF, count: offset) + field + [UInt8](repeating: 0xFF, count: 16)
                    let found = padded.withUnsafeBufferPointer { ws_has_high_byte($0.baseAddress! + offset, UInt(n)) }
                    #expect((found != 0) == (place >= 0), "length \(n), place \(place): \(field)")
                    let (text, encoding) = padded.withUnsafeBufferPointer { TextDecoding.decode($0[offset..<(offset + n)]) }
                    if place < 0 {
                        #expect(encoding == .ascii && text == String(decoding: field, as: UTF8.self))
                    } else {
                        #expect(encoding != .ascii)
                    }
                }
            }
        }
    }
}

/// libcsv's field callback (`ws_record_add_field`) copies every field whole, whatever its length (short ones as
/// overlapping words, long ones by `memcpy`), empty and null ones included, and grows the record's buffers as needed.
@Suite struct RecordCopyTests {
    @Test func everyFieldIsCopiedWholeAndEndsWhereItShould() {
        var record = ws_record()
        #expect(ws_record_init(&record, 1) == 0)
        defer { ws_record_free(&record) }
        var expected: [UInt8] = [], ends: [Int] = []
        let source = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        for round in 0..<3 {
            for length in Array(0...70) + [4_000] {
                let field = Array(source[length..<(length * 2)])
                if length == 0 && round == 1 {
                    ws_record_add_field(nil, 0, &record)
                } else {
                    field.withUnsafeBytes { ws_record_add_field(UnsafeMutableRawPointer(mutating: $0.baseAddress), length, &record) }
                }
                expected += field
                ends.append(expected.count)
            }
        }
        for _ in 0..<300 { ws_record_add_field(nil, 0, &record); ends.append(expected.count) }
        #expect(Array(UnsafeBufferPointer(start: record.bytes, count: record.byte_count)) == expected)
        #expect(Array(UnsafeBufferPointer(start: record.ends, count: record.field_count)) == ends)
    }
}
