/// The seven wards of the SleepWell design (two sites) and how each behaves in the simulation.
struct SampleWardTemplate {
    var id: String
    var name: String
    var type: String
    var beds: Int
    var cbti: Bool
    var aliases: [String]
    /// A later pilot start for a staggered roll-out (the study's pilot otherwise).
    var pilotFrom: CalendarDay?
    /// 1 or 2: the site, which decides the pharmacy system's spelling of products.
    var site: Int
    /// Mean length of stay in days.
    var lengthOfStay: Double
    /// Incidents per occupied bed day at baseline.
    var incidentRate: Double
    /// Share of patients judged safe for protected sleep after 72 hours.
    var protectedShare: Double
    /// Hypnotic tablets used per occupied bed day at baseline, by product index.
    var hypnoticUse: [Double]
    /// Multiplier on hypnotic use during the pilot.
    var pilotHypnoticEffect: Double

    /// The wards of a benchmark study: the seven sample wards, or `count` wards made from them in turn, each with the
    /// id `W` and its number (`W00001`), its template's name and number, and no other label.
    static func benchmark(_ count: Int?) -> [SampleWardTemplate] {
        guard let count else { return all }
        return (0..<count).map { i in
            var w = all[i % all.count]
            let number = String(i + 1)
            w.id = "W" + String(repeating: "0", count: max(0, 5 - number.count)) + number
            w.name += " \(number)"
            w.aliases = []
            return w
        }
    }

    static let all: [SampleWardTemplate] = [
        .init(id: "A1", name: "Acute male", type: "acute", beds: 16, cbti: true, aliases: ["Ward 1 (Acute Male)"],
              pilotFrom: nil, site: 1, lengthOfStay: 32, incidentRate: 0.052, protectedShare: 0.45,
              hypnoticUse: [0.15, 0.045, 0.09, 0.03, 0.0075, 0.015, 0.03], pilotHypnoticEffect: 0.66),
        .init(id: "A2", name: "Acute female 1", type: "acute", beds: 16, cbti: false, aliases: ["Ward 2 (Acute Female)"],
              pilotFrom: nil, site: 1, lengthOfStay: 30, incidentRate: 0.058, protectedShare: 0.42,
              hypnoticUse: [0.135, 0.06, 0.105, 0.045, 0.0075, 0.015, 0.045], pilotHypnoticEffect: 0.85),
        .init(id: "A3", name: "Acute female 2", type: "acute", beds: 16, cbti: true, aliases: ["Ward 3 (Acute Female)"],
              pilotFrom: nil, site: 1, lengthOfStay: 30, incidentRate: 0.055, protectedShare: 0.44,
              hypnoticUse: [0.15, 0.06, 0.09, 0.03, 0.006, 0.015, 0.045], pilotHypnoticEffect: 0.64),
        .init(id: "R1", name: "Long-stay rehabilitation", type: "rehabilitation", beds: 26, cbti: false,
              aliases: ["Rehab & shared house"], pilotFrom: nil, site: 2, lengthOfStay: 150, incidentRate: 0.016,
              protectedShare: 0.78, hypnoticUse: [0.075, 0.03, 0.06, 0.03, 0.015, 0.015, 0.03], pilotHypnoticEffect: 0.80),
        .init(id: "N1", name: "Neurorehabilitation", type: "neurorehabilitation", beds: 16, cbti: false, aliases: [],
              pilotFrom: nil, site: 2, lengthOfStay: 70, incidentRate: 0.030, protectedShare: 0.50,
              hypnoticUse: [0.09, 0.045, 0.045, 0.03, 0.0075, 0.015, 0.06], pilotHypnoticEffect: 0.78),
        .init(id: "D1", name: "Dementia service", type: "dementia", beds: 12, cbti: false, aliases: ["Ward 7 (Dementia)"],
              pilotFrom: CalendarDay(year: 2019, month: 2, day: 1)!, site: 2, lengthOfStay: 75, incidentRate: 0.047,
              protectedShare: 0.35, hypnoticUse: [0.105, 0.09, 0.075, 0.045, 0.015, 0.03, 0.12], pilotHypnoticEffect: 0.82),
        .init(id: "R2", name: "Rehabilitation and recovery", type: "rehabilitation", beds: 18, cbti: false,
              aliases: ["Recovery unit"], pilotFrom: nil, site: 2, lengthOfStay: 120, incidentRate: 0.018,
              protectedShare: 0.85, hypnoticUse: [0.06, 0.03, 0.045, 0.015, 0.0075, 0.015, 0.03], pilotHypnoticEffect: 0.95),
    ]
}

