import Foundation

/// Reads and checks one aggregate file for `wardsleep pool`. Every problem is a configuration error (exit 2) naming the
/// file, the key and what was expected; a file that cannot be read at all is an input error (exit 3).
///
/// Checked in this order: the file is JSON and an aggregate (`kind`); its `schema_version` is the one this wardsleep
/// reads; its `sha256` is the hash of its canonical form without that member (so a file edited after it was written is
/// refused); then every member has the type and range expected.
public enum AggregateReader {
    /// The largest aggregate read (a trust with 1,000 wards and a hundred categories writes about 20 MB).
    static let sizeLimit = 64 << 20
    /// The largest count accepted: sums over many wards and trusts stay exact in a Double and far from overflow.
    static let countLimit = 1_000_000_000_000
    /// The largest exposure accepted (occupied bed days).
    static let exposureLimit = 1e13

    /// Reads `path` (named `path` in messages); returns the aggregate and its `sha256`.
    public static func read(_ path: String) throws -> (aggregate: TrustAggregate, sha256: String) {
        guard let data = try InputFile.readSmallFile(path, displayName: path, limit: sizeLimit) else {
            throw InputError(file: path, message: "input unreadable: no such file")
        }
        return try parse(data, file: path)
    }

    /// Parses and checks the bytes of an aggregate; `file` names it in messages.
    public static func parse(_ data: Data, file: String) throws -> (aggregate: TrustAggregate, sha256: String) {
        func fail(_ key: String, _ message: String) -> ConfigurationError { ConfigurationError(file: file, keyPath: key, message: message) }
        let expected = "expected the \(TrustAggregate.fileName) that `wardsleep run --share` writes"
        guard let object = try? JSONSerialization.jsonObject(with: data), let doc = JSONValue(foundation: object) else {
            throw fail("", "is not a wardsleep aggregate: it is not JSON; \(expected)")
        }
        guard doc["kind"] == .string(TrustAggregate.kind) else {
            throw fail("", "is not a wardsleep aggregate (no \"kind\": \"\(TrustAggregate.kind)\"); \(expected)")
        }
        guard case .double(let version)? = doc["schema_version"], version == version.rounded() else {
            throw fail("schema_version", "is missing or not a whole number; \(expected)")
        }
        guard Int(version) == TrustAggregate.schemaVersion else {
            throw fail("schema_version", "is \(NumberFormat.json(version)), but this wardsleep (\(WardsleepVersion.current)) reads aggregates of "
                       + "schema version \(TrustAggregate.schemaVersion); ask the trust to run `wardsleep run --share` again with this version")
        }
        guard case .string(let stated)? = doc["sha256"] else { throw fail("sha256", "is missing; \(expected)") }
        let actual = TrustAggregate.hash(doc.removing("sha256"))
        guard stated == actual else {
            throw fail("sha256", "does not match the file's content: the aggregate was changed after wardsleep wrote it; "
                       + "ask the trust for the file as `wardsleep run --share` wrote it")
        }
        var d = Decoder(file: file)
        return (try d.aggregate(doc), stated)
    }

    /// Typed access with key paths for messages.
    struct Decoder {
        let file: String

        func fail(_ key: String, _ message: String) -> ConfigurationError { ConfigurationError(file: file, keyPath: key, message: message) }

        func string(_ v: JSONValue?, _ key: String, optional: Bool = false) throws -> String? {
            if case .string(let s)? = v { return s }
            if optional, v == nil || v == .null { return nil }
            throw fail(key, "expected text")
        }

        func number(_ v: JSONValue?, _ key: String, limit: Double) throws -> Double {
            guard case .double(let d)? = v, d.isFinite, d >= 0, d <= limit else {
                throw fail(key, "expected a number from 0 to \(NumberFormat.json(limit))")
            }
            return d
        }

        func count(_ v: JSONValue?, _ key: String) throws -> Int {
            guard case .double(let d)? = v, d == d.rounded(), d >= 0, d <= Double(AggregateReader.countLimit) else {
                throw fail(key, "expected a whole number from 0 to \(NumberFormat.grouped(AggregateReader.countLimit))")
            }
            return Int(d)
        }

        func array(_ v: JSONValue?, _ key: String) throws -> [JSONValue] {
            guard case .array(let a)? = v else { throw fail(key, "expected a list") }
            return a
        }

        /// A list of periods (`baseline`, `pilot`), each at most once; absent means none.
        func periods(_ v: JSONValue?, _ key: String) throws -> Set<StudyPeriod> {
            guard let v, v != .null else { return [] }
            var out = Set<StudyPeriod>()
            for (i, p) in try array(v, key).enumerated() {
                guard let period = StudyPeriod(rawValue: try string(p, "\(key)[\(i)]")!), out.insert(period).inserted else {
                    throw fail("\(key)[\(i)]", "expected baseline or pilot, each at most once")
                }
            }
            return out
        }

