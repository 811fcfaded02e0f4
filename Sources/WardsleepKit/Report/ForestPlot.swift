import Foundation

/// A forest plot: one row per estimate (label, point, confidence interval) on a log axis with a reference line at 1,
/// then one or more pooled estimates drawn as diamonds, each with its value written beside it. Any figure of ratios can
/// use it; it renders the values it is given and computes nothing from counts.
///
/// Nothing is ever clipped: text widths are estimated on the generous side (every character at least as wide as the
/// widest glyph of its kind in Arial), and the SVG is sized to hold the longest label, the longest value and the title.
public struct ForestPlot: Sendable {
    /// One estimate.
    public struct Row: Sendable, Equatable {
        /// What it is (a ward, a trust, a category).
        public var label: String
        /// The ratio; `nil` when there is none to show (then `note` says why).
        public var estimate: Double?
        /// Lower confidence bound (0 allowed: drawn as an arrow to the axis' left end).
        public var lower: Double?
        /// Upper confidence bound (+∞ allowed: an arrow to the right end).
        public var upper: Double?
        /// Shown instead of the value when there is no estimate ("withheld: small numbers").
        public var note: String?

        /// Creates a row.
        public init(label: String, estimate: Double?, lower: Double?, upper: Double?, note: String? = nil) {
            self.label = label
            self.estimate = estimate
            self.lower = lower
            self.upper = upper
            self.note = note
        }

        /// Whether its interval can be drawn: an estimate and bounds, 0 ≤ lower ≤ upper (+∞ allowed).
        var drawable: Bool {
            guard let e = estimate, let l = lower, let u = upper, !e.isNaN, !l.isNaN, !u.isNaN else { return false }
            return l >= 0 && u >= l
        }

        /// Whether its point can be drawn: a positive, finite estimate.
        var pointDrawable: Bool { drawable && estimate!.isFinite && estimate! > 0 }
    }

    /// The title above the plot.
    public var title: String
    /// A line under the title (what is compared, the scale).
    public var subtitle: String
    /// The heading of the label column ("Ward", "Trust").
    public var labelHeading: String
    /// The heading of the value column.
    public var valueHeading = "Rate ratio (95% CI)"
    /// What the axis shows.
    public var axisLabel = "Rate ratio, pilot against baseline (log scale)"
    /// The estimates.
    public var rows: [Row]
    /// Pooled estimates, drawn as diamonds below the rows.
    public var diamonds: [Row]

    /// Creates a plot.
    public init(title: String, subtitle: String, labelHeading: String, rows: [Row], diamonds: [Row]) {
        self.title = title
        self.subtitle = subtitle
        self.labelHeading = labelHeading
        self.rows = rows
        self.diamonds = diamonds
    }

    // MARK: Geometry

    static let labelSize = 12.0, titleSize = 15.0, subtitleSize = 11.0, tickSize = 10.0
    static let margin = 12.0, gap = 16.0, plotWidth = 340.0, rowHeight = 22.0, top = 64.0

