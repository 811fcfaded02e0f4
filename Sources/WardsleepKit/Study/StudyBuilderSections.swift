/// The sections of study.yaml with mappings of their own: per-export settings and the formulary extension.
extension StudyBuilder {
    func formulary(_ f: FormularyFile) throws -> FormularyExtension {
        var ext = FormularyExtension()
        var known = Formulary.builtIn()
        for (i, d) in (f.drugs ?? []).enumerated() {
            let at = "formulary.drugs[\(i)]"
            guard let name = d.drug?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { throw fail("\(at).drug", "is required: the generic name") }
            guard let atc = d.atc, !atc.isEmpty else { throw fail("\(at).atc", "is required: the WHO ATC code, e.g. N05CF01") }
            if let ddd = d.ddd_mg, !PlausibleLimits.dddMg.contains(ddd) {
                throw fail("\(at).ddd_mg", "expected a defined daily dose from \(NumberFormat.json(PlausibleLimits.dddMg.lowerBound)) to "
                           + "\(NumberFormat.grouped(Int(PlausibleLimits.dddMg.upperBound))) mg, found \(NumberFormat.json(ddd))")
            }
            let groupText = d.group ?? "other"
            guard let group = DrugGroup(rawValue: groupText) else {
                throw fail("\(at).group", "expected one of \(DrugGroup.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(groupText)\"")
            }
            let drug = FormularyDrug(name: Slug.normaliseLabel(name), atc: atc, dddMg: d.ddd_mg, group: group,
                                     aliases: (d.aliases ?? []).map(Slug.normaliseLabel))
            ext.drugs.append(drug)
            known.add(drug)
        }
        for (alias, drug) in f.aliases ?? [:] {
            guard known.drug(named: drug) != nil else {
                throw fail("formulary.aliases.\(alias)", "\"\(drug)\" is not a formulary drug; add it under formulary.drugs first")
            }
            ext.aliases[alias] = drug
            _ = known.alias(alias, to: drug)
        }
        let parser = ProductParser(formulary: known)
        for (label, product) in (f.products ?? [:]).sorted(by: { $0.key < $1.key }) {
            do { _ = try parser.parse(product, requireStrength: true) } catch {
                throw fail("formulary.products.\(label)", "\"\(product)\" is not a product with one formulary drug and its strength "
                           + "(e.g. \"Promethazine 5mg/5ml oral solution\"): \(error.reason)")
            }
            ext.products[Slug.normaliseLabel(label)] = product
        }
        try checkUnique(f.products ?? [:], "formulary.products")
        return ext
    }

