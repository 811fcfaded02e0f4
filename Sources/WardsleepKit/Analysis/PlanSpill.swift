import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fidelity join's plans and checks on disk, once the plans are too many to hold: each record goes to one of a
/// number of partitions by its patient-night, so a plan and every check of its patient-night meet in the same
/// partition, and the join is done a partition at a time in memory a partition's plans need (a hash join in parts).
/// A partition holding too many plans is split the same way, by a hash of another `level` (`FidelityTally.finish`),
/// so memory stays bounded however many plans there are.
///
/// Each partition is an unnamed temporary file (`TemporaryFile`). Records hold the patients' keyed numbers
/// (`PatientID`) and nights, never an identifier. Within a partition records keep the order they were written, so the first
/// plan of a patient-night is the one kept, and a check sees exactly the plans written before it, as in memory.
final class PlanSpill {
    /// One plan or check, 24 bytes: written by `plan` or `check`, read back through the properties below.
    struct Record {
        private(set) var key: PatientNight
        private var ward: Int32
        /// 0: a plan; 1: a check.
        private var kind: UInt8
        /// The place of the period in `StudyPeriod.allCases`.
        private var periodPlace: UInt8
        /// A plan: bit 0 protected, bit 1 a routine check already counted. A check: the place of its reason in
        /// `ObservationReason.allCases`.
        private var flags: UInt8
        private var unused: UInt8 = 0

        /// A plan for the patient-night `key`; `routineChecked` when a routine check was already counted against it.
        static func plan(_ key: PatientNight, _ p: PlanJoin.Plan, routineChecked: Bool) -> Record {
            Record(key: key, ward: p.ward, kind: 0, periodPlace: place(p.period, in: StudyPeriod.allCases),
                   flags: (p.protected ? 1 : 0) | (routineChecked ? 2 : 0))
        }

        /// A check inside the window on the patient-night `key`.
        static func check(_ key: PatientNight, ward: Int, period: StudyPeriod, reason: ObservationReason) -> Record {
            Record(key: key, ward: Int32(ward), kind: 1, periodPlace: place(period, in: StudyPeriod.allCases),
                   flags: place(reason, in: ObservationReason.allCases))
        }

        private static func place<T: Equatable>(_ value: T, in all: some Collection<T>) -> UInt8 {
            UInt8(all.distance(from: all.startIndex, to: all.firstIndex(of: value)!))
        }

        var isPlan: Bool { kind == 0 }
        var wardIndex: Int { Int(ward) }
        var period: StudyPeriod { Array(StudyPeriod.allCases)[Int(periodPlace)] }
        /// A plan's fields (its night from the key's low 32 bits).
        var plan: PlanJoin.Plan {
            PlanJoin.Plan(ward: ward, night: key.night, period: period, protected: flags & 1 != 0)
        }
        /// Whether a routine check was counted against a plan before it was written.
        var routineChecked: Bool { flags & 2 != 0 }
        /// A check's reason.
        var reason: ObservationReason { Array(ObservationReason.allCases)[Int(flags)] }
    }

    private var files: [UnsafeMutablePointer<FILE>] = []
    /// Plan records written to each partition (repeats included).
    private(set) var plansWritten: [Int]
    /// Which hash places records: a partition split again uses the next level's, so its records spread anew.
    let level: Int
    /// The first write that failed, reported by `read`.
    private(set) var failure: OutputError?

    /// Opens `partitions` temporary files in `folder` (`nil`: `TMPDIR`, else `/tmp`), placing records by the hash of
    /// `level`; throws when the folder cannot take them.
    init(partitions: Int, folder: String? = nil, level: Int = 0) throws {
        self.level = level
        plansWritten = Array(repeating: 0, count: partitions)
        for _ in 0..<partitions {
            files.append(try TemporaryFile.open(in: folder, prefix: "wardsleep-fidelity", purpose: "the fidelity join could not use the temporary folder"))
        }
    }

    deinit { for f in files { fclose(f) } }

    /// The partition of a patient-night: a mix of both words seeded by the level (unlike `PatientNightIndex`'s hash,
    /// so a partition's keys spread evenly in its table, and unlike the level before, so a split partition spreads).
    func partition(_ key: PatientNight) -> Int {
        var x = (key.high ^ key.low) &+ UInt64(level + 1) &* 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: (x ^ (x >> 31)) >> 1) % files.count
    }

    /// Appends a record to its partition.
    func write(_ r: Record) {
        guard failure == nil else { return }
        var r = r
        let p = partition(r.key)
        if r.isPlan { plansWritten[p] += 1 }
        if fwrite(&r, MemoryLayout<Record>.size, 1, files[p]) != 1 {
            failure = PlanSpill.failed(String(cString: strerror(errno)))
        }
    }

    /// Reads partition `p` back in the order written, then lets its file go.
    func read(_ p: Int, _ body: (Record) -> Void) throws {
        if let failure { throw failure }
        let file = files[p]
        guard fflush(file) == 0 else {
            throw PlanSpill.failed(String(cString: strerror(errno)))
        }
        rewind(file)
        let capacity = 16_384
        let buffer = UnsafeMutablePointer<Record>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        while true {
            let n = fread(buffer, MemoryLayout<Record>.size, capacity, file)
            for i in 0..<n { body(buffer[i]) }
            if n < capacity {
                guard ferror(file) == 0 else {
                    throw PlanSpill.failed("read error")
                }
                break
            }
        }
        _ = ftruncate(fileno(file), 0)
    }

    /// Partitions.
    var partitions: Int { files.count }

    /// A write or read of a partition that failed: the counts would be incomplete, so the run writes no report.
    private static func failed(_ reason: String) -> OutputError {
        OutputError(file: "a temporary file of the fidelity join", reason: reason, consequence: "no report was written")
    }
}
