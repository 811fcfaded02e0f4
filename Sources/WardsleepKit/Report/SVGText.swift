/// Text measurement and wrapping for the SVG charts, so no label runs past its chart's edge at any size.
///
/// An SVG drawn through a `viewBox` scales as a whole, so a label that fits inside the viewBox fits at every display
/// size; what has to be right is the width of each label in viewBox units. Widths are estimated per character from the
/// metrics of DejaVu Sans, the widest of the fonts a chart may be drawn in (it is what a Debian machine substitutes for
/// Arial and Helvetica), so the estimate is an upper bound for Arial, Helvetica and Liberation Sans. The real-browser
/// test (`BrowserRenderTests`) checks the result in Chromium.
public enum SVGText {
    /// The font list every chart sets on its root element.
    public static let fontFamily = "Arial, Helvetica, 'Liberation Sans', 'DejaVu Sans', sans-serif"

    /// Estimated width, in the units of `size`, of `text` set at `size` (bold a tenth wider).
    public static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        var em = 0.0
        for ch in text.unicodeScalars {
            switch ch {
            case "i", "j", "l", "'", "|", "!", ".", ",", ":", ";": em += 0.32
            case "f", "t", "r", " ", "(", ")", "[", "]", "-", "/": em += 0.42
            case "m", "w", "M", "W", "%", "@": em += 0.98
            case "0"..."9": em += 0.64
            case "A"..."Z": em += 0.74
            case "a"..."z": em += 0.62
            default: em += ch.value < 0x80 ? 0.7 : 0.84
            }
        }
        return em * size * (bold ? 1.1 : 1)
    }

    /// `text` broken at spaces into lines no wider than `maxWidth`; a word wider than a line on its own is cut with an
    /// ellipsis, so every line fits.
    public static func wrap(_ text: String, size: Double, maxWidth: Double, bold: Bool = false) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if width(candidate, size: size, bold: bold) <= maxWidth {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = fit(word, size: size, maxWidth: maxWidth, bold: bold)
        }
        if !line.isEmpty { lines.append(line) }
        return lines.isEmpty ? [""] : lines
    }

    /// `word`, cut and ended with an ellipsis when it is wider than `maxWidth`.
    static func fit(_ word: String, size: Double, maxWidth: Double, bold: Bool) -> String {
        guard width(word, size: size, bold: bold) > maxWidth else { return word }
        var cut = word
        while !cut.isEmpty && width(cut + "…", size: size, bold: bold) > maxWidth { cut.removeLast() }
        return cut + "…"
    }

    /// A `<text>` element of one or more lines (`<tspan>` per line, `lineHeight` apart), escaped.
    static func element(_ lines: [String], x: Double, y: Double, size: Double, lineHeight: Double, anchor: String = "start",
                        bold: Bool = false, fill: String = "#425563") -> String {
        func f(_ d: Double) -> String { NumberFormat.fixed(d, 1) }
        var s = "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(NumberFormat.json(size))\"\(bold ? " font-weight=\"bold\"" : "")"
        s += "\(anchor == "start" ? "" : " text-anchor=\"\(anchor)\"") fill=\"\(fill)\">"
        if lines.count == 1 { return s + XMLText.escape(lines[0]) + "</text>\n" }
        for (i, line) in lines.enumerated() {
            s += "<tspan x=\"\(f(x))\" dy=\"\(i == 0 ? "0" : f(lineHeight))\">\(XMLText.escape(line))</tspan>"
        }
        return s + "</text>\n"
    }
}
