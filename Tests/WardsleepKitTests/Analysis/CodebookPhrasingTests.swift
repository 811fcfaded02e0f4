import Testing
@testable import WardsleepKit

/// The default codebook catches the common phrasings: word order, plurals and inflections, and requests written
/// either way round ("bring the checks back").
@Suite struct CodebookPhrasingTests {
    let codebook = Codebook.standard()

    func themes(_ text: String) -> [String] {
        let p = Codebook.Prepared(text)
        return codebook.themes.filter { $0.matches(p) }.map(\.name) + codebook.requests.filter { $0.matches(p) }.map(\.name)
    }

    @Test func requestsInEitherWordOrder() {
        #expect(themes("Please bring the checks back, I felt safer").contains("restore_checks"))
        #expect(themes("Can we have the hourly observations back?").contains("restore_checks"))
        #expect(themes("I want the obs brought back").contains("restore_checks"))
        #expect(themes("The checks should be reinstated").contains("restore_checks"))
        #expect(themes("We should go back to hourly checks").contains("restore_checks"))
        #expect(themes("Scrap protected sleep, it is not safe").contains("stop_protected_sleep"))
        #expect(!themes("The checks woke me up").contains("restore_checks"))
    }

    @Test func themesInEitherWordOrderAndPlural() {
        #expect(themes("I had a better sleep than at home").contains("sleep_quality"))
        #expect(themes("Slept well for once").contains("sleep_quality"))
        #expect(themes("The doors banging all night").contains("noise"))
        #expect(themes("Nobody woke me in the night").contains("being_checked"))
        #expect(themes("The night lights are too bright").contains("light"))
        #expect(themes("My meds at 10pm help").contains("medication"))
    }
}
