/// study.yaml exactly as written: every key optional, unknown keys refused. `StudyLoader` turns it into a
/// `StudyDefinition`, filling defaults and checking values.
struct StudyFile: Decodable {
    var version: Int?
    var study: String?
    var organisation: String?
    var protected_window: WindowFile?
    var date_format: String?
    var periods: PeriodsFile?
    var wards: [WardFile]?
    var exclude_wards: [String]?
    var exports: ExportsFile?
    var disclosure: DisclosureFile?
    var spc: SPCFile?
    var quality: QualityFile?
    var involvement_roles: [String: String]?
    var formulary: FormularyFile?
    var feedback: FeedbackFile?
    var synthetic: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case version, study, organisation, protected_window, date_format, periods, wards, exclude_wards, exports, disclosure, spc, quality
        case involvement_roles, formulary, feedback, synthetic
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(CodingKeys.self)
        version = try c.decodeIfPresent(Int.self, forKey: .version)
        study = try c.decodeIfPresent(String.self, forKey: .study)
        organisation = try c.decodeIfPresent(String.self, forKey: .organisation)
        protected_window = try c.decodeIfPresent(WindowFile.self, forKey: .protected_window)
        date_format = try c.decodeIfPresent(String.self, forKey: .date_format)
        periods = try c.decodeIfPresent(PeriodsFile.self, forKey: .periods)
        wards = try c.decodeIfPresent([WardFile].self, forKey: .wards)
        exclude_wards = try c.decodeIfPresent([String].self, forKey: .exclude_wards)
        exports = try c.decodeIfPresent(ExportsFile.self, forKey: .exports)
        disclosure = try c.decodeIfPresent(DisclosureFile.self, forKey: .disclosure)
        spc = try c.decodeIfPresent(SPCFile.self, forKey: .spc)
        quality = try c.decodeIfPresent(QualityFile.self, forKey: .quality)
        involvement_roles = try c.decodeIfPresent([String: String].self, forKey: .involvement_roles)
        formulary = try c.decodeIfPresent(FormularyFile.self, forKey: .formulary)
        feedback = try c.decodeIfPresent(FeedbackFile.self, forKey: .feedback)
        synthetic = try c.decodeIfPresent(Bool.self, forKey: .synthetic)
    }
}

struct WindowFile: Decodable {
    var start: String?
    var end: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case start, end }
    init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(CodingKeys.self)
        start = try c.decodeIfPresent(String.self, forKey: .start)
        end = try c.decodeIfPresent(String.self, forKey: .end)
    }
}

struct RangeFile: Decodable {
    var from: String?
    var to: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case from, to }
    init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(CodingKeys.self)
        from = try c.decodeIfPresent(String.self, forKey: .from)
        to = try c.decodeIfPresent(String.self, forKey: .to)
    }
}

struct PeriodsFile: Decodable {
    var baseline: RangeFile?
    var pilot: RangeFile?
    enum CodingKeys: String, CodingKey, CaseIterable { case baseline, pilot }
    init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(CodingKeys.self)
        baseline = try c.decodeIfPresent(RangeFile.self, forKey: .baseline)
        pilot = try c.decodeIfPresent(RangeFile.self, forKey: .pilot)
    }
}

struct WardFile: Decodable {
    var id: String?
    var name: String?
    var type: String?
    var beds: Int?
    var cbti: Bool?
    var aliases: [String]?
    var periods: PeriodsFile?
    enum CodingKeys: String, CodingKey, CaseIterable { case id, name, type, beds, cbti, aliases, periods }
    init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        beds = try c.decodeIfPresent(Int.self, forKey: .beds)
        cbti = try c.decodeIfPresent(Bool.self, forKey: .cbti)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases)
        periods = try c.decodeIfPresent(PeriodsFile.self, forKey: .periods)
    }
}

struct ExportsFile: Decodable {
    var byKind: [ExportKind: ExportFile] = [:]
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        for key in c.allKeys {
            guard let kind = ExportKind(rawValue: key.stringValue) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c,
                    debugDescription: "unknown export; the exports are \(ExportKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            byKind[kind] = try c.decode(ExportFile.self, forKey: key)
        }
    }
}

