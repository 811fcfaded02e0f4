import Foundation
import Yams

/// Feedback themes and requests: each a label with keywords (matched at the start of a word, a space matching any run
/// of white space) and regular expressions, any case; `CommentCoder` matches comments against them. The default lives
/// in `data/reference/feedback-codebook.yaml`; a study's own codebook adds to it and replaces themes of the same name.
public struct Codebook: Sendable {
    /// One theme or request.
    public struct Entry: Sendable {
        /// Key (`being_checked`).
        public var name: String
        /// Label for people.
        public var label: String
        /// Source texts of the matchers, for results.json.
        public var keywords: [String]
        /// Regular expressions as written.
        public var patterns: [String]
        /// The codebook file the entry comes from, and its key there (`themes.being_checked`), for messages.
        public var file: String, keyPath: String
        /// Keywords lower-cased, with runs of white space as single spaces, as scalars.
        let wordScalars: [[Unicode.Scalar]]
        let matchers: [NSRegularExpressionBox]
    }

    /// Themes, in file order.
    public var themes: [Entry]
    /// Requests recorded against the change (counted explicitly, zero included).
    public var requests: [Entry]

    /// The default codebook.
    public static func standard() -> Codebook {
        // The built-in file is checked by the tests; it cannot fail to parse.
        try! parse(ReferenceData.feedbackCodebook, file: "data/reference/feedback-codebook.yaml")
    }

    /// Parses a codebook; problems are `ConfigurationError`s naming the key.
    public static func parse(_ text: String, file: String) throws -> Codebook {
        guard let node = try YAMLDocument.compose(text, file: file) else { throw ConfigurationError(file: file, keyPath: "", message: "is empty") }
        guard case .mapping(let root) = node else { throw ConfigurationError(file: file, keyPath: "", message: "expected a mapping with themes and requests") }
        for key in root.keys.compactMap(\.string) where !["version", "themes", "requests"].contains(key) {
            throw ConfigurationError(file: file, keyPath: key, message: "unknown key; expected version, themes, requests")
        }
        func entries(_ section: String) throws -> [Entry] {
            guard let value = root[Node(section)] else { return [] }
            guard case .mapping(let m) = value else { throw ConfigurationError(file: file, keyPath: section, line: value.mark?.line, message: "expected a mapping of names to entries") }
            return try m.map { key, body in
                let name = key.string ?? ""
                let at = "\(section).\(name)"
                guard case .mapping(let b) = body else { throw ConfigurationError(file: file, keyPath: at, line: body.mark?.line, message: "expected label, keywords and patterns") }
                for k in b.keys.compactMap(\.string) where !["label", "keywords", "patterns"].contains(k) {
                    throw ConfigurationError(file: file, keyPath: "\(at).\(k)", message: "unknown key; expected label, keywords, patterns")
                }
                let keywords = b[Node("keywords")]?.array().compactMap(\.string) ?? []
                let patterns = b[Node("patterns")]?.array().compactMap(\.string) ?? []
                guard !keywords.isEmpty || !patterns.isEmpty else {
                    throw ConfigurationError(file: file, keyPath: at, line: body.mark?.line, message: "needs keywords or patterns")
                }
                var matchers: [NSRegularExpressionBox] = []
                for (i, p) in patterns.enumerated() {
                    guard let r = try? NSRegularExpression(pattern: p, options: [.caseInsensitive]) else {
                        throw ConfigurationError(file: file, keyPath: "\(at).patterns[\(i)]", line: body.mark?.line, message: "is not a valid regular expression: \(p)")
                    }
                    matchers.append(NSRegularExpressionBox(r))
                }
                let words = keywords.map { $0.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
                return Entry(name: name, label: b[Node("label")]?.string ?? name, keywords: keywords, patterns: patterns,
                             file: file, keyPath: at, wordScalars: words.map { Array($0.unicodeScalars) }, matchers: matchers)
            }
        }
        return Codebook(themes: try entries("themes"), requests: try entries("requests"))
    }

    /// This codebook with `other`'s entries added (replacing those of the same name).
    public func merged(with other: Codebook) -> Codebook {
        func merge(_ a: [Entry], _ b: [Entry]) -> [Entry] {
            a.map { e in b.first { $0.name == e.name } ?? e } + b.filter { e in !a.contains { $0.name == e.name } }
        }
        return Codebook(themes: merge(themes, other.themes), requests: merge(requests, other.requests))
    }
}

/// A compiled regular expression that may be shared between threads (it is immutable once made).
struct NSRegularExpressionBox: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ r: NSRegularExpression) { regex = r }
}
