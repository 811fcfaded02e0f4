/// One pharmacy issue of a hypnotic product to a ward (negative quantities are returns).
public struct HypnoticIssueRecord: Sendable, Equatable {
    /// The date of issue.
    public var day: CalendarDay
    /// Index of the ward in the study.
    public var ward: Int
    /// The product resolved against the formulary, with the strength from `strength_mg` when the export has one.
    public var product: ParsedProduct
    /// The product's drug, by its place in the study's formulary (`Formulary.forStudy`): the same drug as
    /// `product.drug` names, found once per distinct label rather than by name on every row.
    public var drug: DrugIndex
    /// Units issued (tablets, capsules, doses); negative for a return.
    public var quantity: Double
    /// The period the day falls in for this ward.
    public var period: StudyPeriod?
}

/// Reads pharmacy issue rows; the product string must resolve to one formulary drug and strength.
public struct HypnoticIssueNormaliser: RecordNormaliser {
    let context: NormaliseContext

    /// The export's date order, held by value so a row reads nothing shared.
    public let dateOrder: DateOrder
    var lookups = RowLookups()
    /// Products resolved by this chunk, keyed by the product cell's bytes (the drug cell's, a space and the product
    /// cell's when the export has a drug column).
    var products = LabelCache<Result<ResolvedProduct, FieldIssue>>()
    /// The drug cell, a space and the product cell, for an export with a drug column (reused row to row).
    var combined: [UInt8] = []
    /// The fields read on every row, named once (see `FieldName`).
    let dateField = FieldName("date"), productField = FieldName("product"), quantityField = FieldName("quantity"),
        drugField = FieldName("drug"), strengthField = FieldName("strength_mg")

    /// A product label resolved against the formulary, with its drug's place in it.
    struct ResolvedProduct: Sendable {
        let product: ParsedProduct
        let drug: DrugIndex
    }

    /// A product label (as bytes; decoded only here, on a miss) resolved through a memo every chunk's copy of this
    /// normaliser shares (`SharedLabelMemo`): made once, so looking a label up captures nothing per row. The second
    /// argument says whether the label must give a strength (the export has no `strength_mg` column); it is the same
    /// for every row of an export. With a drug column, the label is the drug cell and the product cell, each decoded
    /// on its own (`drugBytes`: how many of the key's bytes are the drug's).
    let resolveProduct: (ArraySlice<UInt8>, _ needStrength: Bool, _ drugBytes: Int?) -> Result<ResolvedProduct, FieldIssue>

    /// Creates the normaliser.
    public init(context: NormaliseContext) {
        self.context = context
        dateOrder = context.dateOrder(.hypnotics)
        let formulary = Formulary.forStudy(context.study), parser = ProductParser(formulary: formulary)
        let memo = SharedLabelMemo<Result<ResolvedProduct, FieldIssue>>()
        resolveProduct = { key, needStrength, drugBytes in
            memo.value(for: key) { b in
                let text = drugBytes.map { n in
                    TextDecoding.decode(b.prefix(n)).0 + " " + TextDecoding.decode(b.dropFirst(n + 1)).0
                } ?? TextDecoding.decode(b).0
                return Result { () throws(FieldIssue) in
                    let p = try parser.parse(text, requireStrength: needStrength)
                    return ResolvedProduct(product: p, drug: formulary.index(named: p.drug)!)
                }
            }
        }
    }

