/// Feedback comments that no codebook theme or request matched: counted, with the first few kept redacted, so that
/// `validate` can show the analyst what the codebook misses.
public final class UnthemedComments: StudyConsumer {
    /// The exports it uses.
    public var exports: Set<ExportKind> { [.feedback] }

    /// The codebook compiled: hand it to the `NormaliseContext` the export is read with.
    public let compiledCodebook: CompiledCodebook
    private var coder: CommentCoder
    let redactor: Redactor
    /// Comments read, and those no theme or request matched.
    public private(set) var comments = 0, unmatched = 0
    /// The first distinct unmatched comments, redacted and shortened.
    public private(set) var examples: [String] = []
    /// How many examples are kept.
    public static let exampleCount = 3

    /// Creates an empty tally over `codebook`, redacting examples with `redactor`.
    public convenience init(codebook: Codebook, redactor: Redactor) { self.init(compiledCodebook: CompiledCodebook(codebook), redactor: redactor) }

    /// Creates an empty tally over a compiled codebook, redacting examples with `redactor`.
    public init(compiledCodebook: CompiledCodebook, redactor: Redactor) {
        self.compiledCodebook = compiledCodebook
        coder = CommentCoder(compiledCodebook)
        self.redactor = redactor
    }

    public func feedback(_ r: FeedbackRecord) {
        comments += 1
        guard coder.codes(of: r).isEmpty else { return }
        unmatched += 1
        guard examples.count < UnthemedComments.exampleCount else { return }
        // An example is shown on one line: a line break in the comment (a quoted one in the export) becomes a space,
        // not nothing (the terminal's listing drops control characters).
        let text = r.text.contains(where: \.isNewline) ? r.text.split(whereSeparator: \.isNewline).joined(separator: " ") : r.text
        let example = redactor.excerpt(text, maxLength: 80)
        if !examples.contains(example) { examples.append(example) }
    }

    /// Throws when a codebook pattern ran past its time budget on a comment, on any thread that coded
    /// (`CompiledCodebook.checkPatterns`).
    public func checkPatterns() throws { try compiledCodebook.checkPatterns() }

    /// The lines `validate` prints (none when every comment matched a theme).
    public var lines: [String] {
        guard unmatched > 0 else { return [] }
        var out = ["  \(NumberFormat.grouped(unmatched)) of \(NumberFormat.grouped(comments)) comments matched no codebook theme "
                   + "or request (extend the codebook: feedback.codebook in study.yaml); for example:"]
        out += examples.map { "    \"\($0)\"" }
        return out
    }
}
