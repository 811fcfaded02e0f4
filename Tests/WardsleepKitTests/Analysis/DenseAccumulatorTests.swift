import Foundation
import Testing
@testable import WardsleepKit

/// The accumulators the merge thread feeds in file order: cells kept side by side, with the last key (or each ward's
/// last key) remembered, give the same totals to the last bit as dictionaries added to in the same order; and the
/// analyses are fed directly exactly as a consumer group would feed them.
@Suite struct DenseAccumulatorTests {
    /// A1 and D1: baseline January–August 2018, pilot January–August 2019 (D1's from February).
    let study = testStudy()
    let formulary = Formulary.builtIn()

    @Test func denseCellsAddInTheOrderADictionaryWould() {
        var random = SampleRandom(seed: 12)
        var cells = DenseCells<Int, Double>(zero: 0)
        var reference: [Int: Double] = [:]
        var firstSeen: [Int] = []
        var hints = [Int](repeating: -1, count: 3)
        for i in 0..<20_000 {
            // Runs of one key per lane, lanes taking turns, and now and then a stray key.
            let lane = i % 3
            let key = random.chance(0.05) ? Int(random.next() % 40) : lane * 100 + i / 700
            let value = Double(random.next() % 1_000) / 10  // tenths: sums that round
            let place = lane == 0 ? cells.place(key) : cells.place(key, hint: &hints[lane])
            cells[place: place] += value
            if reference[key] == nil { firstSeen.append(key) }
            reference[key, default: 0] += value
        }
        #expect(cells.keys == firstSeen)
        #expect(cells.dictionary == reference)  // exact: the same additions in the same order
    }

    /// A key whose hash is its value divided by 8: eight keys share every hash, so the table's probing past a taken slot
    /// and its growth are both exercised.
    struct Crowded: Hashable {
        var n: Int
        func hash(into h: inout Hasher) { h.combine(n / 8) }
    }