    public mutating func normalise(_ row: inout ExportRow) -> HypnoticIssueRecord? {
        let day = row.dateTime(dateField, required: true, order: dateOrder)?.0
        let ward = context.ward(&row, cache: &lookups)
        let productCell = row.requiredBytes(productField)
        let quantity = row.parse(quantityField, required: true, issueQuantity)
        let strength = row.parse(strengthField, strengthMg)
        var resolved: ResolvedProduct?
        if let productCell {
            // Resolved once per distinct label: the cache is keyed by the cells' bytes, decoded only on a miss.
            let result: Result<ResolvedProduct, FieldIssue>
            let needStrength = !row.has(strengthField)
            if let drugCell = row.bytes(drugField) {
                combined.removeAll(keepingCapacity: true)
                combined.append(contentsOf: drugCell)
                combined.append(UInt8(ascii: " "))
                combined.append(contentsOf: productCell)
                if let hit = products.cached(combined[...]) {
                    result = hit
                } else {
                    result = resolveProduct(combined[...], needStrength, drugCell.count)
                    products.store(combined[...], result)
                }
            } else if let hit = products.cached(productCell) {
                result = hit
            } else {
                result = resolveProduct(ArraySlice(productCell), needStrength, nil)
                products.store(productCell, result)
            }
            switch result {
            case .success(var r):
                if let strength {
                    var p = r.product
                    p.strengthMg = strength
                    r = ResolvedProduct(product: p, drug: r.drug)
                }
                if r.product.strengthMg == nil && row.bytes(strengthField) == nil {
                    row.reject("strength_mg", "empty required field: strength_mg must have a value when the product name has none", value: "")
                }
                resolved = r
            case .failure(let issue):
                row.reject("product", issue.reason)
            }
        }
        guard let day, let ward, let resolved, let quantity, row.isClean else { return nil }
        return HypnoticIssueRecord(day: day, ward: ward, product: resolved.product, drug: resolved.drug, quantity: quantity,
                                   period: context.wardPeriods[ward].period(of: day))
    }

    public var placesRowsInPeriods: Bool { true }
    public func period(of r: HypnoticIssueRecord) -> StudyPeriod? { r.period }

    public func setAsideReason(_ r: HypnoticIssueRecord) -> String? { r.period == nil ? "outside both periods" : nil }
}

/// What happened to a prescribed dose (labels mapped by `CodedFields.administrationStatus`).
public enum AdministrationStatus: String, HashedByCase, Sendable, Codable, CaseIterable {
    case given, refused, omitted
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
    /// The drug, by its place in the study's formulary (`Formulary.forStudy`).
    public var drug: DrugIndex
    /// The dose in mg.
    public var doseMg: Double
    /// Given, refused or omitted (only given doses count).
    public var status: AdministrationStatus
    /// Whether the dose was "as required" (PRN), when exported.
    public var prn: Bool?
    /// Period, night and protected-window membership.
    public var timing: EventTiming
}

/// Reads EPMA administration rows; the drug must resolve to one formulary drug, and a dose in anything but mg (a unit
/// in the dose cell, `7.5 mg`, or a `dose_unit` column) is converted only when that is exact: g and micrograms always,
/// ml and tablets only when the drug label gives the strength (`Promethazine 5mg/5ml oral solution`). A volume is
/// never read as mg.
public struct HypnoticAdministrationNormaliser: RecordNormaliser {
    let context: NormaliseContext

    /// The export's date order, held by value so a row reads nothing shared.
    public let dateOrder: DateOrder
    var lookups = RowLookups()
    let parser: ProductParser
    let formulary: Formulary
    var drugs = LabelCache<Result<ResolvedDrug, FieldIssue>>()
    var statuses: CodedColumn<AdministrationStatus>
    var prnFlags: CodedColumn<FlagValue>
    var units: CodedColumn<DoseUnit>
    var inlineUnits = LabelCache<DoseUnit?>()
    /// The fields read on every row, named once (see `FieldName`).
    let datetimeField = FieldName("datetime"), drugField = FieldName("drug"), doseField = FieldName("dose_mg"),
        doseUnitField = FieldName("dose_unit")

    /// A drug label resolved against the formulary, with the strength the label gives, if any.
    struct ResolvedDrug: Sendable {
        let drug: DrugIndex
        /// mg per ml, for a liquid whose label gives its concentration.
        let mgPerMl: Double?
        /// mg per tablet or capsule, when the label gives the strength.
        let mgPerTablet: Double?
    }

    /// Creates the normaliser; `spec` gives the study's own labels for status, PRN and dose unit.
    public init(context: NormaliseContext, spec: ExportSpec? = nil) {
        self.context = context
        dateOrder = context.dateOrder(.hypnotics)
        let spec = spec ?? context.study.exports[.hypnotics]
        let formulary = Formulary.forStudy(context.study), parser = ProductParser(formulary: formulary)
        self.formulary = formulary
        self.parser = parser
        statuses = CodedColumn(CodedFields.administrationStatus, spec: spec) { AdministrationStatus(rawValue: $0) }
        prnFlags = CodedColumn(CodedFields.prn, spec: spec, FlagValue.init(canonical:))
        units = CodedColumn(CodedFields.doseUnit, spec: spec) { DoseUnit(rawValue: $0) }
        let memo = SharedLabelMemo<Result<ResolvedDrug, FieldIssue>>()
        resolveDrug = { bytes in
            memo.value(for: bytes) { b in
                let text = TextDecoding.decode(b).0
                return Result { () throws(FieldIssue) in
                    let p = try parser.parse(text, requireStrength: false)
                    let liquid = p.form == .liquid || p.perMl != nil
                    return ResolvedDrug(drug: formulary.index(named: p.drug)!, mgPerMl: liquid && p.perMl != nil ? p.mgPerUnit : nil,
                                        mgPerTablet: !liquid && (p.form == .tablet || p.form == .capsule) ? p.strengthMg : nil)
                }
            }
        }
    }

