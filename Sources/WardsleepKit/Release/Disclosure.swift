/// Small-number suppression, applied once, just before a releasable output is written (SPEC §5).
///
/// Counts from 1 to `suppressAtOrBelow` are shown as `*`; other counts are rounded to the nearest `roundTo`
/// (halves upwards); zero stays zero. Anything derived from a count (a rate, a percentage) must be recomputed from
/// the published count, never from the exact one.
public enum Disclosure {
    /// What a published count shows.
    public enum Published: Equatable, Sendable, CustomStringConvertible {
        /// Suppressed: shown as `*`.
        case suppressed
        /// Shown, already rounded.
        case value(Int)

        public var description: String {
            switch self {
            case .suppressed: return "*"
            case .value(let v): return String(v)
            }
        }

        /// The published number, if not suppressed.
        public var number: Int? { if case .value(let v) = self { return v } else { return nil } }
    }

    /// The published form of a count.
    public static func publish(_ count: Int, policy: DisclosurePolicy) -> Published {
        if count == 0 { return .value(0) }
        if count > 0 && count <= policy.suppressAtOrBelow { return .suppressed }
        let r = max(1, policy.roundTo)
        return .value((count + r / 2) / r * r)
    }

    /// The counts a published value stands for, the inverse of `publish`: zero for zero, 1 to the threshold for `*`,
    /// and for a rounded count those above the threshold that round to it.
    public static func range(of published: Published, policy: DisclosurePolicy) -> ClosedRange<Int> {
        switch published {
        case .suppressed: return 1...max(1, policy.suppressAtOrBelow)
        case .value(0): return 0...0
        case .value(let v):
            let r = max(1, policy.roundTo)
            return max(policy.suppressAtOrBelow + 1, v - r / 2)...(v + (r - 1) - r / 2)
        }
    }

    /// The note every published table carries; `secondary` when counts may also be withheld to protect a small one
    /// (`SecondarySuppression`: a study's or a pooled report; not row counts).
    public static func note(_ policy: DisclosurePolicy, secondary: Bool = true) -> String {
        "Counts from 1 to \(policy.suppressAtOrBelow) are shown as *"
            + (secondary ? ", as is a count withheld so that none of those, and no rounded count exactly, can be worked out from the "
                + "others," : "")
            + " and other counts are rounded to the nearest \(policy.roundTo); figures derived from counts are recomputed from "
            + "the published counts."
    }
}

/// Whether an output may leave the trust.
public enum Sensitivity: String, Sendable, Codable {
    /// Disclosure-controlled aggregate output.
    case releasable
    /// Exact counts or row-level detail: stays inside the organisation.
    case restricted
}
