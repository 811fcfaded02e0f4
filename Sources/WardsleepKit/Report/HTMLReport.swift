/// `report.html`: the summary rendered to one self-contained, printable page (inline CSS and SVG, no script, no
/// external reference), written as well-formed XHTML-compatible markup so it can be checked by any XML parser.
public enum HTMLReport {
    /// The page around `body`: the head with its inline CSS (and the print CSS of a `runningHeader`), then `main`.
    static func page(_ body: String, title: String, runningHeader: String?) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\" />\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
        html += "<title>\(XMLText.escape(title))</title>\n<style>\n\(css)\(runningHeader.map(pageCSS) ?? "")</style>\n</head>\n<body>\n<main>\n"
        html += body
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    static let css = """
    body { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; color: #231f20; background: #ffffff; margin: 0; line-height: 1.5; }
    main { max-width: 64rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
    h1 { font-size: 1.8rem; color: #005eb8; margin-top: 0.5rem; }
    h2 { font-size: 1.35rem; color: #005eb8; border-bottom: 2px solid #e8edee; padding-bottom: 0.2rem; margin-top: 2rem; }
    h3 { font-size: 1.1rem; margin-top: 1.4rem; }
    .table-wrap { overflow-x: auto; margin: 0.75rem 0; }
    table { border-collapse: collapse; font-size: 0.9rem; min-width: 50%; }
    th, td { border: 1px solid #d8dde0; padding: 0.3rem 0.5rem; vertical-align: top; }
    th { background: #f0f4f5; text-align: left; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    blockquote { margin: 0.5rem 0; padding: 0.4rem 0.9rem; border-left: 4px solid #005eb8; background: #f0f4f5; }
    blockquote.notice { border-left-color: #ed8b00; background: #fff4e5; }
    figure { margin: 1rem 0; }
    figcaption { font-size: 0.85rem; color: #425563; }
    svg.chart { max-width: 100%; height: auto; border: 1px solid #e8edee; }
    .small-multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 0.75rem; margin: 1rem 0; }
    .small-multiples figure { margin: 0; }
    #key-findings + ul { background: #f0f4f5; border-left: 4px solid #005eb8; margin: 0.75rem 0; padding: 0.75rem 1rem 0.75rem 2rem; }
    #key-findings + ul li { margin: 0.3rem 0; }
    code { font-family: Consolas, Menlo, monospace; font-size: 0.9em; background: #f0f4f5; padding: 0 0.2em; }
    em { color: #425563; }
    @media (max-width: 40rem) { main { padding: 0.5rem; } table { font-size: 0.8rem; } h1 { font-size: 1.4rem; } }
    @media print {
      body { font-size: 10pt; } main { max-width: none; padding: 0; }
      h2 { page-break-after: avoid; break-before: page; } #key-findings { break-before: avoid; }
      figure, table, blockquote, li { page-break-inside: avoid; }
      .small-multiples { grid-template-columns: 1fr 1fr; }
      .table-wrap { overflow: visible; } svg.chart { border: none; }
    }

    """

    /// The printed page of report.pdf: A4 margins with `header` at the top of every page and "page N of M" at the foot.
    static func pageCSS(_ header: String) -> String {
        """
        @page { size: A4; margin: 18mm 14mm 16mm 14mm;
          @top-left { content: "\(cssString(header))"; font: 8pt Arial, Helvetica, sans-serif; color: #425563; }
          @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Arial, Helvetica, sans-serif; color: #425563; } }

        """
    }

    /// Text inside a CSS string: every character outside plain printable ASCII, and the quote, backslash and angle
    /// brackets, written as a CSS escape, so a label can neither end the string nor close the style element.
    static func cssString(_ s: String) -> String {
        var out = ""
        for ch in PlainText.removingControls(s).unicodeScalars {
            if ch.value >= 0x20 && ch.value < 0x7F && !"\"\\<>&".unicodeScalars.contains(ch) {
                out.unicodeScalars.append(ch)
            } else {
                out += "\\" + String(ch.value, radix: 16) + " "
            }
        }
        return out
    }
}
