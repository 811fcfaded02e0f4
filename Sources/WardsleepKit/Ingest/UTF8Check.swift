/// Whether bytes are valid UTF-8 (shortest forms, no surrogates, nothing above U+10FFFF), checked in place without
/// allocating, thirty-two or eight ASCII bytes at a time: the file-level encoding the tally reports comes from every
/// byte of the file, not only from the fields that happened to be decoded as text.
enum UTF8Check {
    static func isValid(_ bytes: some FieldByteCollection) -> Bool {
        bytes.withFieldBuffer { buffer -> Bool in
            let raw = UnsafeRawBufferPointer(buffer)
            var i = 0
            let n = raw.count
            while i < n {
                // 32 ASCII bytes at a time, the four words tested together.
                if i + 32 <= n,
                   (raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) & 0x8080_8080_8080_8080 == 0 {
                    i += 32
                    continue
                }
                if i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
                let b = raw[i]
                if b < 0x80 { i += 1; continue }
                let (length, lowest, first): (Int, UInt32, UInt32)
                if b & 0xE0 == 0xC0 { (length, lowest, first) = (2, 0x80, UInt32(b & 0x1F)) }
                else if b & 0xF0 == 0xE0 { (length, lowest, first) = (3, 0x800, UInt32(b & 0x0F)) }
                else if b & 0xF8 == 0xF0 { (length, lowest, first) = (4, 0x10000, UInt32(b & 0x07)) }
                else { return false }
                guard i + length <= n else { return false }
                var scalar = first
                for k in 1..<length {
                    let c = raw[i + k]
                    guard c & 0xC0 == 0x80 else { return false }
                    scalar = scalar << 6 | UInt32(c & 0x3F)
                }
                guard scalar >= lowest, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
                i += length
            }
            return true
        }
    }
}
