import Foundation

/// Writing CSV that is safe to open in Excel: RFC 4180 quoting, CRLF-free (LF line ends), and text cells that Excel
/// would run as a formula neutralised with a leading apostrophe. Numbers (`-24.3`) stay plain numbers.
public enum CSVOutput {
    /// One line, with a trailing newline.
    public static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\n"
    }

    /// One cell: control characters removed (tab and line breaks kept, inside quotes), neutralised when it would start
    /// a formula (after any leading spaces; full-width `＝＋－＠` too), and quoted as needed.
    public static func cell(_ value: String) -> String {
        var v = PlainText.removingControls(value, keeping: keptControls)
        if let first = v.unicodeScalars.first(where: { $0 != " " && $0 != "\u{A0}" }), formulaStarts.contains(first), !isNumber(v) {
            v = "'" + v
        }
        return quoted(v)
    }

    /// The controls a cell keeps (inside quotes).
    static let keptControls: Set<Unicode.Scalar> = ["\t", "\n", "\r"]

    /// Characters that make a spreadsheet read a cell as a formula.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]

    /// A line of plain RFC 4180 CSV, as other systems export it: quoted where needed, never neutralised.
    public static func exportLine(_ cells: [String], lineEnding: String = "\n") -> String {
        cells.map(quoted).joined(separator: ",") + lineEnding
    }

    /// RFC 4180 quoting: a cell with a comma, quote or line break is wrapped in quotes, inner quotes doubled. Read as
    /// bytes, as a CSV reader reads them: a comma or quote followed by a combining mark is still a comma or a quote.
    static func quoted(_ v: String) -> String {
        var v = v
        // Read from the string's own bytes (one contiguous buffer): most cells need no quotes, and are returned as they are.
        let quotes = v.withUTF8 { bytes -> Int? in
            var quotes = 0, special = false
            for b in bytes {
                if b == 0x22 { quotes += 1 } else if b == 0x2C || b == 0x0A || b == 0x0D { special = true }
            }
            return special || quotes > 0 ? quotes : nil
        }
        guard let quotes else { return v }
        var out: [UInt8] = []
        out.reserveCapacity(v.utf8.count + quotes + 2)
        out.append(0x22)
        for b in v.utf8 {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a cell is a plain number (`12`, `-24.3`, `1e-07`).
    static func isNumber(_ s: String) -> Bool {
        guard let d = Double(s), d.isFinite else { return false }
        return s.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E" }
    }
}