    public func prepare(header: ExportHeader, spec: ExportSpec) throws { try context.requireKey(for: header, spec: spec) }

    /// A drug label resolved against the formulary, through a memo every chunk's copy of this normaliser shares: made
    /// once, so looking a label up captures nothing per row.
    let resolveDrug: (FieldBytes) -> Result<ResolvedDrug, FieldIssue>

    public mutating func normalise(_ row: inout ExportRow) -> HypnoticAdministrationRecord? {
        let stamp = row.dateTime(datetimeField, required: true, order: dateOrder)
        let ward = context.ward(&row, cache: &lookups)
        let patientCell = context.patientCell(&row, required: true, cache: &lookups)
        // The drug is resolved once per distinct label: the cache is keyed by the cell's bytes, decoded only on a miss.
        var drug: ResolvedDrug?
        if let bytes = row.requiredBytes(drugField) {
            let resolved: Result<ResolvedDrug, FieldIssue>
            if let hit = drugs.cached(bytes) {
                resolved = hit
            } else {
                resolved = resolveDrug(bytes)
                drugs.store(bytes, resolved)
            }
            switch resolved {
            case .success(let d): drug = d
            case .failure(let issue): row.reject("drug", issue.reason)
            }
        }
        let dose = self.dose(&row, drug: drug)
        let status = statuses.value(&row) ?? .given
        let prn = prnFlags.value(&row)?.bool
        guard let stamp, let ward, let patientCell, let drug, let dose, row.isClean else { return nil }
        return HypnoticAdministrationRecord(day: stamp.0, time: stamp.1, ward: ward, patient: context.patient(patientCell, cache: &lookups), drug: drug.drug,
                                            doseMg: dose,
                                            status: status, prn: prn,
                                            timing: context.timing(ward: ward, day: stamp.0, time: stamp.1))
    }

    /// The dose in mg: the number in the dose cell, in the unit written after it or in `dose_unit` (mg when neither).
    mutating func dose(_ row: inout ExportRow, drug: ResolvedDrug?) -> Double? {
        guard let cell = row.requiredBytes(doseField) else { return nil }
        let (number, suffix) = DoseUnit.split(cell)
        var unit = DoseUnit.mg
        // A unit is letters: `-inf` (no digits before it) or `0x10` (digits in it) is not a number with a unit.
        if !suffix.isEmpty, !number.contains(where: FieldParsing.isDigit) || suffix.contains(where: FieldParsing.isDigit) {
            row.reject("dose_mg", "not a number: expected a dose such as 7.5 or 7.5 mg")
            return nil
        }
        if !suffix.isEmpty {
            let known: DoseUnit?
            if let hit = inlineUnits.cached(suffix) {
                known = hit
            } else {
                known = units.resolve(suffix)
                inlineUnits.store(suffix, known)
            }
            guard let u = known else {
                row.reject("dose_mg", CodedFields.doseUnit.unmappedReason)
                return nil
            }
            unit = u
            if row.has(doseUnitField), let column = units.value(&row), column != u {
                row.reject("dose_unit", "conflicting units: the dose says \(u.rawValue) but the dose unit column says \(column.rawValue)")
                return nil
            }
        } else if row.has(doseUnitField) {
            guard row.bytes(doseUnitField) != nil else {
                row.reject("dose_unit", "empty dose unit: the dose has no unit, and the export has a dose unit column", value: "")
                return nil
            }
            guard let u = units.value(&row) else { return nil }
            unit = u
        }
        let amount: Double
        do { amount = try positiveDecimal(number) } catch {
            row.reject("dose_mg", error.reason)
            return nil
        }
        var mg: Double
        switch unit {
        case .mg: mg = amount
        case .g: mg = amount * 1000
        case .microgram: mg = amount / 1000
        case .ml:
            guard let perMl = drug?.mgPerMl else {
                if drug != nil {
                    row.reject("dose_mg", "dose in ml: the drug label gives no concentration (e.g. \"5mg/5ml\"), so the mg cannot be "
                               + "known; a volume is never read as mg")
                }
                return nil
            }
            mg = amount * perMl
        case .tablet:
            guard let perTablet = drug?.mgPerTablet else {
                if drug != nil {
                    row.reject("dose_mg", "dose in tablets: the drug label gives no strength per tablet (e.g. \"7.5mg tablets\"), so the "
                               + "mg cannot be known")
                }
                return nil
            }
            mg = amount * perTablet
        }
        guard mg <= PlausibleLimits.doseMg else {
            row.reject("dose_mg", "implausible dose: more than \(NumberFormat.grouped(Int(PlausibleLimits.doseMg))) mg in one dose")
            return nil
        }
        return mg
    }

