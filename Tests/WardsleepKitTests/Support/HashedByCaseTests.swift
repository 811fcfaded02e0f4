import Testing
@testable import WardsleepKit

/// Enums with raw values that are parts of per-row table keys hash by their case (one byte), not through their raw
/// value's text, and still tell every case apart in a set or as part of a key.
struct HashedByCaseTests {
    static func caseHash(_ n: UInt8) -> Int {
        var h = Hasher()
        h.combine(n)
        return h.finalize()
    }

    @Test func casesHashAsTheirNumber() {
        #expect(StudyPeriod.allCases.map(\.hashValue) == [0, 1].map { Self.caseHash($0) })
        #expect(TimeWindow.allCases.map(\.hashValue) == [0, 1].map { Self.caseHash($0) })
        #expect(ObservationReason.allCases.map(\.hashValue) == (0..<UInt8(ObservationReason.allCases.count)).map { Self.caseHash($0) })
        #expect(AdministrationStatus.allCases.map(\.hashValue) == (0..<UInt8(AdministrationStatus.allCases.count)).map { Self.caseHash($0) })
        #expect(ProductForm.unit.hashValue != ProductForm.unit.rawValue.hashValue)
    }

    @Test func everyCaseIsToldApart() {
        #expect(Set(StudyPeriod.allCases).count == 2 && Set(TimeWindow.allCases).count == 2)
        #expect(Set(ExportKind.allCases).count == ExportKind.allCases.count)
        #expect(Set(FeedbackGroup.allCases).count == FeedbackGroup.allCases.count)
        #expect(Set(InvolvementStage.allCases).count == InvolvementStage.allCases.count)
        struct Key: Hashable { var ward: Int, period: StudyPeriod, window: TimeWindow }
        var counts: [Key: Int] = [:]
        for w in 0..<50 { for p in StudyPeriod.allCases { for t in TimeWindow.allCases { counts[Key(ward: w, period: p, window: t), default: 0] += 1 } } }
        #expect(counts.count == 200 && counts.values.allSatisfy { $0 == 1 })
    }
}
