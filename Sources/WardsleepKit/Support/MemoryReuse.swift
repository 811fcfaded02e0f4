import CSystem

/// Keeps memory freed between chunks for the next chunk, instead of handing it back to the kernel.
///
/// Ingest reads a file in chunks of half a mebibyte, each with its own bytes and rows. With glibc's defaults a block
/// that size is mapped on allocation and unmapped when freed (or trimmed off the heap), so every chunk faults its pages
/// in afresh: on a 438 MB export that was about 160,000 page faults, a tenth of the reading time. Raising the mapping
/// threshold above a chunk's blocks, and the trim threshold above what a read holds at once, makes the allocator reuse
/// the same pages chunk after chunk. Peak memory hardly moves (freed memory is reused, not added to).
///
/// Every thread allocates from one heap. By default glibc gives each thread its own, and each keeps what its thread
/// freed: with 2 worker threads that held about 10 MiB more at the peak (62 against 51 MiB for 5,000,000 sleep plans),
/// with no measurable gain in time, since rows are read without allocating.
public enum MemoryReuse {
    /// Blocks up to this size come from the heap rather than their own mapping (a chunk's bytes and rows are smaller).
    static let mappingThreshold: Int32 = 4 << 20
    /// Free memory at the top of the heap kept rather than trimmed: enough for the chunks in flight, little more, so
    /// peak memory stays where it was.
    static let trimThreshold: Int32 = 16 << 20

    /// Heaps the threads share.
    static let arenas: Int32 = 1

    /// Applies the settings once per process; `true` when the allocator took them (always false off glibc).
    @discardableResult
    public static func configure() -> Bool { configured }

    private static let configured: Bool = ws_keep_freed_memory(mappingThreshold, trimThreshold, arenas) == 1
}
