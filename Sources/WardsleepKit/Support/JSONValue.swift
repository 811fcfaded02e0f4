import Foundation

/// A JSON document with keys kept in the order they were written, rendered byte-for-byte the same every time.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }

    /// Pretty-printed with two-space indentation and a final newline.
    public func rendered() -> String {
        var out = ""
        write(into: &out, indent: 0, flush: { _ in })
        out += "\n"
        return out
    }

    /// An object whose values are built one at a time, each as it is written and let go after, handed to `emit` in
    /// pieces of about 64 KiB (the last ends with the final newline): the same text as `.object` of the built values,
    /// rendered, without the whole text, or every value, held at once.
    public static func streamObject(_ pairs: [(String, () -> JSONValue)], _ emit: (String) throws -> Void) throws {
        var out = ""
        out.reserveCapacity(piece + 4096)
        func flush(_ text: inout String) throws {
            if text.utf8.count >= piece {
                try emit(text)
                text.removeAll(keepingCapacity: true)
            }
        }
        try writeObject(count: pairs.count, key: { pairs[$0].0 }, value: { pairs[$0].1() }, into: &out, indent: 0, flush: flush)
        out += "\n"
        try emit(out)
    }

    /// The size of a piece `streamObject` hands on.
    static let piece = 1 << 16

    func write(into out: inout String, indent: Int, flush: (inout String) throws -> Void) rethrows {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? NumberFormat.json(d) : "null"
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                try item.write(into: &out, indent: indent + 1, flush: flush)
                out += i == items.count - 1 ? "\n" : ",\n"
                try flush(&out)
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let pairs):
            try JSONValue.writeObject(count: pairs.count, key: { pairs[$0].0 }, value: { pairs[$0].1 }, into: &out, indent: indent,
                                      flush: flush)
        }
    }

    /// An object of `count` members, the value of each got from `value` as it is written (built then, by `streamObject`).
    private static func writeObject(count: Int, key: (Int) -> String, value: (Int) -> JSONValue, into out: inout String, indent: Int,
                                    flush: (inout String) throws -> Void) rethrows {
        if count == 0 { out += "{}"; return }
        out += "{\n"
        for i in 0..<count {
            out += String(repeating: "  ", count: indent + 1)
            quote(key(i), into: &out)
            out += ": "
            try value(i).write(into: &out, indent: indent + 1, flush: flush)
            out += i == count - 1 ? "\n" : ",\n"
            try flush(&out)
        }
        out += String(repeating: "  ", count: indent) + "}"
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        // Nearly every string needs no escape (no quote, backslash or control byte; bytes of 0x80 and up are the
        // parts of scalars copied as they are): appended whole, rather than a scalar at a time.
        if !s.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// Number formatting that never depends on the locale.
public enum NumberFormat {
    /// Shortest text that reads back as the same Double (`0.1`, `1e-07`); integers without a fraction.
    public static func json(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return "\(d)"
    }

    /// Machine-readable: shortest round-trip text, `Inf` for infinity, empty for a missing value.
    public static func machine(_ d: Double?) -> String {
        guard let d else { return "" }
        if d.isInfinite { return d > 0 ? "Inf" : "-Inf" }
        if d.isNaN { return "" }
        return json(d)
    }

    /// A whole number with thousands separators: `3178` → `3,178`.
    public static func grouped(_ n: Int) -> String {
        let digits = group(String(n.magnitude)[...])
        return n < 0 ? "-" + digits : digits
    }

    /// Digits with a comma before each group of three from the right.
    private static func group(_ digits: Substring) -> String {
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return out
    }

    /// For a reader: `fixed`, with the whole part grouped in thousands as counts are (`12,345.68`).
    public static func readable(_ d: Double, _ decimals: Int) -> String {
        let s = fixed(d, decimals)
        guard d.isFinite else { return s }
        let negative = s.hasPrefix("-")
        let body = negative ? s.dropFirst() : s[...]
        let whole = body.prefix { $0 != "." }
        return (negative ? "-" : "") + group(whole) + body.dropFirst(whole.count)
    }

    /// Fixed decimals, correctly rounded from the binary value (C's `%.*f`, never locale-dependent); no negative zero.
    public static func fixed(_ d: Double, _ decimals: Int) -> String {
        guard d.isFinite else { return d.isNaN ? "NA" : (d > 0 ? "Inf" : "-Inf") }
        let s = String(format: "%.\(decimals)f", d)
        return s.hasPrefix("-") && s.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(s.dropFirst()) : s
    }
}

extension JSONValue {
    /// A number that may be missing or infinite: `null`, the string `Inf` or `-Inf`, or the number.
    public static func number(_ d: Double?) -> JSONValue {
        guard let d else { return .null }
        return d.isInfinite ? .string(d > 0 ? "Inf" : "-Inf") : .double(d)
    }
}
