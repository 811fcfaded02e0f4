import Foundation
import Testing
@testable import WardsleepKit

/// study.yaml and codebooks: anchors and aliases are refused before anything expands them, large mappings decode in
/// linear time, and a key given twice is an error.
@Suite struct YAMLRobustnessTests {
    func error(_ yaml: String) -> ConfigurationError? {
        do { _ = try StudyLoader.parse(yaml); return nil } catch let e as ConfigurationError { return e } catch { return nil }
    }

    /// Nine levels of nine aliases: 9⁹ (387 million) strings from under 400 bytes, and the last alias is a mapping key,
    /// which Yams hashes (visiting every string) while composing.
    static let billionLaughs = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        ? *i
        : x

        """

    @Test func billionLaughsWithAnAliasAsMappingKeyIsRefusedAtOnce() {
        #expect(Self.billionLaughs.utf8.count < 1024)
        let e = error(Self.billionLaughs)
        #expect(e?.description == "study.yaml:1: uses YAML anchors and aliases (&a and *a), which study.yaml does not accept; "
            + "write each value out in full")
        #expect(e?.exitStatus == .configuration)
    }

    @Test func anAliasAsAKeyAloneIsRefused() {
        // No nesting needed: the alias as a key is what makes Yams walk the anchored node.
        let yaml = studyYAML("exports:\n  incidents:\n    categories:\n      ? &big [violence, self_harm]\n      : violence\n      ? *big\n      : other\n")
        let e = error(yaml)
        #expect(e?.line == 13)
        #expect(e?.message.hasPrefix("uses YAML anchors and aliases (&big and *big)") == true)
    }

    @Test func anAnchorInAnOtherwiseValidStudyIsRefused() {
        let yaml = studyYAML().replacingOccurrences(of: "- { id: A1,", with: "- &acute { id: A1,")
        #expect(error(yaml)?.message.hasPrefix("uses YAML anchors and aliases (&acute and *acute)") == true)
        #expect(error(yaml)?.line == 7)
    }

    @Test func codebooksRefuseAnchorsToo() {
        let text = "themes:\n  noise: &n { keywords: [noise, loud] }\n  light: *n\n"
        #expect(throws: ConfigurationError(file: "codebook.yaml", keyPath: "", line: 2,
                                           message: "uses YAML anchors and aliases (&n and *n), which codebook.yaml does not accept; "
                                               + "write each value out in full")) {
            _ = try Codebook.parse(text, file: "codebook.yaml")
        }
    }

    @Test func theCommandExitsTwoOnABillionLaughs() throws {
        let dir = TempFolder()
        dir.write("study/study.yaml", Self.billionLaughs)
        let r = try runWardsleep(["validate", dir.path + "/study"])
        #expect(r.status == 2)
        #expect(r.err.contains("study.yaml:1: uses YAML anchors and aliases (&a and *a)"))
    }

    /// 40,000 labels in `categories` took minutes through Yams' decoder (each key found by a scan of the mapping).
    @Test func fortyThousandCategoryLabelsDecode() throws {
        var yaml = studyYAML("exports:\n  incidents:\n    categories:\n")
        for i in 0..<40_000 { yaml += "      \"Local label \(i)\": category \(i % 7)\n" }
        let study = try StudyLoader.parse(yaml)
        #expect(study.exports[.incidents].categories?.count == 40_000)
        #expect(study.exports[.incidents].categories?["Local label 39999"] == "category 1")
    }

    @Test func aKeyGivenTwiceIsAnError() {
        let e = error(studyYAML("exports:\n  incidents:\n    categories: { \"Violence\": violence, \"Violence\": aggression }\n"))
        #expect(e?.description == "study.yaml:12: is not valid YAML: \"Violence\" given more than once in the same mapping")
        #expect(e?.exitStatus == .configuration)
    }

    @Test func decodingStillReadsEveryKindOfValue() throws {
        let s = try StudyLoader.parse(studyYAML("""
            date_format: iso
            disclosure: { suppress_at_or_below: 10, round_to: 10 }
            quality: { max_quarantined_percent: 2.5 }
            spc: { interval: week, screen_outliers: true }
            exports:
              incidents: { exclude_status: [REJECTED, Draft], severities: { Minor: 1 } }
              hypnotics: { kind: administrations }
            formulary:
              drugs: [{ drug: clonazepam, atc: N03AE01, ddd_mg: 8, aliases: [Rivotril] }]

            """))
        #expect(s.dateFormat == .iso && s.disclosure == DisclosurePolicy(suppressAtOrBelow: 10, roundTo: 10))
        #expect(s.quality.maxQuarantinedPercent == 2.5 && s.spc.interval == "week" && s.spc.screenOutliers)
        #expect(s.exports[.incidents].excludeStatus == ["REJECTED", "Draft"] && s.exports[.incidents].severities == ["Minor": 1])
        #expect(s.exports[.hypnotics].hypnoticsKind == .administrations)
        #expect(s.formulary.drugs.first?.dddMg == 8)
        #expect(error(studyYAML("quality: { max_quarantined_percent: [1] }\n"))?.message == "expected a number, found a list")
        #expect(error(studyYAML("quality: ~\norganisation: ~\n")) == nil)
    }
}
