import Foundation
import Testing
@testable import WardsleepKit

/// report.html of the sample study rendered in a real browser (headless Chromium): every `<text>` of every chart must lie
/// inside its SVG's viewBox (measured with `getBBox()`), every chart in `charts/` must be drawn on the page, and no
/// chart may be wider than the page — at a desktop and a phone width.
@Suite(.serialized) struct BrowserRenderTests {
    /// Appended to a copy of report.html (the report itself carries no script): measures, then writes one line per
    /// finding into `<pre id="wardsleep-result">`, which `--dump-dom` prints.
    static let probe = """
        <script>
        (function () {
          var lines = [], page = document.documentElement.clientWidth;
          document.querySelectorAll('svg').forEach(function (svg) {
            var vb = svg.viewBox.baseVal, title = (svg.querySelector('title') || {}).textContent || '(untitled)';
            var box = svg.getBoundingClientRect();
            lines.push('SVG\\t' + title + '\\t' + Math.round(box.width) + '\\t' + Math.round(box.height));
            if (box.right > page + 0.5) lines.push('WIDE\\t' + title + '\\t' + box.right + ' > ' + page);
            svg.querySelectorAll('text').forEach(function (t) {
              var b = t.getBBox();
              if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y + b.height > vb.y + vb.height + 0.5) {
                lines.push('OVERFLOW\\t' + title + '\\t' + t.textContent + '\\t' + [b.x, b.y, b.width, b.height].map(Math.round).join(',')
                  + ' outside ' + [vb.x, vb.y, vb.width, vb.height].join(','));
              }
            });
          });
          var pre = document.createElement('pre');
          pre.id = 'wardsleep-result';
          pre.textContent = lines.join('\\n') + '\\nDONE';
          document.body.appendChild(pre);
        })();
        </script>
        """

    /// The probe's lines, from Chromium's DOM after it ran, at `width` CSS pixels.
    func measure(_ html: String, width: Int, in dir: TempFolder) throws -> [String] {
        let page = dir.write("probe-\(width).html", html.replacingOccurrences(of: "</body>", with: Self.probe + "</body>"))
        var arguments = ["--headless", "--disable-gpu", "--no-first-run", "--user-data-dir=\(dir.path)/profile-\(width)",
                         "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000", "--window-size=\(width),900",
                         "--dump-dom", URL(fileURLWithPath: page).absoluteString]
        if getuid() == 0 { arguments.insert("--no-sandbox", at: 0) }
        let dom = try runProgram("chromium", arguments).out
        guard let start = dom.range(of: "<pre id=\"wardsleep-result\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex)
        else { return ["NO RESULT: Chromium printed \(dom.count) characters"] }
        return dom[start.upperBound..<end.lowerBound].replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&").split(separator: "\n").map(String.init)
    }

    @Test(.enabled(if: installed("chromium"), "chromium is not installed (Debian package chromium); .ci/run installs it, so CI runs this test"))
    func everyChartIsDrawnAndNoLabelLeavesItsChart() throws {
        let dir = TempFolder()
        let out = dir.path + "/r"
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", out, "--format", "html"])
        #expect(r.status == 0, "\(r.err)")
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        let files = try FileManager.default.contentsOfDirectory(atPath: out + "/charts").filter { $0.hasSuffix(".svg") }.sorted()
        let titles = try files.map { file -> String in
            let svg = try String(contentsOfFile: out + "/charts/" + file, encoding: .utf8)
            let m = try #require(svg.firstMatch(of: /<title id="[^"]*">([^<]*)<\/title>/))
            return String(m.1).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        }
        // Control charts, fidelity charts, time series and forest plots: each must be drawn (checked below).
        #expect(files.count >= 11 && files.contains { $0.hasPrefix("forest-") } && files.contains { $0.hasPrefix("its-") })
        for width in [1280, 375] {
            let lines = try measure(html, width: width, in: dir)
            #expect(lines.last == "DONE", "\(lines.prefix(3))")
            let drawn = lines.filter { $0.hasPrefix("SVG\t") }.map { $0.split(separator: "\t").map(String.init) }
            for (file, title) in zip(files, titles) {
                let shown = drawn.first { $0[1] == title }
                #expect(shown != nil, "charts/\(file) (\(title)) is not embedded in report.html")
                if let shown { #expect(Int(shown[2])! > 100 && Int(shown[3])! > 50, "charts/\(file) is drawn \(shown[2])×\(shown[3]) at \(width) px") }
            }
            let problems = lines.filter { $0.hasPrefix("OVERFLOW") || $0.hasPrefix("WIDE") }
            #expect(problems.isEmpty, "at \(width) px: \(problems.joined(separator: "\n"))")
        }
        // The probe itself finds a label pushed past the edge (so the test cannot pass by measuring nothing).
        let pushed = html.replacingOccurrences(of: "<text x=\"10.0\" y=\"20.0\" font-size=\"15\"", with: "<text x=\"600.0\" y=\"20.0\" font-size=\"15\"")
        #expect(pushed != html)
        #expect(try measure(pushed, width: 1280, in: dir).contains { $0.hasPrefix("OVERFLOW\tIncidents, all wards\tIncidents, all wards") })
    }
}
