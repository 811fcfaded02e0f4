/// The largest values wardsleep accepts for counts, quantities and strengths, far above anything real and far below
/// anything that could overflow. A value past its limit is a configuration error (study.yaml) or a quarantined row
/// (exports), with a message naming the limit.
///
/// Why sums cannot overflow once values are bounded: a total is at most (rows read) × (limit per row). With the largest
/// per-row limit, 1,000,000, an `Int` total (up to 9.2 × 10¹⁸) would need more than 9 × 10¹² rows, and a `Double` total
/// stays an exact whole number (up to 9 × 10¹⁵) for 9 × 10⁹ rows — more than any export can hold. Counts of rows and
/// incidents grow by one per row read and are bounded the same way.
public enum PlausibleLimits {
    /// Beds on one ward (study.yaml `wards[].beds`).
    public static let beds = 10_000
    /// Occupied (or leave) beds on one ward on one day (occupancy `occupied_beds`, `leave_beds`).
    public static let occupiedBeds = 10_000
    /// Units on one pharmacy issue row, either way (hypnotics `quantity`; a return is negative).
    public static let issueQuantity = 1_000_000.0
    /// mg of drug in one unit of a product (a tablet, a capsule, the volume a liquid's strength is per).
    public static let strengthMg = 10_000.0
    /// mg in one administered dose (hypnotics `dose_mg`).
    public static let doseMg = 10_000.0
    /// Volume in ml a liquid's strength is per ("5mg/5ml").
    public static let perMl = 1_000.0
    /// The range of a defined daily dose in mg (study.yaml `formulary.drugs[].ddd_mg`).
    public static let dddMg = 0.001...10_000.0
    /// Characters in a product or drug name ("Promethazine hydrochloride 25mg/5ml oral solution sugar free" has 60).
    /// Longer text is refused before it is searched: finding a strength in a run of digits takes time in its square.
    public static let productNameLength = 300
    /// Characters of an incident category the export's own label names (when study.yaml maps none): longer text is
    /// not a category, and is refused before it is redacted (redaction holds several words of bookkeeping per character).
    public static let categoryLength = 300
    /// Characters of an involvement ledger's activity or evidence the report shows: a sentence or a paragraph. Longer
    /// text is cut there with `...`, redacted in a window a little longer than what is shown (`Redactor.excerpt`), so
    /// one enormous cell costs no more than a paragraph (a 6.4 MB cell took 424 MiB when redacted whole, 53 MiB now).
    public static let ledgerTextLength = 1_000
    /// The largest small-number threshold and rounding base (study.yaml `disclosure`).
    public static let disclosure = 1_000
}
