import Testing
@testable import WardsleepKit

/// Inputs large in one direction, each of which once took time in the square of its size. They assert on results,
/// not on time: a path that turns quadratic again makes this suite crawl (minutes, not seconds).
@Suite struct ScaleTests {
    let study = testStudy()

    /// 80,000 ledger rows for one group at one stage and level (80,000: 9 s in a release build, minutes in debug).
    @Test func eightyThousandInvolvementRowsForOneGroup() {
        var records: [InvolvementRecord] = []
        for i in 0..<80_000 {
            records.append(InvolvementRecord(stage: .design, group: i % 2 == 0 ? "Patients" : "patient", role: .serviceUser,
                                             level: .consult, activity: "Workshop \(i % 10)", evidence: "Minutes \(i)", day: nil))
        }
        records.append(InvolvementRecord(stage: .design, group: "Patients", role: .serviceUser, level: .consult, activity: "Workshop 1",
                                         evidence: "Minutes 7", day: nil))
        let m = InvolvementMatrix(records: records, feedback: nil)
        #expect(m.groups == [InvolvementMatrix.Group(label: "Patients", role: .serviceUser)])
        let cell = m.cells[.design]?[0]
        #expect(cell?.level == .consult && cell?.evidence.count == 80_000 && cell?.activities.count == 10)
        #expect(cell?.evidence.prefix(3) == ["Minutes 0", "Minutes 1", "Minutes 2"])
        // A higher level replaces the cell; evidence at the old level no longer counts.
        var raised = m
        raised.add(InvolvementRecord(stage: .design, group: "PATIENTS", role: .serviceUser, level: .collaborate, activity: nil,
                                     evidence: "Co-design minutes", day: nil))
        raised.add(InvolvementRecord(stage: .design, group: "Patients", role: .serviceUser, level: .collaborate, activity: nil,
                                     evidence: "Co-design minutes", day: nil))
        #expect(raised.cells[.design]?[0] == InvolvementMatrix.Cell(level: .collaborate, evidence: ["Co-design minutes"], activities: []))
    }

    /// A study of 3,000 wards with 20 months each: every ward's chart slots, found in one pass over the totals, are
    /// the ones picking that ward's keys out of every key finds (which, ward by ward, took time in the square of the
    /// wards).
    @Test func threeThousandWardsOfTimeSeriesSlots() throws {
        var yaml = "version: 1\nstudy: Many wards\nperiods:\n  baseline: { from: 2018-01-01, to: 2018-08-31 }\n"
            + "  pilot:    { from: 2019-01-01, to: 2019-08-31 }\nwards:\n"
        for w in 1...3_000 { yaml += "  - { id: W\(w), name: Ward \(w), type: acute, beds: 20 }\n" }
        let many = try StudyLoader.parse(yaml)
        let series = TimeSeries(study: many, formulary: Formulary.forStudy(many))
        for w in -1..<3_000 {
            for m in 0..<20 {
                let day = CalendarDay(year: 2018 + m / 10, month: 1 + m % 10, day: 1)!
                let phase: StudyPeriod = m < 10 ? .baseline : .pilot
                if (w + m) % 3 != 0 { series.addBedDays(ward: w, bucket: day.dayNumber, phase: phase, 100) }
                if (w + m) % 4 == 0 { series.incidents[TimeSeries.Key(ward: w, bucket: day.dayNumber, phase: phase)] = 1 }
            }
        }
        let byWard = series.slotsByWard(), bedDays = series.bedDays, incidents = series.incidents
        #expect(byWard.count == 3_001)
        for w in -1..<3_000 {
            // What the per-ward search gave.
            let searched = Set(bedDays.keys.filter { $0.ward == w }.map { TimeSeries.Slot(bucket: $0.bucket, phase: $0.phase) })
                .union(incidents.keys.filter { $0.ward == w }.map { TimeSeries.Slot(bucket: $0.bucket, phase: $0.phase) })
            if byWard[w] != searched { Issue.record("ward \(w): \(byWard[w]?.count ?? 0) slots, searched \(searched.count)") }
        }
        #expect(byWard[0]?.count == 15)  // months with exposure (m % 3 ≠ 0) or incidents (m % 4 = 0): 20 less the 5 with neither
    }

    /// Fidelity cells by ward and period, found once for a loop over the wards, are the ones the per-cell search finds,
    /// the first where a ward and period appear twice.
    @Test func fidelityCellsByWardAreTheCellsSearchedFor() {
        var f = FidelityResults(FidelityTally(), study: study, occupancy: nil)
        f.cells = []
        for w in [nil] + (0..<2_000).map(Optional.some) {
            for period in StudyPeriod.allCases where (w ?? 0) % 5 != 1 || period == .pilot {
                var c = FidelityCell(ward: w, period: period)
                c.protectedNights = (w ?? -1) * 2 + (period == .pilot ? 1 : 0)
                f.cells.append(c)
            }
        }
        var repeated = FidelityCell(ward: 7, period: .baseline)
        repeated.protectedNights = -5
        f.cells.append(repeated)
        let byWard = f.cellsByWard()
        for w in [nil] + (0..<2_001).map(Optional.some) {
            for period in StudyPeriod.allCases where byWard[w]?[period] != f.cell(ward: w, period: period) {
                Issue.record("ward \(w.map(String.init) ?? "all"), \(period)")
            }
        }
        #expect(byWard[7]?[.baseline]?.protectedNights == 14 && byWard[6]?[.baseline] == nil && byWard[2_000] == nil)
    }

