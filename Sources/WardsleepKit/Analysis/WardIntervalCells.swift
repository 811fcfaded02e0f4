/// Totals by ward (and -1, the whole study), interval and period, in one flat array: a census has a row per ward and
/// day, so nearly every ward has a total in every interval of the study, and a cell found by arithmetic needs no key
/// kept and no table to find it (12 bytes of key and 8 of table per cell, where a cell is 8 bytes of total). A census of
/// 8,224 wards over 20 months takes 2.6 MB, made when the first total is added; the array is at most 32 MB.
///
/// The intervals are those of the study's periods, first day to last; a total outside them (none, as only days in a
/// period are counted) is kept apart, in `DenseCells`. Each cell adds its values in the order they arrive, exactly as
/// a dictionary entry would, so every total is the same to the last bit.
struct WardIntervalCells {
    typealias Key = TimeSeries.Key

    /// The study's wards; the array holds one more row, the study's, first.
    private let wards: Int
    /// Whether an interval is a week (from Monday) rather than a calendar month.
    private let weekly: Bool
    /// The first interval's first day number and calendar month (`CalendarDay.monthNumber`), and how many intervals there are.
    private let firstBucket: Int, firstMonth: Int, buckets: Int
    /// The cells, ward after ward (the study first), interval after interval, baseline then pilot; `nan` where nothing
    /// was added. Empty until the first total is added.
    private var cells: [Double] = []
    /// Totals outside the study's intervals or wards.
    private var others = DenseCells<Key, Double>(zero: 0)
    /// The last interval's first day and index (rows of a census stay in one interval for days on end).
    private var lastBucket = Int.min, lastInterval: Int?

    /// No totals, for the wards and periods of `study`, in months or (`weekly`) weeks. A study whose array would take
    /// more than `maxCells` cells (periods decades long, weeks of thousands of wards) keeps every total apart, in cells
    /// made only for the keys it meets.
    init(study: StudyDefinition, weekly: Bool, maxCells: Int = 1 << 22) {
        let ranges = study.wards.indices.flatMap { w in StudyPeriod.allCases.map { study.periods(forWard: w)[$0] } }
        wards = study.wards.count
        self.weekly = weekly
        guard let first = ranges.map(\.from).min(), let last = ranges.map(\.to).max(), first <= last else {
            (firstBucket, firstMonth, buckets) = (0, 0, 0)
            return
        }
        firstBucket = TimeSeries.bucket(first, weekly: weekly)
        firstMonth = first.monthNumber
        let span = weekly ? (TimeSeries.bucket(last, weekly: true) - firstBucket) / 7 + 1 : last.monthNumber - firstMonth + 1
        let (cells, overflow) = (wards + 1).multipliedReportingOverflow(by: span * 2)
        buckets = overflow || cells > maxCells ? 0 : span
    }

    /// Whether no total was added.
    var isEmpty: Bool { cells.isEmpty && others.isEmpty }

    /// Adds `value` to the total of `key`, whose bucket is an interval's first day.
    @inline(__always) mutating func add(_ key: Key, _ value: Double) {
        if key.bucket != lastBucket {
            lastBucket = key.bucket
            lastInterval = interval(key.bucket)
        }
        guard let b = lastInterval, let i = cell(key, interval: b) else {
            others[place: others.place(key)] += value
            return
        }
        if cells.isEmpty { cells = Array(repeating: .nan, count: (wards + 1) * buckets * 2) }
        cells[i] = cells[i].isNaN ? 0 + value : cells[i] + value
    }

    /// The total of `key`, or `nil` when nothing was added to it.
    func value(_ key: Key) -> Double? {
        guard let b = interval(key.bucket), let i = cell(key, interval: b) else { return others.value(key) }
        guard !cells.isEmpty, !cells[i].isNaN else { return nil }
        return cells[i]
    }

    /// Every total, by key, in no particular order.
    var dictionary: [Key: Double] {
        var out: [Key: Double] = [:]
        forEach { out[$0] = $1 }
        return out
    }

    /// Calls `body` with every key that has a total, and the total.
    func forEach(_ body: (Key, Double) -> Void) {
        for (k, v) in zip(others.keys, others.values) { body(k, v) }
        guard !cells.isEmpty else { return }
        for ward in -1..<wards {
            for b in 0..<buckets {
                let bucket = weekly ? firstBucket + 7 * b : CalendarDay(firstDayOfMonthNumber: firstMonth + b).dayNumber
                for p in 0..<2 {
                    let v = cells[((ward + 1) * buckets + b) * 2 + p]
                    if !v.isNaN { body(Key(ward: ward, bucket: bucket, phase: p == 0 ? .baseline : .pilot), v) }
                }
            }
        }
    }

    /// The place in the array of `key`'s ward and period in interval `b`, or `nil` for a ward not the study's.
    @inline(__always) private func cell(_ key: Key, interval b: Int) -> Int? {
        guard key.ward >= -1, key.ward < wards else { return nil }
        return ((key.ward + 1) * buckets + b) * 2 + (key.phase == .pilot ? 1 : 0)
    }

    /// The index of the interval whose first day is `bucket`, or `nil` outside the study's intervals (or for a day
    /// that begins no interval).
    private func interval(_ bucket: Int) -> Int? {
        let b: Int
        if weekly {
            guard (bucket - firstBucket) % 7 == 0 else { return nil }
            b = (bucket - firstBucket) / 7
        } else {
            let day = CalendarDay(dayNumber: bucket)
            guard day.components.day == 1 else { return nil }
            b = day.monthNumber - firstMonth
        }
        return b >= 0 && b < buckets ? b : nil
    }
}
