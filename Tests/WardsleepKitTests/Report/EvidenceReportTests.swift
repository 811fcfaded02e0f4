import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import WardsleepKit

/// The evidence report as a whole: self-contained well-formed HTML, Excel-safe tables, sensitivity labels, SQUIRE order.
@Suite(.serialized) struct EvidenceReportTests {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var attributes: [(String, String, String)] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String]) {
            elements[name, default: 0] += 1
            for (k, v) in attributes { self.attributes.append((name, k, v)) }
        }
    }

    func run(_ folder: String, _ extra: [String] = []) throws -> String {
        let out = folder + "/report"
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", out] + extra)
        #expect(r.status == 0, "\(r.err)")
        return out
    }

    @Test func htmlIsSelfContainedWellFormedAndAccessible() throws {
        let dir = TempFolder()
        let out = try run(dir.path)
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/report.html"))
        let parser = XMLParser(data: data)
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "report.html is not well-formed: \(String(describing: parser.parserError))")
        #expect(collector.elements["svg"] ?? 0 >= 4 && collector.elements["table"] ?? 0 >= 5)
        #expect(collector.elements["script"] == nil && collector.elements["link"] == nil && collector.elements["img"] == nil)
        for (element, attribute, value) in collector.attributes where ["src", "href"].contains(attribute) {
            #expect(!value.contains("://"), "\(element) \(attribute)=\(value) would fetch something")
        }
        let html = String(decoding: data, as: UTF8.self)
        #expect(html.range(of: #"(src|href)\s*=\s*"(https?:)?//"#, options: .regularExpression) == nil)
        #expect(html.contains("@media print") && html.contains("name=\"viewport\""))
        #expect(html.contains("<th scope=\"col\"") && html.contains("role=\"img\"") && html.contains("<desc id="))
        let svg = try String(contentsOfFile: out + "/charts/incidents-all-wards.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.contains("<title id=") && svg.contains("pilot starts"))
    }

    @Test func summaryFollowsSquireOrder() throws {
        let dir = TempFolder()
        let summary = try String(contentsOfFile: try run(dir.path) + "/summary.md", encoding: .utf8)
        let headings = summary.split(separator: "\n").filter { $0.hasPrefix("## ") }.map(String.init)
        #expect(headings == ["## Key findings", "## Context", "## Intervention", "## Measures", "## Analysis",
                             "## Results: the intervention as delivered", "## Results: safety",
                             "## Results: hypnotic use", "## Results: variation over time", "## Results: feedback",
                             "## Results: who was involved", "## Unintended consequences", "## Missing and quarantined data",
                             "## Limitations"])
        #expect(summary.hasPrefix("# SleepWell pilot: improvement evaluation"))
        #expect(summary.contains("a shift of 7 points on one side of the centre line; a trend of 7 points"))  // parameters echoed
    }

    @Test func outputsAreLabelledAndRestrictedOnlyWithUnsuppressed() throws {
        let dir = TempFolder()
        let published = try run(dir.path + "/a")
        #expect(try FileManager.default.contentsOfDirectory(atPath: published + "/restricted") == ["quarantine"])
        let out = try run(dir.path + "/b", ["--unsuppressed"])
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        let outputs = manifest["outputs"] as! [[String: String]]
        #expect((manifest["pseudonymisation"] as! [String: String])["key_source"] == "demo key (synthetic study only)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: out).filter { !$0.hasSuffix("/") }
            .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: out + "/" + $0, isDirectory: &d) && !d.boolValue }
        #expect(Set(outputs.map { $0["path"]! }) == Set(files), "every file is listed in the manifest, and only those")
        for o in outputs {
            let restricted = o["path"]!.hasPrefix("restricted/")
            #expect(o["sensitivity"] == (restricted ? "restricted" : "releasable"), "\(o["path"]!)")
        }
        let notes = try String(contentsOfFile: out + "/tables/README.md", encoding: .utf8)
        #expect(notes.contains("Counts from 1 to 7 are shown as *"))
        #expect(try String(contentsOfFile: out + "/restricted/tables/README.md", encoding: .utf8).contains("Restricted: exact counts"))
        #expect(!(try String(contentsOfFile: published + "/summary.md", encoding: .utf8)).contains("Generated "))
        let stamped = try run(dir.path + "/c", ["--timestamp"])
        #expect(try String(contentsOfFile: stamped + "/summary.md", encoding: .utf8).contains("Generated 20"))
    }

    @Test func tablesAreSafeToOpenInExcel() throws {
        let dir = TempFolder()
        dir.write("study.yaml", studyYAML())
        var feedback = "id,group,stage,text\n"
        for i in 1...9 {
            let text = i == 1 ? "=HYPERLINK(\"\"http://x\"\",\"\"click\"\") the noise at night" : "The noise at night is less now \(i)"
            feedback += "F\(i),patient,after,\"\(text)\"\n"
        }
        dir.write("feedback.csv", feedback)
        dir.write("incidents.csv", "id,date,time,ward,category\n" + (1...10).map { "I\($0),05/03/2019,02:00,A1,+cmd\n" }.joined()
                  + (1...10).map { "J\($0),05/03/2018,02:00,A1,+cmd\n" }.joined())
        let r = try runWardsleep(["run", dir.path, "--out", dir.path + "/r"])
        #expect(r.status == 0, "\(r.err)")
        let quotes = try String(contentsOfFile: dir.path + "/r/tables/feedback_quotes.csv", encoding: .utf8)
        #expect(quotes.contains("noise,patient,after,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\") the noise at night\""))
        let incidents = try String(contentsOfFile: dir.path + "/r/tables/incidents.csv", encoding: .utf8)
        #expect(incidents.contains("study,all,'+cmd,24h,10,10,"))
        #expect(!incidents.contains(",+cmd,"))
        let html = try String(contentsOfFile: dir.path + "/r/report.html", encoding: .utf8)
        #expect(html.contains("=HYPERLINK(&quot;http://x&quot;,&quot;click&quot;)") && !html.contains("href=\"http://x"))
    }
}