    /// 20,000 incident categories used as they are (no `categories` mapping): 5,000 already took 6 s.
    @Test func twentyThousandCategoriesWithoutAMapping() {
        let counts = IncidentCounts()
        let day = CalendarDay(year: 2019, month: 3, day: 5)!
        for i in 0..<20_000 {
            counts.incident(IncidentRecord(id: "\(i)", day: day, time: nil, ward: i % 2, category: "Category \(i)", subcategory: nil,
                                           severity: nil, patient: nil, status: nil, excludedByStatus: false,
                                           timing: EventTiming(day: day, time: nil, periods: study.periods, window: .default)))
        }
        counts.incident(IncidentRecord(id: "x", day: day, time: nil, ward: 0, category: "Category 7", subcategory: nil, severity: nil,
                                       patient: nil, status: nil, excludedByStatus: false,
                                       timing: EventTiming(day: day, time: nil, periods: study.periods, window: .default)))
        #expect(counts.categories.count == 20_000 && counts.categories.first == "Category 0")
        let safety = SafetyAnalysis.analyse(study: study, incidents: counts, occupancy: nil)
        #expect(safety.categories.count == 20_001)
        #expect(safety.cells.count == 3 * 20_001 * 2)
        #expect(safety.pooled.count == 20_001 * 2)
        #expect(safety.studyCell("Category 7", .allDay)?.pilotEvents == 2)
        #expect(safety.pooled.first { $0.category == "Category 7" && $0.window == .allDay }?.pilotEvents == 2)
        #expect(safety.studyCell(IncidentCounts.allCategories, .allDay)?.pilotEvents == 20_001)
    }

    /// 20,000 distinct strengths of one drug on one ward (88 s in a debug build before; each line summed every key).
    @Test func twentyThousandDistinctProducts() throws {
        let use = HypnoticUse(formulary: Formulary.builtIn())
        let parser = ProductParser(formulary: use.formulary)
        let day = CalendarDay(year: 2019, month: 3, day: 5)!
        for i in 0..<20_000 {
            let text = "Zopiclone \(1 + Double(i) / 1000)mg tablets"
            let product = try parser.parse(text)
            use.hypnoticIssue(HypnoticIssueRecord(day: day, ward: 0, product: product, drug: use.formulary.index(named: product.drug)!,
                                                  quantity: 2, period: .pilot))
        }
        let lines = HypnoticAnalysis.lines(use, study: study, occupancy: nil)
        // Study and ward A1: 20,000 product lines, the drug, the group and the total each.
        #expect(lines.count == 2 * (20_000 + 3))
        #expect(lines.last { $0.ward == nil && $0.group == nil }?.pilot.units == 40_000)
        #expect(lines.last?.ward == 0 && lines.last?.pilot.units == 40_000)
    }

    /// 40,000 distinct unmapped categories through `validate`, with a mapping of 40,000 labels in study.yaml.
    @Test func fortyThousandUnmappedCategoriesValidate() throws {
        let dir = TempFolder()
        var yaml = studyYAML("exports:\n  incidents:\n    categories:\n")
        for i in 0..<40_000 { yaml += "      \"Mapped \(i)\": violence\n" }
        dir.write("study/study.yaml", yaml)
        var csv = "id,date,ward,category\n"
        for i in 0..<40_000 { csv += "\(i),05/03/2019,A1,Unmapped \(i)\n" }
        csv += "40000,05/03/2019,A1,Mapped 39999\n"
        dir.write("study/incidents.csv", csv)
        let result = try StudyValidation.validate(folder: dir.path + "/study", keyFile: nil, environment: [:], showProblems: 3)
        let t = result.ingest.tally(.incidents)
        #expect(t?.rowsRead == 40_001 && t?.accepted == 1 && t?.quarantined == 40_000)
        #expect(result.status == .dataQuality)
        #expect(result.lines.contains("  40,000 × category: unmapped category"))
        // Each distinct unmapped label once, at most --show of them, then the rest counted.
        #expect(result.lines.contains("    \"Unmapped 2\": 1 row, first on line 4"))
        #expect(result.lines.contains("    ... and 997 more distinct values (997 rows)"))
        #expect(result.lines.contains("  ... and 39,000 more rows with unmapped values beyond the first 1,000 distinct ones"))
    }
}
