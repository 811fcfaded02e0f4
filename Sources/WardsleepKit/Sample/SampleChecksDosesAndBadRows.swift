/// The rows a simulated ward-night writes beyond its census and incidents: overnight checks, doses given, and the
/// sample's deliberately bad incident rows (each quarantined, each for a different reason).
extension SampleSimulation {
    /// The observation log for one ward-night: hourly routine checks from midnight to 05:00 for every patient on the
    /// ward (a few missed); in the pilot, patients with protected sleep are mostly left unchecked, with some lapses
    /// (a routine check anyway) and some checks for a clinical need. Staff are named only by role.
    mutating func observe(_ w: inout SimWard, night: CalendarDay, inPilot: Bool, protected: [Bool], obs: TextFileWriter) throws {
        let morning = night.adding(days: 1).ukFormatted
        for b in w.beds.indices {
            guard let stay = w.beds[b], !stay.onLeave else { continue }
            var checks: [(hour: Int, reason: String)] = []
            if protected[b] {
                if w.observing.chance(0.07) { checks.append((Int(w.observing.next() % 6), "Routine")) }
                if w.observing.chance(0.04) { checks.append((Int(w.observing.next() % 6), "Clinical need")) }
            } else {
                for hour in 0..<6 where !w.observing.chance(0.02) { checks.append((hour, "Routine")) }
                if w.observing.chance(0.03) { checks.append((Int(w.observing.next() % 6), "Clinical need")) }
            }
            for c in checks.sorted(by: { $0.hour < $1.hour }) {
                let minute = Int(w.observing.next() % 15)
                try obs.write(CSVOutput.exportLine(["\(morning) \(pad2(c.hour)):\(pad2(minute))", w.id, stay.patient, c.reason,
                                                    "General", ["HCA", "RMN", "Nurse in charge"][Int(w.observing.next() % 3)]]))
                written.rows[.observations, default: 0] += 1
            }
        }
    }

    /// EPMA administrations for one ward-night: regular doses at 22:00 for patients prescribed one, and PRN doses
    /// asked for during the night; fewer of both in the pilot.
    mutating func administer(_ w: inout SimWard, day: CalendarDay, inPilot: Bool, hyp: TextFileWriter) throws {
        let t = w.template
        let weights = t.hypnoticUse
        let effect = inPilot ? t.pilotHypnoticEffect : 1
        for b in w.beds.indices {
            guard var stay = w.beds[b], !stay.onLeave else { continue }
            if !stay.regularDecided || (inPilot && day == w.pilot.from) {
                stay.regular = w.random.chance(0.3 * effect) ? w.random.weighted(weights) : nil
                stay.regularDecided = true
                w.beds[b] = stay
            }
            var doses: [(Int, String, Bool)] = []
            if let r = stay.regular { doses.append((r, "22:00", false)) }
            if w.random.chance(0.035 * effect) {
                let hour = [22, 23, 0, 1, 2, 3][w.random.weighted([3, 3, 2, 2, 1, 1])]
                doses.append((w.random.weighted(weights), "\(pad2(hour)):\(pad2(Int(w.random.next() % 60)))", true))
            }
            for (product, time, prn) in doses {
                let name = SampleProduct.all[product].site1
                let drug = String(name.split(separator: " ")[0])
                let strength = name.split(separator: " ").first { $0.hasSuffix("mg") }.map { String($0.dropLast(2)) } ?? ""
                let status = ["Given", "Refused", "Omitted"][w.random.weighted([0.92, 0.06, 0.02])]
                let date = time.hasPrefix("0") ? day.adding(days: 1) : day
                try hyp.write(CSVOutput.exportLine(["\(date.ukFormatted) \(time)", w.id, stay.patient, drug, strength, status,
                                                    prn ? "Y" : "N", "Oral"]))
                written.rows[.hypnotics, default: 0] += 1
            }
        }
    }

    mutating func writeBadIncident(_ kind: Int, day: CalendarDay, unit: Int, inc: TextFileWriter) throws {
        let ward = wards[unit * SampleWardTemplate.all.count]
        var date = day.ukFormatted, location = ward.aliases.first ?? ward.name
        switch kind {
        case 0: date = "31/02/2018"  // no such date
        case 1: location = "Ward 9"  // not a ward of this study
        default:  // US-style month/day order
            let (y, m, d) = day.components
            date = "\(pad2(m))/\(pad2(d))/\(y)"
        }
        try inc.write(CSVOutput.exportLine([
            "W\(nextIncident)", date, "14:20", day.ukFormatted, location, "Violence and aggression", "Verbal abuse", "No harm", "",
            "Approved", "Patient shouted at another patient in the dining room.\nSettled with staff support.",
        ], lineEnding: "\r\n"))
        nextIncident += 1
        written.rows[.incidents, default: 0] += 1
    }
}