/// Hypnotic products issued by pharmacy, as each site's system spells them.
struct SampleProduct {
    var site1: String
    var site2: String
    var packSize: Int

    static let all: [SampleProduct] = [
        .init(site1: "Zopiclone 7.5mg tablets", site2: "ZOPICLONE 7.5 MG TAB", packSize: 28),
        .init(site1: "Zopiclone 3.75mg tablets", site2: "ZOPICLONE 3.75 MG TAB", packSize: 28),
        .init(site1: "Promethazine hydrochloride 25mg tablets", site2: "PROMETHAZINE HCL 25 MG TAB", packSize: 56),
        .init(site1: "Promethazine hydrochloride 10mg tablets", site2: "PROMETHAZINE HCL 10 MG TAB", packSize: 56),
        .init(site1: "Temazepam 10mg tablets", site2: "TEMAZEPAM 10 MG TAB", packSize: 28),
        .init(site1: "Temazepam 20mg tablets", site2: "TEMAZEPAM 20 MG TAB", packSize: 28),
        .init(site1: "Melatonin 2mg m/r tablets", site2: "MELATONIN 2 MG M/R TAB", packSize: 30),
    ]
}

/// Incident categories as the trust's incident system labels them, with their share of incidents.
struct SampleCategory {
    var label: String
    var canonical: String
    var share: Double
    var subcategories: [String]

    static let all: [SampleCategory] = [
        .init(label: "Violence and aggression", canonical: "violence", share: 0.38,
              subcategories: ["Patient on staff", "Patient on patient", "Verbal abuse", "Damage to property"]),
        .init(label: "Self harm", canonical: "self_harm", share: 0.20,
              subcategories: ["Ligature", "Cutting", "Head banging", "Ingestion"]),
        .init(label: "Absent without leave (AWOL)", canonical: "awol", share: 0.09,
              subcategories: ["Failed to return from leave", "Absconded from ward"]),
        .init(label: "Inappropriate patient behaviour", canonical: "inappropriate_behaviour", share: 0.17,
              subcategories: ["Sexual disinhibition", "Intimidation", "Disruptive at night"]),
        .init(label: "Substance use / prohibited items", canonical: "substance_use", share: 0.09,
              subcategories: ["Illicit substance found", "Alcohol", "Prohibited item brought on ward"]),
        .init(label: "Security", canonical: "security", share: 0.065,
              subcategories: ["Missing keys", "Door left unlocked", "Unauthorised visitor"]),
        .init(label: "Death", canonical: "death", share: 0.005, subcategories: ["Unexpected death", "Expected death"]),
    ]

    /// The incident export's entry under `exports:` in study.yaml, for an export labelling incidents with these
    /// categories (the sample study's and the benchmark's): its columns, categories, harm levels and excluded status.
    static var incidentsExportYAML: String {
        var y = """
          incidents:
            file: incidents.csv
            columns: { id: Ref, date: "Incident date", time: Time, ward: "Location (exact)", category: Category,
                       subcategory: Subcategory, severity: "Harm level", patient: "Patient ID", status: Status,
                       description: Description }
            categories:

        """
        for c in all { y += "      \"\(c.label)\": \(c.canonical)\n" }
        y += """
            severities: { "No harm": 0, Low: 1, Moderate: 2, Severe: 3, Death: 4 }
            exclude_status: [REJECTED]

        """
        return y
    }
}