        mutating func aggregate(_ doc: JSONValue) throws -> TrustAggregate {
            let study = try string(doc["study"], "study")!
            let organisation = try string(doc["organisation"], "organisation", optional: true)
            let version = try string(doc["tool"]?["version"], "tool.version")!
            var periods: [String] = []
            for p in ["baseline", "pilot"] {
                for end in ["from", "to"] {
                    let key = "periods.\(p).\(end)"
                    let text = try string(doc["periods"]?[p]?[end], key)!
                    guard (try? FieldParsing.date(ArraySlice(Array(text.utf8)), order: .dmy)) != nil, text.count == 10 else {
                        throw fail(key, "expected a date as yyyy-mm-dd, found \"\(text)\"")
                    }
                    periods.append(text)
                }
            }
            let unitText = try string(doc["exposure_unit"], "exposure_unit")!
            guard let unit = ExposureUnit(rawValue: unitText), unit != .occupiedBedNights else {
                throw fail("exposure_unit", "expected occupied_bed_days or days, found \"\(unitText)\"")
            }
            let policy = DisclosurePolicy(suppressAtOrBelow: try count(doc["disclosure"]?["suppress_at_or_below"], "disclosure.suppress_at_or_below"),
                                          roundTo: try count(doc["disclosure"]?["round_to"], "disclosure.round_to"))
            guard policy.roundTo >= 1, policy.roundTo <= 1000, policy.suppressAtOrBelow <= 1000 else {
                throw fail("disclosure", "expected round_to from 1 to 1000 and suppress_at_or_below from 0 to 1000")
            }
            var categories: [String] = [], known = Set<String>()
            for (i, c) in try array(doc["categories"], "categories").enumerated() {
                let name = try string(c, "categories[\(i)]")!
                guard known.insert(name).inserted else { throw fail("categories[\(i)]", "names \"\(name)\" twice") }
                categories.append(name)
            }
            if !categories.isEmpty && categories.first != IncidentCounts.allCategories {
                throw fail("categories", "expected \"\(IncidentCounts.allCategories)\" first")
            }
            var windows: [TimeWindow] = []
            for (i, w) in try array(doc["windows"], "windows").enumerated() {
                let text = try string(w, "windows[\(i)]")!
                guard let window = TimeWindow(rawValue: text), !windows.contains(window) else {
                    throw fail("windows[\(i)]", "expected 24h or protected, each once, found \"\(text)\"")
                }
                windows.append(window)
            }
            var hypnotics: HypnoticsExportKind?
            if let kind = try string(doc["hypnotics"], "hypnotics", optional: true) {
                guard let k = HypnoticsExportKind(rawValue: kind) else { throw fail("hypnotics", "expected issues, administrations or null") }
                hypnotics = k
            }
            var wards: [TrustAggregate.Ward] = []
            for (i, w) in try array(doc["wards"], "wards").enumerated() {
                let key = "wards[\(i)]"
                guard try count(w["ward"], key + ".ward") == i + 1 else { throw fail(key + ".ward", "expected the wards numbered 1, 2, 3 … in order") }
                var ward = TrustAggregate.Ward(baselineExposure: try number(w["baseline_exposure"], key + ".baseline_exposure", limit: AggregateReader.exposureLimit),
                                               pilotExposure: try number(w["pilot_exposure"], key + ".pilot_exposure", limit: AggregateReader.exposureLimit),
                                               incidents: [])
                var seen = Set<String>()
                for (j, c) in try array(w["incidents"], key + ".incidents").enumerated() {
                    let ck = "\(key).incidents[\(j)]"
                    let category = try string(c["category"], ck + ".category")!
                    let windowText = try string(c["window"], ck + ".window")!
                    guard known.contains(category) else { throw fail(ck + ".category", "\"\(category)\" is not in `categories`") }
                    guard let window = TimeWindow(rawValue: windowText), windows.contains(window) else {
                        throw fail(ck + ".window", "\"\(windowText)\" is not in `windows`")
                    }
                    guard seen.insert("\(category)|\(windowText)").inserted else {
                        throw fail(ck, "counts \(category) in \(windowText) a second time")
                    }
                    ward.incidents.append(.init(category: category, window: window, baseline: try count(c["baseline"], ck + ".baseline"),
                                                pilot: try count(c["pilot"], ck + ".pilot"), withheld: try self.periods(c["withheld"], ck + ".withheld")))
                }
                guard seen.count == categories.count * windows.count else {
                    throw fail(key + ".incidents", "expected a count for every category in every window (\(categories.count * windows.count)), found \(seen.count)")
                }
                try AggregateReader.checkConsistent(ward, key: key, categories: categories, windows: windows, fail: fail)
                if let h = w["hypnotic_ddd"], h != .null {
                    ward.ddd = (try number(h["baseline"], key + ".hypnotic_ddd.baseline", limit: 1e15),
                                try number(h["pilot"], key + ".hypnotic_ddd.pilot", limit: 1e15))
                }
                if let u = w["protected_sleep"], u != .null {
                    let sk = key + ".protected_sleep"
                    let s = TrustAggregate.ProtectedSleep(patients: try count(u["patients"], sk + ".patients"),
                                                          patientsProtected: try count(u["patients_protected"], sk + ".patients_protected"),
                                                          nights: try count(u["nights"], sk + ".nights"),
                                                          nightsProtected: try count(u["nights_protected"], sk + ".nights_protected"))
                    guard s.patientsProtected <= s.patients else { throw fail(sk + ".patients_protected", "is more than patients") }
                    guard s.nightsProtected <= s.nights else { throw fail(sk + ".nights_protected", "is more than nights") }
                    guard s.patientsProtected <= s.nightsProtected, s.patients <= s.nights else {
                        throw fail(sk, "counts more patients than patient-nights")
                    }
                    ward.protectedSleep = s
                }
                if let f = w["fidelity"], f != .null {
                    var byPeriod: [StudyPeriod: TrustAggregate.Fidelity] = [:]
                    for period in StudyPeriod.allCases {
                        guard let x = f[period.rawValue], x != .null else { continue }
                        let fk = key + ".fidelity." + period.rawValue
                        let nights = try count(x["protected_nights"], fk + ".protected_nights")
                        let without = try count(x["without_routine_check"], fk + ".without_routine_check")
                        guard without <= nights else { throw fail(fk + ".without_routine_check", "is more than protected_nights") }
                        byPeriod[period] = .init(protectedNights: nights, withoutRoutineCheck: without,
                                                 checksInWindow: try count(x["checks_in_window"], fk + ".checks_in_window"),
                                                 bedNights: try number(x["bed_nights"], fk + ".bed_nights", limit: 1e15))
                    }
                    ward.fidelity = byPeriod
                }
                wards.append(ward)
            }
            guard !wards.isEmpty else { throw fail("wards", "lists no ward; an aggregate holds every ward of its study") }
            var aggregate = TrustAggregate(study: study, organisation: organisation, toolVersion: version, periods: periods, exposureUnit: unit,
                                           disclosure: policy, categories: categories, windows: windows, hypnoticsKind: hypnotics, wards: wards,
                                           salt: try string(doc["salt"], "salt", optional: true))
            if let list = doc["study_withheld"], list != .null {
                for (i, c) in try array(list, "study_withheld").enumerated() {
                    let ck = "study_withheld[\(i)]"
                    let category = try string(c["category"], ck + ".category")!, windowText = try string(c["window"], ck + ".window")!
                    guard known.contains(category) else { throw fail(ck + ".category", "\"\(category)\" is not in `categories`") }
                    guard let window = TimeWindow(rawValue: windowText), windows.contains(window) else {
                        throw fail(ck + ".window", "\"\(windowText)\" is not in `windows`")
                    }
                    aggregate.studyWithheld.append(.init(category: category, window: window, periods: try self.periods(c["withheld"], ck + ".withheld")))
                }
            }
            return aggregate
        }
    }

