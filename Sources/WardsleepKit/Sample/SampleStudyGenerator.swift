import Foundation

/// Writes a complete synthetic study folder imitating the SleepWell pilot: seven wards on two sites, baseline
/// January–August 2018 and pilot January–August 2019, simulated day by day (admissions, discharges, leave, incidents,
/// hypnotic use and pharmacy top-ups, protected-sleep decisions), plus feedback and the involvement ledger.
///
/// The same seed and scale give byte-identical files. `scale` repeats the seven wards as further units, multiplying
/// every export's volume, for benchmarks.
public enum SampleStudy {
    /// The feedback entry of study.yaml's exports, as the sample's columns name its fields (the benchmark's too).
    static let feedbackExportYAML = """
          feedback:
            file: feedback.csv
            columns: { id: "Response ID", group: Respondent, stage: Stage, date: Date, ward: Ward, rating: Rating,
                       text: Comment }

        """
    /// The sleep plans entry of study.yaml's exports, as the sample's columns name its fields (the benchmark's too).
    static let sleepPlansExportYAML = """
          sleep_plans:
            file: sleep_plans.csv
            columns: { night: "Night of", ward: Ward, patient: "Patient ID", protected: "Protected sleep",
                       decided_by: "Decided by", patient_involved: "Patient involved", carer_involved: "Carer involved" }

        """
    /// The seed of the committed sample under `data/sample/`.
    public static let defaultSeed: UInt64 = 2019
    /// First and last simulated days (exports cover the whole span, as a trust's extract would).
    static let firstDay = CalendarDay(year: 2018, month: 1, day: 1)!
    static let lastDay = CalendarDay(year: 2019, month: 8, day: 31)!
    static let baseline = DayRange(from: firstDay, to: CalendarDay(year: 2018, month: 8, day: 31)!)
    static let pilot = DayRange(from: CalendarDay(year: 2019, month: 1, day: 1)!, to: lastDay)

    /// Rows written per file.
    public struct Written: Sendable, Equatable {
        /// Data rows (header excluded) by export.
        public var rows: [ExportKind: Int] = [:]
    }

    /// Writes the study into `folder`, created if needed. A folder that is not empty is refused (`UsageError`) unless
    /// `force`, when files of the sample's names are replaced. `SyntheticFiles` records what was written.
    @discardableResult
    public static func write(to folder: String, seed: UInt64 = defaultSeed, scale: Int = 1,
                             hypnotics: HypnoticsExportKind = .issues, force: Bool = false) throws -> Written {
        guard scale >= 1 else { throw ConfigurationError(file: "sample", keyPath: "--scale", message: "expected 1 or more, found \(scale)") }
        try PathGuard.checkSampleFolder(folder, force: force)
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw OutputError(file: folder, error: error)
        }
        var sim = SampleSimulation(seed: seed, scale: scale, hypnotics: hypnotics)
        let path = { (name: String) in (folder as NSString).appendingPathComponent(name) }
        try sim.writeStudyYAML(path("study.yaml"))
        try sim.simulate(occupancy: path("occupancy.csv"), incidents: path("incidents.csv"), hypnotics: path("hypnotics.csv"),
                         sleepPlans: path("sleep_plans.csv"), observations: path("observations.csv"))
        try sim.writeFeedback(path("feedback.csv"))
        try sim.writeInvolvement(path("involvement.csv"))
        try SyntheticFiles.write(folder: folder, names: ["study.yaml"] + ExportKind.allCases.map(\.defaultFileName))
        return sim.written
    }
}

/// One patient's stay in a bed.
struct Stay {
    var patient: String
    var admitted: CalendarDay
    var judgedSafe: Bool?
    var onLeave = false
    /// For administrations: the product prescribed regularly, decided at admission (nil: none).
    var regular: Int?
    var regularDecided = false
}

/// One simulated ward.
struct SimWard {
    var template: SampleWardTemplate
    var id: String
    var name: String
    var aliases: [String]
    var beds: [Stay?]
    var stock: [Double]
    var random: SampleRandom
    /// Draws for the observation log only, so adding the log changed no other export of the sample.
    var observing: SampleRandom
    var pilot: DayRange

    func period(of day: CalendarDay) -> StudyPeriod? {
        if SampleStudy.baseline.contains(day) { return .baseline }
        return pilot.contains(day) ? .pilot : nil
    }
}

struct SampleSimulation {
    var wards: [SimWard] = []
    var random: SampleRandom
    let scale: Int
    let hypnotics: HypnoticsExportKind
    var written = SampleStudy.Written()
    var nextPatient = 0
    var nextIncident = 104_233

    /// The seed: studies of other seeds than the committed sample's are named as different trusts, so they can be pooled.
    let seed: UInt64

