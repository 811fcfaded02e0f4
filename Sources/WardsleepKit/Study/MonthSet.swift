/// The calendar months `--months` keeps (`jan-aug`, `1-8`, `nov-feb`, `mar,jun`), the same in every year, so a
/// baseline and a pilot of different lengths are compared over the same months.
public struct MonthSet: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The months kept, 1 (January) to 12 (December).
    public private(set) var months: Set<Int>
    /// The ranges as given, first and last month of each (a range may wrap the year end: November to February).
    public private(set) var ranges: [(first: Int, last: Int)]
    /// The text as given on the command line.
    public let text: String

    /// Month names, January first.
    public static let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                               "October", "November", "December"]

    /// Parses `--months`: comma-separated months or ranges `first-last`, each month a number from 1 to 12 or a name
    /// (`jan`, `January`, `sept`). A range whose first month comes after its last wraps the year end.
    public init(parsing text: String) throws(UsageError) {
        func fail(_ why: String) -> UsageError {
            UsageError(option: "--months", value: text, message: "\(why); give months by name or number, e.g. --months jan-aug, "
                       + "--months 1-8 or --months nov-feb")
        }
        func month(_ token: Substring) throws(UsageError) -> Int {
            let t = token.trimmingCharacters(in: .whitespaces).lowercased()
            if let n = Int(t) {
                guard (1...12).contains(n) else { throw fail("\(t) is not a month number (1 to 12)") }
                return n
            }
            guard t.count >= 3, let i = MonthSet.names.firstIndex(where: { $0.lowercased().hasPrefix(t) }) else {
                throw fail(t.isEmpty ? "a month is missing" : "\"\(t)\" is not a month")
            }
            return i + 1
        }
        self.text = text
        months = []
        ranges = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2 else { throw fail("\"\(part)\" is not a month or a range of months") }
            let first = try month(ends[0]), last = ends.count == 2 ? try month(ends[1]) : first
            var m = first
            while true {
                months.insert(m)
                if m == last { break }
                m = m % 12 + 1
            }
            ranges.append((first, last))
        }
    }

    /// Whether `day` falls in one of the months.
    public func contains(_ day: CalendarDay) -> Bool { months.contains(day.components.month) }

    /// The number of days of `range` that fall in the months.
    public func days(in range: DayRange) -> Int {
        var count = 0, day = range.from
        while day <= range.to {
            let (y, m, d) = day.components
            let monthEnd = day.adding(days: CalendarDay.daysIn(month: m, year: y) - d)
            let last = min(monthEnd, range.to)
            if months.contains(m) { count += last.dayNumber - day.dayNumber + 1 }
            day = last.adding(days: 1)
        }
        return count
    }

    /// `January to August`, `November to February and June`.
    public var description: String {
        let parts = ranges.map { r in r.first == r.last ? MonthSet.names[r.first - 1] : "\(MonthSet.names[r.first - 1]) to \(MonthSet.names[r.last - 1])" }
        guard parts.count > 1 else { return parts.first ?? "" }
        return parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }

    /// `1-8` or `11-2,6`, for the ledger and the fingerprint.
    public var canonical: String { ranges.map { $0.first == $0.last ? "\($0.first)" : "\($0.first)-\($0.last)" }.joined(separator: ",") }

    public static func == (a: MonthSet, b: MonthSet) -> Bool { a.canonical == b.canonical }

    /// Encoded as the text given on the command line, and read back through the same parser.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try MonthSet(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }
}
