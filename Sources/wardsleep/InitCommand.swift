import ArgumentParser
import Foundation
import WardsleepKit

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a commented study.yaml template into a study folder.",
        discussion: "Example:\n  wardsleep init studies/my-pilot"
    )

    @Argument(help: "The study folder to create or fill.")
    var folder: String

    @Flag(name: .long, help: "Replace an existing study.yaml.")
    var force = false

    func run() throws {
        try runReporting {
            let path = try StudyTemplate.write(to: folder, force: force)
            print("wrote \(path); edit it, put the exports beside it, then run: wardsleep validate \(folder)")
            return .success
        }
    }
}
