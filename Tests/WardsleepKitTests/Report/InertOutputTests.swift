import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import WardsleepKit

/// Labels from exports and study.yaml are escaped for every output format: nothing in them becomes markup, a link, an
/// image, a formula or a broken document; chart file names never collide; identifiers in free text never leave.
@Suite(.serialized) struct InertOutputTests {
    static let script = "<script>alert(1)</script>"
    static let breakout = "\"><img src=x onerror=alert(1)>"
    static let link = "[x](javascript:alert(1))"
    static let image = "![i](http://e/x.png)"
    static let hostile = [script, breakout, link, image, "\u{0001}\u{0008}", "]]>", "&"]
    /// Every hostile string in one label.
    static let all = hostile.joined(separator: " ")

    /// Collects elements, attributes and text of an XML document.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var attributes: [(element: String, name: String, value: String)] = []
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String]) {
            elements.append(name)
            for (k, v) in attributes { self.attributes.append((name, k, v)) }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    /// Parses `data` as XML; `nil` when it is not well-formed.
    static func parse(_ data: Data) -> Collector? {
        let parser = XMLParser(data: data), collector = Collector()
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }

    // MARK: escaping functions

    @Test func markdownEscapingLeavesNoLinkImageOrHTML() {
        for s in Self.hostile + [Self.all, "www.example.com", "a@b.co", "# heading", "| a | b |", "**bold** _it_ `code`"] {
            let md = MarkdownText.escape(s)
            #expect(!md.contains("\n") && !md.unicodeScalars.contains { $0.value < 0x20 })
            // Every character that could start syntax carries a backslash.
            var escaped = false
            for ch in md {
                if !escaped { #expect(!MarkdownText.special.contains(ch) || ch == "\\", "\(ch) unescaped in \(md)") }
                escaped = !escaped && ch == "\\"
            }
        }
        #expect(MarkdownText.escape(Self.link) == #"\[x\](javascript:alert(1))"#)
        #expect(MarkdownText.escape(Self.image) == #"!\[i\](http\://e/x.png)"#)
        #expect(MarkdownText.escape(Self.script) == #"\<script\>alert(1)\</script\>"#)
        #expect(MarkdownText.escape("see www.example.com or https://e.com/x") == #"see www\.example.com or https\://e.com/x"#)
        #expect(MarkdownText.escape("jo@example.com") == #"jo\@example.com"#)
        // Readable where nothing can form: intraword underscores, a bare ampersand, parentheses, full stops.
        #expect(MarkdownText.escape("self_harm, A&E (ward 3), St. Mary's!") == "self_harm, A&E (ward 3), St. Mary's!")
        #expect(MarkdownText.escape("_x_ &amp; &#60; *y*") == ##"\_x\_ \&amp; \&\#60; \*y\*"##)
        #expect(MarkdownText.escape("a|b\nc") == #"a\|b c"#)
    }

    @Test func hostileTextRendersAsTheLiteralTextInHTML() {
        for s in Self.hostile + [Self.all, "**not bold**", "`not code`", "a\\b", "_x_"] {
            let html = HTMLReport.inline(Prose(s))
            let parsed = Self.parse(Data("<p>\(html)</p>".utf8))
            #expect(parsed?.elements == ["p"], "\(s) became markup: \(html)")
            #expect(parsed?.text == PlainText.removingControls(s), "\(s) shows as \(parsed?.text ?? "?")")
        }
        // Escaped pipes stay inside their table cell.
        let table = HTMLReport.table(ReportTable(header: ["Ward", "Beds"], numeric: [false, true], rows: [[Prose("a|b \\| c"), "3"]]))
        #expect(table.contains("<th scope=\"row\">a|b \\| c</th><td class=\"num\">3</td>"), "\(table)")
    }

    @Test func xmlTextIsWellFormedAndNeverMarkup() {
        let escaped = XMLText.escape(Self.all + " \u{FFFE}\u{FFFF}\u{7F}\u{202E}")
        let parsed = Self.parse(Data("<svg><title>\(escaped)</title><g aria-label=\"\(escaped)\"/></svg>".utf8))
        #expect(parsed?.elements == ["svg", "title", "g"])
        #expect(parsed?.text == Self.hostile.joined(separator: " ").replacingOccurrences(of: "\u{0001}\u{0008}", with: "") + " ")
        for bad in ["<", ">", "\"", "'", "\u{0001}", "\u{0008}", "\u{202E}"] {
            #expect(!escaped.contains(bad))
        }
    }

    @Test func csvCellsLoseControlCharactersAndStayNeutralised() {
        #expect(CSVOutput.cell("a\u{0001}b\u{0008}c") == "abc")
        #expect(CSVOutput.cell("\u{0001}=1+1") == "'=1+1")  // the control character hid the formula
        #expect(CSVOutput.cell("  =cmd") == "'  =cmd")
        #expect(CSVOutput.cell("＝1+1") == "'＝1+1")
        #expect(CSVOutput.cell("-24.3") == "-24.3")
        #expect(CSVOutput.cell("line\nbreak") == "\"line\nbreak\"")
    }

    @Test func headingIdsAreUniqueAndPlain() {
        var doc = ReportDocument()
        doc.heading(2, "By ward")
        doc.heading(2, "By ward")
        doc.heading(3, Prose(Self.breakout))
        let html = HTMLReport.body(doc, charts: [:])
        #expect(html.contains("<h2 id=\"by-ward\">") && html.contains("<h2 id=\"by-ward-2\">"))
        #expect(html.contains("<h3 id=\"img-src-x-onerror-alert-1\">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</h3>"), "\(html)")
    }

    @Test func validateEchoesNoTerminalControlCharacters() throws {
        let dir = TempFolder()
        dir.write("study.yaml", studyYAML("exports:\n  incidents: { file: incidents.csv }\n"))
        dir.write("incidents.csv", "id,date,ward,category,\"\u{1B}[2J\u{1B}]0;owned\u{07}Notes\"\nI1,01/02/2019,\"Ward\u{1B}[31m 9\",Falls,x\n")
        let r = try runWardsleep(["validate", dir.path])
        #expect(r.out.contains("columns not used: \"[2J]0;ownedNotes\""), "\(r.out)")
        #expect(r.out.contains("control character 0x1B (ESC)"), "\(r.out)")
        #expect(!r.out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test func chartFileNamesNeverCollide() {
        let titles = ["Incidents, all wards", "Incidents, ward A 3", "Incidents, ward A-3", "Incidents, ward a 3",
                      "Incidents, ward B1", "Incidents, ward B1", String(repeating: "x", count: 300)]
        let names = ChartFiles.names(titles)
        #expect(Set(names).count == titles.count, "\(names)")
        #expect(names[0] == "incidents-all-wards" && names[4] == "incidents-ward-b1" && names[5] == "incidents-ward-b1-2")
        #expect(names[1].hasPrefix("incidents-ward-a-3-") && names[2].hasPrefix("incidents-ward-a-3-"))
        #expect(names[6].count == ChartFiles.maxSlug + 9)
        #expect(ChartFiles.names(titles) == names)  // deterministic
        // A title that looks like another's numbered name does not take it.
        let tricky = ChartFiles.names(["B1", "B1", "b1-2"])
        #expect(Set(tricky).count == 3)
    }

    // MARK: the whole pipeline

    /// A small study whose every label, and every free-text field, is hostile; free text also carries identifiers.
    static func hostileStudy(_ dir: TempFolder) {
        func yaml(_ s: String) -> String {  // a YAML double-quoted string
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\u{0001}", with: "\\x01").replacingOccurrences(of: "\u{0008}", with: "\\x08") + "\""
        }
        func csv(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        // Control characters are in the first ward's name (study.yaml's), not its id: a row naming a ward with one is
        // quarantined as damaged (`nulBytesAndOtherControlCharactersAreQuarantinedNotCrashing`).
        let wards = ["<script>alert(1)</script>]]>&", "A 3", "A-3"]
        dir.write("study.yaml", """
        version: 1
        study: \(yaml("Study " + script))
        organisation: \(yaml(link + " " + image))
        periods:
          baseline: { from: 2018-01-01, to: 2018-03-31 }
          pilot:    { from: 2019-01-01, to: 2019-03-31 }
        wards:
          - { id: \(yaml(wards[0])), name: \(yaml(all + " \u{0001}\u{0008}")), type: \(yaml(breakout)), beds: 20, cbti: true }
          - { id: "A 3", name: \(yaml(link)), type: acute, beds: 20 }
          - { id: "A-3", name: \(yaml(image + " ]]> &")), type: acute, beds: 20 }
        exports:
          occupancy: { file: occupancy.csv }
          incidents:
            file: incidents.csv
            categories: { \(yaml(link)): \(yaml(script + " " + breakout)), \(yaml(image)): \(yaml(all)) }
          feedback: { file: feedback.csv }
          involvement: { file: involvement.csv }
        feedback: { codebook: codebook.yaml, names: [Raj Patel] }

        """)
        dir.write("codebook.yaml", """
        version: 1
        themes:
          hostile: { label: \(yaml(all)), keywords: [noise] }

        """)
        var occupancy = "date,ward,occupied_beds\n", incidents = "id,date,time,ward,category\n", n = 0
        for year in [2018, 2019] {
            for month in 1...3 {
                for day in 1...28 {
                    for (w, ward) in wards.enumerated() {
                        occupancy += "\(day)/\(month)/\(year),\(csv(ward)),\(15 + w)\n"
                        if day % 3 == w {
                            n += 1
                            incidents += "I\(n),\(day)/\(month)/\(year),0\(day % 10):10,\(csv(ward)),\(csv(n % 2 == 0 ? link : image))\n"
                        }
                    }
                }
            }
        }
        dir.write("occupancy.csv", occupancy)
        // Quarantined: an unknown ward and an unmapped category, both naming a patient.
        incidents += "X1,01/02/2019,01:00,Mr Patel's bay,\(csv(link))\nX2,01/02/2019,01:00,A 3,Fall - Raj  Patel 943-476-5919\n"
        dir.write("incidents.csv", incidents)
        var feedback = "id,group,stage,text,rating\n"
        for i in 1...10 {
            let text = "noise \(i) \(hostile[i % hostile.count]) from Mr. Patel, NHS 943 476 5919, ring 07700 900123, born 1 February 1980"
            for stage in ["before", "after"] { feedback += "F\(stage)\(i),Patient,\(stage),\(csv(text)),\(1 + i % 5)\n" }
        }
        dir.write("feedback.csv", feedback)
        dir.write("involvement.csv", """
        stage,group,level,activity,evidence,date
        design,Patient,collaborate,\(csv(all + " with Patel, Raj")),\(csv(link + " minutes from dr\u{A0}Okafor, 020 7946 0018")),01/02/2018
        deliver,Ward staff,lead,\(csv(script)),\(csv(image + " jo.bloggs@example.nhs.uk")),01/02/2019

        """)
    }

    @Test func hostileLabelsStayInertInEveryOutput() throws {
        let dir = TempFolder()
        Self.hostileStudy(dir)
        let out = dir.path + "/report"
        let r = try runWardsleep(["run", dir.path, "--out", out, "--unsuppressed", "--ledger", dir.path + "/ledger.sqlite"])
        #expect(r.status == 0, "\(r.err)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: out).sorted()

        // Every SVG, standalone or inside report.html, is well-formed XML with no script, image, link or handler.
        let svgs = files.filter { $0.hasSuffix(".svg") }
        #expect(svgs.count >= 8, "\(files)")
        // "A 3" and "A-3" have a chart each.
        #expect(Set(svgs.filter { $0.hasPrefix("charts/incidents-ward-a-3") }).count == 2, "\(svgs)")
        for path in svgs + ["report.html", "restricted/report.html"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: out + "/" + path))
            let text = String(decoding: data, as: UTF8.self)
            guard let doc = Self.parse(data) else {
                Issue.record("\(path) is not well-formed XML")
                continue
            }
            for element in ["script", "img", "image", "a", "iframe", "object", "embed", "foreignObject"] {
                #expect(!doc.elements.contains(element), "\(path) has a <\(element)> element")
            }
            for a in doc.attributes {
                #expect(!a.name.lowercased().hasPrefix("on"), "\(path): \(a.element) has \(a.name)")
                if ["href", "src", "xlink:href", "action", "formaction"].contains(a.name.lowercased()) {
                    #expect(!a.value.lowercased().contains("javascript:"), "\(path): \(a.element) \(a.name)=\(a.value)")
                }
            }
            // A label reading `onerror=` or `javascript:` may appear as text; it can never be a tag or an attribute.
            for bad in ["<script", "<img", "\u{0001}", "\u{0008}"] {
                #expect(!text.contains(bad), "\(path) contains \(bad)")
            }
            if path.hasSuffix(".html") {
                // The labels are shown as they are, as text.
                #expect(doc.text.contains(Self.breakout) && doc.text.contains(Self.link) && doc.text.contains(Self.script))
            }
        }

        // summary.md: no link, image, autolink or raw HTML can form, and the labels read back as they are.
        for path in ["summary.md", "restricted/summary.md"] {
            let md = try String(contentsOfFile: out + "/" + path, encoding: .utf8)
            #expect(!md.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
            for var line in md.split(separator: "\n").map(String.init) {
                // A chart is the one image: `![alt](charts/name.svg)`; its alt text is checked like any other line.
                if line.hasPrefix("!["), line.hasSuffix(".svg)"), let open = line.range(of: "](charts/", options: .backwards) {
                    line = String(line[line.index(line.startIndex, offsetBy: 2)..<open.lowerBound])
                }
                var escaped = false, previous: Character = " "
                for ch in line {
                    if !escaped {
                        #expect(!(previous == "<" && (ch.isLetter || "/!?".contains(ch))), "raw HTML or autolink in \(path): \(line)")
                        #expect(!(previous == "]" && (ch == "(" || ch == "[" || ch == ":")), "link syntax in \(path): \(line)")
                        #expect(!(previous == "!" && ch == "["), "image syntax in \(path): \(line)")
                    }
                    let isEscape = !escaped && ch == "\\"
                    previous = escaped || isEscape ? " " : ch
                    escaped = isEscape
                }
            }
            #expect(md.contains(MarkdownText.escape(Self.script + " " + Self.breakout)))
        }

        // CSV tables: no control characters; labels quoted, never a formula.
        for path in files where path.hasSuffix(".csv") {
            let csv = try String(contentsOfFile: out + "/" + path, encoding: .utf8)
            #expect(!csv.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(path)")
        }
        // JSON documents parse.
        for path in files where path.hasSuffix(".json") {
            #expect((try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/" + path)))) != nil, "\(path)")
        }
    }

    @Test func identifiersInFreeTextNeverLeave() throws {
        let dir = TempFolder()
        Self.hostileStudy(dir)
        let out = dir.path + "/report"
        let r = try runWardsleep(["run", dir.path, "--out", out, "--unsuppressed", "--ledger", dir.path + "/ledger.sqlite"])
        #expect(r.status == 0, "\(r.err)")
        let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        #expect(summary.contains(#"noise"#) && summary.contains(#"\[name\], NHS \[NHS number\], ring \[phone\], born \[date of birth\]"#))
        for path in try FileManager.default.subpathsOfDirectory(atPath: out) where !path.hasPrefix("restricted/quarantine/") {
            guard let text = try? String(contentsOfFile: out + "/" + path, encoding: .utf8) else { continue }
            for identifier in ["Patel", "943 476 5919", "07700 900123", "February 1980", "Okafor", "7946 0018", "jo.bloggs"] {
                #expect(!text.contains(identifier), "\(path) contains \(identifier)")
            }
        }
        // The involvement ledger's activity and evidence are redacted before any output sees them.
        let involvement = try String(contentsOfFile: out + "/tables/involvement.csv", encoding: .utf8)
        #expect(involvement.contains("minutes from [name], [phone]") && involvement.contains("[email]"))
        // Quarantine files point back to the rows, but labels in them are redacted too.
        let quarantine = try String(contentsOfFile: out + "/restricted/quarantine/incidents.csv", encoding: .utf8)
        #expect(quarantine.contains("incidents.csv,\(quarantineLine(dir, "X1")),ward,ward,[name]'s bay,\"unknown ward"), "\(quarantine)")
        #expect(quarantine.contains(",category,category,Fall - [name] [NHS number],unmapped category"), "\(quarantine)")
        #expect(!quarantine.contains("Patel") && !quarantine.contains("5919"))
    }

    /// The line of the incident with reference `id` in the hostile study.
    func quarantineLine(_ dir: TempFolder, _ id: String) -> Int {
        (dir.read("incidents.csv")?.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix(id + ",") } ?? -2) + 1
    }

    @Test func categoryLabelsUsedAsTheyAreAreRedacted() throws {
        let dir = TempFolder()
        let study = testStudy("exports:\n  incidents: { file: incidents.csv }\nfeedback: { names: [Raj Patel] }\n")
        let path = dir.write("incidents.csv", "id,date,ward,category\nI1,01/02/2019,A1,\"Fall - Patel,  Raj\"\nI2,01/02/2019,A1,Self harm\n")
        let context = NormaliseContext(study: study, pseudonymiser: nil)
        let spec = study.exports[.incidents]
        let (_, records, _) = try ingest(path, spec: spec, IncidentNormaliser(context: context, spec: spec))
        #expect(records.map(\.category) == ["Fall - [name]", "Self harm"])
    }
}
