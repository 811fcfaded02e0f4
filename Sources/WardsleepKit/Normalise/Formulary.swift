/// The groups hypnotic use is reported by.
public enum DrugGroup: String, HashedByCase, Sendable, Codable, CaseIterable, Comparable {
    case zDrugs = "z-drugs"
    case hypnoticBenzodiazepines = "hypnotic benzodiazepines"
    case melatonin
    case sedatingAntihistamines = "sedating antihistamines"
    case other

    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// One drug of the formulary.
///
/// Immutable and shared by reference. Records do not hold it: an administration names its drug by `DrugIndex`, so
/// copying a record counts no references.
public final class FormularyDrug: Sendable, Equatable, Codable {
    /// Generic name, lower case (`zopiclone`).
    public let name: String
    /// WHO ATC code.
    public let atc: String
    /// WHO defined daily dose in mg; `nil` where WHO assigns none (daridorexant).
    public let dddMg: Double?
    /// The group it is reported in.
    public let group: DrugGroup
    /// Brand and salt names that mean the same drug (`zimovane`, `promethazine hydrochloride`).
    public let aliases: [String]

    /// Two drugs are the same when every field is.
    public static func == (a: FormularyDrug, b: FormularyDrug) -> Bool {
        a === b || (a.name == b.name && a.atc == b.atc && a.dddMg == b.dddMg && a.group == b.group && a.aliases == b.aliases)
    }

    /// Creates a drug.
    public init(name: String, atc: String, dddMg: Double?, group: DrugGroup, aliases: [String] = []) {
        self.name = name
        self.atc = atc
        self.dddMg = dddMg
        self.group = group
        self.aliases = aliases
    }
}

/// A drug by its place in a study's formulary. `Formulary.forStudy` builds the same formulary, in the same order, for
/// every reader of one study, so the place names one drug throughout a run. Records carry this plain number rather than
/// the drug object, so they are copied from thread to thread without counting references.
public struct DrugIndex: Hashable, Sendable {
    /// The place in `Formulary.drugs`.
    public let rawValue: Int

    /// The drug at `rawValue` in the formulary.
    public init(_ rawValue: Int) { self.rawValue = rawValue }
}

/// Hypnotic and sedative drugs with their ATC codes and defined daily doses: the built-in table, plus whatever the
/// study adds (local product names, off-formulary sedatives).
public struct Formulary: Sendable {
    /// The drugs, built-in first.
    public private(set) var drugs: [FormularyDrug]
    /// Every name and alias (lower case) → drug index.
    private(set) var names: [String: Int] = [:]
    /// Local product labels (normalised) → the full product they stand for (`formulary.products` in study.yaml), e.g.
    /// "Promethazine elixir" → "Promethazine 5mg/5ml oral solution": where a local name gets its strength or
    /// concentration.
    public var products: [String: String] = [:]

    /// Creates a formulary from drugs.
    public init(drugs: [FormularyDrug]) {
        self.drugs = []
        for d in drugs { add(d) }
    }

    /// Adds a drug (replacing one of the same name) and its aliases.
    public mutating func add(_ drug: FormularyDrug) {
        let key = Slug.normaliseLabel(drug.name)
        if let i = names[key], drugs[i].name == key {
            drugs[i] = drug
        } else {
            drugs.append(drug)
        }
        let index = drugs.firstIndex { $0.name == drug.name }!
        for label in [drug.name] + drug.aliases { names[Slug.normaliseLabel(label)] = index }
    }

    /// Makes `alias` another name for an existing drug; `false` when the drug is unknown.
    @discardableResult
    public mutating func alias(_ alias: String, to drug: String) -> Bool {
        guard let i = names[Slug.normaliseLabel(drug)] else { return false }
        names[Slug.normaliseLabel(alias)] = i
        return true
    }

    /// The drug a name or alias means.
    public func drug(named name: String) -> FormularyDrug? { names[Slug.normaliseLabel(name)].map { drugs[$0] } }

    /// The place of the drug a name or alias means.
    public func index(named name: String) -> DrugIndex? { names[Slug.normaliseLabel(name)].map(DrugIndex.init) }

    /// The drug at a place.
    public subscript(_ index: DrugIndex) -> FormularyDrug { drugs[index.rawValue] }

    /// Every name and alias with its drug, longest first (so "chloral hydrate" is tried before shorter names).
    var namesLongestFirst: [(String, FormularyDrug)] {
        names.map { ($0.key, drugs[$0.value]) }.sorted { $0.0.count != $1.0.count ? $0.0.count > $1.0.count : $0.0 < $1.0 }
    }

    /// The built-in formulary (`data/reference/hypnotics-formulary.csv`).
    public static func builtIn() -> Formulary {
        var drugs: [FormularyDrug] = []
        var header: [String] = []
        _ = try? CSVFileReader(text: ReferenceData.hypnoticsFormulary, displayName: "hypnotics-formulary.csv").read { r in
            let cells = (0..<r.fieldCount).map { r.text($0) }
            if header.isEmpty { header = cells; return }
            let row = Dictionary(uniqueKeysWithValues: zip(header, cells))
            drugs.append(FormularyDrug(
                name: row["drug"]!, atc: row["atc"]!, dddMg: Double(row["ddd_mg"] ?? ""),
                group: DrugGroup(rawValue: row["report_group"]!)!,
                aliases: (row["aliases"] ?? "").split(separator: ";").map { String($0) }))
        }
        return Formulary(drugs: drugs)
    }

    /// The built-in formulary with a study's additions.
    public static func forStudy(_ study: StudyDefinition) -> Formulary {
        var f = builtIn()
        for d in study.formulary.drugs { f.add(d) }
        for (alias, drug) in study.formulary.aliases.sorted(by: { $0.key < $1.key }) { f.alias(alias, to: drug) }
        f.products = study.formulary.products
        return f
    }
}

/// What a study adds to the formulary in study.yaml (`formulary: { aliases: ..., drugs: [...] }`).
public struct FormularyExtension: Sendable, Equatable, Codable {
    /// Local product or brand name → formulary drug.
    public var aliases: [String: String] = [:]
    /// Drugs the built-in table lacks.
    public var drugs: [FormularyDrug] = []
    /// Local product labels (normalised) → the product with its strength or concentration.
    public var products: [String: String] = [:]
    /// None.
    public init(aliases: [String: String] = [:], drugs: [FormularyDrug] = [], products: [String: String] = [:]) {
        self.aliases = aliases
        self.drugs = drugs
        self.products = products
    }
}