struct ExportFile: Decodable {
    var file: String?
    var columns: [String: String]?
    var categories: [String: String]?
    var severities: [String: Int]?
    var exclude_status: [String]?
    var kind: String?
    var values: [String: [String: String]]?
    var obd_includes_leave: Bool?
    var date_format: String?
    var labels: [String: String]?
    var header_line: Int?
    var two_digit_years: Int?
    enum CodingKeys: String, CodingKey, CaseIterable {
        case file, columns, categories, severities, exclude_status, kind, values, obd_includes_leave, date_format, labels, header_line
        case two_digit_years
    }
    init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(CodingKeys.self)
        file = try c.decodeIfPresent(String.self, forKey: .file)
        columns = try c.decodeIfPresent([String: String].self, forKey: .columns)
        categories = try c.decodeIfPresent([String: String].self, forKey: .categories)
        severities = try c.decodeIfPresent([String: Int].self, forKey: .severities)
        exclude_status = try c.decodeIfPresent([String].self, forKey: .exclude_status)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        values = try c.decodeIfPresent([String: [String: String]].self, forKey: .values)
        obd_includes_leave = try c.decodeIfPresent(Bool.self, forKey: .obd_includes_leave)
        date_format = try c.decodeIfPresent(String.self, forKey: .date_format)
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
        header_line = try c.decodeIfPresent(Int.self, forKey: .header_line)
        two_digit_years = try c.decodeIfPresent(Int.self, forKey: .two_digit_years)
    }
}

struct DisclosureFile: Decodable {
    var suppress_at_or_below: Int?
    var round_to: Int?
    enum CodingKeys: String, CodingKey, CaseIterable { case suppress_at_or_below, round_to }
    init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(CodingKeys.self)
        suppress_at_or_below = try c.decodeIfPresent(Int.self, forKey: .suppress_at_or_below)
        round_to = try c.decodeIfPresent(Int.self, forKey: .round_to)
    }
}

struct SPCFile: Decodable {
    var interval: String?
    var shift: Int?
    var trend: Int?
    var two_in_three: String?
    var screen_outliers: Bool?
    enum CodingKeys: String, CodingKey, CaseIterable { case interval, shift, trend, two_in_three, screen_outliers }
    init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(CodingKeys.self)
        interval = try c.decodeIfPresent(String.self, forKey: .interval)
        shift = try c.decodeIfPresent(Int.self, forKey: .shift)
        trend = try c.decodeIfPresent(Int.self, forKey: .trend)
        two_in_three = try c.decodeIfPresent(String.self, forKey: .two_in_three)
        screen_outliers = try c.decodeIfPresent(Bool.self, forKey: .screen_outliers)
    }
}

struct FeedbackFile: Decodable {
    var codebook: String?
    var names: [String]?
    enum CodingKeys: String, CodingKey, CaseIterable { case codebook, names }
    init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(CodingKeys.self)
        codebook = try c.decodeIfPresent(String.self, forKey: .codebook)
        names = try c.decodeIfPresent([String].self, forKey: .names)
    }
}

struct FormularyFile: Decodable {
    var aliases: [String: String]?
    var drugs: [DrugFile]?
    var products: [String: String]?
    enum CodingKeys: String, CodingKey, CaseIterable { case aliases, drugs, products }
    init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(CodingKeys.self)
        aliases = try c.decodeIfPresent([String: String].self, forKey: .aliases)
        drugs = try c.decodeIfPresent([DrugFile].self, forKey: .drugs)
        products = try c.decodeIfPresent([String: String].self, forKey: .products)
    }
}

struct DrugFile: Decodable {
    var drug: String?
    var atc: String?
    var ddd_mg: Double?
    var group: String?
    var aliases: [String]?
    enum CodingKeys: String, CodingKey, CaseIterable { case drug, atc, ddd_mg, group, aliases }
    init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(CodingKeys.self)
        drug = try c.decodeIfPresent(String.self, forKey: .drug)
        atc = try c.decodeIfPresent(String.self, forKey: .atc)
        ddd_mg = try c.decodeIfPresent(Double.self, forKey: .ddd_mg)
        group = try c.decodeIfPresent(String.self, forKey: .group)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases)
    }
}

struct QualityFile: Decodable {
    var max_quarantined_percent: Double?
    enum CodingKeys: String, CodingKey, CaseIterable { case max_quarantined_percent }
    init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(CodingKeys.self)
        max_quarantined_percent = try c.decodeIfPresent(Double.self, forKey: .max_quarantined_percent)
    }
}

/// A coding key for any string or index.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

extension Decoder {
    /// A keyed container that first refuses keys not in `Keys`, so that a typo in study.yaml is an error, not a default.
    func strictContainer<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws -> KeyedDecodingContainer<Keys> {
        let allowed = Keys.allCases.map(\.stringValue)
        // study.yaml's own decoder: the keys are read off the mapping as they stand, and the mapping is indexed once (a
        // study of thousands of wards decodes a mapping per ward). A key that is not text is refused by the container.
        if let decoding = self as? NodeDecoding, case .mapping(let mapping) = decoding.node,
           mapping.allSatisfy({ pair in
               guard case .scalar(let key) = pair.key else { return true }
               return allowed.contains(key.string)
           }) {
            return try container(keyedBy: Keys.self)
        }
        let any = try container(keyedBy: AnyCodingKey.self)
        for key in any.allKeys where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: any, debugDescription: "unknown key; expected one of \(allowed.joined(separator: ", "))")
        }
        return try container(keyedBy: Keys.self)
    }
}
