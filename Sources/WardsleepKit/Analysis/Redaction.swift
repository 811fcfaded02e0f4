import Foundation

/// Removes what could identify a person from a feedback quote before it is published: the names the study lists,
/// NHS numbers, telephone numbers, dates (of birth or otherwise) and e-mail addresses.
public struct Redactor: Sendable {
    let names: [NSRegularExpressionBox]
    static let rules: [(NSRegularExpressionBox, String)] = [
        (#"\b(?:DOB|D\.O\.B\.?|date of birth)\s*:?\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"#, "[date of birth]"),
        (#"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#, "[email]"),
        (#"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b"#, "[NHS number]"),
        (#"(?:\+44\s?\(?0?\)?\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"#, "[phone]"),
        (#"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"#, "[date]"),
        (#"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}\b"#, "[date]"),
    ].map { (NSRegularExpressionBox(try! NSRegularExpression(pattern: $0.0, options: [.caseInsensitive])), $0.1) }

    /// Creates a redactor that also removes the given person names (whole words, any case).
    public init(names: [String]) {
        self.names = names.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map {
            NSRegularExpressionBox(try! NSRegularExpression(
                pattern: "\\b" + NSRegularExpression.escapedPattern(for: $0.trimmingCharacters(in: .whitespaces)) + "\\b",
                options: [.caseInsensitive]))
        }
    }

    /// The text with identifying details replaced by `[name]`, `[NHS number]`, `[phone]`, `[date]`, `[email]`.
    public func redact(_ text: String) -> String {
        var s = text
        for (rule, replacement) in Redactor.rules {
            s = rule.regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: replacement)
        }
        for name in names {
            s = name.regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "[name]")
        }
        return s
    }
}
