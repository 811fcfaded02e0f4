import Testing
@testable import WardsleepKit

/// study.yaml values that would overflow or make published numbers absurd are configuration errors (exit 2).
@Suite struct ConfigurationLimitsTests {
    func error(_ yaml: String) -> ConfigurationError? {
        do { _ = try StudyLoader.parse(yaml); return nil } catch let e as ConfigurationError { return e } catch { return nil }
    }

    @Test func bedsAreBounded() {
        let huge = error(studyYAML().replacingOccurrences(of: "beds: 16", with: "beds: 9223372036854775807"))
        #expect(huge?.description == "study.yaml:7: wards[0].beds: expected a number of beds from 1 to 10,000, found 9223372036854775807")
        #expect(huge?.exitStatus == .configuration)
        #expect(error(studyYAML().replacingOccurrences(of: "beds: 16", with: "beds: -9223372036854775808"))?.message
            == "expected a number of beds from 1 to 10,000, found -9223372036854775808")
        #expect(error(studyYAML().replacingOccurrences(of: "beds: 16", with: "beds: 0"))?.keyPath == "wards[0].beds")
        #expect(error(studyYAML().replacingOccurrences(of: "beds: 16", with: "beds: 10000")) == nil)
    }

    @Test func duplicateWardIdsAreAnError() {
        let yaml = studyYAML().replacingOccurrences(of: "id: D1", with: "id: A1")
        let e = error(yaml)
        #expect(e?.description == "study.yaml:8: wards[1].id: ward id A1 is already the id of wards[0]; each ward needs an id of its own")
        // Ids differing only in case are the same ward label.
        #expect(error(studyYAML().replacingOccurrences(of: "id: D1", with: "id: a1"))?.keyPath == "wards[1].id")
        // An alias naming another ward is refused as before.
        #expect(error(studyYAML().replacingOccurrences(of: "\"Ward 7 (Dementia)\"", with: "\"Acute male\""))?.message
            == "ward D1 and ward A1 both answer to \"acute male\"; ids, names and aliases must be unique")
    }

    @Test func aCategoryMappedToTheReservedAllIsAnError() {
        let e = error(studyYAML("exports:\n  incidents:\n    categories: { \"Violence\": violence, \"Everything\": All }\n"))
        #expect(e?.keyPath == "exports.incidents.categories.Everything")
        #expect(e?.message == "\"All\" is reserved for the total over all categories; choose another name")
        #expect(error(studyYAML("exports:\n  incidents:\n    categories: { \"Violence\": \" \" }\n"))?.message
            == "is empty; expected the category to count it under")
    }

    @Test func labelsThatDifferOnlyInCaseMustAgree() {
        let e = error(studyYAML("exports:\n  incidents:\n    categories: { \"Self harm\": self_harm, \"SELF  HARM\": violence }\n"))
        #expect(e?.keyPath == "exports.incidents.categories.Self harm")
        #expect(e?.message == "\"Self harm\" and \"SELF  HARM\" are the same label (case and spacing are ignored) but map to different values")
        #expect(error(studyYAML("exports:\n  incidents:\n    severities: { Minor: 1, minor: 2 }\n"))?.keyPath
            == "exports.incidents.severities.minor")
        // The same value under two spellings is fine.
        #expect(error(studyYAML("exports:\n  incidents:\n    categories: { \"Self harm\": self_harm, \"SELF HARM\": self_harm }\n")) == nil)
    }

    @Test func defineDailyDosesAndDisclosureAreBounded() {
        let drug = "formulary:\n  drugs: [{ drug: clonazepam, atc: N03AE01, ddd_mg: DDD }]\n"
        #expect(error(studyYAML(drug.replacingOccurrences(of: "DDD", with: "1e-300")))?.message
            == "expected a defined daily dose from 0.001 to 10,000 mg, found 1e-300")
        #expect(error(studyYAML(drug.replacingOccurrences(of: "DDD", with: "1e300")))?.keyPath == "formulary.drugs[0].ddd_mg")
        #expect(error(studyYAML(drug.replacingOccurrences(of: "DDD", with: "0.5"))) == nil)
        #expect(error(studyYAML("disclosure: { round_to: 9223372036854775807 }\n"))?.message
            == "expected 1 (no rounding) to 1,000, found 9223372036854775807")
        #expect(error(studyYAML("disclosure: { suppress_at_or_below: 1001 }\n"))?.message == "expected 0 to 1,000, found 1001")
    }
}
