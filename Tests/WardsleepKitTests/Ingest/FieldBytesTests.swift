import Testing
@testable import WardsleepKit

/// Fields lent by a row as views into the record's bytes (`FieldBytes`) read exactly as array slices do: every parser
/// gives the same value or the same reason for either, at any offset into the record, and a row's trimmed fields are
/// the bytes libcsv delivered, trimmed as before.
@Suite struct FieldBytesTests {
    /// Bytes that reach every branch of the parsers: digits, separators, signs, units, white space, UTF-8 and
    /// Windows-1252 bytes.
    static let alphabet: [UInt8] = Array("0123456789/-.:+ TZe,mgYyNnoOtrufasl\t\r\n".utf8) + [0xC3, 0xA9, 0xE9, 0x80, 0xF0]

    /// What each parser makes of `s`, as text: values and reasons alike.
    func readings(_ s: some FieldByteCollection) -> [String] {
        func shown<T>(_ body: () throws(FieldIssue) -> T) -> String {
            do { return "\(try body())" } catch { return "issue: \(error.reason)" }
        }
        let split = DoseUnit.split(s)
        return DateOrder.allCases.flatMap { order in
            [shown { () throws(FieldIssue) in try FieldParsing.date(s, order: order) },
             shown { () throws(FieldIssue) in try FieldParsing.dateTime(s, order: order) },
             "\(String(describing: s.withFieldBuffer { FieldParsing.commonDateTime($0, order: order).map { "\($0.day) \(String(describing: $0.time)) \(String(describing: $0.evident))" } }))"]
        } + [
            shown { () throws(FieldIssue) in try FieldParsing.time(s) },
            shown { () throws(FieldIssue) in try FieldParsing.integer(s) },
            shown { () throws(FieldIssue) in try FieldParsing.integer(s, in: -5...500, below: "low", above: "high") },
            shown { () throws(FieldIssue) in try FieldParsing.decimal(s) },
            shown { () throws(FieldIssue) in try FieldParsing.flag(s) },
            shown { () throws(FieldIssue) in try doseMg(s) },
            shown { () throws(FieldIssue) in try bedCount(s) },
            "\(String(describing: FieldParsing.evidentOrder(s)))",
            "\(String(describing: FieldParsing.exactDecimal(s)))",
            "\(String(describing: FieldParsing.integerValue(s)))",
            "\(TextDecoding.decode(s))",
            "\(UTF8Check.isValid(s))",
            "\(Pseudonymiser.normalise(s))",
            "\(ShortLabelKey.fnv1a(s))",
            "\(Array(s.trimmingWhitespace())) \(s.trimmingWhitespace().startIndex)",
            "\(Array(split.number)) \(Array(split.unit)) \(split.unit.startIndex)",
        ]
    }

    @Test func everyParserReadsABorrowedViewAsItReadsAnArraySlice() {
        var random = SampleRandom(seed: 12)
        let fixed = ["05/03/2019", "2019-03-05T02:10:00", "05/03/2019 22:30", "13/25/2019", "7.5 mg", "1e6", " Yes ",
                     "-0.25", "9999999999999999999", "23:59:60", "0930", "caf\u{E9}", "943 476 5919", ""]
        var cells = fixed.map { Array($0.utf8) }
        for _ in 0..<4_000 {
            cells.append((0..<Int(random.next() % 14)).map { _ in Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))] })
        }
        for cell in cells {
            // The cell sits inside a longer record, so its indices do not start at 0.
            let offset = Int(random.next() % 9)
            let record = Array(repeating: UInt8(ascii: ","), count: offset) + cell + [UInt8(ascii: ",")]
            let slice = record[offset..<(offset + cell.count)]
            let borrowed = record.withUnsafeBufferPointer { buffer in readings(buffer[offset..<(offset + cell.count)]) }
            #expect(borrowed == readings(slice), "\(cell)")
        }
    }

    @Test func aRowLendsEachFieldTrimmedAsTheRecordHoldsIt() throws {
        let text = "datetime,ward,patient,drug,dose_mg\r\n"
            + " 05/03/2019 22:30 ,A1,\t P1 ,\"Zopiclone, 7.5mg\",  \r\n"
            + "05/03/2019 22:30,,P2,\"multi\nline\" ,7.5 mg\r\n"
            + "x,caf\u{E9} ,P3\n"
        let spec = ExportSpec(kind: .hypnotics, file: "x.csv", hypnoticsKind: .administrations)
        var layout: ExportLayout?
        var seen = 0
        _ = try CSVFileReader(text: text, displayName: "x.csv").read { record in
            guard let layout else {
                let labels = (0..<record.fieldCount).map { record.text($0) }
                layout = ExportLayout(header: try ExportHeader(labels: labels, spec: spec, file: "x.csv"), spec: spec)
                return
            }
            record.withView { view in ExportRow.withRow(view, layout: layout) { row in
                for (field, column) in layout.header.index {
                    // The owned record's own trimming (over its array) is the reference for the lent view's.
                    let expected = column < record.fieldCount ? record.trimmedField(column) : nil
                    #expect(row.bytes(field).map(Array.init) == expected.map(Array.init), "line \(row.line) \(field)")
                    #expect(row.bytes(field)?.startIndex == expected?.startIndex)
                    seen += 1
                }
            } }
        }
        #expect(seen == 15)
    }

    /// The layout finds every field the header has at its column, and none it lacks, whichever fields share a bucket
    /// (names of one length starting with one letter: `date`, `drug`).
    @Test func theLayoutFindsEachFieldAtItsColumn() throws {
        for (kind, hypnotics) in [(ExportKind.hypnotics, HypnoticsExportKind.administrations), (.hypnotics, .issues), (.incidents, .issues),
                                  (.observations, .issues), (.occupancy, .issues), (.feedback, .issues), (.sleepPlans, .issues),
                                  (.involvement, .issues)] {
            let spec = ExportSpec(kind: kind, file: "x.csv", hypnoticsKind: hypnotics)
            let fields = kind.fields(hypnotics: hypnotics).map(\.name)
            let header = try ExportHeader(labels: fields, spec: spec, file: "x.csv")
            let layout = ExportLayout(header: header, spec: spec)
            for field in fields { #expect(layout.column(field) == header.index[field], "\(kind) \(field)") }
            for absent in ["", "d", "date_", "drugs", "dose", "wardx", "a_field_name_longer_than_sixteen_bytes"]
            where header.index[absent] == nil {
                #expect(layout.column(absent) == nil, "\(kind) \(absent)")
            }
        }
    }
}
