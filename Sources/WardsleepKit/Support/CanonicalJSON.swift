import Foundation

/// The canonical form of a JSON document, which a hash is computed over: the same bytes for the same values, however
/// the document was laid out or read back.
///
/// Compact (no white space); object members sorted by the UTF-8 bytes of their keys; strings escaped as wardsleep
/// writes them (`"` and `\` with a backslash, `\n`, `\r`, `\t`, other control characters as `\u00XX`, everything else
/// as it is, in UTF-8); numbers in their shortest round-trip decimal form, whole numbers (below 10¹⁵) without a decimal
/// point or exponent; `true`, `false` and `null` as they are.
extension JSONValue {
    /// The canonical text of this value.
    public func canonical() -> String {
        var out = ""
        writeCanonical(into: &out)
        return out
    }

    func writeCanonical(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += NumberFormat.json(Double(i))  // as it reads back
        case .double(let d): out += d.isFinite ? NumberFormat.json(d) : "null"
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeCanonical(into: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            let sorted = pairs.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            for (i, (key, value)) in sorted.enumerated() {
                if i > 0 { out += "," }
                JSONValue.quote(key, into: &out)
                out += ":"
                value.writeCanonical(into: &out)
            }
            out += "}"
        }
    }

    /// A value read by `JSONSerialization` (every number becomes `.double`, which the canonical form writes the same
    /// way as the integer it may have been); `nil` for anything else.
    public init?(foundation value: Any) {
        switch value {
        case is NSNull: self = .null
        case let s as String: self = .string(s)
        case let n as NSNumber: self = .double(n.doubleValue)
        case let b as Bool: self = .bool(b)
        case let a as [Any]:
            var items: [JSONValue] = []
            for x in a {
                guard let v = JSONValue(foundation: x) else { return nil }
                items.append(v)
            }
            self = .array(items)
        case let d as [String: Any]:
            var pairs: [(String, JSONValue)] = []
            for (k, x) in d {
                guard let v = JSONValue(foundation: x) else { return nil }
                pairs.append((k, v))
            }
            self = .object(pairs.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) })
        default: return nil
        }
    }

    /// The member `key` of an object, or `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// The same object without the member `key`.
    public func removing(_ key: String) -> JSONValue {
        guard case .object(let pairs) = self else { return self }
        return .object(pairs.filter { $0.0 != key })
    }
}