    init(seed: UInt64, scale: Int, hypnotics: HypnoticsExportKind) {
        random = SampleRandom(seed: seed)
        self.seed = seed
        self.scale = scale
        self.hypnotics = hypnotics
        for unit in 0..<scale {
            for t in SampleWardTemplate.all {
                let suffix = unit == 0 ? "" : "-\(unit + 1)"
                let name = unit == 0 ? t.name : "\(t.name) (unit \(unit + 1))"
                let pilotFrom = t.pilotFrom ?? SampleStudy.pilot.from
                wards.append(SimWard(template: t, id: t.id + suffix, name: name, aliases: unit == 0 ? t.aliases : [],
                                     beds: Array(repeating: nil, count: t.beds),
                                     // Stock starts between the par level and a pack above it, staggered, as on a ward in
                                     // steady state (so the first weeks are not all restocking).
                                     stock: SampleProduct.all.indices.map { [n = wards.count] p in
                                         let pack = Double(SampleProduct.all[p].packSize)
                                         let par = max(pack, (t.hypnoticUse[p] * Double(t.beds) * 0.9 * 10).rounded(.up))
                                         return par + (pack * Double((p * 3 + n) % 7 + 1) / 7).rounded()
                                     },
                                     random: random.stream("ward \(t.id)\(suffix)"),
                                     observing: random.stream("observations \(t.id)\(suffix)"),
                                     pilot: DayRange(from: pilotFrom, to: SampleStudy.pilot.to)))
            }
        }
        // Wards are already running when the extract starts: most beds hold a patient admitted some time before.
        for w in wards.indices {
            for b in wards[w].beds.indices where wards[w].random.chance(0.9) {
                let daysBefore = 1 + Int(wards[w].random.uniform() * wards[w].template.lengthOfStay)
                wards[w].beds[b] = Stay(patient: newPatient(), admitted: SampleStudy.firstDay.adding(days: -daysBefore))
            }
        }
    }

    /// A synthetic NHS number in the 999 range reserved for testing, with a valid check digit.
    mutating func newPatient() -> String {
        while true {
            let n = 999_000_000 + nextPatient  // first nine digits
            nextPatient += 1
            let digits = String(n).compactMap { $0.wholeNumberValue }
            if let check = NHSNumber.checkDigit(digits) { return String(n) + String(check) }
        }
    }

    // MARK: study.yaml

