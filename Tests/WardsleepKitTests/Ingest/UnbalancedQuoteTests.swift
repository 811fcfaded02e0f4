import Testing
@testable import WardsleepKit

/// Stray quotes against legitimate quoted line breaks (see `UnbalancedQuote`): both sides of each rule, the line the
/// quote opens on, the lines it swallowed, and rows read counting physical lines.
@Suite struct UnbalancedQuoteTests {
    let dir = TempFolder()
    let study = testStudy("""
    exports:
      incidents: { categories: { "Violence and aggression": violence, "Self harm": self_harm } }

    """)
    var spec: ExportSpec { study.exports[.incidents] }
    let header = "id,date,time,ward,category,description\n"

    func incidents(_ body: String) throws -> (ExportTally, [IncidentRecord], ProblemLog) {
        let path = dir.write("incidents.csv", header + body)
        let context = NormaliseContext(study: study, pseudonymiser: nil)
        let result = try ingest(path, spec: spec, IncidentNormaliser(context: context, spec: spec))
        #expect(result.0.rowsRead == result.0.accepted + result.0.quarantined)
        return result
    }

    @Test func multiLineQuotedCommentsWithCommasAndQuotesStayLegal() throws {
        let (t, records, log) = try incidents("""
        I1,05/03/2019,02:10,A1,Self harm,"Hit out, said ""go away"", then settled.\r\nSlept after, 03:00.\r\n\r\nNo injury"
        I2,05/03/2019,02:10,A1,Self harm,"One, two, three
        four, five, six, seven, eight
        ""quoted"" end"
        I3,05/03/2019,02:10,A1,Self harm,plain

        """)
        #expect(log.problems.map(\.message) == [])
        #expect(t.rowsRead == 3 && t.accepted == 3 && records.map(\.id) == ["I1", "I2", "I3"])
    }

