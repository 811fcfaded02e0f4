import Foundation

/// What one trust shares for pooling (`run --share` writes it to `restricted/aggregate.json`): exact per-ward incident
/// counts and exposures by category × window × period, hypnotic DDDs and protected-sleep counts when supplied, the
/// study's name, organisation, periods and disclosure policy, the tool and schema versions, and the SHA-256 of its own
/// canonical form. Wards are numbered, never named; no patient identifier and no free text is in it.
public struct TrustAggregate: Sendable, Equatable {
    /// The schema version this wardsleep writes and reads.
    public static let schemaVersion = 1
    /// The value of the `kind` member, which marks a file as an aggregate.
    public static let kind = "wardsleep aggregate"
    /// The file name inside the report folder.
    public static let fileName = "restricted/aggregate.json"
    /// What the trust's key hashes into the salt.
    static let saltPhrase = "wardsleep aggregate salt"

    /// The study's name (study.yaml `study`).
    public var study: String
    /// The organisation (study.yaml `organisation`), if given.
    public var organisation: String?
    /// The version of wardsleep that wrote it.
    public var toolVersion: String
    /// Study periods as ISO dates: baseline from, to; pilot from, to.
    public var periods: [String]
    /// Whether exposures are occupied bed days or days in the periods (no occupancy export).
    public var exposureUnit: ExposureUnit
    /// The trust's disclosure policy (pooled outputs use the strictest of the trusts').
    public var disclosure: DisclosurePolicy
    /// Incident categories, `all` first.
    public var categories: [String]
    /// Windows counted.
    public var windows: [TimeWindow]
    /// Pharmacy issues or administrations, when a hypnotics export was supplied.
    public var hypnoticsKind: HypnoticsExportKind?
    /// The wards, numbered from 1 in study order.
    public var wards: [Ward]
    /// A secret only the trust's key can make (its keyed hash of a fixed phrase), written into the file so that the
    /// aggregate's SHA-256 can be published without confirming a guess at its counts: a guess cannot be hashed without
    /// it. `nil` in an aggregate written before salts (its hash then stays in a pooled report's restricted copy).
    public var salt: String? = nil

    /// One ward's figures.
    public struct Ward: Sendable, Equatable {
        /// Exposure (occupied bed days or days) in the baseline.
        public var baselineExposure: Double
        /// Exposure in the pilot.
        public var pilotExposure: Double
        /// Incidents by category and window.
        public var incidents: [Count]
        /// DDDs in each period, when a hypnotics export was supplied.
        public var ddd: (baseline: Double, pilot: Double)?
        /// Protected-sleep counts in the pilot, when sleep plans were supplied.
        public var protectedSleep: ProtectedSleep?
        /// Fidelity counts by period, when an observation log was supplied.
        public var fidelity: [StudyPeriod: Fidelity]?

        public static func == (a: Ward, b: Ward) -> Bool {
            a.baselineExposure == b.baselineExposure && a.pilotExposure == b.pilotExposure && a.incidents == b.incidents
                && a.ddd?.baseline == b.ddd?.baseline && a.ddd?.pilot == b.ddd?.pilot && a.protectedSleep == b.protectedSleep
                && a.fidelity == b.fidelity
        }

        /// The count for a category and window.
        public func count(_ category: String, _ window: TimeWindow) -> Count? {
            incidents.first { $0.category == category && $0.window == window }
        }
    }

    /// Incidents in one category and window.
    public struct Count: Sendable, Equatable {
        /// Category, or `all`.
        public var category: String
        /// 24 h or protected window.
        public var window: TimeWindow
        /// Baseline events.
        public var baseline: Int
        /// Pilot events.
        public var pilot: Int
        /// The periods whose count the trust's own report withholds to protect a small one (`SecondarySuppression`): a
        /// pooled report shows them as `*` too, or the two reports together would give the small one back.
        public var withheld: Set<StudyPeriod> = []
    }

    /// The counts of the trust's own study-wide rows (its wards with exposure in both periods) that its report withholds,
    /// by category and window.
    public var studyWithheld: [StudyCount] = []

    /// A study-wide count of the trust's own report: a category and window, and the periods withheld.
    public struct StudyCount: Sendable, Equatable {
        public var category: String
        public var window: TimeWindow
        public var periods: Set<StudyPeriod>
    }

