import Foundation
import Yams

/// Decodes a `Decodable` value from a composed YAML node tree in time linear in the size of the tree.
///
/// Yams' own decoder looks each key up by scanning the mapping, so decoding a mapping of n entries (a `categories`
/// list of 40,000 labels) takes n² steps. This one indexes each mapping once (Yams' composer has already refused a key
/// given twice). Scalars are read with Yams' own constructors, so values mean what they meant before.
enum NodeDecoder {
    /// The value of `type` the node holds.
    static func decode<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
        try NodeDecoding(node: node, codingPath: []).decodeValue(type)
    }
}

/// The `Decoder` for one node.
struct NodeDecoding: Decoder, SingleValueDecodingContainer {
    let node: Node
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch(_ type: Any.Type) -> DecodingError {
        let found: String
        switch node {
        case .scalar(let s): found = "\"\(s.string)\""
        case .mapping: found = "a mapping"
        case .sequence: found = "a list"
        case .alias: found = "an alias"
        }
        return DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \(found)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else { throw mismatch([String: String].self) }
        return KeyedDecodingContainer(try NodeKeyedContainer<Key>(mapping: mapping, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else { throw mismatch([String].self) }
        return NodeUnkeyedContainer(items: Array(sequence), codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { self }

    /// YAML's null (`~`, `null`, an empty value), as Yams resolves it.
    func decodeNil() -> Bool { node.null != nil }

    /// A scalar through Yams' constructor for its type, anything else through its own `init(from:)`.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if let constructible = type as? ScalarConstructible.Type {
            guard case .scalar(let scalar) = node, let value = constructible.construct(from: scalar) as? T else { throw mismatch(type) }
            if let text = value as? String, let copy = NodeDecoding.detached(text) as? T { return copy }
            return value
        }
        return try T(from: self)
    }

    /// `text` in storage of its own, so that what is decoded does not keep the tree's text alive.
    ///
    /// A scalar's text is stored among the tree's nodes. A decoded value that kept it (a ward type such as
    /// `neurorehabilitation`, a ward name longer than 15 bytes) would pin it there once the tree is freed, and the tree's
    /// memory would be left in pieces of a few kilobytes between such strings: too small for a chunk's records, so the
    /// heap would grow past them. A copy is made while the tree is still whole, so it is placed past the tree, and the
    /// tree's memory comes back in one piece. For a study of 8,224 wards, a quarter of them with a type of more than 15
    /// bytes, that is 15 MB (the census benchmark's `run`: 67 → 57 MiB). Text of up to 15 bytes is held inline and
    /// has no storage to copy.
    static func detached(_ text: String) -> String {
        let count = text.utf8.count
        guard count > 15 else { return text }
        return String(unsafeUninitializedCapacity: count) { buffer in
            _ = buffer.initialize(from: text.utf8)
            return count
        }
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
    func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
    func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
    func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
    func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
    func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }
}

/// A mapping indexed once by key text.
struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let codingPath: [CodingKey]
    let values: [String: Node]
    let order: [String]

    init(mapping: Node.Mapping, codingPath: [CodingKey]) throws {
        self.codingPath = codingPath
        var values: [String: Node] = [:], order: [String] = []
        values.reserveCapacity(mapping.count)
        for (key, value) in mapping {
            guard case .scalar(let k) = key else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "a key must be text, not a list or a mapping"))
            }
            if values.updateValue(value, forKey: k.string) == nil { order.append(k.string) }
        }
        self.values = values
        self.order = order
    }

    var allKeys: [Key] { order.compactMap { Key(stringValue: NodeDecoding.detached($0)) } }

    func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

    func child(_ key: Key) throws -> NodeDecoding {
        guard let node = values[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
        }
        return NodeDecoding(node: node, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { try child(key).decodeNil() }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decodeValue(type) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).decodeValue(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(key).decodeValue(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(key).decodeValue(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try child(key).decodeValue(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(key).decodeValue(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try child(key).decodeValue(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try child(key).decodeValue(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try child(key).decodeValue(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).decodeValue(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try child(key).decodeValue(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try child(key).decodeValue(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try child(key).decodeValue(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try child(key).decodeValue(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try child(key).decodeValue(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
    func superDecoder() throws -> Decoder {
        guard let key = Key(stringValue: "super") else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "no super key"))
        }
        return try child(key)
    }
    func superDecoder(forKey key: Key) throws -> Decoder { try child(key) }
}

/// A sequence read in order.
struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let items: [Node]
    let codingPath: [CodingKey]
    var currentIndex = 0

    init(items: [Node], codingPath: [CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> NodeDecoding {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath + [AnyCodingKey(intValue: currentIndex)],
                                                              debugDescription: "the list has no more items"))
        }
        defer { currentIndex += 1 }
        return NodeDecoding(node: items[currentIndex], codingPath: codingPath + [AnyCodingKey(intValue: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, NodeDecoding(node: items[currentIndex], codingPath: codingPath).decodeNil() else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> Decoder { try next() }
}
