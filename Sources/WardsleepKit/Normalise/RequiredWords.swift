/// Words a regular expression cannot match without: a cheap test that lets most comments skip the regular-expression
/// engine. For a pattern it returns sets of ASCII words, lower-cased; a text the pattern matches (any case) contains
/// at least one word of every set. Only what is certain is claimed: any construct not understood here makes the
/// pattern claim nothing (an empty list), and the engine runs on every comment as before.
///
/// Understood: literal letters, digits, spaces and escaped punctuation; `.`, classes `[...]` and one-character escapes
/// (`\b`, `\w`, `\s` …) as atoms that require nothing; quantifiers `?`, `*`, `+`, `{m,n}` (lazy or possessive);
/// groups `(...)`, `(?:...)` and flag groups `(?i)`. A group whose alternatives each start with a plain word gives a
/// set of those words (`(checks?|obs)` → `check`, `obs`), joined to the literal text around it when each alternative
/// is its word alone (`(bring|put) back` → `bring back`, `put back`; `go(ing)? back` → `go back`, `going back`). A
/// whole-pattern alternation claims nothing.
enum RequiredWords {
    /// The word sets `pattern` requires (empty: nothing certain).
    static func of(_ pattern: String) -> [[String]] {
        // Quoting (\Q…\E) and extended mode anywhere, even inside a group, change how the rest reads: claim nothing.
        guard !pattern.contains(#"\Q"#), pattern.range(of: #"\(\?[a-zA-Z-]*x"#, options: .regularExpression) == nil,
              let items = items(Array(pattern.unicodeScalars)[...]) else { return [] }
        var sets: [[String]] = []
        // The text every match holds here, one alternative of which occurs: consecutive required literal characters,
        // and the words of groups among them (`(bring|put) back` → `bring back` or `put back`; `go(ing)? back` →
        // `go back` or `going back`).
        var runs = [""]
        func endRun() {
            let words = Array(Set(runs)).sorted()
            if words.allSatisfy({ $0.count >= 3 }) { sets.append(words) }
            runs = [""]
        }
        /// Each run followed by each of `words`; `nil` when that would make more than `mostRuns` alternatives.
        func extended(by words: [String]) -> [String]? {
            guard runs.count * words.count <= mostRuns else { return nil }
            return runs.flatMap { r in words.map { r + $0 } }
        }
        for item in items {
            switch item {
            case .literal(let c, let required, let repeats):
                guard required else { endRun(); continue }
                runs = runs.map { $0 + String(c) }
                if repeats { endRun() }  // "ab+" requires "ab", and nothing about what follows the b's
            case .group(let words, let whole, let required, let repeats):
                guard let words else { endRun(); continue }
                if required {
                    // A word known only by its start (`checks?` → `check`), or a group that may repeat, ends the run.
                    if let longer = extended(by: words) { runs = longer } else { endRun(); runs = words }
                    if !whole || repeats { endRun() }
                } else if whole && !repeats, let longer = extended(by: [""] + words) {
                    runs = longer  // `(ing)?`: absent, or one of its words
                } else {
                    endRun()
                }
            case .other:
                endRun()
            }
        }
        endRun()
        return sets
    }

    /// The most alternatives a run of required text is followed through (past it, a run ends where it is).
    static let mostRuns = 16

    private enum Item {
        /// A literal character (lower-cased); `required` when it must occur, `repeats` when it may occur more than once.
        case literal(Unicode.Scalar, required: Bool, repeats: Bool)
        /// A group; `words` when every alternative starts with a plain word of at least one character (the word, up to
        /// its first character that may be absent or anything else: `checks?` → `check`), `whole` when every
        /// alternative is that word alone; `required` when it must occur, `repeats` when it may occur more than once.
        case group(words: [String]?, whole: Bool, required: Bool, repeats: Bool)
        /// Anything that requires nothing known.
        case other
    }

    private static let meta = Set("\\^$.|?*+()[]{}".unicodeScalars)

    /// The pattern's top-level items, or `nil` when it holds anything not understood (or a top-level `|`).
    private static func items(_ p: ArraySlice<Unicode.Scalar>) -> [Item]? {
        var out: [Item] = []
        var i = p.startIndex
        while i < p.endIndex {
            let c = p[i]
            var item: Item
            switch c {
            case "|":
                return nil
            case "\\":
                guard i + 1 < p.endIndex else { return nil }
                let e = p[i + 1]
                i += 2
                if e.isASCII && !e.properties.isAlphabetic && !("0"..."9").contains(e) {
                    item = .literal(lowered(e), required: true, repeats: false)
                } else if "bBwWsSdDhHvV".unicodeScalars.contains(e) {
                    item = .other
                } else {
                    return nil  // \Q, \x, \p, back-references …: not read here
                }
            case "[":
                guard let end = classEnd(p, from: i) else { return nil }
                i = end
                item = .other
            case "(":
                guard let (end, inner, kind) = group(p, from: i) else { return nil }
                i = end
                switch kind {
                case .flags: continue  // (?i): applies a flag, matches nothing
                case .lookaround: item = .other
                case .capture:
                    let known = words(inner)
                    item = .group(words: known?.words, whole: known?.whole ?? false, required: true, repeats: false)
                }
            case ".", "^", "$":
                i += 1
                item = .other
            case "*", "+", "?", "{", ")", "]", "}":
                return nil  // a quantifier with nothing before it, or an unbalanced bracket
            default:
                guard c.isASCII else { return nil }
                i += 1
                item = .literal(lowered(c), required: true, repeats: false)
            }
            // A quantifier after the atom.
            if i < p.endIndex, let (end, minimum, maximum) = quantifier(p, from: i) {
                i = end
                let required = minimum > 0, repeats = maximum != 1
                switch item {
                case .literal(let c, let was, _): item = .literal(c, required: was && required, repeats: repeats || !required)
                case .group(let w, let whole, let was, _): item = .group(words: w, whole: whole, required: was && required, repeats: repeats)
                case .other: break
                }
            }
            out.append(item)
        }
        return out
    }

    private static func lowered(_ c: Unicode.Scalar) -> Unicode.Scalar {
        c.isASCII && ("A"..."Z").contains(c) ? Unicode.Scalar(c.value | 0x20)! : c
    }

    /// The quantifier starting at `i`, if one does: where it ends and its least and greatest counts (`nil`: no limit).
    private static func quantifier(_ p: ArraySlice<Unicode.Scalar>, from i: Int) -> (Int, Int, Int?)? {
        var j = i
        let range: (Int, Int?)
        switch p[j] {
        case "?": range = (0, 1); j += 1
        case "*": range = (0, nil); j += 1
        case "+": range = (1, nil); j += 1
        case "{":
            guard let close = p[j...].firstIndex(of: "}") else { return nil }
            let body = String(String.UnicodeScalarView(p[(j + 1)..<close]))
            let parts = body.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let lo = Int(parts[0]) else { return nil }
            let hi = parts.count == 1 ? lo : (parts[1].isEmpty ? nil : Int(parts[1]))
            if parts.count == 2 && !parts[1].isEmpty && hi == nil { return nil }
            range = (lo, hi)
            j = close + 1
        default: return nil
        }
        if j < p.endIndex, p[j] == "?" || p[j] == "+" { j += 1 }  // lazy or possessive
        return (j, range.0, range.1)
    }

    /// Where the class starting at `i` ends (just after its `]`), or `nil` for a nested class or a missing `]`.
    private static func classEnd(_ p: ArraySlice<Unicode.Scalar>, from i: Int) -> Int? {
        var j = i + 1
        if j < p.endIndex, p[j] == "^" { j += 1 }
        if j < p.endIndex, p[j] == "]" { j += 1 }  // a ] first is a literal
        while j < p.endIndex {
            switch p[j] {
            case "\\": j += 2
            case "[": return nil
            case "]": return j + 1
            default: j += 1
            }
        }
        return nil
    }

    private enum GroupKind { case capture, flags, lookaround }

    /// The group starting at `i`: where it ends (after its `)`), its contents and what kind it is; `nil` for kinds not
    /// read here (named groups, comments, extended mode) or an unbalanced group.
    private static func group(_ p: ArraySlice<Unicode.Scalar>, from i: Int) -> (Int, ArraySlice<Unicode.Scalar>, GroupKind)? {
        var depth = 0, j = i
        var close: Int?
        while j < p.endIndex {
            switch p[j] {
            case "\\": j += 2; continue
            case "[":
                guard let end = classEnd(p, from: j) else { return nil }
                j = end
                continue
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { close = j }
            default: break
            }
            if close != nil { break }
            j += 1
        }
        guard let close else { return nil }
        var start = i + 1
        var kind = GroupKind.capture
        if start < close, p[start] == "?" {
            guard start + 1 < close else { return nil }
            let next = p[start + 1]
            if next == ":" {
                start += 2
            } else if next == "=" || next == "!" {
                kind = .lookaround
            } else if next == "<", start + 2 < close, p[start + 2] == "=" || p[start + 2] == "!" {
                kind = .lookaround
            } else {
                // Flags, as in (?i) or (?-i): letters i, m, s, w and a minus only; x (extended) changes how the
                // pattern reads, and a flag group with a colon has contents.
                let flags = p[(start + 1)..<close]
                guard flags.allSatisfy({ "imsw-".unicodeScalars.contains($0) }) else { return nil }
                kind = .flags
            }
        }
        // The contents must themselves be understood (a nested construct not read here makes the group claim nothing,
        // but its extent is still known).
        return (close + 1, p[start..<close], kind)
    }

    /// The alternatives of a group's contents, each as the plain word it starts with (letters, digits, spaces,
    /// lower-cased), up to its first character that may be absent (`s?`, `s*`, `s{0,2}`; `s+` ends the word after it)
    /// or that is not plain; `whole` when every alternative is its word alone. `nil` when an alternative starts with
    /// nothing plain.
    private static func words(_ inner: ArraySlice<Unicode.Scalar>) -> (words: [String], whole: Bool)? {
        let alternatives = inner.split(separator: "|", omittingEmptySubsequences: false)
        var out: [String] = [], whole = true
        for a in alternatives {
            var word = "", i = a.startIndex
            while i < a.endIndex {
                let c = a[i]
                guard c.isASCII, !meta.contains(c), c.properties.isAlphabetic || ("0"..."9").contains(c) || c == " " else { break }
                if i + 1 < a.endIndex, let (end, minimum, maximum) = quantifier(a, from: i + 1) {
                    if minimum > 0 { word.unicodeScalars.append(lowered(c)) }
                    if minimum == 0 || maximum != 1 { break }
                    i = end  // `{1}` (exactly once): the character, and the word goes on after the quantifier
                    continue
                }
                word.unicodeScalars.append(lowered(c))
                i += 1
            }
            guard !word.isEmpty else { return nil }
            if i < a.endIndex || word.unicodeScalars.count != a.count { whole = false }
            out.append(word)
        }
        return (out, whole)
    }
}
