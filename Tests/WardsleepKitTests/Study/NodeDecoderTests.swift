import Testing
import Yams
@testable import WardsleepKit

/// The study.yaml decoder: what it decodes keeps none of the node tree's storage (see `NodeDecoding.detached`).
@Suite struct NodeDecoderTests {
    struct Ward: Decodable { var id: String; var type: String; var aliases: [String: String] }

    /// The first byte of a string's own storage; `nil` for text held inline (15 bytes or fewer).
    static func storage(_ text: String) -> UnsafeRawPointer? {
        guard text.utf8.count > 15 else { return nil }
        return text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    /// Every scalar's text in the tree, keys included.
    static func scalars(_ node: Node) -> [String] {
        switch node {
        case .scalar(let s): return [s.string]
        case .mapping(let m): return m.flatMap { scalars($0.key) + scalars($0.value) }
        case .sequence(let s): return s.flatMap(scalars)
        case .alias: return []
        }
    }

    @Test func decodedTextIsCopiedOutOfTheTreeSoTheTreeIsFreedWhole() throws {
        let yaml = """
            - { id: W00001, type: neurorehabilitation, aliases: { "Ward One (older adults' unit)": "an alias longer than 15 bytes" } }
            - { id: W00002, type: acute, aliases: {} }
            """
        let node = try #require(try YAMLDocument.compose(yaml, file: "study.yaml"))
        let wards = try NodeDecoder.decode([Ward].self, from: node)
        #expect(wards.map(\.type) == ["neurorehabilitation", "acute"])
        #expect(wards[0].aliases == ["Ward One (older adults' unit)": "an alias longer than 15 bytes"])

        let treeStorage = Set(Self.scalars(node).compactMap(Self.storage))
        #expect(treeStorage.count == 3)  // the long type, the alias key and its value
        let decoded = [wards[0].type] + wards[0].aliases.keys + wards[0].aliases.values
        for text in decoded {
            let own = try #require(Self.storage(text))
            #expect(!treeStorage.contains(own), "\"\(text)\" still uses the tree's storage")
        }
        #expect(NodeDecoding.detached("acute") == "acute" && NodeDecoding.detached("neurorehabilitation ✓") == "neurorehabilitation ✓")
    }

    /// study.yaml is composed with a resolver that works out booleans only (`YAMLDocument.resolver`); every scalar reads
    /// as it did with Yams' full set of rules: the same booleans, numbers, nulls and strings, quoted or plain.
    @Test func scalarsReadAsWithEveryTagRule() throws {
        let texts = ["true", "True", "TRUE", "yes", "No", "on", "off", "y", "n", "1", "0", "16", "-3", "+4", "7.5", "1e3", ".inf",
                     "-.inf", ".nan", "null", "Null", "~", "", "0x1F", "0o17", "1_000", "1:30", "2019-01-01", "12:30", "abc", "A1",
                     "\"true\"", "'yes'", "\"16\"", "'7.5'", "\"null\"", "''", "\"\"", "!!str 16", "!!bool yes", "!!int 7"]
        func read(_ node: Node?) -> [String] {
            guard let value = node?.mapping?["v"] else { return ["no value"] }
            return [(try? NodeDecoder.decode(Bool.self, from: value)).map { "\($0)" } ?? "-",
                    (try? NodeDecoder.decode(Int.self, from: value)).map { "\($0)" } ?? "-",
                    (try? NodeDecoder.decode(Double.self, from: value)).map { "\($0)" } ?? "-",
                    (try? NodeDecoder.decode(String.self, from: value)) ?? "-",
                    (try? NodeDecoder.decode(Int?.self, from: value)).map { "\(String(describing: $0))" } ?? "-"]
        }
        for text in texts {
            let yaml = "v: \(text)\n"
            #expect(read(try YAMLDocument.compose(yaml, file: "study.yaml")) == read(try Yams.compose(yaml: yaml)), "v: \(text)")
        }
        #expect(try NodeDecoder.decode(Bool.self, from: #require(try YAMLDocument.compose("yes", file: "study.yaml"))) == true)
        #expect((try? NodeDecoder.decode(Bool.self, from: #require(try YAMLDocument.compose("'yes'", file: "study.yaml")))) == nil)
        // A key given twice is still refused.
        #expect(throws: Error.self) { try YAMLDocument.compose("a: 1\na: 2\n", file: "study.yaml") }
    }
}
