import Foundation
import Testing
@testable import WardsleepKit

/// Feedback comments are coded as they are read, by the thread reading them, against one codebook compiled for the run.
@Suite struct CommentCodingTests {
    /// Every record read (on 1 thread, and on 4 threads in chunks small enough that most rows have a chunk boundary)
    /// carries the codes a coder of its own gives its text; a tally fed those records counts exactly what a tally that
    /// codes the comments itself counts.
    @Test func commentsAreCodedWhereTheyAreReadAndCountTheSame() throws {
        let folder = packageRoot() + "/data/sample"
        let study = try StudyLoader.load(folder: folder)
        let spec = study.exports[.feedback]
        let codebook = Codebook.standard()
        let compiled = CompiledCodebook(codebook)
        let context = NormaliseContext(study: study, pseudonymiser: nil, commentCodebook: compiled)
        let entries = codebook.themes.count + codebook.requests.count
        var own = CommentCoder(codebook)
        var mentioned = 0
        for (threads, chunk) in [(1, ExportIngest.defaultChunkBytes), (4, 97), (4, 1_009)] {
            var n = FeedbackNormaliser(context: context, spec: spec)
            var records: [FeedbackRecord] = []
            let t = try ExportIngest.read(path: folder + "/" + spec.file, spec: spec, normaliser: &n, problems: ProblemLog(),
                                          threads: threads, chunkBytes: chunk) { records.append($0) }
            #expect(t.accepted == records.count && records.count > 100)
            for r in records {
                let codes = try #require(r.codes, "\(r.id) was not coded")
                #expect(codes.codebook == compiled.serial)
                let expected = own.code(r.text)
                #expect((0..<entries).map(codes.contains) == (0..<entries).map(expected.contains), "\(r.id): \(r.text)")
                if !codes.isEmpty { mentioned += 1 }
            }
            let coded = FeedbackTally(compiledCodebook: compiled), uncoded = FeedbackTally(codebook: codebook)
            for r in records {
                coded.feedback(r)
                var bare = r
                bare.codes = nil
                uncoded.feedback(bare)
            }
            let a = coded.counted, b = uncoded.counted, what = "\(threads) threads, \(chunk)-byte chunks"
            #expect(a.themeMentions == b.themeMentions && a.requestMentions == b.requestMentions, "\(what)")
            #expect(a.candidates == b.candidates && a.responses == b.responses && !a.themeMentions.isEmpty, "\(what)")
        }
        #expect(mentioned > 30, "the sample's comments mention themes")
    }

    /// Codes made against one compilation are not read against another (its entries may be numbered differently): the
    /// tally codes such a comment again.
    @Test func codesOfAnotherCodebookAreNotTrusted() throws {
        let own = try Codebook.parse("themes:\n  quiet: { label: Quiet, keywords: [quiet] }\n", file: "own.yaml")
        var other = CommentCoder(Codebook.standard())
        let r = FeedbackRecord(id: "1", group: .patient, stage: .after, text: "so quiet", day: nil, ward: nil, rating: nil,
                               codes: other.code("so quiet"))
        let tally = FeedbackTally(codebook: own)
        tally.feedback(r)
        #expect(tally.counted.themeMentions["quiet"]?.values.reduce(0, +) == 1)
    }

    /// An entry past the 64th is kept as well as the first ones.
    @Test func aCodebookOfManyEntriesKeepsEveryCode() throws {
        let yaml = "themes:\n" + (0..<150).map { "  t\($0): { label: T\($0), keywords: [k\($0)z] }" }.joined(separator: "\n") + "\n"
        let codebook = try Codebook.parse(yaml, file: "many.yaml")
        var coder = CommentCoder(codebook)
        let codes = coder.code("k3z and k64z, k65z and k149z")
        #expect((0..<150).filter(codes.contains) == [3, 64, 65, 149])
        #expect(!codes.isEmpty && coder.code("nothing here").isEmpty)
    }
}
