/// Draws a control chart as SVG: the series, centre line, process limits and 2σ lines, points coloured as Making Data
/// Count does (orange concern, blue improvement, grey common cause, purple neutral), the pilot start marked, dated
/// axes with units, a title and alternative text. No script, no external reference.
public enum SVGChart {
    /// Colours by point type.
    public static let colours: [VariationType: String] = [
        .improvement: "#0072CE", .concern: "#ED8B00", .commonCause: "#A6A6A6", .neutral: "#7C2855",
    ]

    static let width = 720.0, height = 330.0, left = 64.0, right = 16.0, top = 58.0, bottom = 56.0

    /// A short description for screen readers and the report text.
    public static func altText(_ c: ControlChart) -> String {
        guard let first = c.points.first, let last = c.points.last else { return "\(c.title): no data." }
        var s = "\(name(c)) of \(c.title.lowercased()), \(c.unit), \(first.label) to \(last.label). "
        s += "Centre line \(NumberFormat.fixed(first.centre, 2)) from \(c.baselinePoints) \(first.phase == .baseline ? "baseline" : "pilot") points"
        s += c.trialLimits ? " (trial limits: fewer than \(c.parameters.minimumBaselinePoints) points). " : ". "
        let special = c.points.filter { !$0.rules.isEmpty }
        if special.isEmpty {
            s += "No point shows special cause variation."
        } else {
            s += "\(special.count) point\(special.count == 1 ? "" : "s") show special cause variation: "
            s += special.prefix(6).map { "\($0.label) \($0.type.rawValue) (\($0.rules.joined(separator: ", ")))" }.joined(separator: "; ")
            s += special.count > 6 ? "; and more." : "."
        }
        let withheld = c.points.filter(\.withheld).count
        if withheld > 0 { s += " \(withheld) point\(withheld == 1 ? " is" : "s are") withheld: counts too small to publish." }
        s += " Last point: \(last.type.rawValue)."
        return s
    }

