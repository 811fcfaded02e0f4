/// Whether a regular expression may take time out of all proportion to the text it searches: a study's codebook is
/// its own text, and `(a+)+$` takes 2^n steps on n a's without a match, `a*a*a*b` n^3. Such a pattern is searched with
/// a time budget (`CommentCoder`), which costs a few times a plain search; every other pattern is searched plainly.
///
/// Risky, by the pattern's shape (a conservative reading: what is not understood counts as risky):
/// - a group repeated more than once (`*`, `+`, `{m,n}` with n > 1) that holds a quantifier or an alternation, the
///   shapes of exponential backtracking (`(a+)+`, `(a|ab)*`, `(a*b*)*`);
/// - more than one unbounded quantifier (`*`, `+`, `{m,}`) in the pattern, the shape of polynomial blow-up;
/// - bounded repeats and alternatives whose counts multiply past 10,000 (`.{0,200}.{0,200}`, forty `(?:a|a)` in a
///   row: 2^40 ways to read the same text), or past 5,000 beside an unbounded quantifier (`a{0,99}a{0,99}a*b`). Plain
///   words as alternatives (`(bring|put|get)`) count only as often as one is a prefix of another, since at most those
///   can match at the same place;
/// - a back-reference, quoting (`\Q`), or a group syntax other than `(?:`, `(?i)`-style flags, lookaround.
enum BacktrackingRisk {
    /// Whether `pattern` is risky.
    static func isRisky(_ pattern: String) -> Bool {
        let p = Array(pattern.unicodeScalars)
        var i = 0
        // For each open group: whether it holds a quantifier or an alternation so far, and where its alternatives start.
        var groups: [Bool] = []
        var alternatives: [[Int]] = []
        var unbounded = 0
        var boundProduct = 1
        /// The quantifier at `j`, if any: (its upper bound, nil when unbounded; its length).
        func quantifier(at j: Int) -> (upper: Int?, length: Int)? {
            guard j < p.count else { return nil }
            var length = 0, upper: Int?
            switch p[j] {
            case "*", "+": upper = nil; length = 1
            case "?": upper = 1; length = 1
            case "{":
                var k = j + 1, text = ""
                while k < p.count, p[k] != "}" { text.unicodeScalars.append(p[k]); k += 1 }
                guard k < p.count else { return nil }  // a literal brace
                let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                guard (1...2).contains(parts.count), let low = Int(parts[0]) else { return nil }
                if parts.count == 1 { upper = low } else if parts[1].isEmpty { upper = nil } else {
                    guard let high = Int(parts[1]) else { return nil }
                    upper = high
                }
                length = k - j + 1
            default: return nil
            }
            // A lazy or possessive mark belongs to the quantifier.
            if j + length < p.count, p[j + length] == "?" || p[j + length] == "+" { length += 1 }
            return (upper, length)
        }
        func noteQuantifier(_ q: (upper: Int?, length: Int)) -> Bool {
            if q.upper == nil { unbounded += 1 } else if let u = q.upper, u > 1 {
                boundProduct = boundProduct > 10_000 / max(u, 1) ? 10_001 : boundProduct * u
            }
            if !groups.isEmpty { groups[groups.count - 1] = true }
            return tooMany()
        }
        func multiply(_ n: Int) -> Bool {
            boundProduct = boundProduct > 10_000 / max(n, 1) ? 10_001 : boundProduct * n
            return tooMany()
        }
        func tooMany() -> Bool { unbounded > 1 || boundProduct > 10_000 || (unbounded == 1 && boundProduct > 5_000) }
        /// How many of a group's alternatives can match at one place: all of them, unless all are plain words.
        func ways(_ starts: [Int], end: Int) -> Int {
            let texts = starts.indices.map { k in Array(p[starts[k]..<(k + 1 < starts.count ? starts[k + 1] - 1 : end)]) }
            guard texts.allSatisfy({ $0.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == " " } }) else {
                return texts.count
            }
            var n = 1
            for a in texts.indices { for b in texts.indices where a != b && texts[b].starts(with: texts[a]) { n += 1 } }
            return n
        }
        while i < p.count {
            let c = p[i]
            switch c {
            case "\\":
                guard i + 1 < p.count else { return true }
                let e = p[i + 1]
                if e == "Q" || e == "k" || ("1"..."9").contains(e) { return true }
                i += 2
            case "[":
                // A class is one atom: skip to its closing bracket (a leading ] or ^] is literal; escapes skipped).
                var k = i + 1
                if k < p.count, p[k] == "^" { k += 1 }
                if k < p.count, p[k] == "]" { k += 1 }
                var depth = 1
                while k < p.count, depth > 0 {
                    if p[k] == "\\" { k += 2; continue }
                    if p[k] == "[" { depth += 1 } else if p[k] == "]" { depth -= 1 }
                    k += 1
                }
                guard depth == 0 else { return true }
                i = k
            case "(":
                if i + 1 < p.count, p[i + 1] == "?" {
                    // (?: and lookaround open groups; (?i) and (?i: are flags.
                    var k = i + 2
                    if k < p.count, p[k] == ":" || p[k] == "=" || p[k] == "!" {
                        i = k + 1
                    } else if k + 1 < p.count, p[k] == "<", p[k + 1] == "=" || p[k + 1] == "!" {
                        i = k + 2
                    } else {
                        while k < p.count, p[k].properties.isAlphabetic || p[k] == "-" { k += 1 }
                        guard k < p.count else { return true }
                        if p[k] == ")" { i = k + 1; continue }  // a flag setting, no group
                        guard p[k] == ":" else { return true }  // named groups and the rest: not understood
                        i = k + 1
                    }
                } else {
                    i += 1
                }
                groups.append(false)
                alternatives.append([i])
                continue
            case ")":
                guard let holds = groups.popLast(), let starts = alternatives.popLast() else { return true }
                if starts.count > 1, multiply(ways(starts, end: i)) { return true }
                i += 1
                if let q = quantifier(at: i) {
                    if holds && q.upper != 1 { return true }
                    if noteQuantifier(q) { return true }
                    i += q.length
                }
                // What a group holds, its enclosing group holds too.
                if holds, !groups.isEmpty { groups[groups.count - 1] = true }
                continue
            case "|":
                if !groups.isEmpty {
                    groups[groups.count - 1] = true
                    alternatives[alternatives.count - 1].append(i + 1)
                }
                i += 1
                continue
            default:
                i += 1
            }
            // After an atom: its quantifier, if any.
            if let q = quantifier(at: i) {
                if noteQuantifier(q) { return true }
                i += q.length
            }
        }
        return !groups.isEmpty
    }
}
