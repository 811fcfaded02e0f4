// libyaml's event parser, which Yams is built on (Yams gives no access to the event stream).
import CYaml
import Yams

/// Composes a YAML file (study.yaml, a codebook) into a node tree, refusing anchors and aliases.
///
/// An alias (`*name`) repeats the node its anchor (`&name`) marks. A file under 1 KB of nested aliases (a "billion
/// laughs") stands for more nodes than any machine could visit, and Yams visits all of them as soon as such an alias
/// is a mapping key (it hashes keys to find duplicates while composing). A study definition has no need of them, so
/// libyaml's event stream is read first, in time linear in the text, and the first anchor or alias is a
/// configuration error; only then is the text composed.
enum YAMLDocument {
    /// The root node of `text`, or `nil` for an empty document; `file` names it in messages.
    static func compose(_ text: String, file: String) throws -> Node? {
        try refuseAnchors(text, file: file)
        do {
            return try Yams.compose(yaml: text, YAMLDocument.resolver)
        } catch let error as YamlError {
            throw ConfigurationError(file: file, keyPath: "", line: StudyLoader.yamlErrorLine(error),
                                     message: "is not valid YAML: \(StudyLoader.yamlErrorText(error))")
        }
    }

    /// Tags worked out from plain scalars: booleans only. Each mapping key is hashed while composing (to refuse one
    /// given twice), and hashing a key works out its tag, one regular expression per rule: Yams' seven rules took a
    /// third of the time a study of 8,000 wards took to load. Nothing read from a study depends on the others (numbers
    /// and nulls are read from a scalar's text); `Bool` alone asks for its tag, so that a quoted `"yes"` stays a string.
    static let resolver = Resolver.basic.appending(.bool)

    /// Throws at the first anchor or alias event. Syntax errors are left for Yams to report in its own words.
    static func refuseAnchors(_ text: String, file: String) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                let name: UnsafeMutablePointer<yaml_char_t>?
                switch event.type {
                case YAML_STREAM_END_EVENT: return
                case YAML_ALIAS_EVENT: name = event.data.alias.anchor
                case YAML_SCALAR_EVENT: name = event.data.scalar.anchor
                case YAML_SEQUENCE_START_EVENT: name = event.data.sequence_start.anchor
                case YAML_MAPPING_START_EVENT: name = event.data.mapping_start.anchor
                default: name = nil
                }
                guard let name else { continue }
                let anchor = String(cString: name)
                throw ConfigurationError(
                    file: file, keyPath: "", line: Int(event.start_mark.line) + 1,
                    message: "uses YAML anchors and aliases (&\(anchor) and *\(anchor)), which \(file) does not accept; "
                        + "write each value out in full")
            }
        }
    }
}
