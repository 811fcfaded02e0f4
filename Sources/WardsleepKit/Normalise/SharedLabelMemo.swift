import Synchronization

/// What each label of one column resolved to, shared by the normalisers of every chunk of an export.
///
/// Each chunk's normaliser keeps its own `LabelCache`, which starts empty. When that cache misses, it looks here and
/// finds any label another chunk has already resolved. So a costly resolver, such as the product parser, runs once per
/// distinct label of the export, not once per label in every chunk.
///
/// The memo is reached only on a chunk-cache miss, a few times per chunk, and takes its lock only for the lookup and
/// the store. The resolver itself runs outside the lock, so two chunks may resolve one label at the same time; both
/// get the same value. The memo is bounded: once it holds `limit` labels, or `byteLimit` bytes of them, it stores no
/// more, so memory stays flat whatever the export; the labels met first (the ones a long export repeats) stay.
///
/// The bound is generous (16,384 labels, 2 MiB of them): an export naming more distinct products than the chunk
/// caches hold (4,096) still resolves each one once, where resolving it again on every row would cost the product
/// parser's tens of microseconds per row.
final class SharedLabelMemo<Value: Sendable>: Sendable {
    private struct Table {
        var values: [[UInt8]: Value] = [:]
        var bytes = 0
    }
    private let table = Mutex<Table>(Table())
    /// The most labels held.
    let limit: Int
    /// The most bytes of labels held.
    let byteLimit: Int

    /// Creates an empty memo holding up to `limit` labels and `byteLimit` bytes of them.
    init(limit: Int = 16_384, byteLimit: Int = 2 << 20) {
        self.limit = limit
        self.byteLimit = byteLimit
    }

    /// What `bytes` resolved to, running `resolve` only when no chunk has resolved them yet.
    func value<Bytes: FieldByteCollection>(for bytes: Bytes, _ resolve: (Bytes) -> Value) -> Value {
        let key = Array(bytes)
        if let known = table.withLock({ $0.values[key] }) { return known }
        let v = resolve(bytes)
        table.withLock { t in
            guard t.values.count < limit, t.bytes + key.count <= byteLimit, t.values[key] == nil else { return }
            t.values[key] = v
            t.bytes += key.count
        }
        return v
    }

    /// Labels held.
    var count: Int { table.withLock { $0.values.count } }
}
