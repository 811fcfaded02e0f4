import Foundation

/// Runs numbered pieces of work on several threads and hands their results back in order, holding at most a fixed
/// number of finished results at a time, so memory stays flat however many pieces there are.
///
/// Work on piece `i` may start before piece `i - 1` is merged, but `merge` always sees 0, 1, 2 … on the calling thread.
/// With one thread the work runs on the calling thread, piece by piece, in the same order: the same pieces give the
/// same results whatever the number of threads.
enum OrderedParallel {
    /// The most threads that work at once, whatever is asked for. Each holds a piece in flight (a chunk's bytes and
    /// rows: about 1.2 MB), so memory grew with the threads: `run` of 5,000,000 administrations held 45 MiB on 1
    /// thread, 62 MiB on 8, 71 MiB on 16 and 91 MiB on 32. More workers are no faster once the one merging thread is
    /// the limit: it does a fifth of a run's work (the SHA-256 and the analyses; `perf`, 2 threads), so a run gains
    /// nothing past four or five; `validate`'s merge does a twentieth, and its gain past 8 is given up for flat memory.
    static let maxWorkers = 8

    /// The threads that work for `threads` asked for: at least 1, at most `maxWorkers`.
    static func workers(_ threads: Int) -> Int { min(max(1, threads), maxWorkers) }

    /// Runs `work(i)` for `i` in `0..<count` on `workers(threads)` threads and calls `merge(i, result)` in order. Work
    /// starts on a piece only while fewer than `workers + 1` pieces are between the merge and it (a result waiting for
    /// the merge while each worker has one), so besides the piece being merged at most `workers + 1` are held at once.
    /// An error thrown by `merge` stops the run (work already started finishes and is discarded).
    static func run<R>(count: Int, threads: Int, work: @escaping @Sendable (Int) -> R,
                       merge: (Int, R) throws -> Void) throws {
        let threads = workers(threads)
        if threads <= 1 || count <= 1 {
            for i in 0..<count { try merge(i, work(i)) }
            return
        }
        let shared = Shared<R>(count: count, window: threads + 1)
        let pool = (0..<min(threads, count)).map { _ in
            Thread {
                while let i = shared.next() { shared.finish(i, work(i)) }
                shared.workerDone()
            }
        }
        for t in pool {
            t.stackSize = 8 << 20
            t.start()
        }
        defer { shared.stop(); shared.waitForWorkers(pool.count) }
        for i in 0..<count { try merge(i, shared.take(i)) }
    }

    /// State shared by the workers and the merging thread.
    private final class Shared<R>: @unchecked Sendable {
        let condition = NSCondition()
        let count: Int, window: Int
        var nextIndex = 0, merged = 0, stopped = false, finishedWorkers = 0
        var results: [Int: R] = [:]

        init(count: Int, window: Int) {
            self.count = count
            self.window = window
        }

        /// The next piece to work on, waiting while the merge is `window` pieces behind; `nil` when there is none.
        func next() -> Int? {
            condition.lock()
            defer { condition.unlock() }
            while !stopped && nextIndex < count && nextIndex >= merged + window { condition.wait() }
            guard !stopped, nextIndex < count else { return nil }
            nextIndex += 1
            return nextIndex - 1
        }

        func finish(_ i: Int, _ r: R) {
            condition.lock()
            results[i] = r
            condition.broadcast()
            condition.unlock()
        }

        /// The result of piece `i`, waiting for it.
        func take(_ i: Int) -> R {
            condition.lock()
            defer { condition.unlock() }
            while results[i] == nil { condition.wait() }
            merged = i + 1
            condition.broadcast()
            return results.removeValue(forKey: i)!
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }

        func workerDone() {
            condition.lock()
            finishedWorkers += 1
            condition.broadcast()
            condition.unlock()
        }

        func waitForWorkers(_ n: Int) {
            condition.lock()
            while finishedWorkers < n { condition.wait() }
            condition.unlock()
        }
    }
}