    /// Patients and nights with a sleep plan, and those protected.
    public struct ProtectedSleep: Sendable, Equatable {
        /// Patients with a sleep plan.
        public var patients: Int
        /// Patients with at least one protected night.
        public var patientsProtected: Int
        /// Patient-nights planned.
        public var nights: Int
        /// Patient-nights protected.
        public var nightsProtected: Int
    }

    /// Fidelity of the protected period in one period: protected nights, those without a routine check in the window,
    /// every check in the window and the bed-nights they are counted over.
    public struct Fidelity: Sendable, Equatable {
        /// Protected patient-nights.
        public var protectedNights: Int
        /// Protected patient-nights with no routine check inside the window.
        public var withoutRoutineCheck: Int
        /// Checks inside the window.
        public var checksInWindow: Int
        /// Bed-nights (occupied, or beds × nights without an occupancy export).
        public var bedNights: Double
    }

    /// The name a pooled report gives the trust: its organisation, or the study's name when none is given.
    public var name: String { organisation ?? study }

    /// The aggregate of a run's exact results.
    public static func of(_ s: ReleasedEvidence) -> TrustAggregate {
        let study = s.study
        var wards: [Ward] = []
        var cellsOfWard: [Int: [SafetyCell]] = [:]
        for c in s.safety?.cells ?? [] where c.ward != nil { cellsOfWard[c.ward!, default: []].append(c) }
        // Each ward's total line (the first, as a search would find it) and fidelity cells, found once, not per ward.
        var ddd: [Int: HypnoticLine] = [:]
        for line in s.hypnoticLines where line.ward != nil && line.group == nil && line.drug == nil && line.product == nil {
            if ddd[line.ward!] == nil { ddd[line.ward!] = line }
        }
        let fidelityCells = s.fidelity?.cellsByWard() ?? [:]
        // What the trust's own releasable report withholds beside its small counts, as `Release.view` works it out.
        let withheld = ReleaseFamilies.withheld(for: s.evidence, policy: study.disclosure).cells
        func periods(_ ward: Int?, _ category: String, _ window: TimeWindow) -> Set<StudyPeriod> {
            Set(StudyPeriod.allCases.filter { withheld.contains(.init(ward: ward, category: category, window: window, period: $0)) })
        }
        for w in study.wardsInScope {
            let cells = cellsOfWard[w] ?? []
            var ward = Ward(baselineExposure: OccupancyTotals.exposure(s.exposure, study: study, ward: w, period: .baseline),
                            pilotExposure: OccupancyTotals.exposure(s.exposure, study: study, ward: w, period: .pilot),
                            incidents: cells.map { Count(category: $0.category, window: $0.window, baseline: $0.baselineEvents, pilot: $0.pilotEvents,
                                                         withheld: periods(w, $0.category, $0.window)) })
            if s.hypnotics != nil {
                let line = ddd[w]
                ward.ddd = (line?.baselineDDD ?? 0, line?.pilotDDD ?? 0)
            }
            if let u = s.uptake {
                let x = u.wards[w] ?? ProtectedSleepUptake.Ward()
                ward.protectedSleep = ProtectedSleep(patients: x.patients.count, patientsProtected: x.protectedPatients.count,
                                                     nights: x.nights, nightsProtected: x.protectedNights)
            }
            if s.fidelity != nil {
                var byPeriod: [StudyPeriod: Fidelity] = [:]
                for period in StudyPeriod.allCases {
                    guard let c = fidelityCells[w]?[period] else { continue }
                    byPeriod[period] = Fidelity(protectedNights: c.protectedNights, withoutRoutineCheck: c.protectedNightsWithoutRoutineCheck,
                                                checksInWindow: c.checks.inWindow, bedNights: c.bedNights)
                }
                ward.fidelity = byPeriod
            }
            wards.append(ward)
        }
        let p = study.periods
        var aggregate = TrustAggregate(study: study.study, organisation: study.organisation, toolVersion: WardsleepVersion.current,
                                       periods: [p.baseline.from.iso, p.baseline.to.iso, p.pilot.from.iso, p.pilot.to.iso],
                                       exposureUnit: s.exposureFromOccupancy ? .occupiedBedDays : .days, disclosure: study.disclosure,
                                       categories: s.safety?.categories ?? [], windows: study.scope.windows,
                                       hypnoticsKind: s.hypnotics == nil ? nil : s.ingest.hypnoticsKind, wards: wards)
        for c in s.safety?.cells ?? [] where c.ward == nil {
            let held = periods(nil, c.category, c.window)
            if !held.isEmpty { aggregate.studyWithheld.append(StudyCount(category: c.category, window: c.window, periods: held)) }
        }
        return aggregate
    }

