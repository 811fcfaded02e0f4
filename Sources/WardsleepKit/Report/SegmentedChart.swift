/// Draws a segmented regression as SVG: the observed monthly rates as points, the fitted baseline line, the fitted pilot
/// line, and the counterfactual (the baseline trend continued) dashed over the pilot. Months between the periods are
/// left as a gap on the time axis. No script, no external reference.
public enum SegmentedChart {
    static let width = 720.0, height = 330.0, left = 64.0, right = 16.0, top = 62.0, bottom = 56.0

    /// The chart files of a report: (path, SVG) for each charted series.
    public static func files(_ its: [InterruptedSeries], study: StudyDefinition) -> [(path: String, svg: String)] {
        its.enumerated().compactMap { i, s in SegmentedTables.chartPath(s).map { ($0, render(s, study: study, id: "its\(i)")) } }
    }

    /// A description for screen readers and the figure caption.
    public static func altText(_ s: InterruptedSeries, study: StudyDefinition) -> String {
        guard let first = s.points.first, let last = s.points.last else { return "\(SegmentedTables.label(s, study: study)): no data." }
        var text = "Segmented regression: \(SegmentedTables.label(s, study: study)), \(SegmentedTables.unit(s)), "
        text += "\(first.label) to \(last.label): observed monthly rates"
        if let m = s.model, let level = m.levelChange {
            text += " with the fitted baseline and pilot lines and the baseline trend continued (dashed); level change rate ratio "
            text += "\(NumberFormat.fixed(level.rateRatio, 2)) (95% CI \(NumberFormat.fixed(level.lower, 2)) to \(NumberFormat.fixed(level.upper, 2)))."
        } else {
            text += "; no model shown (\(SegmentedTables.reason(s)))."
        }
        let withheld = s.points.filter { $0.observed == nil }.count
        if withheld > 0 { text += " \(withheld) month\(withheld == 1 ? " is" : "s are") withheld: counts too small to publish, or withheld to protect one." }
        return text
    }