    /// Tens of thousands of keys, crowded and spread, met in shuffled order: each key finds its own cell, through every
    /// growth of the table, and a key never met has none; the same as a dictionary filled in the same order.
    @Test func denseCellsFindEveryKeyAmongThousands() {
        var random = SampleRandom(seed: 3)
        var cells = DenseCells<Crowded, Int>(zero: 0)
        var reference: [Crowded: Int] = [:]
        var order = Array(0..<30_000)
        for i in order.indices.reversed() { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        for (step, n) in (order + order.prefix(5_000)).enumerated() {
            let key = Crowded(n: n)
            let place = cells.place(key)
            #expect(cells.keys[place] == key)
            cells[place: place] += step
            reference[key, default: 0] += step
        }
        #expect(cells.keys.count == 30_000 && cells.keys == order.map(Crowded.init))
        #expect(cells.dictionary == reference)
        #expect(order.allSatisfy { cells.value(Crowded(n: $0)) == reference[Crowded(n: $0)] })
        #expect(cells.value(Crowded(n: 30_000)) == nil && cells.value(Crowded(n: -1)) == nil)
        #expect(DenseCells<Crowded, Int>(zero: 0).value(Crowded(n: 0)) == nil)
    }

    /// Administrations over both periods and between them, wards taking turns, several drugs (one without a DDD),
    /// doses in tenths, some refused, and some rows out of date order.
    func administrations() -> [HypnoticAdministrationRecord] {
        var random = SampleRandom(seed: 5)
        let drugs = ["zopiclone", "temazepam", "melatonin", "daridorexant"].map { formulary.index(named: $0)! }
        let start = CalendarDay(year: 2017, month: 12, day: 20)!
        var out: [HypnoticAdministrationRecord] = []
        for i in 0..<6_000 {
            let day = random.chance(0.03) ? start.adding(days: Int(random.next() % 640)) : start.adding(days: i / 10)
            let ward = i % 2
            let time = ClockTime(hour: Int(random.next() % 24), minute: 0)
            out.append(HypnoticAdministrationRecord(
                day: day, time: time, ward: ward, patient: PatientID(random.next() % 300), drug: random.pick(drugs),
                doseMg: Double(1 + random.next() % 150) / 10, status: random.chance(0.1) ? .refused : .given,
                prn: random.chance(0.2) ? nil : random.chance(0.5),
                timing: EventTiming(day: day, time: time, periods: study.periods(forWard: ward), window: study.protectedWindow)))
        }
        return out
    }

    @Test func doseTotalsEqualDictionariesFilledInTheSameOrder() {
        let records = administrations()
        let use = HypnoticUse(formulary: formulary)
        let series = TimeSeries(study: study, formulary: formulary, hypnotics: use)
        let months = WardMonthSeries(study: study, formulary: formulary)
        var ddd: [TimeSeries.Slot: Double] = [:], doses: [TimeSeries.Slot: Double] = [:]
        var given: [WardMonthSeries.Key: (ddd: Double, doses: Int)] = [:]
        var mg: [String: Double] = [:]
        for r in records {
            use.hypnoticAdministration(r)
            series.hypnoticAdministration(r)
            months.hypnoticAdministration(r)
            // The dictionary arithmetic the accumulators used before they kept dense cells.
            guard r.status == .given, let period = r.timing.period else { continue }
            let k = WardMonthSeries.Key(ward: r.ward, month: r.day.startOfMonth.dayNumber, period: period)
            var slot = given[k] ?? (0, 0)
            slot.ddd += formulary[r.drug].dddMg.map { r.doseMg / $0 } ?? 0
            slot.doses += 1
            given[k] = slot
            mg["\(r.ward) \(formulary[r.drug].name) \(period)", default: 0] += r.doseMg
            guard let d = formulary[r.drug].dddMg else { continue }
            let s = TimeSeries.Slot(bucket: series.bucket(r.day), phase: period)
            ddd[s, default: 0] += r.doseMg / d
            doses[s, default: 0] += 1
        }
        #expect(!ddd.isEmpty && series.ddd == ddd && series.doses == doses)
        #expect(Set(months.given.keys) == Set(given.keys))
        #expect(given.allSatisfy { k, v in months.given[k].map { $0.ddd == v.ddd && $0.doses == v.doses } ?? false })
        var totals: [String: Double] = [:]
        for (key, periods) in use.totals {
            for (period, t) in periods { totals["\(key.ward) \(key.product.drug) \(period)"] = t.mg }
        }
        #expect(totals == mg)
    }

    /// Census rows, wards taking turns day by day, some days out of order and some outside both periods: the bed days
    /// kept in dense cells (each ward's last cell tried first) are the dictionary arithmetic's, to the last bit, for
    /// the control charts (each ward and the study, per interval) and the ward-months, whether the ward-months keep
    /// their own (`months`) or read the monthly charts' (`shared`, as a run makes them); weekly charts are not read.
    @Test func censusBedDaysEqualDictionariesFilledInTheSameOrder() {
        var random = SampleRandom(seed: 17)
        let series = TimeSeries(study: study, formulary: formulary)
        let months = WardMonthSeries(study: study, formulary: formulary)
        let shared = WardMonthSeries(study: study, formulary: formulary, charts: series)
        var weeklyStudy = study
        weeklyStudy.spc.interval = "week"
        let weeklySeries = TimeSeries(study: weeklyStudy, formulary: formulary)
        let besideWeekly = WardMonthSeries(study: weeklyStudy, formulary: formulary, charts: weeklySeries)
        var charted: [TimeSeries.Key: Double] = [:], weekly: [TimeSeries.Key: Double] = [:], monthly: [WardMonthSeries.Key: Double] = [:]
        let start = CalendarDay(year: 2017, month: 12, day: 20)!
        for i in 0..<4_000 {
            let day = random.chance(0.03) ? start.adding(days: Int(random.next() % 640)) : start.adding(days: i / 2)
            let ward = i % 2
            let r = OccupancyRecord(day: day, ward: ward, occupiedBeds: Int(random.next() % 17), leaveBeds: nil,
                                    period: study.periods(forWard: ward).period(of: day))
            series.occupancy(r)
            months.occupancy(r)
            shared.occupancy(r)
            weeklySeries.occupancy(r)
            besideWeekly.occupancy(r)
            // The dictionary arithmetic the accumulators used before they kept dense cells.
            guard let p = r.period else { continue }
            let b = series.bucket(day)
            charted[TimeSeries.Key(ward: ward, bucket: b, phase: p), default: 0] += Double(r.occupiedBeds)
            charted[TimeSeries.Key(ward: -1, bucket: b, phase: p), default: 0] += Double(r.occupiedBeds)
            monthly[WardMonthSeries.Key(ward: ward, month: day.startOfMonth.dayNumber, period: p), default: 0] += Double(r.occupiedBeds)
            let w = weeklySeries.bucket(day)
            weekly[TimeSeries.Key(ward: ward, bucket: w, phase: p), default: 0] += Double(r.occupiedBeds)
            weekly[TimeSeries.Key(ward: -1, bucket: w, phase: p), default: 0] += Double(r.occupiedBeds)
        }
        #expect(charted.count > 40 && series.bedDays == charted)
        #expect(weekly.count > 150 && weeklySeries.bedDays == weekly)
        #expect(charted.allSatisfy { series.bedDayCell($0.key) == $0.value } && weekly.allSatisfy { weeklySeries.bedDayCell($0.key) == $0.value })
        #expect(monthly.count > 20 && months.bedDays == monthly)
        #expect(shared.bedDays == monthly && besideWeekly.bedDays == monthly)
        // The ward-month frame reads the same bed days, each way.
        for m in [months, shared, besideWeekly] {
            let frame = m.frame(occupancy: true)
            #expect(frame.allSatisfy { $0.exposure == monthly[$0.key] ?? 0 } && frame.contains { $0.exposure > 0 })
        }
    }

    /// Totals kept by ward, interval and period in one array are the dictionary arithmetic's, to the last bit, monthly
    /// and weekly: keys of the study's wards (and -1, the study) in its intervals, and keys kept apart because their
    /// ward is not the study's, their interval lies outside its periods or their day begins no interval; and every
    /// total kept apart when the array would be larger than allowed.
    @Test func wardIntervalCellsEqualTheDictionaryArithmeticInsideAndOutsideTheStudy() {
        // The last pair: an array that would be too large keeps every total apart.
        for (weekly, maxCells) in [(false, 1 << 22), (true, 1 << 22), (true, 100)] {
            var random = SampleRandom(seed: weekly ? 41 : 40)
            var cells = WardIntervalCells(study: study, weekly: weekly, maxCells: maxCells)
            var reference: [TimeSeries.Key: Double] = [:]
            #expect(cells.isEmpty && cells.value(TimeSeries.Key(ward: 0, bucket: TimeSeries.bucket(study.periods.baseline.from, weekly: weekly),
                                                                  phase: .baseline)) == nil)
            let start = CalendarDay(year: 2017, month: 6, day: 1)!
            var outside = 0
            for i in 0..<6_000 {
                let day = start.adding(days: random.chance(0.1) ? Int(random.next() % 1_200) : 200 + i / 10)
                let ward = random.chance(0.05) ? 2 + Int(random.next() % 3) : Int(random.next() % 3) - 1  // 2 and above: no such ward
                let bucket = random.chance(0.02) ? day.dayNumber : TimeSeries.bucket(day, weekly: weekly)
                let key = TimeSeries.Key(ward: ward, bucket: bucket, phase: random.chance(0.5) ? .baseline : .pilot)
                let value = Double(random.next() % 1_000) / 10  // tenths: sums that round
                cells.add(key, value)
                reference[key, default: 0] += value
                if ward >= 2 || day < CalendarDay(year: 2018, month: 1, day: 1)! || day > CalendarDay(year: 2019, month: 8, day: 31)! { outside += 1 }
            }
            #expect(outside > 300 && !cells.isEmpty)
            #expect(cells.dictionary == reference, "weekly: \(weekly)")  // exact: the same additions in the same order
            #expect(reference.allSatisfy { cells.value($0.key) == $0.value })
            var seen = 0
            cells.forEach { key, value in
                seen += 1
                #expect(reference[key] == value)
            }
            #expect(seen == reference.count)
        }
    }

    /// The census tally's arrays give the totals `OccupancyTotals.add` makes from the same rows (a ward and period with
    /// only empty census days still has its entry; days above a ward's beds with the most beds on one), and the census
    /// coverage's months are every month with a census day, whatever the order of the rows (and every month outside
    /// the periods' span).
    @Test func censusTallyAndCoverageEqualTheRowByRowTotals() {
        var random = SampleRandom(seed: 23)
        let tally = OccupancyTally(beds: [16, 12])
        let coverage = CensusCoverage(study: study)
        var reference = OccupancyTotals(beds: [16, 12])
        var censusMonths: Set<[Int]> = []
        let start = CalendarDay(year: 2017, month: 12, day: 20)!
        for i in 0..<3_000 {
            let day = random.chance(0.05) ? start.adding(days: Int(random.next() % 640)) : start.adding(days: i / 2)
            let ward = random.chance(0.1) ? Int(random.next() % 2) : i % 2
            // D1 (ward 1) reports no one in the baseline: its baseline has census days, all empty.
            let beds = ward == 1 && day.components.year == 2018 ? 0 : Int(random.next() % 19)
            let r = OccupancyRecord(day: day, ward: ward, occupiedBeds: beds, leaveBeds: nil,
                                    period: study.periods(forWard: ward).period(of: day))
            tally.occupancy(r)
            reference.add(r)
            coverage.add(ward: ward, day: day)
            censusMonths.insert([ward, day.components.year, day.components.month])
        }
        let t = tally.totals
        #expect(t.bedDays == reference.bedDays && t.censusDays == reference.censusDays)
        #expect(t.overBeds == reference.overBeds && !t.overBeds.isEmpty)
        #expect(t.bedDays[1]?[.baseline] == 0 && (t.censusDays[1]?[.baseline] ?? 0) > 0)
        for ward in 0..<2 {
            for m in 0..<26 {
                let day = CalendarDay(year: 2017 + (m + 11) / 12, month: (m + 11) % 12 + 1, day: 15)!
                // Months outside the periods, first day to last (December 2017, and from September 2019), count
                // nowhere: they are said to be covered, as such days are.
                let inSpan = day >= study.periods.baseline.from && day <= study.periods.pilot.to
                #expect(coverage.coversMonth(ward: ward, day: day) == (!inSpan || censusMonths.contains([ward, day.components.year, day.components.month])),
                        "ward \(ward), \(day.iso)")
            }
        }
        // A census with gaps: each ward's days and months are its own, and a month with no census day is not covered.
        let sparse = CensusCoverage(study: study)
        sparse.add(ward: 0, day: CalendarDay(year: 2018, month: 3, day: 10)!)
        sparse.add(ward: 1, day: CalendarDay(year: 2019, month: 5, day: 2)!)
        sparse.add(ward: 1, day: CalendarDay(year: 2017, month: 11, day: 2)!)  // outside the periods: no trace
        for (ward, year, month, day, covered, monthCovered) in [(0, 2018, 3, 10, true, true), (0, 2018, 3, 11, false, true),
                                                                (0, 2018, 4, 10, false, false), (1, 2018, 3, 10, false, false),
                                                                (1, 2019, 5, 2, true, true), (0, 2019, 5, 2, false, false),
                                                                (1, 2018, 10, 1, false, false), (0, 2017, 11, 2, true, true)] {
            let d = CalendarDay(year: year, month: month, day: day)!
            #expect(sparse.covers(ward: ward, day: d) == covered && sparse.coversMonth(ward: ward, day: d) == monthCovered,
                    "ward \(ward), \(d.iso)")
        }
    }

    /// Incident counts kept in dense rows per category give every cell the dictionary arithmetic gave, with the
    /// categories in first-seen order, serious incidents (severe harm or the Death category) and incidents with no time.
    @Test func incidentCountsEqualTheDictionaryArithmetic() {
        var random = SampleRandom(seed: 31)
        let counts = IncidentCounts()
        let months = WardMonthSeries(study: study, formulary: formulary)
        var reference: [IncidentCounts.Cell: Int] = [:]
        var monthly: [WardMonthSeries.Key: [WardMonthSeries.Cell: Int]] = [:]
        var order: [String] = [], serious: [StudyPeriod: Int] = [:], withoutTime = 0
        let start = CalendarDay(year: 2017, month: 12, day: 20)!
        let categories = ["violence", "self_harm", "Death", "awol"] + (0..<30).map { "Category \($0)" }
        for i in 0..<8_000 {
            let day = start.adding(days: Int(random.next() % 640))
            let time = random.chance(0.2) ? nil : ClockTime(hour: Int(random.next() % 24), minute: 0)
            let category = random.chance(0.7) ? random.pick(Array(categories.prefix(4))) : random.pick(categories)
            let r = IncidentRecord(id: "I\(i)", day: day, time: time, ward: i % 2, category: category, subcategory: nil,
                                   severity: random.chance(0.3) ? Int(random.next() % 5) : nil, patient: nil, status: nil,
                                   excludedByStatus: random.chance(0.05),
                                   timing: EventTiming(day: day, time: time, periods: study.periods(forWard: i % 2), window: study.protectedWindow))
            counts.incident(r)
            months.incident(r)
            // The arithmetic the accumulators used before they kept dense rows.
            guard !r.excludedByStatus, let period = r.timing.period else { continue }
            if !order.contains(category) { order.append(category) }
            if time == nil { withoutTime += 1 }
            let windows: [TimeWindow] = r.timing.inProtectedWindow == true ? [.allDay, .protected] : [.allDay]
            for window in windows {
                for c in Set([category, IncidentCounts.allCategories]) {
                    for ward in [nil, r.ward] { reference[IncidentCounts.Cell(category: c, ward: ward, period: period, window: window), default: 0] += 1 }
                    monthly[WardMonthSeries.Key(ward: r.ward, month: day.startOfMonth.dayNumber, period: period), default: [:]][
                        WardMonthSeries.Cell(category: c, window: window), default: 0] += 1
                }
            }
            if (r.severity ?? 0) >= 3 || category == "Death" { serious[period, default: 0] += 1 }
        }
        #expect(counts.counts == reference)
        #expect(reference.allSatisfy { counts.count(category: $0.key.category, ward: $0.key.ward, period: $0.key.period, window: $0.key.window) == $0.value })
        #expect(counts.count(category: "never seen", period: .pilot, window: .allDay) == 0)
        #expect(counts.categories == order && counts.serious == serious && counts.withoutTime == withoutTime)
        #expect(months.incidents == monthly)
    }

    @Test func theFeedRoutesEachExportToTheAnalysesThatUseIt() throws {
        let a = try StudyAnalyses(study: study, folder: "/nonexistent")
        let members: [StudyConsumer] = [a.incidents, a.occupancy, a.hypnotics, a.feedback, a.uptake, a.ledger, a.series, a.months, a.fidelity]
        for kind in ExportKind.allCases {
            let takers = members.filter { $0.exports.contains(kind) }.map { String(describing: type(of: $0)) }
            #expect(AnalysisFeed.routes[kind] == takers, "\(kind)")
        }
    }

    @Test func theFeedGivesTheEvidenceAConsumerGroupGives() throws {
        let folder = packageRoot() + "/data/sample"
        let study = try StudyLoader.load(folder: folder)
        let context = NormaliseContext(study: study, pseudonymiser: try Pseudonymiser(keyText: testKey, source: .environment))
        func evidence(_ consumer: (StudyAnalyses) -> StudyConsumer) throws -> Data {
            let analyses = try StudyAnalyses(study: study, folder: folder)
            let ingest = try StudyIngest.run(folder: folder, context: context, problems: ProblemLog(), consumer: consumer(analyses))
            return try Evidence(study: study, ingest: ingest, analyses: analyses, problems: [:]).encoded()
        }
        let fed = try evidence { $0.consumer }
        let grouped = try evidence { a in
            ScopeFilter(ConsumerGroup([a.incidents, a.occupancy, a.hypnotics, a.feedback, a.uptake, a.ledger, a.series, a.months, a.fidelity]),
                        scope: study.scope)
        }
        #expect(fed.count > 10_000)
        // Some parts encode dictionaries as arrays in hash order, which differs between two encodings of one value:
        // compare with every array's elements sorted (a record routed wrongly changes what is there, not its order).
        #expect(try canonical(fed) == canonical(grouped))
    }

    /// JSON with sorted keys and every array's elements sorted by their own text.
    func canonical(_ data: Data) throws -> String {
        func text(_ value: Any) -> String {
            switch value {
            case let d as [String: Any]: return "{" + d.keys.sorted().map { "\($0):\(text(d[$0]!))" }.joined(separator: ",") + "}"
            case let a as [Any]: return "[" + a.map(text).sorted().joined(separator: ",") + "]"
            default: return "\(value)"
            }
        }
        return text(try JSONSerialization.jsonObject(with: data))
    }

    /// The patient-night index answers as a dictionary does, through its growth, for keys that differ only in the
    /// patient, only in the night, or in neither (a repeated plan keeps the first).
    @Test func thePatientNightIndexAnswersAsADictionary() {
        var random = SampleRandom(seed: 31)
        var index = PatientNightIndex()
        var reference: [PatientNight: Int32] = [:]
        for n in 0..<50_000 {
            let key = FidelityTally.key(PatientID(random.next() % 3_000), CalendarDay(dayNumber: 17_800 + Int(random.next() % 400)))
            let stored = index.insert(key, Int32(n))
            #expect(stored == (reference[key] == nil))
            if reference[key] == nil { reference[key] = Int32(n) }
            if n % 97 == 0 {
                let probe = FidelityTally.key(PatientID(random.next() % 3_500), CalendarDay(dayNumber: 17_800 + Int(random.next() % 450)))
                #expect(index[probe] == reference[probe])
            }
        }
        #expect(index.count == reference.count)
        #expect(reference.allSatisfy { index[$0.key] == $0.value })
    }
}