    /// The SVG document for a chart; `id` makes element ids unique within a page.
    public static func render(_ c: ControlChart, id: String) -> String {
        let pts = c.points
        let plotW = width - left - right, plotH = height - top - bottom
        let values = pts.flatMap { [$0.value, $0.upper, $0.lower] }.filter(\.isFinite)
        var lo = min(values.min() ?? 0, 0), hi = values.max() ?? 1
        if c.kind == "p" { lo = max(0, lo); hi = min(100, max(hi, lo + 1)) }
        if hi <= lo { hi = lo + 1 }
        let step = niceStep((hi - lo) / 5)
        lo = (lo / step).rounded(.down) * step
        hi = (hi / step).rounded(.up) * step
        func x(_ i: Int) -> Double { left + (pts.count <= 1 ? plotW / 2 : Double(i) * plotW / Double(pts.count - 1)) }
        func y(_ v: Double) -> Double { top + plotH - (v - lo) / (hi - lo) * plotH }
        func f(_ d: Double) -> String { NumberFormat.fixed(d, 1) }
        /// A line through the finite values; a withheld (NaN) value breaks it.
        func path(_ values: [Double]) -> String {
            var d: [String] = [], pen = false
            for (i, v) in values.enumerated() {
                guard v.isFinite else { pen = false; continue }
                d.append("\(pen ? "L" : "M")\(f(x(i))),\(f(y(v)))")
                pen = true
            }
            return d.joined(separator: " ")
        }
        let titleID = "\(id)-title", descID = "\(id)-desc"
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
        s += "width=\"100%\" role=\"img\" aria-labelledby=\"\(titleID) \(descID)\" class=\"chart\">\n"
        s += "<title id=\"\(titleID)\">\(XMLText.escape(c.title))</title>\n<desc id=\"\(descID)\">\(XMLText.escape(altText(c)))</desc>\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>\n"
        s += "<text x=\"\(Int(left))\" y=\"20\" font-size=\"15\" font-weight=\"bold\" fill=\"#231f20\">\(XMLText.escape(c.title))</text>\n"
        var subtitle = "\(name(c)), \(c.unit); limits from \(c.baselinePoints) "
        subtitle += (pts.first?.phase == .baseline || pts.contains { $0.phase == .baseline }) ? "baseline points, frozen into the pilot" : "pilot points"
        if c.trialLimits { subtitle += " (trial limits)" }
        subtitle += "; variation: \(c.icon.rawValue)"
        s += "<text x=\"\(Int(left))\" y=\"38\" font-size=\"11\" fill=\"#425563\">\(XMLText.escape(subtitle))</text>\n"
        // Axes and grid.
        var v = lo
        while v <= hi + step / 2 {
            s += "<line x1=\"\(f(left))\" y1=\"\(f(y(v)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(v)))\" stroke=\"#e8edee\" stroke-width=\"1\"/>\n"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" font-size=\"10\" text-anchor=\"end\" fill=\"#425563\">\(NumberFormat.json(Double(NumberFormat.fixed(v, 2))!))</text>\n"
            v += step
        }
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(width - right))\" y2=\"\(f(top + plotH))\" stroke=\"#425563\" stroke-width=\"1\"/>\n"
        let every = max(1, Int((Double(pts.count) / 12).rounded(.up)))
        for (i, p) in pts.enumerated() where i % every == 0 {
            s += "<text x=\"\(f(x(i)))\" y=\"\(f(top + plotH + 16))\" font-size=\"10\" text-anchor=\"middle\" fill=\"#425563\">\(XMLText.escape(p.label))</text>\n"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 8))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#425563\">\(XMLText.escape(c.unit)) by \(pts.first.map { $0.label.count == 7 ? "month" : "week" } ?? "interval")</text>\n"
        // Pilot start.
        if let first = pts.firstIndex(where: { $0.phase == .pilot }), first > 0 {
            let px = (x(first - 1) + x(first)) / 2
            s += "<line x1=\"\(f(px))\" y1=\"\(f(top))\" x2=\"\(f(px))\" y2=\"\(f(top + plotH))\" stroke=\"#231f20\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>\n"
            s += "<text x=\"\(f(px + 4))\" y=\"\(f(top + 10))\" font-size=\"10\" fill=\"#231f20\">pilot starts</text>\n"
        }
        if !pts.isEmpty {
            s += "<path d=\"\(path(pts.map(\.upper)))\" fill=\"none\" stroke=\"#768692\" stroke-width=\"1.2\" stroke-dasharray=\"6 4\"/>\n"
            s += "<path d=\"\(path(pts.map(\.lower)))\" fill=\"none\" stroke=\"#768692\" stroke-width=\"1.2\" stroke-dasharray=\"6 4\"/>\n"
            s += "<path d=\"\(path(pts.map(\.upper2)))\" fill=\"none\" stroke=\"#AEB7BD\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>\n"
            s += "<path d=\"\(path(pts.map(\.lower2)))\" fill=\"none\" stroke=\"#AEB7BD\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>\n"
            s += "<path d=\"\(path(pts.map(\.centre)))\" fill=\"none\" stroke=\"#231f20\" stroke-width=\"1.5\"/>\n"
            s += "<path d=\"\(path(pts.map(\.value)))\" fill=\"none\" stroke=\"#5A6F7F\" stroke-width=\"1.5\"/>\n"
        }
        for (i, p) in pts.enumerated() where !p.withheld {
            s += "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(p.value)))\" r=\"4.5\" fill=\"\(colours[p.type]!)\" stroke=\"#ffffff\" stroke-width=\"1\">"
            s += "<title>\(XMLText.escape("\(p.label): \(NumberFormat.fixed(p.value, 2)) — \(p.type.rawValue)\(p.rules.isEmpty ? "" : " (" + p.rules.joined(separator: ", ") + ")")"))</title></circle>\n"
        }
        // Legend.
        var lx = width - right - 320
        for (label, type) in [("improvement", VariationType.improvement), ("concern", .concern), ("common cause", .commonCause), ("neutral", .neutral)] {
            s += "<circle cx=\"\(f(lx))\" cy=\"49\" r=\"4.5\" fill=\"\(colours[type]!)\"/>"
            s += "<text x=\"\(f(lx + 8))\" y=\"53\" font-size=\"10\" fill=\"#425563\">\(label)</text>\n"
            lx += label.count > 8 ? 92 : 70
        }
        s += "</svg>\n"
        return s
    }

    /// "u-chart", "p-chart" or "XmR chart".
    static func name(_ c: ControlChart) -> String { c.kind == "xmr" ? "XmR chart" : "\(c.kind)-chart" }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        for m in [1.0, 2, 2.5, 5, 10] where m * magnitude >= raw { return m * magnitude }
        return 10 * magnitude
    }
}

