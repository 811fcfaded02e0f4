import Foundation
import Testing
@testable import WardsleepKit

/// The methods text says exactly what the code counts: incidents at 11:59, 12:00, 23:59, 00:00 and at the edges of the
/// protected window go through the real reader and counter, and the counts must agree with the stated rules.
@Suite struct CountingRulesTests {
    /// Counts of incidents at `times` (dd/mm/yyyy HH:MM) on ward A1 of a study with `window`, with contiguous periods
    /// (baseline 2018-09-01..2018-12-31, pilot 2019-01-01..2019-04-30) so that the minute before the pilot is in the
    /// baseline.
    func counts(_ times: [String], window: String) throws -> (IncidentCounts, StudyDefinition) {
        let yaml = """
            version: 1
            study: Edges
            protected_window: \(window)
            periods:
              baseline: { from: 2018-09-01, to: 2018-12-31 }
              pilot:    { from: 2019-01-01, to: 2019-04-30 }
            wards:
              - { id: A1, name: Acute, type: acute, beds: 10 }
            exports:
              incidents: { file: incidents.csv }

            """
        let study = try StudyLoader.parse(yaml)
        let dir = TempFolder()
        let path = dir.write("incidents.csv", "id,date,ward,category\n" + times.enumerated().map { "I\($0),\($1),A1,Falls\n" }.joined())
        let spec = study.exports[.incidents]
        let context = NormaliseContext(study: study, pseudonymiser: nil)
        let (_, records, log) = try ingest(path, spec: spec, IncidentNormaliser(context: context, spec: spec))
        #expect(log.problems.isEmpty)
        let counts = IncidentCounts()
        for r in records { counts.incident(r) }
        return (counts, study)
    }

    func count(_ c: IncidentCounts, _ period: StudyPeriod, _ window: TimeWindow) -> Int { c.count(period: period, window: window) }

    @Test func periodsGoByTheCalendarDateAtEveryHourAsTheMethodsSay() throws {
        // The minute before the pilot and the first minute of it; then 11:59 and 12:00 on the pilot's first day, the
        // minutes either side of the old "before 12:00 is the previous night" rule, which no count ever followed.
        let (c, study) = try counts(["31/12/2018 23:59", "01/01/2019 00:00", "01/01/2019 11:59", "01/01/2019 12:00", "01/01/2019 23:59"],
                                    window: "{ start: \"00:00\", end: \"06:00\" }")
        #expect(count(c, .baseline, .allDay) == 1 && count(c, .pilot, .allDay) == 4)
        let rules = EventTiming.countingRules(study)
        #expect(rules.contains("one at 00:00 on 1 January 2019 counts in the pilot, one at 23:59 on 31 December 2018 counts in the baseline."))
        #expect(rules.contains("by the calendar date it happened on") && !rules.contains("previous night"))
        // The summary's methods carry the same words.
        #expect(SummaryDocument.measures(Release.view(Evidence(study: study, ingest: IngestResult(tallies: [], notSupplied: [], hypnoticsKind: .issues),
                                                                      analyses: try StudyAnalyses(study: study, folder: "/nonexistent"), problems: [:]),
                                                             style: .exact)).markdown
                    .contains(rules))
    }

    @Test func theProtectedWindowIncludesItsStartAndExcludesItsEndAsTheMethodsSay() throws {
        // 00:00 and 05:59 inside; 06:00, 23:59 and 11:59 outside.
        let (c, study) = try counts(["15/01/2019 00:00", "15/01/2019 05:59", "15/01/2019 06:00", "15/01/2019 23:59", "15/01/2019 11:59"],
                                    window: "{ start: \"00:00\", end: \"06:00\" }")
        #expect(count(c, .pilot, .protected) == 2 && count(c, .pilot, .allDay) == 5)
        #expect(EventTiming.countingRules(study).contains("from 00:00 up to, not including, 06:00 on the ward clock (00:00 is inside it, "
                                                          + "06:00 is outside it)"))
        // A window across midnight: 22:00 and 23:59 and 00:00 inside, 06:00 and 21:59 outside.
        let (w, wrapped) = try counts(["15/01/2019 22:00", "15/01/2019 23:59", "16/01/2019 00:00", "16/01/2019 06:00", "16/01/2019 21:59"],
                                      window: "{ start: \"22:00\", end: \"06:00\" }")
        #expect(count(w, .pilot, .protected) == 3)
        #expect(EventTiming.countingRules(wrapped).contains("from 22:00 up to, not including, 06:00 on the ward clock (22:00 is inside it, "
                                                            + "06:00 is outside it)"))
    }
}
