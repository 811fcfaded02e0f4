/// Escaping for XML and HTML (report.html, charts/*.svg): text and attribute values.
public enum XMLText {
    /// Text safe inside an element or a quoted attribute value: control characters removed (`PlainText`), so the
    /// document stays well-formed; `&`, `<`, `>`, `"` and `'` written as references, so nothing can open a tag or
    /// leave an attribute. A label reading `javascript:` or `onerror=` stays text: it can never become an element,
    /// an attribute or an address.
    public static func escape(_ s: String) -> String {
        let clean = PlainText.removingControls(s)
        var out = ""
        out.reserveCapacity(clean.utf8.count)
        for ch in clean.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
