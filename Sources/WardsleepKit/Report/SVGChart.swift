/// Draws a control chart as SVG: the series, centre line, process limits and 2σ lines, points coloured as Making Data
/// Count does (orange concern, blue improvement, grey common cause, purple neutral), the pilot start marked with a
/// break in the time axis, dated axes with units, a title and alternative text. Limits from fewer than 12 baseline
/// points are drawn with a shorter dash and labelled provisional. No script, no external reference.
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
        s += c.trialLimits ? " (provisional limits: fewer than \(c.parameters.minimumBaselinePoints) baseline points). " : ". "
        let special = c.points.filter { !$0.rules.isEmpty }
        if special.isEmpty {
            s += "No point shows special cause variation."
        } else {
            s += "\(special.count) point\(special.count == 1 ? "" : "s") show special cause variation: "
            s += special.prefix(6).map { "\($0.label) \($0.type.rawValue) (\($0.rules.joined(separator: ", ")))" }.joined(separator: "; ")
            s += special.count > 6 ? "; and more." : "."
        }
        let withheld = c.points.filter(\.withheld).count
        if withheld > 0 { s += " \(withheld) point\(withheld == 1 ? " is" : "s are") withheld: counts too small to publish, or withheld to protect one." }
        s += " Last point: \(last.type.rawValue)."
        return s
    }

    /// The SVG document for a chart; `id` makes element ids unique within a page. A `compact` chart is drawn for a grid
    /// of small multiples (narrower, no legend). Baseline and pilot points are drawn as two segments of the time axis
    /// with a break between them, so months that are not adjacent never look adjacent; every label is wrapped or
    /// placed to stay inside the viewBox.
    public static func render(_ c: ControlChart, id: String, compact: Bool = false) -> String {
        let pts = c.points
        let width = compact ? 400.0 : 720.0, plotH = compact ? 150.0 : 216.0, pad = 10.0
        func f(_ d: Double) -> String { NumberFormat.fixed(d, 1) }
        // Heading: title, subtitle, legend, each wrapped to the chart's width.
        var head = ""
        let titleLines = SVGText.wrap(c.title, size: 15, maxWidth: width - 2 * pad, bold: true)
        head += SVGText.element(titleLines, x: pad, y: 20, size: 15, lineHeight: 18, bold: true, fill: "#231f20")
        var y = 20 + Double(titleLines.count - 1) * 18 + 17
        var subtitle = "\(name(c)), \(c.unit); limits from \(c.baselinePoints) "
        let hasBaseline = pts.contains { $0.phase == .baseline }
        subtitle += hasBaseline ? "baseline points, frozen into the pilot" : "pilot points"
        if c.trialLimits {
            subtitle += " (provisional limits: fewer than \(c.parameters.minimumBaselinePoints) \(hasBaseline ? "baseline " : "")points)"
        }
        subtitle += "; variation: \(c.icon.rawValue)"
        let subtitleLines = SVGText.wrap(subtitle, size: 11, maxWidth: width - 2 * pad)
        head += SVGText.element(subtitleLines, x: pad, y: y, size: 11, lineHeight: 14)
        y += Double(subtitleLines.count - 1) * 14 + 8
        if !compact { head += legend(c, y: &y, width: width, pad: pad) }
        let top = y + 14
        // Vertical scale and the margins its labels need.
        let values = pts.flatMap { [$0.value, $0.upper, $0.lower] }.filter(\.isFinite)
        var lo = min(values.min() ?? 0, 0), hi = values.max() ?? 1
        if c.kind == "p" { lo = max(0, lo); hi = min(100, max(hi, lo + 1)) }
        if hi <= lo { hi = lo + 1 }
        let step = niceStep((hi - lo) / 5)
        lo = (lo / step).rounded(.down) * step
        hi = (hi / step).rounded(.up) * step
        var ticks: [(Double, String)] = []
        var v = lo
        while v <= hi + step / 2 {
            ticks.append((v, NumberFormat.json(Double(NumberFormat.fixed(v, 2)) ?? v)))
            v += step
        }
        let left = max(40, (ticks.map { SVGText.width($0.1, size: 10) }.max() ?? 0) + 16)
        let labelWidth = pts.map { SVGText.width($0.label, size: 10) }.max() ?? 0
        let right = max(12, labelWidth / 2 + 6)
        let plotW = width - left - right
        // Time axis: baseline points, a break, then pilot points.
        let axis = TimeAxis(pts, left: left, width: plotW)
        func yy(_ v: Double) -> Double { top + plotH - (v - lo) / (hi - lo) * plotH }
        func path(_ values: [Double]) -> String {
            var d: [String] = [], pen = false
            for (i, v) in values.enumerated() {
                if i == axis.firstPilot { pen = false }
                guard v.isFinite else { pen = false; continue }
                d.append("\(pen ? "L" : "M")\(f(axis.x(i))),\(f(yy(v)))")
                pen = true
            }
            return d.joined(separator: " ")
        }
        let titleID = "\(id)-title", descID = "\(id)-desc"
        let axisTitle = SVGText.wrap("\(c.unit) by \(pts.first.map { $0.label.count == 7 ? "month" : "week" } ?? "interval")",
                                     size: 11, maxWidth: width - 2 * pad)
        let height = top + plotH + 22 + Double(axisTitle.count) * 14 + 4
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height.rounded(.up)))\" "
        s += "width=\"100%\" role=\"img\" aria-labelledby=\"\(titleID) \(descID)\" class=\"chart\" font-family=\"\(SVGText.fontFamily)\">\n"
        s += "<title id=\"\(titleID)\">\(XMLText.escape(c.title))</title>\n<desc id=\"\(descID)\">\(XMLText.escape(altText(c)))</desc>\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height.rounded(.up)))\" fill=\"#ffffff\"/>\n"
        s += head
        for (tv, text) in ticks {
            s += "<line x1=\"\(f(left))\" y1=\"\(f(yy(tv)))\" x2=\"\(f(width - right))\" y2=\"\(f(yy(tv)))\" stroke=\"#e8edee\" stroke-width=\"1\"/>\n"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(yy(tv) + 4))\" font-size=\"10\" text-anchor=\"end\" fill=\"#425563\">\(text)</text>\n"
        }
        let base = top + plotH
        s += "<line x1=\"\(f(left))\" y1=\"\(f(base))\" x2=\"\(f(width - right))\" y2=\"\(f(base))\" stroke=\"#425563\" stroke-width=\"1\"/>\n"
        for i in axis.labelled(labelWidth: labelWidth) {
            s += "<text x=\"\(f(axis.x(i)))\" y=\"\(f(base + 16))\" font-size=\"10\" text-anchor=\"middle\" fill=\"#425563\">\(XMLText.escape(pts[i].label))</text>\n"
        }
        s += SVGText.element(axisTitle, x: width / 2, y: base + 34, size: 11, lineHeight: 14, anchor: "middle")
        if let gap = axis.gapCentre {
            // The axis break: a white gap in the axis line between two slanted strokes, and the pilot's start.
            s += "<rect x=\"\(f(gap - 4))\" y=\"\(f(base - 5))\" width=\"8\" height=\"10\" fill=\"#ffffff\"/>\n"
            for dx in [-4.0, 4.0] {
                s += "<line x1=\"\(f(gap + dx - 3))\" y1=\"\(f(base + 5))\" x2=\"\(f(gap + dx + 3))\" y2=\"\(f(base - 5))\" stroke=\"#425563\" stroke-width=\"1.2\"/>\n"
            }
            s += "<line x1=\"\(f(gap))\" y1=\"\(f(top))\" x2=\"\(f(gap))\" y2=\"\(f(base - 7))\" stroke=\"#231f20\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>\n"
            let label = "pilot starts", w = SVGText.width(label, size: 10)
            let fitsRight = gap + 4 + w <= width - pad
            s += "<text x=\"\(f(fitsRight ? gap + 4 : gap - 4))\" y=\"\(f(top + 10))\" font-size=\"10\"\(fitsRight ? "" : " text-anchor=\"end\"") fill=\"#231f20\">\(label)</text>\n"
        }
        if !pts.isEmpty {
            let limitDash = c.trialLimits ? "3 3" : "6 4"
            s += "<path d=\"\(path(pts.map(\.upper)))\" fill=\"none\" stroke=\"#768692\" stroke-width=\"1.2\" stroke-dasharray=\"\(limitDash)\"/>\n"
            s += "<path d=\"\(path(pts.map(\.lower)))\" fill=\"none\" stroke=\"#768692\" stroke-width=\"1.2\" stroke-dasharray=\"\(limitDash)\"/>\n"
            s += "<path d=\"\(path(pts.map(\.upper2)))\" fill=\"none\" stroke=\"#AEB7BD\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>\n"
            s += "<path d=\"\(path(pts.map(\.lower2)))\" fill=\"none\" stroke=\"#AEB7BD\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>\n"
            s += "<path d=\"\(path(pts.map(\.centre)))\" fill=\"none\" stroke=\"#231f20\" stroke-width=\"1.5\"/>\n"
            s += "<path d=\"\(path(pts.map(\.value)))\" fill=\"none\" stroke=\"#5A6F7F\" stroke-width=\"1.5\"/>\n"
        }
        for (i, p) in pts.enumerated() where !p.withheld {
            s += "<circle cx=\"\(f(axis.x(i)))\" cy=\"\(f(yy(p.value)))\" r=\"\(compact ? "3.5" : "4.5")\" fill=\"\(colours[p.type]!)\" stroke=\"#ffffff\" stroke-width=\"1\">"
            s += "<title>\(XMLText.escape("\(p.label) (\(p.phase.rawValue)): \(NumberFormat.fixed(p.value, 2)) — \(p.type.rawValue)\(p.rules.isEmpty ? "" : " (" + p.rules.joined(separator: ", ") + ")")"))</title></circle>\n"
        }
        s += "</svg>\n"
        return s
    }

    /// The legend row(s): point colours and the limit lines (marked provisional when they are), wrapped to the width.
    static func legend(_ c: ControlChart, y: inout Double, width: Double, pad: Double) -> String {
        func f(_ d: Double) -> String { NumberFormat.fixed(d, 1) }
        var items: [(label: String, mark: (Double, Double) -> String)] = []
        for (label, type) in [("improvement", VariationType.improvement), ("concern", .concern), ("common cause", .commonCause), ("neutral", .neutral)] {
            items.append((label, { x, y in "<circle cx=\"\(f(x + 5))\" cy=\"\(f(y - 4))\" r=\"4.5\" fill=\"\(colours[type]!)\"/>" }))
        }
        let limits = c.trialLimits ? "limits (provisional)" : "limits"
        items.append((limits, { x, y in
            "<line x1=\"\(f(x))\" y1=\"\(f(y - 4))\" x2=\"\(f(x + 12))\" y2=\"\(f(y - 4))\" stroke=\"#768692\" stroke-width=\"1.2\" stroke-dasharray=\"\(c.trialLimits ? "3 3" : "6 4")\"/>"
        }))
        var s = "", x = pad
        y += 8
        for item in items {
            let w = 16 + SVGText.width(item.label, size: 10) + 14
            if x + w > width - pad && x > pad { x = pad; y += 14 }
            s += item.mark(x, y) + "<text x=\"\(f(x + 16))\" y=\"\(f(y))\" font-size=\"10\" fill=\"#425563\">\(XMLText.escape(item.label))</text>\n"
            x += w
        }
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

