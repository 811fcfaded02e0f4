/// One pharmacy issue of a hypnotic product to a ward (negative quantities are returns).
public struct HypnoticIssueRecord: Sendable, Equatable {
    /// The date of issue.
    public var day: CalendarDay
    /// Index of the ward in the study.
    public var ward: Int
    /// The product as pharmacy wrote it ("Zopiclone 7.5mg tablets").
    public var productText: String
    /// The product resolved against the formulary.
    public var product: ParsedProduct
    /// Units issued (tablets, capsules, doses); negative for a return.
    public var quantity: Double
    /// The drug, when the export names it separately.
    public var drug: String?
    /// The strength in mg per unit, when exported separately.
    public var strengthMg: Double?
    /// The period the day falls in for this ward.
    public var period: StudyPeriod?
}

/// Reads pharmacy issue rows; the product string must resolve to one formulary drug and strength.
public struct HypnoticIssueNormaliser: RecordNormaliser {
    let context: NormaliseContext
    var lookups = RowLookups()
    let parser: ProductParser
    var products = LabelCache<Result<ParsedProduct, FieldIssue>>()
    /// Creates the normaliser.
    public init(context: NormaliseContext) {
        self.context = context
        parser = ProductParser(formulary: Formulary.forStudy(context.study))
    }

    public mutating func normalise(_ row: inout ExportRow) -> HypnoticIssueRecord? {
        let order = context.study.dateFormat
        let day = row.parse("date", required: true) { (b) throws(FieldIssue) in try FieldParsing.dateTime(b, order: order).0 }
        let ward = context.ward(&row, cache: &lookups)
        let productText = row.text("product", required: true)
        let quantity = row.parse("quantity", required: true, issueQuantity)
        let drug = row.text("drug")
        let strength = row.parse("strength_mg", strengthMg)
        var product: ParsedProduct?
        if let productText {
            let text = drug.map { "\($0) \(productText)" } ?? productText
            let parser = self.parser, needStrength = !row.has("strength_mg")
            switch products.value(for: ArraySlice(Array(text.utf8)), { _ in
                Result { () throws(FieldIssue) in try parser.parse(text, requireStrength: needStrength) }
            }) {
            case .success(var p):
                if let strength { p.strengthMg = strength }
                if p.strengthMg == nil && row.bytes("strength_mg") == nil { row.reject("strength_mg", "empty required field: strength_mg must have a value when the product name has none", value: "") }
                product = p
            case .failure(let issue):
                row.reject("product", issue.reason)
            }
        }
        guard let day, let ward, let productText, let product, let quantity, row.problems.isEmpty else { return nil }
        return HypnoticIssueRecord(day: day, ward: ward, productText: productText, product: product, quantity: quantity, drug: drug,
                                   strengthMg: strength, period: context.wardPeriods[ward].period(of: day))
    }

    public func setAsideReason(_ r: HypnoticIssueRecord) -> String? { r.period == nil ? "outside both periods" : nil }
}

/// What happened to a prescribed dose.
public enum AdministrationStatus: String, Sendable, Codable, CaseIterable {
    case given, refused, omitted

    /// Spellings EPMA systems use.
    static let labels: [String: AdministrationStatus] = [
        "given": .given, "administered": .given, "self-administered": .given, "refused": .refused, "declined": .refused,
        "omitted": .omitted, "not given": .omitted, "withheld": .omitted, "unavailable": .omitted,
    ]
}

/// One hypnotic dose event from an EPMA export.
public struct HypnoticAdministrationRecord: Sendable, Equatable {
    /// Date and time of the administration.
    public var day: CalendarDay
    /// Clock time, when recorded.
    public var time: ClockTime?
    /// Index of the ward in the study.
    public var ward: Int
    /// The patient (pseudonymised on ingest).
    public var patient: PatientID
    /// The formulary drug.
    public var drug: FormularyDrug
    /// The dose in mg.
    public var doseMg: Double
    /// Given, refused or omitted (only given doses count).
    public var status: AdministrationStatus
    /// Whether the dose was "as required" (PRN), when exported.
    public var prn: Bool?
    /// Period, night and protected-window membership.
    public var timing: EventTiming
}

