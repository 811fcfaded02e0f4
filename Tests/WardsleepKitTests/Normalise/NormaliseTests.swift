import Testing
@testable import WardsleepKit

/// Period assignment, night attribution, the protected window, pseudonyms and NHS numbers.
@Suite struct NormaliseTests {
    let study = testStudy()
    func day(_ y: Int, _ m: Int, _ d: Int) -> CalendarDay { CalendarDay(year: y, month: m, day: d)! }
    func at(_ h: Int, _ m: Int) -> ClockTime { ClockTime(hour: h, minute: m)! }

    @Test func anEventAt0210BelongsToThePreviousNight() {
        let t = EventTiming(day: day(2019, 3, 5), time: at(2, 10), periods: study.periods, window: .default)
        #expect(t.night == day(2019, 3, 4) && t.inProtectedWindow == true && t.period == .pilot)
        let evening = EventTiming(day: day(2019, 3, 5), time: at(22, 30), periods: study.periods, window: .default)
        #expect(evening.night == day(2019, 3, 5) && evening.inProtectedWindow == false)
        let untimed = EventTiming(day: day(2019, 3, 5), time: nil, periods: study.periods, window: .default)
        #expect(untimed.night == nil && untimed.inProtectedWindow == nil)
    }

    @Test func periodsUseTheEventsOwnDateAndTheWardsOverride() {
        // 00:30 on 1 January 2019 belongs to the night of 31 December, but its period comes from its own date.
        let t = EventTiming(day: day(2019, 1, 1), time: at(0, 30), periods: study.periods, window: .default)
        #expect(t.period == .pilot && t.night == day(2018, 12, 31))
        #expect(study.periods(forWard: 1).period(of: day(2019, 1, 15)) == nil)  // D1's pilot starts in February
        #expect(study.periods(forWard: 0).period(of: day(2019, 1, 15)) == .pilot)
        #expect(study.periods.period(of: day(2018, 8, 31)) == .baseline)
        #expect(study.periods.period(of: day(2018, 9, 1)) == nil)
    }

    @Test func windowBoundariesAndWindowsThatWrapMidnight() {
        let w = ProtectedWindow.default
        #expect(w.contains(at(0, 0)) && w.contains(at(5, 59)) && !w.contains(at(6, 0)) && !w.contains(at(23, 59)))
        let wrap = ProtectedWindow(start: at(22, 0), end: at(6, 0))
        #expect(wrap.contains(at(23, 0)) && wrap.contains(at(1, 0)) && !wrap.contains(at(21, 59)) && !wrap.contains(at(6, 0)))
    }

    @Test func pseudonymsAreStableKeyedAndIgnoreSpelling() throws {
        let p = try Pseudonymiser(keyText: testKey, source: .environment)
        let q = try Pseudonymiser(keyText: testKey + "x", source: .environment)
        #expect(p.pseudonym(for: "943 476 5919") == p.pseudonym(for: "9434765919"))
        #expect(p.pseudonym(for: "943-476-5919") == p.pseudonym(for: " 9434765919 "))
        #expect(p.pseudonym(for: "9434765919") != q.pseudonym(for: "9434765919"))
        #expect(p.pseudonym(for: "9434765919") != p.pseudonym(for: "9434765920"))
        #expect(p.pseudonym(for: "rx123") == p.pseudonym(for: "RX123"))
        // python3 -c "import hmac,hashlib;print(hmac.new(b'test-key-0123456789abcdef',b'9434765919',hashlib.sha256).hexdigest()[:20])"
        #expect(p.pseudonym(for: "9434765919") == "P-e85cba6ca85433a2101f")
    }

    @Test func keyComesFromKeyFileThenEnvironmentThenDemoForSyntheticOnly() throws {
        let dir = TempFolder()
        let file = dir.write("key", testKey + "\n")
        #expect(try Pseudonymiser.resolve(keyFile: file, environment: [:], synthetic: false)?.source == .keyFile)
        #expect(try Pseudonymiser.resolve(keyFile: nil, environment: ["WARDSLEEP_KEY": testKey], synthetic: false)?.source == .environment)
        #expect(try Pseudonymiser.resolve(keyFile: nil, environment: [:], synthetic: true)?.source == .syntheticDemo)
        #expect(try Pseudonymiser.resolve(keyFile: nil, environment: [:], synthetic: false) == nil)
        #expect(throws: ConfigurationError.self) { try Pseudonymiser.resolve(keyFile: nil, environment: ["WARDSLEEP_KEY": "short"], synthetic: false) }
    }

    @Test func nhsNumbersUseTheModulus11CheckDigit() {
        #expect(NHSNumber.isValid("9434765919"))        // the NHS Data Dictionary's worked example
        #expect(NHSNumber.isValid("943 476 5919"))
        #expect(!NHSNumber.isValid("9434765918"))
        #expect(!NHSNumber.isValid("943476591"))
        #expect(NHSNumber.checkDigit([9, 4, 3, 4, 7, 6, 5, 9, 1]) == 9)
    }
}
