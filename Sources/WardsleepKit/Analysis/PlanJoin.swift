/// Sleep plans joined to observation checks on (patient, night), in memory: each plan's ward, night, period and
/// whether it is protected, found through `PatientNightIndex`, with a bit for "a routine check fell inside the window".
/// `FidelityTally` keeps one while the plans are few, and one per `PlanSpill` partition when they are many.
struct PlanJoin {
    /// One planned patient-night.
    struct Plan {
        var ward: Int32
        var night: Int32
        var period: StudyPeriod
        var protected: Bool
    }

    /// What a check inside the window found.
    enum Found: Equatable {
        /// No plan for the patient-night.
        case noPlan
        /// A plan without protected sleep.
        case unprotected
        /// A protected plan.
        case protected
    }

    private var index = PatientNightIndex()
    private var plans: [Plan] = []
    private var keys: [PatientNight] = []
    /// One bit per plan: a routine check fell inside the window on that night.
    private var routineChecked: [UInt64] = []

    /// Plans held.
    var count: Int { plans.count }

    /// The patient-night of a plan or check.
    static func key(_ patient: PatientID, _ night: CalendarDay) -> PatientNight {
        PatientNight(high: patient.high, low: patient.low & 0xFFFF_FFFF_0000_0000 | UInt64(UInt32(truncatingIfNeeded: night.dayNumber)))
    }

    /// Adds `plan` for `key` unless that patient-night already has one (the first is kept); `false` for a repeat.
    /// `routineChecked` carries a routine check already counted against the plan.
    mutating func insert(_ key: PatientNight, _ plan: Plan, routineChecked checked: Bool = false) -> Bool {
        guard index.insert(key, Int32(plans.count)) else { return false }
        plans.append(plan)
        keys.append(key)
        if plans.count > routineChecked.count * 64 { routineChecked.append(0) }
        if checked { markRoutine(plans.count - 1) }
        return true
    }

    /// Looks a check up: what it found, with a routine check on a protected night marked against the plan.
    mutating func check(_ key: PatientNight, reason: ObservationReason) -> Found {
        guard let i = index[key].map(Int.init) else { return .noPlan }
        guard plans[i].protected else { return .unprotected }
        if reason == .routine { markRoutine(i) }
        return .protected
    }

    private mutating func markRoutine(_ i: Int) { routineChecked[i >> 6] |= 1 << UInt64(i & 63) }
    private func isRoutineChecked(_ i: Int) -> Bool { routineChecked[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    /// Every plan in the order it was added, with its key and whether a routine check was marked against it.
    func forEach(_ body: (PatientNight, Plan, Bool) throws -> Void) rethrows {
        for i in plans.indices { try body(keys[i], plans[i], isRoutineChecked(i)) }
    }

    /// Adds the protected nights, and those with no routine check in the window, by ward, period and month.
    /// Plans come in the order of the export, night after night: a night's month is worked out when the night changes,
    /// and each plan's count is one lookup of the table.
    func addProtectedNights(to out: inout [FidelityMonthKey: (nights: Int, withoutRoutine: Int)]) {
        var night = Int32.min, month = CalendarDay(dayNumber: 0)
        for (i, p) in plans.enumerated() where p.protected {
            if p.night != night {
                night = p.night
                month = CalendarDay(dayNumber: Int(night)).startOfMonth
            }
            let unchecked = !isRoutineChecked(i)
            func add(_ x: inout (nights: Int, withoutRoutine: Int)) {
                x.nights += 1
                if unchecked { x.withoutRoutine += 1 }
            }
            add(&out[FidelityMonthKey(ward: Int(p.ward), period: p.period, month: month), default: (0, 0)])
        }
    }
}

/// A patient-night in 128 bits: the first 96 bits of the patient's number (`PatientID`) and the night's day number in
/// the last 32. Two patients would share a patient-night only if their numbers agreed in 96 bits (for ten million
/// patients, a chance near 10⁻¹⁵).
struct PatientNight: Hashable {
    var high: UInt64, low: UInt64

    /// The night (the day number in the low 32 bits).
    var night: Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: low)) }

    /// A multiplicative hash of both words.
    @inline(__always) var hash: UInt64 {
        let h = (high &* 0x9E37_79B9_7F4A_7C15) ^ (low &* 0xC2B2_AE3D_27D4_EB4F)
        return h ^ (h >> 32)
    }
}
