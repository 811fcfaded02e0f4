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

    @Test func patientSetsAgreeWithASetOfNumbers() {
        var random = SampleRandom(seed: 9)
        var a = PatientSet(), b = PatientSet()
        var ra = Set<PatientID>(), rb = Set<PatientID>()
        for _ in 0..<20_000 {
            let id = PatientID(random.pick(Array(0..<300))) * PatientID(random.pick([1, 7, 64, 1_000]))
            if random.pick([true, false]) {
                #expect(a.insert(id) == ra.insert(id).inserted)
            } else {
                #expect(b.insert(id) == rb.insert(id).inserted)
            }
        }
        #expect(a.count == ra.count && b.count == rb.count)
        #expect(ra.allSatisfy(a.contains) && !a.contains(999_999))
        a.formUnion(b)
        #expect(a.count == ra.union(rb).count && ra.union(rb).allSatisfy(a.contains))
        var c = PatientSet()
        for id in ra.union(rb).sorted(by: >) { c.insert(id) }  // grown from the largest number down
        #expect(a == c && PatientSet() == PatientSet() && a != PatientSet())
    }
}
