import Foundation
import Testing
@testable import WardsleepKit

/// Pieces run on several threads and are merged in order, with a bound on what is held at once whatever the threads
/// asked for: each worker holds a piece in flight (a chunk's bytes and rows), so 64 threads held 64 chunks.
@Suite struct OrderedParallelTests {
    /// Counts pieces being worked on and pieces worked but not yet merged, keeping the most of each seen.
    final class Gauge: @unchecked Sendable {
        let lock = NSLock()
        var working = 0, held = 0, mostWorking = 0, mostHeld = 0

        func start() {
            lock.lock()
            working += 1
            held += 1
            mostWorking = max(mostWorking, working)
            mostHeld = max(mostHeld, held)
            lock.unlock()
        }

        func end() {
            lock.lock()
            working -= 1
            lock.unlock()
        }

        func merged() {
            lock.lock()
            held -= 1
            lock.unlock()
        }
    }

    @Test func atMostEightWorkAndTenAreHeldHoweverManyThreadsAreAskedFor() throws {
        #expect(OrderedParallel.workers(64) == 8 && OrderedParallel.workers(3) == 3 && OrderedParallel.workers(0) == 1)
        // The benchmark's table shows the threads that worked.
        #expect(Benchmark.ThreadSetting.all.resolved(cores: 64) == 8 && Benchmark.ThreadSetting.count(16).resolved(cores: 2) == 8)
        #expect(Benchmark.ThreadSetting.all.resolved(cores: 2) == 2)
        for threads in [2, 8, 64] {
            let gauge = Gauge()
            var order: [Int] = []
            try OrderedParallel.run(count: 300, threads: threads, work: { i in
                gauge.start()
                usleep(UInt32(200 + (i * 37) % 300))  // pieces finish out of order
                gauge.end()
                return i * i
            }) { i, r in
                #expect(r == i * i)
                order.append(i)
                usleep(300)  // a merge slower than the work, as a run's is past a few workers
                gauge.merged()
            }
            #expect(order == Array(0..<300))
            let workers = min(threads, 8)
            #expect(gauge.mostWorking <= workers, "\(threads) threads: \(gauge.mostWorking) worked at once")
            // Besides the piece being merged.
            #expect(gauge.mostHeld <= workers + 2, "\(threads) threads: \(gauge.mostHeld) pieces held at once")
            #expect(gauge.mostWorking >= 2, "\(threads) threads: the work ran on one thread")
        }
    }
}
