import Testing
@testable import WardsleepKit

/// Ward and coded labels are matched lower-cased, trimmed, with inner white space collapsed: read as bytes when the
/// label is ASCII, they must come out exactly as through Characters.
@Suite struct LabelNormalisingTests {
    static func reference(_ s: String) -> String {
        s.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    @Test func asciiLabelsReadAsThroughCharacters() {
        let fixed = ["", " ", "A1", "  Acute  Male\t", "Ward\r\n7", "WARD\u{0B}7\u{0C}", "a\u{1C}b", "x\u{1F} y", "Ward 7 (Dementia)",
                     "\t\n", "ZOPICLONE 7.5MG", "a\u{7F}b", "\r\n\r\n", "  \r\nA  B\n"]
        for s in fixed { #expect(Slug.normaliseLabel(s) == Self.reference(s), "\(s.debugDescription)") }
        // Every ASCII byte, in random labels.
        var random = SystemRandomNumberGenerator()
        let alphabet = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) } + Array("   \t\r\nAaZz")
        for _ in 0..<5_000 {
            let s = String((0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            #expect(Slug.normaliseLabel(s) == Self.reference(s), "\(s.debugDescription)")
        }
    }

    @Test func otherLabelsGoThroughCharacters() {
        for s in ["Ward\u{A0}7", "ÉCLAIR  Ward", "Ward\u{2003}7", "Ward\u{85}7", "İstanbul", "ß Ward"] {
            #expect(Slug.normaliseLabel(s) == Self.reference(s), "\(s.debugDescription)")
        }
        #expect(Slug.normaliseLabel("Ward\u{A0}7") == "ward 7")
    }
}
