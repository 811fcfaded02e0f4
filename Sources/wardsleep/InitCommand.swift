import ArgumentParser
import Foundation
import WardsleepKit

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a commented study.yaml template into a study folder, or draft one from a folder of exports.",
        discussion: """
        With --from-exports, each CSV in that folder is recognised by its headers; the draft maps headers to fields,
        lists every ward label as a ward, every value of a coded field as a commented mapping stub, and the date format
        and encoding it detected. Exports in another folder are copied into the study folder.

        Examples:
          wardsleep init studies/my-pilot
          wardsleep init studies/my-pilot --from-exports ~/Downloads/exports
        """
    )

    @Argument(help: "The study folder to create or fill.")
    var folder: String

    @Flag(name: .long, help: "Replace an existing study.yaml.")
    var force = false

    @Option(name: .customLong("from-exports"), help: "Draft study.yaml from the CSV exports in this folder.")
    var fromExports: String?

    func run() throws {
        try runReporting {
            if let fromExports {
                printLines(try StudyDraft.write(studyFolder: folder, exportsFolder: fromExports, force: force))
                return .success
            }
            let path = try StudyTemplate.write(to: folder, force: force)
            print("wrote \(path); edit it, put the exports beside it, then run: wardsleep validate \(folder)")
            return .success
        }
    }
}
