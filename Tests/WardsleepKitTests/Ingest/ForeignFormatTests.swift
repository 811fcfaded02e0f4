import Foundation
import Testing
@testable import WardsleepKit
#if canImport(Glibc)
import Glibc
#endif

/// Files that are not CSV text, and files that are not files: refused before any row is read, saying what they are.
@Suite struct ForeignFormatTests {
    let dir = TempFolder()
    let csv = Array("id,date\n1,05/03/2019\n".utf8)

    func refusal(_ bytes: [UInt8]) -> String? {
        let path = dir.write("x.csv", bytes: bytes)
        do {
            _ = try CSVFileReader(path: path, displayName: "x.csv").read { _ in }
            return nil
        } catch let e as InputError {
            return e.description
        } catch {
            return "\(error)"
        }
    }

    @Test func compressedArchivedAndSpreadsheetFilesAreNamed() {
        #expect(refusal([0x1F, 0x8B, 0x08, 0x00] + csv)
                == "x.csv: input unreadable: this is a gzip-compressed file, not CSV text; decompress it first")
        #expect(refusal(Array("PK\u{3}\u{4}".utf8) + Array("..[Content_Types].xml..xl/workbook.xml".utf8))
                == "x.csv: input unreadable: this is an Excel workbook (.xlsx), not CSV text; open it in Excel and save it as CSV UTF-8")
        #expect(refusal(Array("PK\u{3}\u{4}".utf8) + Array("..incidents.csv..".utf8))
                == "x.csv: input unreadable: this is a zip archive, not CSV text; extract the CSV file from it first")
        #expect(refusal(Array("PK\u{3}\u{4}..mimetypeapplication/vnd.oasis.opendocument.spreadsheet".utf8))
                == "x.csv: input unreadable: this is an OpenDocument spreadsheet (.ods), not CSV text; save it as CSV UTF-8")
        #expect(refusal([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
                == "x.csv: input unreadable: this is an Excel 97-2003 workbook (.xls), not CSV text; open it in Excel and save it as CSV UTF-8")
        #expect(refusal(Array("%PDF-1.7\n".utf8))
                == "x.csv: input unreadable: this is a PDF document, not CSV text; export the data as CSV")
    }

    @Test func utf16WithOrWithoutAByteOrderMarkAndUTF32() {
        let text = "id,date\n1,05/03/2019\n"
        let le = Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be = Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let message = "input unreadable: this is UTF-16 text (little-endian), not UTF-8 or Windows-1252; save it as CSV UTF-8"
        #expect(refusal([0xFF, 0xFE] + le) == "x.csv: " + message)
        #expect(refusal(le) == "x.csv: " + message)
        #expect(refusal([0xFE, 0xFF] + be) == "x.csv: " + message.replacingOccurrences(of: "little", with: "big"))
        #expect(refusal(be) == "x.csv: " + message.replacingOccurrences(of: "little", with: "big"))
        #expect(refusal([0xFF, 0xFE, 0x00, 0x00, 0x69, 0, 0, 0])
                == "x.csv: input unreadable: this is UTF-32 text, not UTF-8 or Windows-1252; save it as CSV UTF-8")
    }

    @Test func mostlyBinaryIsUnreadableButAStrayNulInATextRowIsRead() {
        var random = SampleRandom(seed: 7)
        let noise = (0..<4096).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        #expect(refusal(noise)?.hasPrefix("x.csv: input unreadable: this is binary data, not CSV text (") == true)
        #expect(refusal(csv + [UInt8](repeating: 0, count: 100))
                == "x.csv: input unreadable: this is binary data, not CSV text (82% of its first 121 bytes are NUL or other control characters)")
        // One NUL in a row of text is that row's problem, not the file's.
        #expect(refusal(Array("id,date\n1,05/0\u{0}3/2019\n2,05/03/2019\n".utf8)) == nil)
        // A run of NUL bytes on one line of a text export (a block a failed copy left) is that row's problem, as it is
        // further into the file; the same share of NULs on most lines, or most of the block in NULs, is binary.
        let rows = (0..<60).map { "\($0),05/03/2019\n" }.joined()
        #expect(refusal(Array("id,date\n".utf8) + [UInt8](repeating: 0, count: 200) + [0x0A] + Array(rows.utf8)) == nil)
        #expect(refusal(Array("id,date\n".utf8) + Array(rows.utf8).split(separator: 0x0A).flatMap { $0 + [0, 0x0A] }) != nil)
        #expect(refusal(Array("id,date\n1,05/03/2019\n".utf8) + [UInt8](repeating: 0, count: 2_000) + [0x0A] + Array(rows.utf8)) != nil)
        // Page breaks (form feeds, vertical tabs) on short pages are text, however many.
        #expect(refusal(Array("id,date\n\u{0C}\n1,05/03/2019\n\u{0C}\u{0B}\n\u{0C}\n".utf8)) == nil)
        #expect(refusal(Array("id,date\n\u{0E}\n1,05/03/2019\n\u{0E}\u{0E}\n\u{0E}\n".utf8)) != nil)
        // A UTF-8 byte-order mark and Windows-1252 bytes are text.
        #expect(refusal([0xEF, 0xBB, 0xBF] + csv + [0xA3, 0x34, 0x30, 0x0A]) == nil)
    }

    @Test func aNamedPipeIsRefusedWithoutWaitingForAWriter() throws {
        let path = dir.path + "/pipe.csv"
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: InputError(file: "pipe.csv", message: "input unreadable: this is a named pipe (FIFO), not a regular file; "
                                   + "copy the export into the study folder as an ordinary file")) {
            _ = try CSVFileReader(path: path, displayName: "pipe.csv").read { _ in }
        }
    }

    @Test func devicesAndFoldersAreRefused() throws {
        #expect(throws: InputError(file: "zero.csv", message: "input unreadable: this is a character device, not a regular file; "
                                   + "copy the export into the study folder as an ordinary file")) {
            _ = try CSVFileReader(path: "/dev/zero", displayName: "zero.csv").read { _ in }
        }
        #expect(throws: InputError.self) { _ = try CSVFileReader(path: dir.path, displayName: "folder").read { _ in } }
    }
}
