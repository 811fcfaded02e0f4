/// Who gave feedback.
public enum FeedbackGroup: String, HashedByCase, Sendable, Codable, CaseIterable {
    case patient, staff, carer, other
}

/// When feedback was given relative to the change.
public enum FeedbackStage: String, HashedByCase, Sendable, Codable, CaseIterable {
    case before, during, after
}

/// One piece of feedback. The text is kept for theme coding and redacted quotes; it is never copied verbatim.
public struct FeedbackRecord: Sendable, Equatable {
    /// The export's reference.
    public var id: String
    /// Patient, staff, carer or other.
    public var group: FeedbackGroup
    /// Before, during or after the change.
    public var stage: FeedbackStage
    /// The comment.
    public var text: String
    /// The date, when exported.
    public var day: CalendarDay?
    /// The ward, when exported.
    public var ward: Int?
    /// Rating 1–5, when exported.
    public var rating: Int?
    /// The codebook entries the comment mentions, when the export was read with a codebook (`NormaliseContext.commentCodebook`).
    public var codes: CommentCodes? = nil
    /// The reference's 128-bit key, worked out by the thread that read the row, so the merging thread's repeat checks
    /// (`admit`, `RepeatedReferences`) hash nothing; `nil` for a record made by hand, whose key is then worked out there.
    var referenceKey: ReferenceKey? = nil
}

/// Reads feedback rows.
public struct FeedbackNormaliser: RecordNormaliser {
    let context: NormaliseContext

    public var dateOrder: DateOrder { context.dateOrder(.feedback) }
    var lookups = RowLookups()
    var groups: CodedColumn<FeedbackGroup>
    var stages: CodedColumn<FeedbackStage>
    /// The last response ids seen, in file order (`admit`).
    var recent = RecentReferences()
    /// Codes each comment as it is read, on the thread reading it, when the context has a codebook.
    var coder: CommentCoder?
    /// The fields read on every row, named once (see `FieldName`).
    let idField = FieldName("id"), textField = FieldName("text"), dateField = FieldName("date"), ratingField = FieldName("rating")

    /// Creates the normaliser; `spec` gives the study's own labels for group and stage.
    public init(context: NormaliseContext, spec: ExportSpec? = nil) {
        self.context = context
        let spec = spec ?? context.study.exports[.feedback]
        groups = CodedColumn(CodedFields.feedbackGroup, spec: spec) { FeedbackGroup(rawValue: $0) }
        stages = CodedColumn(CodedFields.feedbackStage, spec: spec) { FeedbackStage(rawValue: $0) }
        coder = context.commentCodebook.map(CommentCoder.init)
    }

    public mutating func normalise(_ row: inout ExportRow) -> FeedbackRecord? {
        let order = context.dateOrder(.feedback)
        let id = row.text(idField, required: true)
        let group = groups.value(&row, required: true)
        let stage = stages.value(&row, required: true)
        let text = row.text(textField, required: true)
        let day = row.dateTime(dateField, order: order)?.0
        let ward = context.ward(&row, required: false, cache: &lookups)
        let rating = row.parse(ratingField) { (b) throws(FieldIssue) -> Int in
            try FieldParsing.integer(b, in: 1...5, below: "rating out of range: expected 1 to 5", above: "rating out of range: expected 1 to 5")
        }
        guard let id, let group, let stage, let text, row.isClean else { return nil }
        return FeedbackRecord(id: id, group: group, stage: stage, text: text, day: day, ward: ward, rating: rating, codes: coder?.code(text),
                              referenceKey: ReferenceKey(id))
    }

    /// A response whose id is among the last `RecentReferences.defaultCapacity` responses' is quarantined the second
    /// time: a response counts once (its rating feeds the rank-sum test), and two exports appended with weeks in common
    /// repeat responses. Checked in file order, in bounded memory, as incident references are.
    public mutating func admit(_ r: FeedbackRecord) -> (field: String, value: String, reason: String)? {
        guard !recent.insert(r.referenceKey ?? ReferenceKey(r.id)) else { return nil }
        return ("id", r.id, "repeated response id: an earlier row has the same id, and a response counts once "
                + "(two exports appended with weeks in common repeat responses)")
    }
}
