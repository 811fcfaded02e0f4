import Foundation

/// A study definition loaded with everything needed to read its exports.
public struct LoadedStudy: Sendable {
    /// The definition.
    public var study: StudyDefinition
    /// SHA-256 of study.yaml.
    public var studyHash: String
    /// The pseudonymiser, or `nil` when no key was found.
    public var pseudonymiser: Pseudonymiser?

    /// Study and pseudonymiser for the normalisers, made when asked for: a run and `validate` make their own, with the
    /// study narrowed to the run's scope, and a context holds tables as large as the study's wards.
    public var context: NormaliseContext { NormaliseContext(study: study, pseudonymiser: pseudonymiser) }

    /// Loads `folder/study.yaml` (or takes `study`, already loaded from it) and finds the pseudonymisation key.
    public static func load(folder: String, keyFile: String?, environment: [String: String],
                            study loaded: StudyDefinition? = nil) throws -> LoadedStudy {
        let study = try loaded ?? StudyLoader.load(folder: folder)
        let data = try InputFile.readSmallFile((folder as NSString).appendingPathComponent(StudyLoader.fileName),
                                               displayName: StudyLoader.fileName) ?? Data()
        let hash = Digest.sha256(data)
        let pseudonymiser = try Pseudonymiser.resolve(keyFile: keyFile, environment: environment, study: study, folder: folder)
        return LoadedStudy(study: study, studyHash: hash, pseudonymiser: pseudonymiser)
    }

    /// The key source to record: only when some export had a patient column to pseudonymise.
    func keySource(_ ingest: IngestResult) -> Pseudonymiser.KeySource? {
        ingest.tallies.contains(where: \.patientIdentifiers) ? pseudonymiser?.source : nil
    }
}
