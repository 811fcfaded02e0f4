import Foundation

/// The commented study.yaml `wardsleep init` writes: every key, its default, and what it means.
public enum StudyTemplate {
    /// The template text. It loads as it is (two example wards), so `wardsleep validate` can be run straight away.
    public static let text = """
    # wardsleep study definition. Keys marked (required) must be set; every other key shows its default.
    version: 1

    # (required) The study's name: used in report titles (the report goes to reports/ beside this file, or to --out).
    study: Protected sleep pilot
    organisation: Example Mental Health NHS Foundation Trust

    # The protected sleep period on the ward clock; it may wrap midnight ("22:00" to "06:00").
    protected_window: { start: "00:00", end: "06:00" }

    # How slash dates in the exports are ordered: dmy (dd/mm/yyyy, the default), mdy (mm/dd/yyyy) or iso (yyyy-mm-dd
    # only). ISO 8601 dates are always accepted. An export whose dates can only be read the other way round (a part
    # above 12 where the month should be, and none the other way) stops with an error naming the evidence. One export
    # may order its dates its own way: exports: { hypnotics: { date_format: mdy } }.
    date_format: dmy

    # (required) Inclusive dates of the two periods compared. Events are assigned by their own date.
    periods:
      baseline: { from: 2018-01-01, to: 2018-08-31 }
      pilot:    { from: 2019-01-01, to: 2019-08-31 }

    # (required) The wards. Exports may name a ward by its id, its name or an alias (case is ignored).
    # A ward may override either period for a staggered roll-out.
    wards:
      - { id: A1, name: Acute male, type: acute, beds: 16, cbti: true }
      - { id: D1, name: Dementia service, type: dementia, beds: 12, cbti: false, aliases: ["Ward 7 (Dementia)"],
          periods: { pilot: { from: 2019-02-01, to: 2019-08-31 } } }

    # Ward labels of wards outside the evaluation: their rows are set aside as "excluded by design" and counted, not
    # quarantined and not counted against the quality threshold.
    exclude_wards: ["Ward 12 (Forensic)"]

    # Where each export is and how its headers map to canonical fields (canonical field: "Header in the file").
    # An export left out here is read from <export>.csv if that file exists, else its section says "not supplied".
    # An export listed here must exist. File names are resolved inside this folder only.
    exports:
      occupancy: { file: occupancy.csv }          # date, ward, occupied_beds [, leave_beds]
        # obd_includes_leave: true   # occupied beds count patients on leave; false: occupied_beds - leave_beds
      incidents:
        file: incidents.csv                       # id, date, ward, category [, time, subcategory, severity, patient,
                                                  #   status, description (never copied to any output)]
        columns: { id: Ref, date: "Incident date", time: Time, ward: "Location (exact)", category: Category,
                   severity: "Harm level" }
        # header_line: 3   # when the column names are below a title or an export date: the lines above are skipped
        # two_digit_years: 2000   # when dates are written dd/mm/yy: 19 is read as 2019
        # Local category labels -> canonical names. Leave out to use the labels as they are; when given, a label
        # not listed is quarantined.
        categories: { "Violence and aggression": violence, "Self harm": self_harm }
        # Names people read for categories in summary.md and report.html (ids stay in JSON and CSV); leave out to use
        # the export's own labels.
        labels: { self_harm: "Self-harm" }
        # Harm levels -> 0 (no harm) to 4 (death). Leave out for No harm / Low / Moderate / Severe / Death.
        severities: { "No harm": 0, Low: 1, Moderate: 2, Severe: 3, Death: 4 }
        exclude_status: [REJECTED]                # rows with these statuses (labels, or canonical statuses such as
                                                  # rejected) are kept out of the analysis
        # Local labels of coded fields -> canonical values, on top of the default synonyms (README lists them):
        # severity, status here; status, prn, dose_unit (administrations); group, stage (feedback); protected,
        # patient_involved, carer_involved, decided_by (sleep_plans). An unmapped label is quarantined.
        values: { status: { "Awaiting sign-off": under review } }
      hypnotics: { file: hypnotics.csv, kind: issues }   # issues: date, ward, product, quantity [, drug, strength_mg]
                                                         # administrations: datetime, ward, patient, drug, dose_mg
                                                         #   [, dose_unit, status, prn, route]
      feedback: { file: feedback.csv }            # id, group, stage, text [, date, ward, rating]
      sleep_plans:                                # night, ward, patient, protected [, decided_by, patient_involved,
        file: sleep_plans.csv                     #   carer_involved]; decided_by may name several roles: MDT/patient
        values: { decided_by: { "Bleep holder": night coordinator }, protected: { PS: yes } }
      involvement: { file: involvement.csv }      # stage, group, level [, activity, evidence, date]
      observations: { file: observations.csv }    # overnight checks: datetime, ward, patient [, reason, level,
                                                  #   staff (never read)]; reason: routine, clinical need, enhanced

    # Roles of stakeholder groups not known by default: service_user, carer, professional or community.
    involvement_roles: { "Peer facilitators": service_user }

    # Small-number suppression in published outputs: counts 1..suppress_at_or_below shown as *, others rounded.
    disclosure: { suppress_at_or_below: 7, round_to: 5 }

    # Statistical process control: interval month|week; shift and trend run lengths; two_in_three mdc2023|legacy.
    spc: { interval: month, shift: 7, trend: 7, two_in_three: mdc2023, screen_outliers: false }

    # Above this share of quarantined rows in any export, the run completes but exits 1.
    quality: { max_quarantined_percent: 5 }

    # Patient identifiers are pseudonymised on ingest with a keyed HMAC: set WARDSLEEP_KEY or pass --key-file.
    # The key never belongs in this folder.

    """

    /// Writes the template to `<folder>/study.yaml`; refuses to overwrite an existing one unless `force`.
    public static func write(to folder: String, force: Bool = false) throws -> String {
        let path = (folder as NSString).appendingPathComponent(StudyLoader.fileName)
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil {
            throw ConfigurationError(file: path, keyPath: "", message: "is a symbolic link; refusing to write through it")
        }
        if FileManager.default.fileExists(atPath: path) && !force {
            throw ConfigurationError(file: path, keyPath: "", message: "already exists; pass --force to replace it")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(file: path, keyPath: "", message: "cannot write: \(error.localizedDescription)")
        }
        return path
    }
}
