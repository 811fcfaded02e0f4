import Foundation
import Testing
@testable import WardsleepKit

/// The library is organised by stage, and data flows one way: a file uses only types declared in its own stage or in
/// an earlier one (Support → Study → Ingest → Normalise → Analysis → Release → Report → Pool → Runs). This test reads
/// every source file and fails on a type used against that order, so the structure stays visible as the code grows.
@Suite struct StageOrderTests {
    static let order = ["Support", "Study", "Ingest", "Normalise", "Analysis", "Release", "Report", "Pool", "Runs", "Sample"]

    /// Uses against the order that are deliberate, each with its reason. A new one fails the test until it is fixed or
    /// listed here with a reason.
    static let allowed: [String: String] = [
        // Loading study.yaml checks dates, date orders, products and the formulary with the same parsers that read the
        // exports, so the loader and the study definition use them rather than keep a second copy.
        "Study/StudyLoader.swift -> DateOrder": "dates in study.yaml", "Study/StudyLoader.swift -> FieldParsing": "dates in study.yaml",
        "Study/StudyDefinition.swift -> DateOrder": "date_format", "Study/StudyDefinition.swift -> FormularyExtension": "formulary:",
        "Study/StudyBuilderSections.swift -> DateOrder": "date_format", "Study/StudyBuilderSections.swift -> ProductParser": "products:",
        "Study/StudyBuilderSections.swift -> DrugGroup": "formulary:", "Study/StudyBuilderSections.swift -> FormularyDrug": "formulary:",
        "Study/StudyBuilderSections.swift -> Formulary": "formulary:", "Study/StudyBuilderSections.swift -> FormularyExtension": "formulary:",
        "Study/StudyDraftYAML.swift -> DateOrder": "the draft's date_format",
        // `init --from-exports` drafts study.yaml by reading the exports' headers and first rows with the CSV reader.
        "Study/StudyDraft.swift -> TextDecoding": "reads export headers", "Study/StudyDraft.swift -> UTF8Check": "reads export headers",
        "Study/StudyDraft.swift -> CSVFileSummary": "reads export headers", "Study/StudyDraft.swift -> CSVFileReader": "reads export headers",
        "Study/StudyDraft.swift -> FieldParsing": "reads export dates",
        // Every path study.yaml names (key file, codebook, draft output) is resolved by the one path guard.
        "Study/StudyLoader.swift -> PathGuard": "paths in study.yaml", "Study/StudyDraftYAML.swift -> PathGuard": "draft output path",
        "Normalise/Pseudonymiser.swift -> PathGuard": "the key file path",
    ]

    @Test func everyFileUsesOnlyItsOwnAndEarlierStages() throws {
        let root = packageRoot() + "/Sources/WardsleepKit"
        var declaredIn: [String: String] = [:]
        var texts: [(stage: String, file: String, text: String)] = []
        let declaration = try NSRegularExpression(pattern: #"^(?:public |final |fileprivate |private )*(?:struct|enum|class|protocol) (\w+)"#,
                                                  options: .anchorsMatchLines)
        for stage in Self.order {
            for file in try FileManager.default.contentsOfDirectory(atPath: root + "/" + stage).filter({ $0.hasSuffix(".swift") }).sorted() {
                let raw = try String(contentsOfFile: "\(root)/\(stage)/\(file)", encoding: .utf8)
                let text = raw.split(separator: "\n").map { line in line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line) }
                    .joined(separator: "\n")
                for m in declaration.matches(in: raw, range: NSRange(raw.startIndex..., in: raw)) {
                    declaredIn[String(raw[Range(m.range(at: 1), in: raw)!])] = stage
                }
                texts.append((stage, file, text))
            }
        }
        #expect(Set(texts.map(\.stage)) == Set(Self.order), "a stage folder was renamed or added: update the order")
        var found: Set<String> = []
        for (stage, file, text) in texts {
            let rank = Self.order.firstIndex(of: stage)!
            for (name, home) in declaredIn where home != "Sample" && Self.order.firstIndex(of: home)! > rank {
                guard text.range(of: #"\b\#(name)\b"#, options: .regularExpression) != nil else { continue }
                let use = "\(stage)/\(file) -> \(name)"
                found.insert(use)
                #expect(Self.allowed[use] != nil, "\(use) (declared in \(home)/) runs against the stage order")
            }
        }
        for use in Self.allowed.keys where !found.contains(use) {
            Issue.record("\(use) is allowed but no longer happens: remove it from the list")
        }
    }
}
