import Testing
@testable import WardsleepKit

/// Small pieces of the per-row path: set-aside reasons counted without hashing, literal set-aside reasons, and the
/// line-break check on each field.
@Suite struct MergePathTests {
    @Test func setAsideReasonsAreCountedByReason() {
        var counts = ReasonCounts()
        let reasons = ["outside both periods", "not given (refused)", "outside both periods", "excluded by design", "not given (refused)",
                       String("outside both ") + "periods"]  // equal text made at run time counts with the literal
        for r in reasons { counts.add(r) }
        #expect(counts.counts == ["outside both periods": 3, "not given (refused)": 2, "excluded by design": 1])
        #expect(ReasonCounts().counts.isEmpty)
    }

    @Test func notGivenReasonsNameTheStatus() throws {
        let context = NormaliseContext(study: testStudy(), pseudonymiser: nil)
        let normaliser = HypnoticAdministrationNormaliser(context: context)
        let day = CalendarDay(year: 2018, month: 3, day: 1)!
        for status in AdministrationStatus.allCases {
            let r = HypnoticAdministrationRecord(day: day, time: nil, ward: 0, patient: 0, drug: Formulary.builtIn().index(named: "zopiclone")!,
                                                 doseMg: 7.5, status: status, prn: nil,
                                                 timing: EventTiming(day: day, time: nil, periods: context.study.periods, window: .default))
            #expect(normaliser.setAsideReason(r) == (status == .given ? nil : "not given (\(status.rawValue))"))
        }
    }

    @Test func lineBreaksAreFoundInShortAndLongFields() {
        for length in [1, 5, 32, 33, 200] {
            for at in Set([0, length / 2, length - 1]) {
                for byte: UInt8 in [0x0A, 0x0D, 0x41] {
                    var field = [UInt8](repeating: 0x20, count: length)
                    field[at] = byte
                    let found = field.withUnsafeBytes { ParseState.hasLineBreak($0) }
                    #expect(found == (byte != 0x41), "length \(length), at \(at), byte \(byte)")
                }
            }
        }
    }
}