/// Reads EPMA administration rows; the drug must resolve to one formulary drug.
public struct HypnoticAdministrationNormaliser: RecordNormaliser {
    let context: NormaliseContext
    var lookups = RowLookups()
    let parser: ProductParser
    let formulary: Formulary
    var drugs = LabelCache<Result<FormularyDrug, FieldIssue>>()
    var statuses = LabelCache<AdministrationStatus?>()
    /// Creates the normaliser.
    public init(context: NormaliseContext) {
        self.context = context
        let formulary = Formulary.forStudy(context.study), parser = ProductParser(formulary: formulary)
        self.formulary = formulary
        self.parser = parser
        resolveDrug = { b in
            let text = TextDecoding.decode(b).0
            return Result { () throws(FieldIssue) in formulary.drug(named: try parser.parse(text, requireStrength: false).drug)! }
        }
    }

    public func prepare(header: ExportHeader, spec: ExportSpec) throws { try context.requireKey(for: header, spec: spec) }

    /// A drug label resolved against the formulary: made once, so looking a label up captures nothing per row.
    let resolveDrug: (ArraySlice<UInt8>) -> Result<FormularyDrug, FieldIssue>

    public mutating func normalise(_ row: inout ExportRow) -> HypnoticAdministrationRecord? {
        let order = context.study.dateFormat
        let stamp = row.parse("datetime", required: true) { (b) throws(FieldIssue) in try FieldParsing.dateTime(b, order: order) }
        let ward = context.ward(&row, cache: &lookups)
        let patient = context.patient(&row, required: true)
        // The drug is resolved once per distinct label: the cache is keyed by the cell's bytes, decoded only on a miss.
        var drug: FormularyDrug?
        if let bytes = row.requiredBytes("drug") {
            switch drugs.value(for: bytes, resolveDrug) {
            case .success(let d): drug = d
            case .failure(let issue): row.reject("drug", issue.reason)
            }
        }
        let dose = row.parse("dose_mg", required: true, doseMg)
        var status = AdministrationStatus.given
        if let bytes = row.bytes("status") {
            if let s = statuses.value(for: bytes, { AdministrationStatus.labels[Slug.normaliseLabel(TextDecoding.decode($0).0)] }) {
                status = s
            } else {
                row.reject("status", "unknown status: expected given, refused or omitted")
            }
        }
        let prn = row.parse("prn", FieldParsing.flag)
        guard let stamp, let ward, let patient, let drug, let dose, row.problems.isEmpty else { return nil }
        return HypnoticAdministrationRecord(day: stamp.0, time: stamp.1, ward: ward, patient: patient, drug: drug,
                                            doseMg: dose,
                                            status: status, prn: prn,
                                            timing: context.timing(ward: ward, day: stamp.0, time: stamp.1))
    }

    public func setAsideReason(_ r: HypnoticAdministrationRecord) -> String? {
        if r.status != .given { return "not given (\(r.status.rawValue))" }
        return r.timing.period == nil ? "outside both periods" : nil
    }
}

func positiveDecimal(_ b: ArraySlice<UInt8>) throws(FieldIssue) -> Double {
    let v = try FieldParsing.decimal(b)
    guard v > 0 else { throw FieldIssue("not a positive amount: expected a number above 0") }
    return v
}

/// Units on one issue row: up to `PlausibleLimits.issueQuantity` either way (a return is negative).
func issueQuantity(_ b: ArraySlice<UInt8>) throws(FieldIssue) -> Double {
    let v = try FieldParsing.decimal(b)
    guard abs(v) <= PlausibleLimits.issueQuantity else {
        throw FieldIssue("implausible quantity: more than \(NumberFormat.grouped(Int(PlausibleLimits.issueQuantity))) units on one row")
    }
    return v
}

/// mg per unit, from a `strength_mg` column: above 0 and up to `PlausibleLimits.strengthMg`.
func strengthMg(_ b: ArraySlice<UInt8>) throws(FieldIssue) -> Double {
    let v = try positiveDecimal(b)
    guard v <= PlausibleLimits.strengthMg else { throw FieldIssue(ProductParser.implausibleStrength) }
    return v
}

/// mg in one dose: above 0 and up to `PlausibleLimits.doseMg`.
func doseMg(_ b: ArraySlice<UInt8>) throws(FieldIssue) -> Double {
    let v = try positiveDecimal(b)
    guard v <= PlausibleLimits.doseMg else {
        throw FieldIssue("implausible dose: more than \(NumberFormat.grouped(Int(PlausibleLimits.doseMg))) mg in one dose")
    }
    return v
}