    func exportSpec(_ kind: ExportKind, _ e: ExportFile) throws -> ExportSpec {
        let at = "exports.\(kind.rawValue)"
        var spec = ExportSpec(kind: kind, listed: true, file: e.file)
        if let f = e.file, f.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("\(at).file", "is empty; expected a file name") }
        if let k = e.kind {
            guard kind == .hypnotics else { throw fail("\(at).kind", "only the hypnotics export has a kind") }
            guard let hk = HypnoticsExportKind(rawValue: k) else { throw fail("\(at).kind", "expected issues or administrations, found \"\(k)\"") }
            spec.hypnoticsKind = hk
        }
        let known = kind == .hypnotics ? spec.fields.map(\.name) : kind.allFieldNames
        for (field, header) in e.columns ?? [:] {
            guard known.contains(field) else {
                throw fail("\(at).columns.\(field)", "is not a field of the \(kind.rawValue) export; its fields are \(known.joined(separator: ", "))")
            }
            guard !header.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("\(at).columns.\(field)", "is empty; expected the header label") }
        }
        // One column read as two fields (`ward: Date` beside `date: Date`) would quarantine every row as a bad value.
        var fieldOfColumn: [String: String] = [:]
        for (field, header) in (e.columns ?? [:]).sorted(by: { $0.key < $1.key }) {
            let column = Slug.normaliseLabel(header)
            if let other = fieldOfColumn[column] {
                throw fail("\(at).columns.\(field)", "names the column \"\(header)\", which columns.\(other) names too; each field is "
                           + "read from a column of its own")
            }
            fieldOfColumn[column] = field
        }
        spec.columns = e.columns ?? [:]
        if e.categories != nil || e.severities != nil || e.exclude_status != nil {
            guard kind == .incidents else { throw fail(at, "categories, severities and exclude_status belong to the incidents export") }
        }
        if let cats = e.categories {
            guard !cats.isEmpty else { throw fail("\(at).categories", "is empty; leave it out to use the export's labels as they are") }
            for (label, category) in cats.sorted(by: { $0.key < $1.key }) {
                let name = Slug.normaliseLabel(category)
                if name.isEmpty { throw fail("\(at).categories.\(label)", "is empty; expected the category to count it under") }
                if name == IncidentCategory.all {
                    throw fail("\(at).categories.\(label)", "\"\(category)\" is reserved for the total over all categories; "
                               + "choose another name")
                }
            }
            try checkUnique(cats, "\(at).categories")
            spec.categories = cats
        }
        if let sev = e.severities {
            for (label, level) in sev where !(0...4).contains(level) {
                throw fail("\(at).severities.\(label)", "expected a level from 0 (no harm) to 4 (death), found \(level)")
            }
            try checkUnique(sev, "\(at).severities")
            spec.severities = sev
        }
        spec.excludeStatus = e.exclude_status ?? []
        if let labels = e.labels {
            guard kind == .incidents else { throw fail("\(at).labels", "belongs to the incidents export (display names of categories)") }
            let ids = spec.categories.map { Set($0.values.map(Slug.normaliseLabel)) }
            for (id, name) in labels.sorted(by: { $0.key < $1.key }) {
                guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("\(at).labels.\(id)", "is empty; expected the name people read") }
                if let ids, !ids.contains(Slug.normaliseLabel(id)) {
                    throw fail("\(at).labels.\(id)", "is not a category of exports.incidents.categories; its categories are "
                               + ids.sorted().joined(separator: ", "))
                }
            }
            spec.labels = Dictionary(labels.map { (Slug.normaliseLabel($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        }
        if let f = e.date_format {
            guard let d = DateOrder(rawValue: f.lowercased()) else { throw fail("\(at).date_format", "expected dmy, mdy or iso, found \"\(f)\"") }
            spec.dateFormat = d
        }
        if let line = e.header_line {
            guard (1...100).contains(line) else {
                throw fail("\(at).header_line", "expected the line the column names are on, from 1 to 100, found \(line)")
            }
            spec.headerLine = line
        }
        if let base = e.two_digit_years {
            guard (1900...2100).contains(base) else {
                throw fail("\(at).two_digit_years", "expected the first year two-digit years stand for, such as 2000 (19 is then 2019), found \(base)")
            }
            spec.twoDigitYears = base
        }
        if let leave = e.obd_includes_leave {
            guard kind == .occupancy else { throw fail("\(at).obd_includes_leave", "belongs to the occupancy export") }
            spec.obdIncludesLeave = leave
        }
        for (field, map) in (e.values ?? [:]).sorted(by: { $0.key < $1.key }) {
            let coded = kind == .hypnotics ? CodedFields.field(kind, field).flatMap { c in
                spec.fields.contains { $0.name == field } ? c : nil
            } : CodedFields.field(kind, field)
            guard let coded else {
                let fields = CodedFields.all.filter { c in c.export == kind && (kind != .hypnotics || spec.fields.contains { $0.name == c.field }) }
                let hint = kind == .incidents ? "; incident categories are mapped by exports.incidents.categories" : ""
                throw fail("\(at).values.\(field)", fields.isEmpty
                    ? "the \(kind.rawValue) export has no coded fields to map\(hint)"
                    : "is not a coded field of the \(kind.rawValue) export; its coded fields are "
                        + fields.map(\.field).joined(separator: ", ") + hint)
            }
            var canonical: [String: String] = [:]
            for (label, value) in map.sorted(by: { $0.key < $1.key }) {
                guard let c = coded.canonicalValue(value) else {
                    throw fail("\(at).values.\(field).\(label)", "expected one of \(coded.canonical.joined(separator: ", ")), found \"\(value)\"")
                }
                canonical[label] = c
            }
            try checkUnique(canonical, "\(at).values.\(field)")
            spec.values[field] = canonical
        }
        return spec
    }

    /// Refuses two labels that are the same once case and spacing are ignored but map to different values (which one
    /// applied would depend on the order of a hash table).
    func checkUnique<Value: Equatable>(_ map: [String: Value], _ at: String) throws {
        var seen: [String: (label: String, value: Value)] = [:]
        for (label, value) in map.sorted(by: { $0.key < $1.key }) {
            let key = Slug.normaliseLabel(label)
            if let first = seen[key], first.value != value {
                throw fail("\(at).\(label)", "\"\(label)\" and \"\(first.label)\" are the same label (case and spacing are ignored) "
                           + "but map to different values")
            }
            seen[key] = (label, value)
        }
    }
}