    /// The SVG document; `id` makes element ids unique within a page.
    public static func render(_ s: InterruptedSeries, study: StudyDefinition, id: String) -> String {
        let pts = s.points
        let plotW = width - left - right, plotH = height - top - bottom
        let values = pts.flatMap { [$0.observed, $0.fitted, $0.counterfactual].compactMap { $0 } }.filter(\.isFinite)
        var hi = max(values.max() ?? 1, 0)
        if hi <= 0 { hi = 1 }
        let step = SVGChart.niceStep(hi / 5)
        hi = (hi / step).rounded(.up) * step
        // The time axis runs over calendar months, so a gap between the periods shows as a gap.
        let firstMonth = pts.first.map { monthNumber($0.start) } ?? 0, lastMonth = pts.last.map { monthNumber($0.start) } ?? 0
        let span = Double(max(1, lastMonth - firstMonth))
        func x(_ p: SegmentedPoint) -> Double { left + Double(monthNumber(p.start) - firstMonth) / span * plotW }
        func y(_ v: Double) -> Double { top + plotH - v / hi * plotH }
        func f(_ d: Double) -> String { NumberFormat.fixed(d, 1) }
        /// A line through consecutive months of `phase` where `value` exists.
        func path(_ value: (SegmentedPoint) -> Double?, phase: StudyPeriod) -> String {
            var d: [String] = [], pen = false, previous: Int?
            for p in pts {
                let m = monthNumber(p.start)
                guard p.phase == phase, let v = value(p), v.isFinite else { pen = false; previous = nil; continue }
                if let previous, m != previous + 1 { pen = false }
                d.append("\(pen ? "L" : "M")\(f(x(p))),\(f(y(v)))")
                pen = true
                previous = m
            }
            return d.joined(separator: " ")
        }
        let label = SegmentedTables.label(s, study: study), unit = SegmentedTables.unit(s)
        let titleID = "\(id)-title", descID = "\(id)-desc"
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
        svg += "width=\"100%\" role=\"img\" aria-labelledby=\"\(titleID) \(descID)\" class=\"chart\">\n"
        svg += "<title id=\"\(titleID)\">\(XMLText.escape("Segmented regression: \(label)"))</title>\n"
        svg += "<desc id=\"\(descID)\">\(XMLText.escape(altText(s, study: study)))</desc>\n"
        svg += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>\n"
        svg += "<text x=\"\(Int(left))\" y=\"20\" font-size=\"15\" font-weight=\"bold\" fill=\"#231f20\">\(XMLText.escape("Segmented regression: \(label)"))</text>\n"
        svg += "<text x=\"\(Int(left))\" y=\"38\" font-size=\"11\" fill=\"#425563\">\(XMLText.escape("\(unit); quasi-Poisson, ward-months"))</text>\n"
        var v = 0.0
        while v <= hi + step / 2 {
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y(v)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(v)))\" stroke=\"#e8edee\" stroke-width=\"1\"/>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" font-size=\"10\" text-anchor=\"end\" fill=\"#425563\">\(NumberFormat.json(Double(NumberFormat.fixed(v, 2))!))</text>\n"
            v += step
        }
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(width - right))\" y2=\"\(f(top + plotH))\" stroke=\"#425563\" stroke-width=\"1\"/>\n"
        let every = max(1, Int((Double(pts.count) / 10).rounded(.up)))
        for (i, p) in pts.enumerated() where i % every == 0 {
            svg += "<text x=\"\(f(x(p)))\" y=\"\(f(top + plotH + 16))\" font-size=\"10\" text-anchor=\"middle\" fill=\"#425563\">\(XMLText.escape(p.label))</text>\n"
        }
        svg += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 8))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#425563\">\(XMLText.escape(unit)) by month</text>\n"
        svg += "<path d=\"\(path({ $0.counterfactual }, phase: .pilot))\" fill=\"none\" stroke=\"#768692\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n"
        svg += "<path d=\"\(path({ $0.fitted }, phase: .baseline))\" fill=\"none\" stroke=\"#231f20\" stroke-width=\"2\"/>\n"
        svg += "<path d=\"\(path({ $0.fitted }, phase: .pilot))\" fill=\"none\" stroke=\"#0072CE\" stroke-width=\"2\"/>\n"
        for p in pts {
            guard let o = p.observed, o.isFinite else { continue }
            let colour = p.phase == .baseline ? "#5A6F7F" : "#0072CE"
            svg += "<circle cx=\"\(f(x(p)))\" cy=\"\(f(y(o)))\" r=\"4\" fill=\"\(colour)\" fill-opacity=\"0.55\" stroke=\"#ffffff\" stroke-width=\"1\">"
            svg += "<title>\(XMLText.escape("\(p.label): \(NumberFormat.fixed(o, 2))"))</title></circle>\n"
        }
        // Legend.
        var lx = left
        for (text, colour, dash) in [("baseline fit", "#231f20", ""), ("pilot fit", "#0072CE", ""), ("baseline trend continued", "#768692", " stroke-dasharray=\"6 4\"")] {
            svg += "<line x1=\"\(f(lx))\" y1=\"52\" x2=\"\(f(lx + 22))\" y2=\"52\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>"
            svg += "<text x=\"\(f(lx + 27))\" y=\"56\" font-size=\"10\" fill=\"#425563\">\(text)</text>\n"
            lx += 27 + Double(text.count) * 5.6 + 16
        }
        svg += "<circle cx=\"\(f(lx + 4))\" cy=\"52\" r=\"4\" fill=\"#5A6F7F\" fill-opacity=\"0.55\"/>"
        svg += "<text x=\"\(f(lx + 12))\" y=\"56\" font-size=\"10\" fill=\"#425563\">observed month</text>\n"
        return svg + "</svg>\n"
    }

    static func monthNumber(_ d: CalendarDay) -> Int {
        let (y, m, _) = d.components
        return y * 12 + m
    }
}
