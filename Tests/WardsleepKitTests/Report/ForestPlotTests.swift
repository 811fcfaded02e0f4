import Foundation
import Testing
@testable import WardsleepKit

@Suite struct ForestPlotTests {
    let plot = ForestPlot(title: "Incidents by ward", subtitle: "Pilot against baseline", labelHeading: "Ward", rows: [
        .init(label: "A1 Acute male", estimate: 0.88, lower: 0.70, upper: 1.10),
        .init(label: "W2 Wide ward name ＷＷＷＷ with Émile's ward and MMMMMMMMMM", estimate: 1.6, lower: 0.9, upper: 3.1),
        .init(label: "Z0 No pilot events", estimate: 0, lower: 0, upper: 2.5),
        .init(label: "I9 No baseline events", estimate: .infinity, lower: 1.4, upper: .infinity),
        .init(label: "S1 Small", estimate: nil, lower: nil, upper: nil, note: "withheld: counts too small to publish"),
    ], diamonds: [.init(label: "Pooled (Mantel–Haenszel)", estimate: 0.96, lower: 0.88, upper: 1.05)])

    /// Every `<text>` element: its x, anchor, size, boldness and content.
    func texts(_ svg: String) throws -> [(x: Double, anchor: String, size: Double, bold: Bool, text: String)] {
        let re = try NSRegularExpression(pattern: #"<text x="([0-9.]+)" y="[0-9.]+" font-size="([0-9.]+)"( text-anchor="(\w+)")?( font-weight="bold")?[^>]*>([^<]*)</text>"#)
        return re.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).map { m in
            func group(_ i: Int) -> String? { Range(m.range(at: i), in: svg).map { String(svg[$0]) } }
            return (Double(group(1)!)!, group(4) ?? "start", Double(group(2)!)!, group(5) != nil,
                    group(6)!.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&"))
        }
    }

    @Test func logAxisPlacesValuesAndTheReferenceLine() {
        let L = plot.layout()
        #expect(L.axisMin == 0.5 && L.axisMax == 5, "spans every finite bound and 1: \(L.axisMin) to \(L.axisMax)")
        #expect(L.ticks == [0.5, 1, 2, 5])
        #expect(L.x(L.axisMin) == L.plotLeft && L.x(L.axisMax) == L.plotRight)
        // Equal ratios are equal distances on a log axis: 0.5 → 1 as far as 1 → 2.
        #expect(abs((L.x(1) - L.x(0.5)) - (L.x(2) - L.x(1))) < 1e-9)
        #expect(L.x(0) == L.plotLeft && L.x(.infinity) == L.plotRight, "bounds beyond the axis stop at its ends")
        #expect(L.rowY.count == 5 && L.diamondY.count == 1 && L.diamondY[0] > L.rowY[4] && L.axisY > L.diamondY[0])
        let svg = plot.render(id: "f")
        #expect(svg.contains(#"<line x1="\#(NumberFormat.fixed(L.x(1), 1))" y1="#), "reference line at 1")
        #expect(svg.contains("class=\"reference\""))
        #expect(svg.components(separatedBy: "class=\"estimate\"").count - 1 == 2, "points where the ratio is positive and finite")
        #expect(svg.components(separatedBy: "stroke=\"#005eb8\" stroke-width=\"1.5\"").count - 1 == 4, "intervals of every row but the withheld")
        #expect(svg.components(separatedBy: "<polygon points=").count - 1 == 3, "arrows for 0 and ∞, and the diamond")
        #expect(svg.components(separatedBy: "class=\"pooled\"").count - 1 == 1)
        #expect(svg.contains(">0.96 (0.88 to 1.05)</text>") && svg.contains(">withheld: counts too small to publish</text>"))
        #expect(svg.contains(">∞ (1.40 to ∞)</text>"))
        // The diamond's points: lower, estimate, upper on the axis.
        let diamond = "\(NumberFormat.fixed(L.x(0.88), 1)),\(NumberFormat.fixed(L.diamondY[0], 1)) \(NumberFormat.fixed(L.x(0.96), 1)),"
        #expect(svg.contains("<polygon points=\"\(diamond)"))
    }

    @Test func labelsAreNeverClipped() throws {
        let L = plot.layout()
        let svg = plot.render(id: "f")
        #expect(svg.contains("viewBox=\"0 0 \(NumberFormat.json(L.width)) \(NumberFormat.json(L.height))\""))
        let all = try texts(svg)
        #expect(all.count >= 15)
        for t in all {
            let w = ForestPlot.textWidth(t.text, size: t.size, bold: t.bold)
            let (left, right) = t.anchor == "middle" ? (t.x - w / 2, t.x + w / 2) : (t.x, t.x + w)
            #expect(left >= 0 && right <= L.width, "\(t.text) runs from \(left) to \(right), outside 0…\(L.width)")
            if t.anchor == "start" && t.x < L.plotLeft && t.size == ForestPlot.labelSize { #expect(right <= L.plotLeft, "label \(t.text) runs into the plot") }
        }
        // Conservative widths: at least Arial's widest glyphs.
        #expect(ForestPlot.textWidth("MMMM", size: 10) >= 4 * 8.33)
        #expect(ForestPlot.textWidth("ＷＷ", size: 10) >= 2 * 10)
        // A longer label makes the SVG wider, never clips.
        var longer = plot
        longer.rows[0].label += String(repeating: " and more", count: 20)
        #expect(longer.layout().width > L.width + 100)
    }

    @Test func noDrawableRowsStillGivesAnAxisAroundOne() {
        let empty = ForestPlot(title: "t", subtitle: "s", labelHeading: "Trust",
                               rows: [.init(label: "A", estimate: nil, lower: nil, upper: nil, note: "no events in either period")], diamonds: [])
        let L = empty.layout()
        #expect(L.axisMin < 1 && L.axisMax > 1 && L.x(1) > L.plotLeft && L.x(1) < L.plotRight)
        #expect(empty.render(id: "e").contains(">no events in either period</text>"))
    }

    @Test func runReportShowsWardAndCategoryForestPlotsOfReleasedValues() throws {
        let dir = TempFolder()
        let out = dir.path + "/report"
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", out, "--ledger", dir.path + "/l.sqlite"])
        #expect(r.status == 0, "\(r.err)")
        let wards = try #require(dir.read("report/charts/forest-wards.svg"))
        #expect(dir.exists("report/charts/forest-categories.svg"))
        let html = try #require(dir.read("report/report.html"))
        #expect(html.contains("All incidents by ward, over 24 hours") && html.contains("Incidents by category, over 24 hours"))
        #expect(try #require(dir.read("report/summary.md")).contains("](charts/forest-wards.svg)"))
        // The values drawn are the published ones: the table's rate ratios and the pooled line.
        let rows = try csvRows(out + "/tables/incidents.csv").filter { $0["scope"] == "ward" && $0["category"] == "all" && $0["window"] == "24h" }
        #expect(rows.count == 7)
        for row in rows {
            if let rr = Double(row["rate_ratio"]!) {
                let text = "\(NumberFormat.fixed(rr, 2)) (\(NumberFormat.fixed(Double(row["ci_lower"]!)!, 2)) to \(NumberFormat.fixed(Double(row["ci_upper"]!)!, 2)))"
                #expect(wards.contains(">\(text)</text>"), "ward \(row["ward"]!): \(text)")
            }
        }
        let pooled = try #require(try csvRows(out + "/tables/incidents_pooled.csv").first { $0["category"] == "all" && $0["window"] == "24h" })
        let mh = "\(NumberFormat.fixed(Double(pooled["mh_rate_ratio"]!)!, 2)) (\(NumberFormat.fixed(Double(pooled["ci_lower"]!)!, 2)) to "
            + "\(NumberFormat.fixed(Double(pooled["ci_upper"]!)!, 2)))"
        #expect(wards.contains(">\(mh)</text>"))
    }
}