    func writeStudyYAML(_ path: String) throws {
        var y = """
        # SleepWell pilot (synthetic): generated by `wardsleep sample`. Every patient, incident and comment is invented.
        version: 1
        study: SleepWell pilot
        organisation: Example Mental Health NHS Foundation Trust\(seed == SampleStudy.defaultSeed ? "" : " (seed \(seed))")
        synthetic: true                  # synthetic data: a labelled demo key may pseudonymise it
        protected_window: { start: "00:00", end: "06:00" }
        date_format: dmy
        periods:
          baseline: { from: 2018-01-01, to: 2018-08-31 }
          pilot:    { from: 2019-01-01, to: 2019-08-31 }
        wards:

        """
        for w in wards {
            var line = "  - { id: \(w.id), name: \"\(w.name)\", type: \(w.template.type), beds: \(w.template.beds), cbti: \(w.template.cbti)"
            if !w.aliases.isEmpty { line += ", aliases: [" + w.aliases.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
            if w.pilot.from != SampleStudy.pilot.from { line += ",\n      periods: { pilot: { from: \(w.pilot.from.iso), to: \(w.pilot.to.iso) } }" }
            y += line + " }\n"
        }
        y += """
        exports:
          occupancy:
            file: occupancy.csv
            columns: { date: Date, ward: Ward, occupied_beds: "Occupied beds", leave_beds: "Leave beds" }

        """
        y += SampleCategory.incidentsExportYAML
        y += """
          hypnotics:
            file: hypnotics.csv

        """
        y += hypnotics == .issues ? """
            kind: issues
            columns: { date: "Issue date", ward: Ward, product: Product, quantity: Qty }

        """ : """
            kind: administrations
            columns: { datetime: Administered, ward: Ward, patient: "Patient ID", drug: Drug, dose_mg: "Dose (mg)",
                       status: Status, prn: PRN, route: Route }

        """
        y += SampleStudy.feedbackExportYAML + SampleStudy.sleepPlansExportYAML
        y += """
          involvement:
            file: involvement.csv
          observations:
            file: observations.csv
            columns: { datetime: "Date/time", ward: Ward, patient: "Patient ID", reason: Reason, level: "Obs level", staff: Staff }
        involvement_roles: { "Ward sleep leads": professional }
        disclosure: { suppress_at_or_below: 7, round_to: 5 }
        spc: { interval: month, shift: 7, trend: 7, two_in_three: mdc2023, screen_outliers: false }
        quality: { max_quarantined_percent: 5 }

        """
        try write(path, y)
    }

    func write(_ path: String, _ text: String) throws {
        let w = try TextFileWriter(path: path)
        try w.write(text)
        try w.close()
    }

    // MARK: day-by-day simulation

    static let hourWeights: [Double] = [
        2.2, 1.6, 1.3, 1.1, 1.0, 1.2, 2.5, 4.5, 5.5, 6.0, 6.2, 6.0, 5.8, 6.0, 6.4, 6.6, 6.8, 7.0, 7.2, 7.0, 6.5, 5.5, 4.2, 3.0,
    ]

    mutating func simulate(occupancy: String, incidents: String, hypnotics: String, sleepPlans: String, observations: String) throws {
        let occ = try TextFileWriter(path: occupancy)
        let inc = try TextFileWriter(path: incidents)
        let hyp = try TextFileWriter(path: hypnotics)
        let plans = try TextFileWriter(path: sleepPlans)
        let obs = try TextFileWriter(path: observations)
        try obs.write(CSVOutput.exportLine(["Date/time", "Ward", "Patient ID", "Reason", "Obs level", "Staff"]))
        try occ.write(CSVOutput.exportLine(["Date", "Ward", "Occupied beds", "Leave beds"]))
        try inc.write(bytes: [0xEF, 0xBB, 0xBF])  // Excel's "CSV UTF-8": a byte-order mark and CRLF
        try inc.write(CSVOutput.exportLine(["Ref", "Incident date", "Time", "Reported date", "Location (exact)", "Category",
                                            "Subcategory", "Harm level", "Patient ID", "Status", "Description"], lineEnding: "\r\n"))
        try hyp.write(CSVOutput.exportLine(self.hypnotics == .issues ? ["Issue date", "Ward", "Product", "Qty"]
            : ["Administered", "Ward", "Patient ID", "Drug", "Dose (mg)", "Status", "PRN", "Route"]))
        try plans.write(CSVOutput.exportLine(["Night of", "Ward", "Patient ID", "Protected sleep", "Decided by", "Patient involved",
                                              "Carer involved"]))
        // Bad rows every real export has: an impossible date, an unknown ward, a US-style date.
        let badDays: [Int: Int] = [45: 0, 290: 1, 420: 2]
        var day = SampleStudy.firstDay
        var dayIndex = 0
        while day <= SampleStudy.lastDay {
            for w in wards.indices {
                var ward = wards[w]
                try simulateDay(&ward, day: day, occ: occ, inc: inc, hyp: hyp, plans: plans, obs: obs)
                wards[w] = ward
            }
            if let bad = badDays[dayIndex] {
                for unit in 0..<scale { try writeBadIncident(bad, day: day, unit: unit, inc: inc) }
                // A check transcribed with a reason the log's codes do not have.
                try obs.write(CSVOutput.exportLine(["\(day.adding(days: 1).ukFormatted) 03:00", wards[0].id, "9990000000", "Settled",
                                                    "General", "HCA"]))
                written.rows[.observations, default: 0] += 1
            }
            day = day.adding(days: 1)
            dayIndex += 1
        }
        for f in [occ, inc, hyp, plans, obs] { try f.close() }
    }

    mutating func simulateDay(_ w: inout SimWard, day: CalendarDay, occ: TextFileWriter, inc: TextFileWriter,
                              hyp: TextFileWriter, plans: TextFileWriter, obs: TextFileWriter) throws {
        let t = w.template
        let period = w.period(of: day)
        // Discharges, then admissions into empty beds.
        for b in w.beds.indices {
            if let stay = w.beds[b] {
                let days = day.dayNumber - stay.admitted.dayNumber
                if days > 1 && w.random.chance(1 / t.lengthOfStay) { w.beds[b] = nil }
            } else if w.random.chance(0.22) {
                w.beds[b] = Stay(patient: newPatient(), admitted: day)
            }
        }
        var occupied = 0, leave = 0
        for b in w.beds.indices where w.beds[b] != nil {
            occupied += 1
            w.beds[b]!.onLeave = w.random.chance(t.type == "acute" ? 0.05 : 0.03)
            if w.beds[b]!.onLeave { leave += 1 }
        }
        try occ.write(CSVOutput.exportLine([day.ukFormatted, w.id, String(occupied), String(leave)]))
        written.rows[.occupancy, default: 0] += 1

        // Incidents: a little fewer overnight in the pilot, about the same over 24 hours.
        let inPilot = period == .pilot
        let count = w.random.poisson(t.incidentRate * Double(occupied) * (inPilot ? 0.97 : 1))
        for _ in 0..<count {
            var weights = SampleSimulation.hourWeights
            if inPilot { for h in 0..<6 { weights[h] *= 0.9 } }
            let hour = w.random.weighted(weights)
            let minute = Int(w.random.next() % 60)
            let category = SampleCategory.all[w.random.weighted(SampleCategory.all.map(\.share))]
            let harm: String
            if category.canonical == "death" {
                harm = "Death"
            } else {
                harm = ["No harm", "Low", "Moderate", "Severe"][w.random.weighted([0.6, 0.28, 0.095, 0.025])]
            }
            let patients = w.beds.compactMap { $0?.patient }
            let patient = !patients.isEmpty && w.random.chance(0.8) ? w.random.pick(patients) : ""
            let label = w.aliases.first ?? w.name
            let noTime = w.random.chance(0.03)
            let status = w.random.chance(0.02) ? "REJECTED" : (w.random.chance(0.1) ? "Being reviewed" : "Approved")
            let reported = day.adding(days: w.random.poisson(0.8))
            try inc.write(CSVOutput.exportLine([
                "W\(nextIncident)", day.ukFormatted, noTime ? "" : "\(pad2(hour)):\(pad2(minute))", reported.ukFormatted, label,
                category.label, w.random.pick(category.subcategories), harm, patient, status, SampleText.narrative(&w.random),
            ], lineEnding: "\r\n"))
            nextIncident += 1
            written.rows[.incidents, default: 0] += 1
        }

        if hypnotics == .administrations {
            try administer(&w, day: day, inPilot: inPilot, hyp: hyp)
        }
        // Hypnotic use, and a weekly pharmacy top-up (Mondays) to a par level of about ten days' expected use.
        for (p, product) in SampleProduct.all.enumerated() where hypnotics == .issues {
            let rate = t.hypnoticUse[p] * (inPilot ? t.pilotHypnoticEffect : 1)
            w.stock[p] -= Double(w.random.poisson(rate * Double(occupied)))
            guard day.isoWeekday == 1 else { continue }
            let par = max(Double(product.packSize), (rate * Double(t.beds) * 0.9 * 10).rounded(.up))
            let name = t.site == 1 ? product.site1 : product.site2
            let wardLabel = t.site == 1 ? w.name : w.name.uppercased()
            if w.stock[p] < par {
                let packs = Int(((par - w.stock[p]) / Double(product.packSize)).rounded(.up))
                w.stock[p] += Double(packs * product.packSize)
                try hyp.write(CSVOutput.exportLine([day.ukFormatted, wardLabel, name, String(packs * product.packSize)]))
                written.rows[.hypnotics, default: 0] += 1
            } else if w.stock[p] > par + Double(product.packSize) && w.random.chance(0.3) {
                let back = Int((w.stock[p] - par) / Double(product.packSize)) * product.packSize  // whole packs returned
                w.stock[p] -= Double(back)
                try hyp.write(CSVOutput.exportLine([day.ukFormatted, wardLabel, name, String(-back)]))
                written.rows[.hypnotics, default: 0] += 1
            }
        }

        // Protected-sleep decisions: from 72 hours after admission, during the ward's pilot.
        var protectedTonight = Array(repeating: false, count: w.beds.count)
        for b in w.beds.indices where inPilot {
            guard var stay = w.beds[b], !stay.onLeave, day.dayNumber - stay.admitted.dayNumber >= 3 else { continue }
            if stay.judgedSafe == nil { stay.judgedSafe = w.random.chance(t.protectedShare) }
            w.beds[b] = stay
            let protected = stay.judgedSafe! && w.random.chance(0.95)
            protectedTonight[b] = protected
            let deciders = ["MDT;Night coordinator", "MDT", "Night coordinator", "MDT;Night coordinator;Sleep lead"][
                w.random.weighted([0.65, 0.2, 0.1, 0.05])]
            let carerShare = t.type == "dementia" ? 0.55 : 0.12
            try plans.write(CSVOutput.exportLine([day.ukFormatted, w.id, stay.patient, protected ? "Y" : "N", deciders,
                                                  w.random.chance(t.type == "dementia" ? 0.35 : 0.7) ? "Y" : "N",
                                                  w.random.chance(carerShare) ? "Y" : "N"]))
            written.rows[.sleepPlans, default: 0] += 1
        }
        if period != nil && SampleSimulation.loggedWards.contains(t.id) {
            try observe(&w, night: day, inPilot: inPilot, protected: protectedTonight, obs: obs)
        }
    }

    /// Wards whose overnight checks are logged electronically (the others keep paper sheets, not transcribed): an
    /// acute ward and the dementia service, whose pilot starts a month late.
    static let loggedWards: Set<String> = ["A1", "D1"]
}