/// Category spellings: the first spelling read names the category, however it is written after; the labels remembered
/// stop at a fixed number, so an export writing one category in ever more ways does not grow memory without end.
@Suite struct CategorySpellingTests {
    @Test func manyWaysOfWritingOneCategoryKeepTheFirstSpellingInBoundedMemory() {
        var spellings = CategorySpellings()
        #expect(spellings.spelling(of: "Self Harm") == "Self Harm")
        var random = SampleRandom(seed: 10)
        let letters = Array("self harm")
        for _ in 0..<(CategorySpellings.labelLimit + 5_000) {
            // One of 2⁸ case variants, with runs of spaces of its own inside and after: nearly every label distinct.
            let variant = String(letters.map { random.chance(0.5) ? Character($0.uppercased()) : $0 })
                .replacingOccurrences(of: " ", with: String(repeating: " ", count: 1 + Int(random.next() % 300)))
                + String(repeating: " ", count: Int(random.next() % 200))
            #expect(spellings.spelling(of: variant) == "Self Harm")
        }
        #expect(spellings.byLabel.count == CategorySpellings.labelLimit && spellings.byKey == ["self harm": "Self Harm"])
        #expect(spellings.spelling(of: "Falls") == "Falls" && spellings.spelling(of: "FALLS") == "Falls")
    }
}
