/// Characters that no published text needs and that readers, parsers or spreadsheets can misuse, removed before text
/// is escaped for an output format.
public enum PlainText {
    /// `s` without control characters: C0 controls other than those in `kept`, DEL, C1 controls, the bidirectional
    /// embedding, override and isolate controls (which can make text display in another order than it is stored), and
    /// the noncharacters U+FFFE and U+FFFF (not allowed in XML).
    public static func removingControls(_ s: String, keeping kept: Set<Unicode.Scalar> = tabAndLineFeed) -> String {
        // Most text is printable ASCII, which holds none: checked byte by byte, without decoding a scalar.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s }
        guard s.unicodeScalars.contains(where: { isRemovable($0) && !kept.contains($0) }) else { return s }
        var scalars = String.UnicodeScalarView()
        for u in s.unicodeScalars where !isRemovable(u) || kept.contains(u) { scalars.append(u) }
        return String(scalars)
    }

    /// The controls `removingControls` keeps unless told otherwise (made once, not at each call).
    public static let tabAndLineFeed: Set<Unicode.Scalar> = ["\t", "\n"]

    /// Whether `u` is one of the characters `removingControls` takes out.
    static func isRemovable(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        case 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }
}
