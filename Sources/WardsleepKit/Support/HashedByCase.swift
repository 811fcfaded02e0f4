/// An enum with raw values, hashed by its case rather than through its raw value.
///
/// Swift gives an enum with raw values `RawRepresentable`'s `hash(into:)`, which makes the raw value (a `String` here)
/// and hashes its bytes. These enums are parts of the keys that per-row tables look up (a period, a time window, a
/// product's form), so each lookup paid for a string. An enum without payloads is stored as its case's number, in one
/// byte (none at all for a single case), and that byte is what is hashed: equal values have equal bytes.
public protocol HashedByCase: RawRepresentable, Hashable {}

extension HashedByCase where RawValue: Hashable {
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: self) { hasher.combine($0.first ?? 0) }
    }
}