    @Test func strayQuoteInTheFirstRowAndColumnSwallowingToTheEndOfTheFile() throws {
        let (t, _, log) = try incidents("""
        "I1,05/03/2019,02:10,A1,Self harm,x
        I2,05/03/2019,02:10,A1,Self harm,x
        I3,05/03/2019,02:10,A1,Self harm,x

        """)
        #expect(log.problems.map(\.message) == [
            "incidents.csv:2: column \"id\": unbalanced quote: a quoted field opens on this line and swallows lines 3 to 4 (the file ends inside it); quarantined as 3 rows",
        ])
        #expect(t.rowsRead == 3 && t.accepted == 0 && t.quarantined == 3)
        #expect(log.problems[0].rows == 3)
    }

    @Test func strayQuoteMidFileClosedByALaterQuotedField() throws {
        // The stray runs on until the quote that opens I3's description: a quote inside it that is not doubled.
        let (t, records, log) = try incidents("""
        I1,05/03/2019,02:10,A1,Self harm,x
        I2,05/03/2019,02:10,A1,"Self harm,x
        I3,05/03/2019,02:10,A1,Self harm,"said ""no""\"
        I4,05/03/2019,02:10,A1,Self harm,x

        """)
        #expect(log.problems.map(\.message) == [
            "incidents.csv:3: column \"category\": unbalanced quote: a quoted field opens on this line and swallows line 4 (a quote inside it is not doubled); quarantined as 2 rows",
        ])
        #expect(t.rowsRead == 4 && t.accepted == 2 && t.quarantined == 2 && records.map(\.id) == ["I1", "I4"])
    }

    @Test func strayQuoteInTheLastColumnClosedByAnotherInTheSameColumn() throws {
        // Field count intact and no undoubled quote: the whole lines inside the field read as rows of their own.
        let (t, records, log) = try incidents("""
        I1,05/03/2019,02:10,A1,Self harm,"Quiet night
        I2,05/03/2019,02:10,A1,Self harm,x
        I3,05/03/2019,02:10,A1,Self harm,x,,
        I4,05/03/2019,02:10,A1,Self harm,height 5'10"
        I5,05/03/2019,02:10,A1,Self harm,x

        """)
        #expect(log.problems.map(\.message) == [
            "incidents.csv:2: column \"description\": unbalanced quote: a quoted field opens on this line and swallows lines 3 to 5 (line 3 reads as a row of its own); quarantined as 4 rows",
        ])
        #expect(t.rowsRead == 5 && t.accepted == 1 && t.quarantined == 4 && records.map(\.id) == ["I5"])
    }

    @Test func strayQuoteThatShiftsTheColumns() throws {
        // Opened in the date column, closed by a stray quote at the end of the next line: two fields, not six.
        let (t, _, log) = try incidents("""
        I1,"05/03/2019,02:10,A1,Self harm,x
        I2,05/03/2019,02:10,A1,Self harm,x"
        I3,05/03/2019,02:10,A1,Self harm,x

        """)
        #expect(log.problems.map(\.message) == [
            "incidents.csv:2: column \"date\": unbalanced quote: a quoted field opens on this line and swallows line 3 (the row then has 2 fields where the header has 6); quarantined as 2 rows",
        ])
        #expect(t.rowsRead == 3 && t.accepted == 1 && t.quarantined == 2)
    }

    /// A row whose quotes balance, with prose typed over two lines in a quoted field and a field too many or too few,
    /// is a ragged row counted once: no delimiter in the text with the line break, so nothing was swallowed.
    @Test func aRaggedRowWithAQuotedLineBreakIsRaggedNotAStrayQuote() throws {
        let (t, records, log) = try incidents("I1,05/03/2019,02:10,A1,Self harm,\"two\r\nlines\",extra\nI2,05/03/2019,02:10,A1,\"two\nlines\"\n"
            + "I3,05/03/2019,02:10,A1,Self harm,x\n")
        #expect(log.problems.map(\.message) == [
            "incidents.csv:2: ragged row: 7 fields where the header has 6",
            "incidents.csv:4: ragged row: 5 fields where the header has 6",
        ])
        #expect(t.rowsRead == 3 && t.accepted == 1 && t.quarantined == 2 && records.map(\.id) == ["I3"])
    }

    @Test func strayQuoteAtTheEndOfTheFileAndBlankLinesItSwallowed() throws {
        let (t, _, log) = try incidents("I1,05/03/2019,02:10,A1,Self harm,x\nI2,05/03/2019,02:10,A1,Self harm,\"x\n\n  \nI3,05/03/2019\n   ")
        #expect(log.problems.map(\.message) == [
            "incidents.csv:3: column \"description\": unbalanced quote: a quoted field opens on this line and swallows lines 4 to 7 (the file ends inside it); quarantined as 2 rows",
        ])
        #expect(t.rowsRead == 3 && t.quarantined == 2 && t.blankLines == 3)
    }

    @Test func aRecordThatOnlyStartsOnAnEarlierLineNamesTheLineTheQuoteOpensOn() throws {
        // A legitimate line break in the ward (lines 2 to 3), then a stray quote on line 3 that runs to the end.
        let (t, _, log) = try incidents("I1,05/03/2019,02:10,\"A1\n\",Self harm,\"x\nI2,05/03/2019,02:10,A1,Self harm,x\n")
        #expect(log.problems.map(\.message) == [
            "incidents.csv:2: column \"description\": unbalanced quote: a quoted field opens on line 3 and swallows line 4 (the file ends inside it); quarantined as 3 rows",
        ])
        #expect(t.rowsRead == 3)
    }

    /// A narrative listing things over several lines, with a line of exactly the header's commas, or a first and last
    /// line whose commas would complete a row and begin one: no date where the row's date would be, so no row was
    /// swallowed, and the record is read as one row.
    @Test func aNarrativeLineShapedLikeARowWithoutADateStaysLegal() throws {
        let (t, records, log) = try incidents("I1,05/03/2019,02:10,A1,Self harm,\"Found:\nlighter, belt, cord, lace, pen, glass\nremoved\"\n"
            + "I2,05/03/2019,02:10,A1,Self harm,\"\n,,,,,\"\n"
            + "I3,05/03/2019,02:10,A1,Self harm,\"Kept awake by\nlights, doors, checks, phones, alarms,\"\n")
        #expect(log.problems.map(\.message) == [])
        #expect(t.rowsRead == 3 && t.accepted == 3 && records.map(\.id) == ["I1", "I2", "I3"])
    }

    /// A stray quote in the last column closed by the quote that opens the same column of a later row: the last line
    /// begins a row up to that column, with its date in place.
    @Test func aStrayQuoteClosedInTheSameColumnOfALaterRowIsFoundByTheDateOnItsLastLine() throws {
        let (t, records, log) = try incidents("I1,05/03/2019,02:10,A1,Self harm,\"Kept awake by\nI2,06/03/2019,02:10,A1,Self harm,\"\n"
            + "I3,07/03/2019,02:10,A1,Self harm,x\n")
        #expect(log.problems.map(\.reason) == [
            "unbalanced quote: a quoted field opens on this line and swallows line 3 (line 3 reads as a row of its own); quarantined as 2 rows",
        ])
        #expect(t.rowsRead == 3 && t.quarantined == 2 && records.map(\.id) == ["I3"])
    }

    @Test func aNarrativeLineShapedLikeARowWithADateInPlaceIsQuarantinedAndNamed() throws {
        // The rule's other side, documented: five commas on an inner line, and a date second, as a swallowed six-column
        // row has.
        let (t, _, log) = try incidents("I1,05/03/2019,02:10,A1,Self harm,\"Found:\nlighter, 06/03/2019, cord, lace, pen, glass\nremoved\"\n")
        #expect(log.problems.map(\.reason) == [
            "unbalanced quote: a quoted field opens on this line and swallows lines 3 to 4 (line 3 reads as a row of its own); quarantined as 3 rows",
        ])
        #expect(t.rowsRead == 3 && t.quarantined == 3)
    }

    /// What a row's date cell holds, right or wrong, is a date; other text is not.
    @Test func datesInEveryFormAndOnlyDatesLookLikeDates() {
        for cell in ["05/03/2019", " 05/03/2019 02:10 ", "2019-03-05T02:10:00", "03/25/2019", "31/02/2019", "05/03/19", "5.3.2019",
                     "01-Jan-2019", "\"05/03/2019\"", "JAN-01-19"] {
            #expect(Array(cell.utf8).withUnsafeBufferPointer { UnbalancedQuote.looksLikeDate($0) }, "\(cell)")
        }
        for cell in ["", " ", "lighter", "glass", "2019", "05/03", "05/03/2019/1", "1/2/12345", "a/b/c", "05/03-2019", "3 beds"] {
            #expect(!Array(cell.utf8).withUnsafeBufferPointer { UnbalancedQuote.looksLikeDate($0) }, "\(cell)")
        }
    }

    @Test func theReaderNotesUndoubledQuotesAndInnerLines() throws {
        let path = dir.write("x.csv", "a,b,c\n1,\"x \"y\" z\",2\n\"p\n\n1,2,3,,\nq\",r,s\n")
        var records: [CSVRecord] = []
        _ = try CSVFileReader(path: path, displayName: "x.csv").read { records.append($0) }
        #expect(records.map(\.undoubledQuote) == [false, true, false])
        #expect(records[1].text(1) == "x \"y\" z")
        #expect(records[2].line == 3 && records[2].endLine == 6 && records[2].quoteLine == 3)
        #expect(records[2].innerBlankLines == 1 && records[2].rowLikeLine == 5)
    }

    @Test func aHeaderWithAnUnbalancedQuoteIsRefusedWithoutItsText() throws {
        let path = dir.write("incidents.csv", "id,date,\"time,ward,category\nI1,05/03/2019,02:10,A1,Self harm\n")
        let context = NormaliseContext(study: study, pseudonymiser: nil)
        #expect(throws: InputError(file: "incidents.csv", line: 1, message: "the header row has an unbalanced quote: a quoted label opens on "
                                   + "this line and runs on to line 2 (the file ends inside it); fix the quote in the header")) {
            _ = try ingest(path, spec: spec, IncidentNormaliser(context: context, spec: spec))
        }
    }
}
