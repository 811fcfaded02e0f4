import Testing
@testable import WardsleepKit

/// Patients interned on ingest: one number per distinct identifier, its pseudonym the keyed HMAC.
struct PatientRegistryTests {
    let pseudonymiser = try! Pseudonymiser(keyText: testKey, source: .environment)

    @Test func everySpellingOfOnePatientIsOneNumber() {
        let r = PatientRegistry(pseudonymiser: pseudonymiser)
        let a = r.id(for: ArraySlice(Array("943 476 5919".utf8)))
        #expect(r.id(for: ArraySlice(Array("9434765919".utf8))) == a)
        #expect(r.id(for: ArraySlice(Array(" 943-476-5919 ".utf8))) == a)
        #expect(r.id(for: ArraySlice(Array("rx123".utf8))) == r.id(for: ArraySlice(Array("RX123".utf8))))
        #expect(r.id(for: ArraySlice(Array("RX124".utf8))) != r.id(for: ArraySlice(Array("RX123".utf8))))
        #expect(r.count == 3)
        #expect(r.pseudonym(a) == pseudonymiser.pseudonym(for: "9434765919"))
    }

    @Test func numbersStayStableAsTheTableGrows() {
        let r = PatientRegistry(pseudonymiser: pseudonymiser)
        let ids = (0..<5_000).map { r.id(for: ArraySlice(Array("L\($0)".utf8))) }
        #expect(Set(ids).count == 5_000 && r.count == 5_000)
        #expect((0..<5_000).allSatisfy { r.id(for: ArraySlice(Array("L\($0)".utf8))) == ids[$0] })
        #expect(r.pseudonym(ids[4_321]) == pseudonymiser.pseudonym(for: "L4321"))
    }
}
