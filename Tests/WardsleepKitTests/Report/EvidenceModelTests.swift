import Foundation
import Testing
@testable import WardsleepKit

/// One evidence model, rendered many ways: the analyses are computed once into `Evidence` (plain data), the release
/// step makes the view, and every format renders that view and nothing else.
@Suite struct EvidenceModelTests {
    /// The sample study's evidence, computed in process as `wardsleep run` computes it.
    func sampleEvidence() throws -> Evidence {
        let folder = packageRoot() + "/data/sample"
        let loaded = try LoadedStudy.load(folder: folder, keyFile: nil, environment: [:])
        let digests = Dictionary(uniqueKeysWithValues: ExportKind.allCases.map { ($0, ProblemDigest(keep: 200)) })
        let analyses = try StudyAnalyses(study: loaded.study, folder: folder)
        let ingest = try StudyIngest.run(folder: folder, context: loaded.context, problems: ProblemRouter(digests: digests, quarantine: nil),
                                         consumer: analyses.consumer)
        return Evidence(study: loaded.study, ingest: ingest, analyses: analyses, problems: digests)
    }

    /// Every file of both copies of the report, rendered from `evidence` into a new folder: relative path → bytes.
    func render(_ evidence: Evidence, in dir: TempFolder, _ name: String) throws -> [String: Data] {
        let out = dir.path + "/" + name
        let staging = try OutputStaging(destination: out)
        var outputs: [Manifest.Output] = []
        let formats: Set<OutputFormat> = [.md, .html, .json, .csv]
        try StudyRun.writeReport(Release.view(evidence, style: .published(evidence.study.disclosure)), formats: formats, into: staging, under: "",
                                 outputs: &outputs)
        try StudyRun.writeReport(Release.view(evidence, style: .exact), formats: formats, into: staging, under: "restricted/", outputs: &outputs)
        try staging.commit()
        var files: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: out)! {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: out + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[path] = FileManager.default.contents(atPath: out + "/" + path)
            }
        }
        return files
    }

    /// The evidence is plain data: written out and read back, it is the same value, and every format rendered from the
    /// copy read back is byte-identical to the one rendered from the original. Nothing a renderer shows can come from
    /// anywhere but the evidence.
    @Test func evidenceRoundTripsAndRendersTheSameReport() throws {
        let evidence = try sampleEvidence()
        let data = try evidence.encoded()
        let decoded = try Evidence(encoded: data)
        // Dictionaries with non-string keys encode as arrays in their own order, so the bytes may be ordered differently;
        // the content is the same size, and what matters, every rendered file, is compared byte for byte below.
        #expect(try decoded.encoded().count == data.count)
        let dir = TempFolder()
        let original = try render(evidence, in: dir, "original"), copy = try render(decoded, in: dir, "decoded")
        #expect(original.count > 30, "\(original.keys.sorted())")
        #expect(original.keys.sorted() == copy.keys.sorted())
        for (path, bytes) in original { #expect(copy[path] == bytes, "\(path) differs when rendered from the decoded evidence") }
        #expect(original["summary.md"] != nil && original["restricted/results.json"] != nil && original["tables/fidelity.csv"] != nil)
    }

    /// The evidence holds no free text unredacted: every candidate quote went through the redactor when the evidence
    /// was made, so no format can show a name a respondent wrote.
    @Test func feedbackInTheEvidenceIsAlreadyRedacted() throws {
        let evidence = try sampleEvidence()
        let quotes = evidence.feedback?.candidates.values.flatMap { $0.values.flatMap { $0 } } ?? []
        #expect(!quotes.isEmpty)
        let redactor = Redactor(names: evidence.study.feedback.names)
        for q in quotes { #expect(redactor.redact(q) == q, "an unredacted comment in the evidence: \(q)") }
    }

    /// Renderers read only the released view: no file under Report/ names an analysis accumulator, the analyses'
    /// entry point or the evidence's constructor, so a section cannot compute a statistic behind the release step.
    @Test func renderersReadOnlyTheReleasedView() throws {
        let folder = packageRoot() + "/Sources/WardsleepKit/Report"
        let accumulators = ["StudyAnalyses", "IncidentCounts", "HypnoticUse", "OccupancyTally", "FeedbackTally", "UptakeTally",
                            "FidelityTally", "TimeSeries", "WardMonthSeries", "InvolvementLedger", "Evidence(", "StudyConsumer",
                            "SafetyAnalysis.analyse", "Redactor(",
                            // Statistics: computed by the analyses, or recomputed from published counts by the release step.
                            "exactRateRatio(", "Proportion(x:", "ProportionComparison.", "UptakeSummary(", ".beforeAfter(",
                            "RankSumTest(", "ratioOfRateRatios(", "BinomialTest.", "mantelHaenszel(", "SegmentedRegression.fit",
                            "PoissonRegression.", "SPC.", ".released("]
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 20)
        for file in files {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            for name in accumulators {
                // The name of the all-categories row (`IncidentCounts.allCategories`) is a constant, not a computation.
                let uses = text.replacingOccurrences(of: "IncidentCounts.allCategories", with: "").contains(name)
                #expect(!uses, "Report/\(file) uses \(name): renderers must read the released evidence only")
            }
        }
    }

    /// No format is made by parsing another: summary.md and report.html are both written from the typed
    /// `ReportDocument`, so nothing in the library reads Markdown back.
    @Test func noFormatParsesAnother() throws {
        let root = packageRoot() + "/Sources/WardsleepKit"
        let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        for file in files {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            #expect(!text.contains("render(markdown:"), "\(file) renders from Markdown")
            #expect(!(text.contains("func body(_ markdown") || text.contains("HTMLReport.inline(MarkdownText")), "\(file) parses Markdown")
        }
        let dir = TempFolder()
        let files2 = try render(try sampleEvidence(), in: dir, "r")
        let html = String(decoding: files2["report.html"]!, as: UTF8.self)
        #expect(html.contains("<h2 id=\"key-findings\">Key findings</h2>") && !html.contains("\\*"))
    }

    /// Serious incidents withheld to protect a small count are `*` wherever they are shown: the safety section, the
    /// unintended-consequences section and results.json.
    @Test func withheldSeriousIncidentsAreShownAsWithheldEverywhere() throws {
        var evidence = try sampleEvidence()
        let exactBaseline = try #require(evidence.safety?.serious[.baseline])
        #expect(exactBaseline > 0)
        evidence.safety?.seriousWithheld = [.baseline]
        let shown = try #require(evidence.safety)
        #expect(shown.shownSerious(.baseline, style: .published(evidence.study.disclosure)) == "*")
        #expect(shown.seriousJSON(.baseline, style: .published(evidence.study.disclosure)) == .string("*"))
        #expect(shown.shownSerious(.pilot, style: .published(evidence.study.disclosure)) != "*")
        let dir = TempFolder()
        let files = try render(evidence, in: dir, "report")
        let summary = String(decoding: try #require(files["summary.md"]), as: UTF8.self)
        #expect(summary.contains("counted and never described: baseline \\*, pilot"), "the safety section")
        #expect(summary.contains("Serious incidents (severe harm or death): \\* in the baseline"), "unintended consequences")
        let json = String(decoding: try #require(files["results.json"]), as: UTF8.self)
        #expect(json.contains("\"serious_incidents\": {\n      \"baseline\": \"*\","), "results.json")
    }
}
