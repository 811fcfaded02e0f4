import Foundation

/// A program another format is made with (`chromium` for PDF, `pandoc` for Word), found on `PATH`.
public struct ExternalTool: Sendable, Equatable {
    /// The program's names, tried in order.
    public var names: [String]
    /// The Debian package that installs it.
    public var package: String
    /// What it is needed for, for the message when it is missing.
    public var purpose: String

    /// Headless Chromium prints report.html to PDF.
    public static let chromium = ExternalTool(names: ["chromium", "chromium-browser"], package: "chromium", purpose: "--format pdf")
    /// pandoc turns summary.md into a Word document.
    public static let pandoc = ExternalTool(names: ["pandoc"], package: "pandoc", purpose: "--format docx")
    /// rsvg-convert lets pandoc place the SVG charts in a Word document.
    public static let rsvgConvert = ExternalTool(names: ["rsvg-convert"], package: "librsvg2-bin", purpose: "--format docx (for the charts)")

    /// The tools a set of formats needs.
    public static func needed(for formats: Set<OutputFormat>) -> [ExternalTool] {
        (formats.contains(.pdf) ? [chromium] : []) + (formats.contains(.docx) ? [pandoc, rsvgConvert] : [])
    }

    /// The full path of the first of `names` found on `path` (a `PATH` value), if any.
    public func locate(path: String?) -> String? {
        let folders = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in names {
            for folder in folders where !folder.isEmpty {
                let candidate = (folder as NSString).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }
}

/// A format was asked for whose program is not installed: exits 64 before anything is read or written.
public struct MissingToolError: WardsleepFailure, Equatable {
    /// The program missing.
    public var tool: ExternalTool

    public var exitStatus: ExitStatus { .usage }

    public var description: String {
        "\(tool.purpose) needs \(tool.names[0]), which is not installed (not found on PATH): install the Debian package "
            + "\(tool.package) (sudo apt-get install \(tool.package)), or leave \(tool.purpose.hasPrefix("--format pdf") ? "pdf" : "docx") "
            + "out of --format. Nothing was read or written."
    }
}

/// Makes report.pdf and report.docx from the rendered report, inside the staging folder, so a conversion that fails
/// leaves no half-written file in the report: the run fails (exit 70) and the previous report stays as it was.
public enum DocumentConversion {
    /// The longest a converter may run before it is stopped and the run fails.
    static let timeoutSeconds = 180.0

    /// Checks that every program `formats` needs is on `path`; throws `MissingToolError` naming the package otherwise.
    public static func checkTools(for formats: Set<OutputFormat>, path: String?) throws {
        for tool in ExternalTool.needed(for: formats) where tool.locate(path: path) == nil { throw MissingToolError(tool: tool) }
    }

    /// Prints `html` (a complete page) to `pdf` with headless Chromium; `scratch` is a folder for the page meanwhile.
    public static func pdf(html: String, to pdf: String, scratch: String, path: String?) throws {
        guard let chromium = ExternalTool.chromium.locate(path: path) else { throw MissingToolError(tool: .chromium) }
        let page = (scratch as NSString).appendingPathComponent("print.html")
        try write(html, to: page)
        var arguments = ["--headless", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer", "--disable-extensions",
                         "--user-data-dir=" + (scratch as NSString).appendingPathComponent("chromium-profile"),
                         "--print-to-pdf=" + pdf, URL(fileURLWithPath: page).absoluteString]
        if getuid() == 0 { arguments.insert("--no-sandbox", at: 0) }  // Chromium refuses to run as root with its sandbox
        try run(chromium, arguments, scratch: scratch, product: pdf, path: path)
    }

    /// Converts `markdown` (summary.md, whose images are under `resources`) to a Word document at `docx` with pandoc.
    public static func docx(markdown: String, to docx: String, resources: String, scratch: String, path: String?) throws {
        guard let pandoc = ExternalTool.pandoc.locate(path: path) else { throw MissingToolError(tool: .pandoc) }
        let source = (scratch as NSString).appendingPathComponent("summary.md")
        try write(markdown, to: source)
        // Raw HTML, TeX and dollar maths are off: the summary's text is text, whatever a label contains.
        try run(pandoc, ["--from", "markdown-raw_html-raw_tex-tex_math_dollars-yaml_metadata_block", "--to", "docx",
                         "--resource-path", resources, "--output", docx, source], scratch: scratch, product: docx, path: path,
                failOnWarning: "Could not convert image")
    }

    static func write(_ text: String, to file: String) throws {
        do { try text.write(toFile: file, atomically: false, encoding: .utf8) } catch { throw OutputError(file: file, error: error) }
    }

    /// Runs a converter with a time limit; it must exit 0 and leave `product`, or the run fails with its own words.
    static func run(_ program: String, _ arguments: [String], scratch: String, product: String, path: String?,
                    failOnWarning: String? = nil) throws {
        let name = (program as NSString).lastPathComponent
        let log = (scratch as NSString).appendingPathComponent("\(name).log")
        guard FileManager.default.createFile(atPath: log, contents: nil) else {
            throw OutputError(file: product, reason: "\(name)'s log could not be created in the scratch folder \(scratch)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if let path { environment["PATH"] = path }
        environment["HOME"] = scratch  // Chromium writes its caches under HOME
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: log)
        do { try process.run() } catch { throw OutputError(file: product, reason: "\(name) could not be started: \(error.localizedDescription)") }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw OutputError(file: product, reason: "\(name) did not finish within \(Int(timeoutSeconds)) seconds")
        }
        let said = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        let bad = failOnWarning.flatMap { w in said.first { $0.contains(w) } }
        guard process.terminationStatus == 0, bad == nil, FileManager.default.fileExists(atPath: product) else {
            try? FileManager.default.removeItem(atPath: product)
            let last = bad ?? said.last { !$0.contains("dbus") && !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "no message"
            throw OutputError(file: product, reason: "\(name) failed (exit \(process.terminationStatus)): \(last)")
        }
    }
}
