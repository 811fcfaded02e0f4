import CSystem

/// Turns the bytes of one CSV field into text: UTF-8 when the bytes are valid UTF-8, otherwise Windows-1252
/// (the code page Excel uses when it saves "CSV" on an English Windows machine).
public enum TextDecoding {
    /// Which decoding a field needed.
    public enum Encoding: String, Sendable, Codable {
        /// Plain ASCII (valid in every encoding).
        case ascii
        /// UTF-8 with characters beyond ASCII.
        case utf8 = "utf-8"
        /// Windows-1252, because the bytes were not valid UTF-8.
        case windows1252 = "windows-1252"
    }

    /// Decodes `bytes`, reporting which encoding was used.
    public static func decode(_ bytes: some FieldByteCollection) -> (String, Encoding) {
        if bytes.withFieldBuffer({ b in b.isEmpty || ws_has_high_byte(b.baseAddress, UInt(b.count)) == 0 }) {
            return (String(decoding: bytes, as: UTF8.self), .ascii)
        }
        if let s = String(validating: bytes, as: UTF8.self) { return (s, .utf8) }
        var scalars = String.UnicodeScalarView()
        for b in bytes {
            if b < 0x80 || b >= 0xA0 {
                scalars.append(Unicode.Scalar(b))
            } else {
                scalars.append(Unicode.Scalar(windows1252High[Int(b - 0x80)]) ?? "\u{FFFD}")
            }
        }
        return (String(scalars), .windows1252)
    }

    /// Code points for bytes 0x80–0x9F in Windows-1252 (0xFFFD where the code page leaves a byte undefined).
    static let windows1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]
}