    /// A generous width of `text` at `size` px in Arial (bold adds a tenth): never less than the rendered width.
    public static func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        var em = 0.0
        for s in PlainText.removingControls(text).unicodeScalars {
            let v = s.value
            switch v {
            case 0x20...0x7E:
                let c = Character(s)
                if "MWmw@%".contains(c) { em += 1.0 } else if c.isUppercase { em += 0.78 } else { em += 0.62 }
            case 0x0300...0x036F, 0x200B...0x200D: em += 0  // combining marks and zero-width characters
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                 0xFFE0...0xFFE6, 0x1F000...0x1FAFF, 0x20000...0x3FFFD:
                em += 1.15  // wide: CJK, Hangul, full-width forms, emoji
            default: em += 1.0
            }
        }
        return em * size * (bold ? 1.1 : 1.0)
    }

    /// The value column's text for a row: `0.95 (0.86 to 1.04)`, or its note.
    public static func valueText(_ r: Row) -> String {
        guard let e = r.estimate, let l = r.lower, let u = r.upper else { return r.note ?? "not estimable" }
        return "\(number(e)) (\(number(l)) to \(number(u)))"
    }

    static func number(_ d: Double) -> String { d.isInfinite ? "∞" : NumberFormat.fixed(d, 2) }

    /// Where everything goes.
    public struct Layout: Sendable, Equatable {
        /// The SVG's width and height.
        public var width: Double, height: Double
        /// The plot area's left and right ends (x).
        public var plotLeft: Double, plotRight: Double
        /// The axis' smallest and largest values.
        public var axisMin: Double, axisMax: Double
        /// Tick values, in order.
        public var ticks: [Double]
        /// Where the value column starts.
        public var valueX: Double
        /// The y of each row, then of each diamond.
        public var rowY: [Double], diamondY: [Double]
        /// The y of the axis line.
        public var axisY: Double

        /// The x of a ratio on the log axis, clamped to the plot area.
        public func x(_ v: Double) -> Double {
            guard v > 0 else { return plotLeft }
            guard v.isFinite else { return plotRight }
            let f = (log(v) - log(axisMin)) / (log(axisMax) - log(axisMin))
            return plotLeft + min(1, max(0, f)) * (plotRight - plotLeft)
        }
    }

    static let tickValues: [Double] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]

    /// The layout: the axis spans every finite bound and 1 (within 0.001 to 1000), widened to ticks.
    public func layout() -> Layout {
        let all = rows + diamonds
        let values = all.filter(\.drawable).flatMap { [$0.estimate!, $0.lower!, $0.upper!] }.filter { $0.isFinite && $0 > 0 }
        var lo = min(values.min() ?? 1, 1), hi = max(values.max() ?? 1, 1)
        lo = ForestPlot.tickValues.last { $0 <= lo } ?? ForestPlot.tickValues.first!
        hi = ForestPlot.tickValues.first { $0 >= hi } ?? ForestPlot.tickValues.last!
        if lo == hi { lo /= 2; hi *= 2 }
        // Five to nine ticks: drop every other one from a long run.
        var ticks = ForestPlot.tickValues.filter { $0 >= lo && $0 <= hi }
        while ticks.count > 9 { ticks = ticks.enumerated().filter { $0.offset % 2 == 0 || $0.element == 1 }.map(\.element) }
        let s = ForestPlot.self
        let labelWidth = max(s.textWidth(labelHeading, size: s.labelSize, bold: true),
                             all.map { s.textWidth($0.label, size: s.labelSize, bold: diamonds.contains($0)) }.max() ?? 0)
        let valueWidth = max(s.textWidth(valueHeading, size: s.labelSize, bold: true),
                             all.map { s.textWidth(s.valueText($0), size: s.labelSize) }.max() ?? 0)
        let plotLeft = s.margin + labelWidth + s.gap
        // Tick labels are centred on their ticks: room for half the widest at each end.
        let tickHalf = (ticks.map { s.textWidth(s.tickLabel($0), size: s.tickSize) }.max() ?? 0) / 2
        let plotRight = plotLeft + s.plotWidth
        let valueX = plotRight + max(s.gap, tickHalf + 4)
        let width = max(valueX + valueWidth + s.margin, s.margin + s.textWidth(title, size: s.titleSize, bold: true) + s.margin,
                        s.margin + s.textWidth(subtitle, size: s.subtitleSize) + s.margin,
                        plotLeft + s.plotWidth / 2 + s.textWidth(axisLabel, size: s.subtitleSize) / 2 + s.margin)
        let rowY = rows.indices.map { s.top + s.rowHeight * (Double($0) + 1) }
        let afterRows = (rowY.last ?? s.top) + s.rowHeight * (diamonds.isEmpty ? 0.5 : 1.2)
        let diamondY = diamonds.indices.map { afterRows + s.rowHeight * Double($0) }
        let axisY = (diamondY.last ?? afterRows) + s.rowHeight * 0.8
        return Layout(width: width.rounded(.up), height: (axisY + 44).rounded(.up), plotLeft: plotLeft, plotRight: plotRight,
                      axisMin: lo, axisMax: hi, ticks: ticks, valueX: valueX, rowY: rowY, diamondY: diamondY, axisY: axisY)
    }

    static func tickLabel(_ v: Double) -> String { v >= 1 ? NumberFormat.json(v) : NumberFormat.json(Double(NumberFormat.fixed(v, 3))!) }

    // MARK: Rendering

    /// A description for screen readers and the report text.
    public func altText() -> String {
        var s = "Forest plot: \(title). "
        s += (rows + diamonds).map { "\($0.label) \(ForestPlot.valueText($0))" }.joined(separator: "; ")
        return s + "."
    }

    /// The SVG document; `id` makes element ids unique within a page.
    public func render(id: String) -> String {
        let L = layout(), s = ForestPlot.self
        func f(_ d: Double) -> String { NumberFormat.fixed(d, 1) }
        func text(_ x: Double, _ y: Double, _ t: String, size: Double = s.labelSize, anchor: String = "start", bold: Bool = false,
                  fill: String = "#231f20") -> String {
            "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(NumberFormat.json(size))\"\(anchor == "start" ? "" : " text-anchor=\"\(anchor)\"")"
                + "\(bold ? " font-weight=\"bold\"" : "") fill=\"\(fill)\">\(XMLText.escape(t))</text>\n"
        }
        let titleID = "\(id)-title", descID = "\(id)-desc"
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(NumberFormat.json(L.width)) \(NumberFormat.json(L.height))\" "
        out += "width=\"\(NumberFormat.json(L.width))\" role=\"img\" aria-labelledby=\"\(titleID) \(descID)\" class=\"chart forest\" "
        out += "font-family=\"Arial, Helvetica, sans-serif\">\n"
        out += "<title id=\"\(titleID)\">\(XMLText.escape(title))</title>\n<desc id=\"\(descID)\">\(XMLText.escape(altText()))</desc>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(NumberFormat.json(L.width))\" height=\"\(NumberFormat.json(L.height))\" fill=\"#ffffff\"/>\n"
        out += text(s.margin, 22, title, size: s.titleSize, bold: true)
        out += text(s.margin, 40, subtitle, size: s.subtitleSize, fill: "#425563")
        out += text(s.margin, s.top, labelHeading, bold: true)
        out += text(L.valueX, s.top, valueHeading, bold: true)
        let plotTop = s.top + 6, plotBottom = L.axisY
        // Grid, reference line, axis.
        for t in L.ticks {
            out += "<line x1=\"\(f(L.x(t)))\" y1=\"\(f(plotTop))\" x2=\"\(f(L.x(t)))\" y2=\"\(f(plotBottom))\" stroke=\"#e8edee\" stroke-width=\"1\"/>\n"
            out += text(L.x(t), L.axisY + 15, s.tickLabel(t), size: s.tickSize, anchor: "middle", fill: "#425563")
        }
        out += "<line x1=\"\(f(L.x(1)))\" y1=\"\(f(plotTop))\" x2=\"\(f(L.x(1)))\" y2=\"\(f(plotBottom))\" stroke=\"#231f20\" "
        out += "stroke-width=\"1\" stroke-dasharray=\"4 3\" class=\"reference\"/>\n"
        out += "<line x1=\"\(f(L.plotLeft))\" y1=\"\(f(L.axisY))\" x2=\"\(f(L.plotRight))\" y2=\"\(f(L.axisY))\" stroke=\"#425563\" stroke-width=\"1\"/>\n"
        out += text((L.plotLeft + L.plotRight) / 2, L.axisY + 32, axisLabel, size: s.subtitleSize, anchor: "middle", fill: "#425563")
        // Rows.
        for (r, y) in zip(rows, L.rowY) {
            out += text(s.margin, y + 4, r.label)
            out += text(L.valueX, y + 4, s.valueText(r), fill: r.drawable ? "#231f20" : "#425563")
            guard r.drawable else { continue }
            let (e, lo, hi) = (r.estimate!, r.lower!, r.upper!)
            out += "<line x1=\"\(f(L.x(lo)))\" y1=\"\(f(y))\" x2=\"\(f(L.x(hi)))\" y2=\"\(f(y))\" stroke=\"#005eb8\" stroke-width=\"1.5\"/>\n"
            if lo < L.axisMin { out += arrow(L.plotLeft, y, left: true) }
            if hi > L.axisMax { out += arrow(L.plotRight, y, left: false) }
            guard r.pointDrawable else { continue }
            out += "<rect x=\"\(f(L.x(e) - 4))\" y=\"\(f(y - 4))\" width=\"8\" height=\"8\" fill=\"#005eb8\" class=\"estimate\">"
            out += "<title>\(XMLText.escape("\(r.label): \(s.valueText(r))"))</title></rect>\n"
        }
        if !diamonds.isEmpty, let last = L.rowY.last {
            let y = last + s.rowHeight * 0.6
            out += "<line x1=\"\(f(s.margin))\" y1=\"\(f(y))\" x2=\"\(f(L.width - s.margin))\" y2=\"\(f(y))\" stroke=\"#d8dde0\" stroke-width=\"1\"/>\n"
        }
        for (d, y) in zip(diamonds, L.diamondY) {
            out += text(s.margin, y + 4, d.label, bold: true)
            out += text(L.valueX, y + 4, s.valueText(d), bold: d.drawable, fill: d.drawable ? "#231f20" : "#425563")
            guard d.pointDrawable else { continue }
            let (e, lo, hi) = (L.x(d.estimate!), L.x(d.lower!), L.x(d.upper!))
            out += "<polygon points=\"\(f(lo)),\(f(y)) \(f(e)),\(f(y - 7)) \(f(hi)),\(f(y)) \(f(e)),\(f(y + 7))\" fill=\"#231f20\" class=\"pooled\">"
            out += "<title>\(XMLText.escape("\(d.label): \(s.valueText(d))"))</title></polygon>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// A small arrowhead at the plot's end: the interval runs beyond the axis.
    func arrow(_ x: Double, _ y: Double, left: Bool) -> String {
        let d = left ? 6.0 : -6.0
        func f(_ v: Double) -> String { NumberFormat.fixed(v, 1) }
        return "<polygon points=\"\(f(x)),\(f(y)) \(f(x + d)),\(f(y - 4)) \(f(x + d)),\(f(y + 4))\" fill=\"#005eb8\"/>\n"
    }
}
