import Crypto
import Testing
@testable import WardsleepKit

/// Patients as records carry them: the first 128 bits of the keyed HMAC of the normalised identifier.
struct PatientIDTests {
    let pseudonymiser = try! Pseudonymiser(keyText: testKey, source: .environment)

    func id(_ s: String) -> PatientID { pseudonymiser.patientID(for: ArraySlice(Array(s.utf8))) }

    @Test func everySpellingOfOnePatientIsOneNumber() {
        let a = id("943 476 5919")
        #expect(id("9434765919") == a && id(" 943-476-5919 ") == a)
        #expect(id("rx123") == id("RX123") && id("RX124") != id("RX123"))
        #expect(a.pseudonym == pseudonymiser.pseudonym(for: "9434765919"))
    }

    /// The number is the HMAC itself (checked against the generic HMAC type), so it is the same on every thread and in
    /// every run under one key, and its first 80 bits are the pseudonym.
    @Test func theNumberIsTheKeyedHMACsFirst128Bits() {
        var random = SampleRandom(seed: 12)
        let shapes = ["0", "00", "000", "12", "012", "1234567890123456789", "01234567890123456789", "ABCDEFGH", "ABCDEFGHI",
                      "A", "1A", "a1", String(repeating: "Z", count: 300)]
        var identifiers = Set(shapes)
        for _ in 0..<2_000 {
            let length = random.pick([1, 2, 5, 8, 9, 10, 12, 19, 20, 24])
            let alphabet = random.pick([Array("0123456789"), Array("0123456789AB"), Array("XY")])
            identifiers.insert(String((0..<length).map { _ in random.pick(alphabet) }))
        }
        var seen: [PatientID: String] = [:]
        for identifier in identifiers {
            let normalised = Pseudonymiser.normalise(identifier)
            let mac = Array(HMAC<SHA256>.authenticationCode(for: Array(normalised.utf8), using: SymmetricKey(data: Array(testKey.utf8))))
            let n = id(identifier)
            #expect(n.leadingBytes(16) == Array(mac.prefix(16)), "\(identifier)")
            #expect(n.pseudonym == pseudonymiser.pseudonym(for: identifier))
            if let other = seen[n] { #expect(Pseudonymiser.normalise(other) == normalised, "\(other) and \(identifier)") }
            seen[n] = identifier
        }
        #expect(Set(identifiers.map(Pseudonymiser.normalise)).count == seen.count)
    }

    /// A chunk's cache of the patients it has met answers either nothing or the patient's own number, whatever cells
    /// share its slots; a cell met again (and short enough to keep) is found there.
    @Test func aChunksPatientCacheNeverAnswersWrong() {
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
                let patient = pseudonymiser.patientID(for: view)
                let seen = cache.lookup(view)
                if let known = seen.patient {
                    hits += 1
                    #expect(known == patient, "step \(step): \(cell)")
                } else {
                    cache.remember(seen.key, patient)
                }
                #expect(cache.lookup(view).patient == (bytes.count <= 16 ? patient : nil), "step \(step): \(cell)")
            }
        }
        #expect(hits > 1_000)  // the one-byte and three-byte cells repeat
    }

    /// The run's memo of patients met lately answers exactly what hashing answers, for identifiers of every shape
    /// (digits with leading zeros, short codes, long ones it does not keep, spellings normalised alike), met again
    /// and again, through its shards filling and emptying (300,000 distinct identifiers), from four threads at once.
    @Test func theMemoAnswersWhatHashingAnswers() async {
        let memo = PatientMemo(pseudonymiser: pseudonymiser)
        let shapes = ["0", "00", "0123", "123", "1234567890123456789", "12345678901234567890", "rx123", "RX123", " rx123 ",
                      "ABCDEFGH", "ABCDEFGHI", "943 476 5919", "943-476-5919", "9434765919"]
        func check(_ s: String) -> Bool {
            Array(s.utf8).withUnsafeBufferPointer { memo.id(for: $0[...]) == pseudonymiser.patientID(for: $0[...]) }
        }
        for _ in 0..<3 { for s in shapes { #expect(check(s), "\(s)") } }
        let wrong = await withTaskGroup(of: Int.self) { group in
            for t in 0..<4 {
                group.addTask {
                    var random = SampleRandom(seed: UInt64(t))
                    var wrong = 0
                    for i in 0..<75_000 {
                        // New identifiers along the way, and ones met before (by this thread or another).
                        let n = random.chance(0.5) ? t * 75_000 + i : Int(random.next() % 300_000)
                        let s = random.chance(0.1) ? "H\(n % 10_000_000)" : String(9_000_000_000 + n)
                        if !check(s) { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }
}