    public var placesRowsInPeriods: Bool { true }
    public func period(of r: HypnoticAdministrationRecord) -> StudyPeriod? { r.timing.period }

    public func setAsideReason(_ r: HypnoticAdministrationRecord) -> String? {
        // Whole literals, not interpolation: this runs for every record, in file order, on one thread.
        switch r.status {
        case .given: break
        case .refused: return "not given (refused)"
        case .omitted: return "not given (omitted)"
        }
        return r.timing.period == nil ? "outside both periods" : nil
    }
}

func positiveDecimal(_ b: some FieldByteCollection) throws(FieldIssue) -> Double {
    let v = try FieldParsing.decimal(b)
    guard v > 0 else { throw FieldIssue("not a positive amount: expected a number above 0") }
    return v
}

/// Units on one issue row: up to `PlausibleLimits.issueQuantity` either way (a return is negative).
func issueQuantity(_ b: some FieldByteCollection) throws(FieldIssue) -> Double {
    let v = try FieldParsing.decimal(b)
    guard abs(v) <= PlausibleLimits.issueQuantity else {
        throw FieldIssue("implausible quantity: more than \(NumberFormat.grouped(Int(PlausibleLimits.issueQuantity))) units on one row")
    }
    return v
}

/// mg per unit, from a `strength_mg` column: above 0 and up to `PlausibleLimits.strengthMg`.
func strengthMg(_ b: some FieldByteCollection) throws(FieldIssue) -> Double {
    let v = try positiveDecimal(b)
    guard v <= PlausibleLimits.strengthMg else { throw FieldIssue(ProductParser.implausibleStrength) }
    return v
}

/// mg in one dose: above 0 and up to `PlausibleLimits.doseMg`.
func doseMg(_ b: some FieldByteCollection) throws(FieldIssue) -> Double {
    let v = try positiveDecimal(b)
    guard v <= PlausibleLimits.doseMg else {
        throw FieldIssue("implausible dose: more than \(NumberFormat.grouped(Int(PlausibleLimits.doseMg))) mg in one dose")
    }
    return v
}

/// The unit a dose is written in (`CodedFields.doseUnit`).
enum DoseUnit: String, Sendable {
    case mg, g, microgram, ml, tablet

    /// A dose cell split into its number and the unit written after it (`"7.5 mg"` → `7.5`, `mg`; `"7.5"` → `7.5`, empty).
    static func split<Bytes: FieldByteCollection>(_ cell: Bytes) -> (number: Bytes.SubSequence, unit: Bytes.SubSequence) {
        var i = cell.startIndex
        func numeric(_ b: UInt8) -> Bool {
            FieldParsing.isDigit(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ",")
        }
        while i < cell.endIndex {
            // An exponent (`1e6`) stays with the number, which then reads as "not a number", never as a unit `e6`.
            if cell[i] == UInt8(ascii: "e") || cell[i] == UInt8(ascii: "E"), i + 1 < cell.endIndex, numeric(cell[i + 1]) { i += 1; continue }
            guard numeric(cell[i]) else { break }
            i += 1
        }
        guard i > cell.startIndex, i < cell.endIndex else { return (cell[...], cell[cell.endIndex...]) }
        return (cell[cell.startIndex..<i], cell[i...].trimmingWhitespace())
    }
}
