/// The horizontal positions of a control chart's points: the baseline points, a break, then the pilot points, each
/// segment evenly spaced in time order. The break is wider than the space between neighbouring points, so the last
/// baseline month and the first pilot month never look adjacent.
struct TimeAxis {
    /// Index of the first pilot point after a baseline segment, or `nil` when the chart has one phase only.
    let firstPilot: Int?
    let count: Int
    let left: Double, width: Double
    /// Spacing units the break takes in place of one.
    static let breakUnits = 2.5

    init(_ points: [ChartPoint], left: Double, width: Double) {
        count = points.count
        self.left = left
        self.width = width
        let first = points.firstIndex { $0.phase == .pilot }
        firstPilot = first.flatMap { $0 > 0 ? $0 : nil }
    }

    /// The position of point `i` in spacing units.
    func unit(_ i: Int) -> Double {
        guard let b = firstPilot, i >= b else { return Double(i) }
        return Double(i) + TimeAxis.breakUnits - 1
    }

    var totalUnits: Double { count <= 1 ? 0 : unit(count - 1) }

    /// The x coordinate of point `i`.
    func x(_ i: Int) -> Double {
        totalUnits == 0 ? left + width / 2 : left + unit(i) * width / totalUnits
    }

    /// The x coordinate of the middle of the break, when there is one.
    var gapCentre: Double? { firstPilot.map { (x($0 - 1) + x($0)) / 2 } }

    /// The points whose labels are drawn: the first and last of each segment, then others at a regular step, each
    /// kept only when it is at least a label's width from every label already placed.
    func labelled(labelWidth: Double) -> [Int] {
        guard count > 0 else { return [] }
        var ends = [0, count - 1]
        if let b = firstPilot { ends += [b - 1, b] }
        let spacing = totalUnits == 0 ? width : width / totalUnits
        let every = max(1, Int(((labelWidth + 8) / spacing).rounded(.up)))
        var chosen: [Int] = []
        for i in ends + Array(stride(from: 0, to: count, by: every)) where !chosen.contains(i) {
            if chosen.allSatisfy({ abs(x($0) - x(i)) >= labelWidth + 6 }) { chosen.append(i) }
        }
        return chosen.sorted()
    }
}
