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

    /// Identifiers are held in the table as numbers (all digits), as bytes (up to 8) or by hash against an arena
    /// (longer): no two identifiers share a number across those forms, whatever their lengths or leading zeros.
    @Test func everyDistinctIdentifierIsItsOwnNumberInEveryForm() {
        let r = PatientRegistry(pseudonymiser: pseudonymiser)
        var random = SampleRandom(seed: 12)
        let shapes = ["0", "00", "000", "12", "012", "0012", "1234567890123456789", "01234567890123456789",
                      "12345678901234567890", "ABCDEFGH", "ABCDEFGHI", "ABCDEFGHIJ", "ABCDEFGHIJ0", "A", "1A", "A1",
                      String(repeating: "Z", count: 300), String(repeating: "Z", count: 301)]
        var identifiers = Set(shapes)
        for _ in 0..<3_000 {
            let length = random.pick([1, 2, 5, 8, 9, 10, 12, 19, 20, 24])
            let alphabet = random.pick([Array("0123456789"), Array("0123456789AB"), Array("XY")])
            identifiers.insert(String((0..<length).map { _ in random.pick(alphabet) }))
        }
        var ids: [String: PatientID] = [:]
        for identifier in identifiers.sorted() { ids[identifier] = r.id(for: ArraySlice(Array(identifier.utf8))) }
        #expect(Set(ids.values).count == identifiers.count && r.count == identifiers.count)
        for identifier in identifiers.shuffled() {
            #expect(r.id(for: ArraySlice(Array(identifier.utf8))) == ids[identifier], "\(identifier)")
        }
        for identifier in shapes { #expect(r.pseudonym(ids[identifier]!) == pseudonymiser.pseudonym(for: identifier)) }
    }

    /// A chunk's cache of the patients it has met answers either nothing or the registry's own number, whatever cells
    /// share its slots; a cell met again (and short enough to keep) is found there.
    @Test func aChunksPatientCacheNeverAnswersWrong() {
        let r = PatientRegistry(pseudonymiser: pseudonymiser)
        var cache = PatientCache()
        var random = SampleRandom(seed: 21)
        var hits = 0
        for step in 0..<20_000 {
            let length = random.pick([1, 3, 8, 9, 10, 16, 17, 30])
            let cell = String((0..<length).map { _ in random.pick(Array("0123456789 AB-")) })
                + (random.chance(0.5) ? "" : " ")  // a trailing space: another cell, the same patient
            let bytes = Array(cell.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                let view = buffer[...]
                let id = r.id(for: view)
                let seen = cache.lookup(view)
                if let known = seen.patient {
                    hits += 1
                    #expect(known == id, "step \(step): \(cell)")
                } else {
                    cache.remember(seen.key, id)
                }
                #expect(cache.lookup(view).patient == (bytes.count <= 16 ? id : nil), "step \(step): \(cell)")
            }
        }
        #expect(hits > 1_000)  // the one-byte and three-byte cells repeat
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