    /// Periods as the document lists them.
    static func periodList(_ periods: Set<StudyPeriod>) -> JSONValue {
        .array(StudyPeriod.allCases.filter(periods.contains).map { .string($0.rawValue) })
    }

    /// The document without its hash.
    public var document: JSONValue {
        func number(_ d: Double) -> JSONValue { .double(d) }
        let wardValues: [JSONValue] = wards.enumerated().map { i, w in
            var pairs: [(String, JSONValue)] = [
                ("ward", .int(i + 1)),
                ("baseline_exposure", number(w.baselineExposure)),
                ("pilot_exposure", number(w.pilotExposure)),
                ("incidents", .array(w.incidents.map {
                    .object([("category", .string($0.category)), ("window", .string($0.window.rawValue)),
                             ("baseline", .int($0.baseline)), ("pilot", .int($0.pilot))]
                        + ($0.withheld.isEmpty ? [] : [("withheld", TrustAggregate.periodList($0.withheld))]))
                })),
            ]
            if let d = w.ddd { pairs.append(("hypnotic_ddd", .object([("baseline", number(d.baseline)), ("pilot", number(d.pilot))]))) }
            if let u = w.protectedSleep {
                pairs.append(("protected_sleep", .object([
                    ("patients", .int(u.patients)), ("patients_protected", .int(u.patientsProtected)),
                    ("nights", .int(u.nights)), ("nights_protected", .int(u.nightsProtected)),
                ])))
            }
            if let f = w.fidelity {
                pairs.append(("fidelity", .object(StudyPeriod.allCases.compactMap { period in
                    f[period].map { x in
                        (period.rawValue, .object([
                            ("protected_nights", .int(x.protectedNights)), ("without_routine_check", .int(x.withoutRoutineCheck)),
                            ("checks_in_window", .int(x.checksInWindow)), ("bed_nights", number(x.bedNights)),
                        ]))
                    }
                })))
            }
            return .object(pairs)
        }
        return .object([
            ("kind", .string(TrustAggregate.kind)),
            ("schema_version", .int(TrustAggregate.schemaVersion)),
            ("tool", .object([("name", .string("wardsleep")), ("version", .string(toolVersion))])),
            ("study", .string(study)),
            ("organisation", organisation.map { .string($0) } ?? .null),
            ("periods", .object([
                ("baseline", .object([("from", .string(periods[0])), ("to", .string(periods[1]))])),
                ("pilot", .object([("from", .string(periods[2])), ("to", .string(periods[3]))])),
            ])),
            ("exposure_unit", .string(exposureUnit.rawValue)),
            ("disclosure", .object([("suppress_at_or_below", .int(disclosure.suppressAtOrBelow)), ("round_to", .int(disclosure.roundTo))])),
            ("categories", .array(categories.map { .string($0) })),
            ("windows", .array(windows.map { .string($0.rawValue) })),
            ("hypnotics", hypnoticsKind.map { .string($0.rawValue) } ?? .null),
            ("wards", .array(wardValues)),
        ] + (studyWithheld.isEmpty ? [] : [("study_withheld", .array(studyWithheld.map {
            .object([("category", .string($0.category)), ("window", .string($0.window.rawValue)), ("withheld", TrustAggregate.periodList($0.periods))])
        }))]) + (salt.map { [("salt", JSONValue.string($0))] } ?? []))
    }

    /// SHA-256 (hex) of the canonical form (`JSONValue.canonical`) of `document`, the document without its hash.
    public static func hash(_ document: JSONValue) -> String { Digest.sha256(Data(document.canonical().utf8)) }

    /// The file as written: the document with its `sha256` member last.
    public func rendered() -> String {
        let doc = document
        guard case .object(var pairs) = doc else { return doc.rendered() }
        pairs.append(("sha256", .string(TrustAggregate.hash(doc))))
        return JSONValue.object(pairs).rendered()
    }
}