    /// Checks that one ward's counts agree with one another, as any study's do: no incident in a period without exposure
    /// (events on days without a census are left out of the counts), no window counting more than the 24 hours it lies
    /// in, and the categories adding up to `all`. An aggregate edited by hand (and its hash recomputed) is refused here.
    static func checkConsistent(_ ward: TrustAggregate.Ward, key: String, categories: [String], windows: [TimeWindow],
                                fail: (String, String) -> Error) throws {
        for (period, exposure) in [(StudyPeriod.baseline, ward.baselineExposure), (.pilot, ward.pilotExposure)] where exposure == 0 {
            if let c = ward.incidents.first(where: { (period == .baseline ? $0.baseline : $0.pilot) > 0 }) {
                throw fail("\(key).\(period.rawValue)_exposure", "is 0, yet \(c.category) in \(c.window.rawValue) counts incidents in the "
                           + "\(period.rawValue); a study counts no incident where it has no exposure")
            }
        }
        func counted(_ c: TrustAggregate.Count, _ p: StudyPeriod) -> Int { p == .baseline ? c.baseline : c.pilot }
        for period in StudyPeriod.allCases {
            if windows.contains(.allDay) && windows.contains(.protected) {
                for category in categories {
                    guard let day = ward.count(category, .allDay), let night = ward.count(category, .protected) else { continue }
                    if counted(night, period) > counted(day, period) {
                        throw fail("\(key).incidents", "counts more \(category) incidents in the protected window than over 24 hours in the "
                                   + "\(period.rawValue)")
                    }
                }
            }
            for window in windows {
                guard let all = ward.count(IncidentCounts.allCategories, window) else { continue }
                let parts = categories.dropFirst().compactMap { ward.count($0, window) }.map { counted($0, period) }
                if parts.reduce(0, +) != counted(all, period) {
                    throw fail("\(key).incidents", "its categories add up to \(parts.reduce(0, +)) incidents in \(window.rawValue) in the "
                               + "\(period.rawValue), not the \(counted(all, period)) counted under \"\(IncidentCounts.allCategories)\"")
                }
            }
        }
    }
}
