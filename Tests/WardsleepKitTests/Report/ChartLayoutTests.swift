import Foundation
import Testing
@testable import WardsleepKit

/// Charts: labels wrapped inside the viewBox, a break in the time axis between the periods, provisional limits marked,
/// and every chart file embedded in report.html (ward charts as small multiples).
@Suite(.serialized) struct ChartLayoutTests {
    func chart(baseline: Int, pilot: Int, title: String = "Incidents, ward A1") -> ControlChart {
        var points: [ChartPoint] = []
        for i in 0..<(baseline + pilot) {
            let year = i < baseline ? 2018 : 2019, month = (i < baseline ? i : i - baseline) % 12 + 1
            points.append(ChartPoint(label: "\(year)-\(month < 10 ? "0" : "")\(month)", start: CalendarDay(year: year, month: month, day: 1)!,
                                     phase: i < baseline ? .baseline : .pilot, value: 0, numerator: Double(10 + i % 3), denominator: 500,
                                     centre: 0, upper: 0, lower: 0, upper2: 0, lower2: 0))
        }
        return SPC.uChart(points, scale: 1000, title: title, unit: "per 1,000 occupied bed days", direction: .decrease, parameters: SPCParameters())
    }

    /// The x of every `<text>` start and its estimated right edge, against the viewBox width.
    func overflowing(_ svg: String) -> [String] {
        let width = Double(svg.firstMatch(of: /viewBox="0 0 (\d+) \d+"/)!.1)!
        var bad: [String] = []
        for m in svg.matches(of: /<text x="([0-9.]+)"[^>]*font-size="([0-9.]+)"([^>]*)>(.*?)<\/text>/) {
            let x = Double(m.1)!, size = Double(m.2)!, attributes = String(m.3)
            let lines = String(m.4).replacing(/<tspan[^>]*>/, with: "\n").replacing(/<\/tspan>/, with: "").split(separator: "\n").map(String.init)
            for line in lines {
                let w = SVGText.width(line, size: size, bold: attributes.contains("bold"))
                let (from, to) = attributes.contains("end") ? (x - w, x) : attributes.contains("middle") ? (x - w / 2, x + w / 2) : (x, x + w)
                if from < 0 || to > width { bad.append(line) }
            }
        }
        return bad
    }

    @Test func wrappedLinesFitTheirWidth() {
        let text = String(repeating: "Acute female psychiatric intensive care ", count: 5) + "Supercalifragilisticexpialidociousward"
        for size in [10.0, 11, 15] {
            let lines = SVGText.wrap(text, size: size, maxWidth: 200, bold: size == 15)
            #expect(lines.count > 1 && lines.allSatisfy { SVGText.width($0, size: size, bold: size == 15) <= 200 })
        }
    }

    @Test func longTitlesAndSubtitlesStayInsideTheChart() {
        let long = "Incidents, ward " + String(repeating: "Acute female psychiatric intensive care unit ", count: 3)
        for compact in [false, true] {
            let svg = SVGChart.render(chart(baseline: 8, pilot: 8, title: long), id: "c", compact: compact)
            #expect(overflowing(svg).isEmpty, "\(overflowing(svg))")
            #expect(svg.contains("<tspan"))  // the title and subtitle wrap
        }
    }

    @Test func theTimeAxisBreaksBetweenThePeriods() {
        let c = chart(baseline: 8, pilot: 8)
        let axis = TimeAxis(c.points, left: 50, width: 600)
        let step = axis.x(1) - axis.x(0), gap = axis.x(8) - axis.x(7)
        #expect(gap > 2 * step)
        #expect(axis.labelled(labelWidth: 40).contains(7) && axis.labelled(labelWidth: 40).contains(8))
        let svg = SVGChart.render(c, id: "c")
        // Two slanted strokes cross the axis, and no line joins August 2018 to January 2019.
        let x7 = NumberFormat.fixed(SVGChartGeometry.x(svg, label: "2018-08"), 1), x8 = NumberFormat.fixed(SVGChartGeometry.x(svg, label: "2019-01"), 1)
        #expect(!svg.contains(" L\(x8),"), "the value line continues across the break from \(x7)")
        #expect(svg.components(separatedBy: "stroke-width=\"1.2\"/>").count >= 3)
        #expect(svg.contains("pilot starts"))
    }

    @Test func limitsFromFewerThanTwelveBaselinePointsAreMarkedProvisional() {
        let few = SVGChart.render(chart(baseline: 8, pilot: 8), id: "c")
        #expect(few.contains("(provisional limits: fewer than 12 baseline points)") && few.contains("limits (provisional)"))
        let enough = SVGChart.render(chart(baseline: 12, pilot: 8), id: "c")
        #expect(!enough.contains("provisional"))
    }

    @Test func everyChartFileIsEmbeddedAndWardChartsAreSmallMultiples() throws {
        let dir = TempFolder()
        let r = try runWardsleep(["run", packageRoot() + "/data/sample", "--out", dir.path + "/r", "--format", "md,html"])
        #expect(r.status == 0, "\(r.err)")
        let html = try String(contentsOfFile: dir.path + "/r/report.html", encoding: .utf8)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/r/charts").filter { $0.hasSuffix(".svg") }
        #expect(files.count >= 11)
        for file in files {
            let svg = try String(contentsOfFile: dir.path + "/r/charts/" + file, encoding: .utf8)
            #expect(html.contains(svg), "charts/\(file) is not embedded in report.html")
        }
        let grid = html.components(separatedBy: "<div class=\"small-multiples\">")
        // Two grids: incidents on each of the seven wards, and fidelity on the two wards that log their checks.
        func charts(_ g: String) -> Int { g.components(separatedBy: "</div>")[0].components(separatedBy: "<svg").count - 1 }
        #expect(grid.count == 3 && grid.dropFirst().map(charts) == [7, 2])
        let summary = try String(contentsOfFile: dir.path + "/r/summary.md", encoding: .utf8)
        #expect(summary.contains("| Incidents, all wards | 16 | 35.39 | provisional (8 baseline points) |"))
    }
}

/// Reads positions back out of a rendered chart.
enum SVGChartGeometry {
    /// The x of the axis label `label`.
    static func x(_ svg: String, label: String) -> Double {
        let m = svg.matches(of: /<text x="([0-9.]+)"[^>]*>([^<]*)<\/text>/).first { String($0.2) == label }
        return m.flatMap { Double($0.1) } ?? -1
    }
}
