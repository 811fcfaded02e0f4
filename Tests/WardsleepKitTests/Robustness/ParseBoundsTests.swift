import Testing
@testable import WardsleepKit

/// Counts, quantities and strengths past their plausible limits are quarantined with a reason naming the limit, so
/// that no sum can overflow and no published figure is absurd.
@Suite struct ParseBoundsTests {
    let study = testStudy()
    var context: NormaliseContext { NormaliseContext(study: study, pseudonymiser: nil) }

    func problems<N: RecordNormaliser>(_ csv: String, _ kind: ExportKind, _ normaliser: N,
                                       hypnotics: HypnoticsExportKind = .issues) throws -> (accepted: Int, reasons: [String]) {
        let dir = TempFolder()
        let path = dir.write("export.csv", csv)
        let (tally, _, log) = try ingest(path, spec: ExportSpec(kind: kind, file: "export.csv", hypnoticsKind: hypnotics), normaliser)
        return (tally.accepted, log.problems.map { "\($0.line) \($0.field): \($0.reason)" })
    }

    @Test func occupiedBedsAreBounded() throws {
        let csv = """
            date,ward,occupied_beds,leave_beds
            01/03/2019,A1,10000,0
            02/03/2019,A1,10001,0
            03/03/2019,A1,9223372036854775807,0
            04/03/2019,A1,99999999999999999999,0
            05/03/2019,A1,-1,0
            06/03/2019,A1,12,-99999999999999999999

            """
        let r = try problems(csv, .occupancy, OccupancyNormaliser(context: context))
        #expect(r.accepted == 1)
        #expect(r.reasons == [
            "3 occupied_beds: implausible count: more than 10,000 beds on one ward on one day",
            "4 occupied_beds: implausible count: more than 10,000 beds on one ward on one day",
            "5 occupied_beds: implausible count: more than 10,000 beds on one ward on one day",
            "6 occupied_beds: negative count: expected 0 or more",
            "7 leave_beds: negative count: expected 0 or more",
        ])
    }

    @Test func issueQuantitiesAreBoundedEitherWay() throws {
        let csv = """
            date,ward,product,quantity
            01/03/2019,A1,Zopiclone 7.5mg tablets,1000000
            01/03/2019,A1,Zopiclone 7.5mg tablets,-1000000
            01/03/2019,A1,Zopiclone 7.5mg tablets,10000000000000000000
            01/03/2019,A1,Zopiclone 7.5mg tablets,-1000001
            01/03/2019,A1,Zopiclone 7.5mg tablets,100000000

            """
        let r = try problems(csv, .hypnotics, HypnoticIssueNormaliser(context: context))
        #expect(r.accepted == 2)
        #expect(r.reasons == [
            "4 quantity: implausible quantity: more than 1,000,000 units on one row",
            "5 quantity: implausible quantity: more than 1,000,000 units on one row",
            "6 quantity: implausible quantity: more than 1,000,000 units on one row",
        ])
    }

    @Test func strengthsOfZeroOrAbsurdSizeAreRefused() throws {
        let parser = ProductParser(formulary: Formulary.builtIn())
        #expect(throws: FieldIssue("implausible strength: 0 mg in the product name")) { try parser.parse("Zopiclone 0mg tablets") }
        #expect(throws: FieldIssue("implausible strength: 0 mg in the product name")) { try parser.parse("Zopiclone 0.0 mg tablets") }
        #expect(throws: FieldIssue("implausible strength: more than 10,000 mg per unit")) {
            try parser.parse("Zopiclone 100000000000000000000000mg tablets")
        }
        #expect(throws: FieldIssue("implausible strength: more than 10,000 mg per unit")) { try parser.parse("Zopiclone 11g tablets") }
        #expect(throws: FieldIssue("implausible concentration: the strength must be per more than 0 and at most 1,000 ml")) {
            try parser.parse("Promethazine 5mg/0ml oral solution")
        }
        #expect(try parser.parse("Zopiclone 10g tablets").strengthMg == 10_000)
        #expect(try parser.parse("Melatonin 500mcg tablets").strengthMg == 0.5)

        let csv = """
            date,ward,product,quantity,strength_mg
            01/03/2019,A1,Zopiclone tablets,28,7.5
            01/03/2019,A1,Zopiclone tablets,28,0
            01/03/2019,A1,Zopiclone tablets,28,100000000000000000000000
            01/03/2019,A1,Zopiclone 0mg tablets,28,7.5

            """
        let r = try problems(csv, .hypnotics, HypnoticIssueNormaliser(context: context))
        #expect(r.accepted == 1)
        #expect(r.reasons == [
            "3 strength_mg: not a positive amount: expected a number above 0",
            "4 strength_mg: implausible strength: more than 10,000 mg per unit",
            "5 product: implausible strength: 0 mg in the product name",
        ])
    }

    /// A run of 40,000 digits took minutes to search for a strength (the pattern backtracks from every digit).
    @Test func aVeryLongProductNameIsRefusedBeforeItIsSearched() {
        let parser = ProductParser(formulary: Formulary.builtIn())
        #expect(throws: FieldIssue("implausible product name: longer than 300 characters")) {
            try parser.parse("Zopiclone " + String(repeating: "1", count: 40_000) + " tablets")
        }
        let longest = "Zopiclone 7.5mg tablets " + String(repeating: "x", count: 276)
        #expect(longest.count == 300 && (try? parser.parse(longest))?.strengthMg == 7.5)
    }

    @Test func administeredDosesAreBounded() throws {
        let csv = """
            datetime,ward,patient,drug,dose_mg
            01/03/2019 22:00,A1,9434765919,Zopiclone,7.5
            01/03/2019 22:00,A1,9434765919,Zopiclone,1e6
            01/03/2019 22:00,A1,9434765919,Zopiclone,10000.5
            01/03/2019 22:00,A1,9434765919,Zopiclone,-inf
            01/03/2019 22:00,A1,9434765919,Zopiclone,0x10
            01/03/2019 22:00,A1,9434765919,Zopiclone,1e400

            """
        let context = NormaliseContext(study: study, pseudonymiser: try Pseudonymiser(keyText: testKey, source: .environment))
        let r = try problems(csv, .hypnotics, HypnoticAdministrationNormaliser(context: context), hypnotics: .administrations)
        #expect(r.accepted == 1)
        #expect(r.reasons == ["3 dose_mg: not a number as an export writes one: an exponent (1e3) is not read; write the number in full",
                              "4 dose_mg: implausible dose: more than 10,000 mg in one dose",
                              "5 dose_mg: not a number: expected a dose such as 7.5 or 7.5 mg",
                              "6 dose_mg: not a number: expected a dose such as 7.5 or 7.5 mg",
                              "7 dose_mg: not a number as an export writes one: an exponent (1e3) is not read; write the number in full"])
    }

    @Test func theLabelAllIsNeverCountedAsACategory() throws {
        let csv = """
            id,date,ward,category
            1,01/03/2019,A1,Violence
            2,01/03/2019,A1,ALL
            3,01/03/2019,A1,  all

            """
        let r = try problems(csv, .incidents, IncidentNormaliser(context: context, spec: ExportSpec(kind: .incidents)))
        #expect(r.accepted == 1)
        let reason = "category: reserved category: \"all\" names the total over all categories; map this label to another name in "
            + "study.yaml exports.incidents.categories"
        #expect(r.reasons == ["3 " + reason, "4 " + reason])
    }

    @Test func boundedIntegerParsing() throws {
        let parse = { (s: String) in
            Result { () throws(FieldIssue) in
                try FieldParsing.integer(ArraySlice(Array(s.utf8)), in: -5...5, below: "too small", above: "too large")
            }
        }
        #expect(try parse("5").get() == 5)
        #expect(try parse("-5").get() == -5)
        #expect(try parse("+3").get() == 3)
        #expect(throws: FieldIssue("too large")) { try parse("6").get() }
        #expect(throws: FieldIssue("too small")) { try parse("-6").get() }
        #expect(throws: FieldIssue("too large")) { try parse("123456789012345678901234567890").get() }
        #expect(throws: FieldIssue("too small")) { try parse("-123456789012345678901234567890").get() }
        #expect(throws: FieldIssue("not a whole number")) { try parse("1.5").get() }
        #expect(throws: FieldIssue("not a whole number: remove thousands separators")) { try parse("1,000").get() }
    }
}
