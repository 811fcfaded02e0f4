import Testing
@testable import WardsleepKit

/// `validate` lists each coded field's distinct unmapped values once (count and first line), the rows set aside by
/// design, a file's true encoding, and the comments no codebook theme matched.
@Suite struct ValidateListingTests {
    @Test func distinctUnmappedValuesSetAsideAndUnthemedComments() throws {
        let dir = TempFolder()
        dir.write("study.yaml", studyYAML("exclude_wards: [F1]\nexports:\n  incidents: { file: incidents.csv }\n  feedback: { file: feedback.csv }\n"
                                          + "  hypnotics: { file: hypnotics.csv }\n"))
        dir.write("hypnotics.csv", "date,ward,product,quantity\n" + String(repeating: "05/03/2019,A1,Paracetamol 500mg tablets,32\n", count: 3))
        var csv = "id,date,ward,category,severity\n"
        for i in 0..<30 { csv += "I\(i),05/03/2019,A1,Falls,\(i % 3 == 0 ? "Grade 2" : i % 3 == 1 ? "Low" : "Grade 5")\n" }
        csv += "I30,05/03/2019,F1,Falls,Grade 2\n"
        dir.write("incidents.csv", csv)
        dir.write("feedback.csv", bytes: Array("id,group,stage,text\n1,Patient,before,Lovely food\n2,Patient,after,Call Dr Jones on 07700 900123\n3,Staff,after,It was quieter\n4,Staff,after,The garden was nice\n".utf8))
        let result = try StudyValidation.validate(folder: dir.path, keyFile: nil, environment: [:], showProblems: 5)
        let lines = result.lines
        // Rows 2, 5, ... (i % 3 == 0): "Grade 2", 10 rows from line 2; i % 3 == 2: "Grade 5", 10 rows from line 4.
        let at = try #require(lines.firstIndex { $0.hasPrefix("  unmapped harm level in column \"severity\"") })
        #expect(Array(lines[at...(at + 2)]) == [
            "  unmapped harm level in column \"severity\" (expected no harm, low, moderate, severe, death or a synonym "
                + "(map local labels in study.yaml exports.incidents.values.severity)):",
            "    \"Grade 2\": 10 rows, first on line 2",
            "    \"Grade 5\": 10 rows, first on line 4",
        ])
        // No per-row line for them.
        #expect(!lines.contains { $0.contains("incidents.csv:2:") })
        // Unknown products are labels too: listed once.
        #expect(lines.contains("  unknown product in column \"product\" (no formulary drug named; add it under formulary in study.yaml):"))
        #expect(lines.contains("    \"Paracetamol 500mg tablets\": 3 rows, first on line 2"))
        #expect(lines.contains("incidents.csv: 31 rows read, 11 accepted, 20 quarantined (64.5%)"))
        #expect(lines.contains("  set aside (accepted, not analysed): excluded by design: 1"))
        #expect(lines.contains("  3 of 4 comments matched no codebook theme or request (extend the codebook: feedback.codebook in study.yaml); for example:"))
        #expect(lines.contains("    \"Lovely food\""))
        // Examples are redacted.
        #expect(lines.contains { $0.hasPrefix("    \"Call ") } && !lines.contains { $0.contains("07700") || $0.contains("Jones") })
    }
}
