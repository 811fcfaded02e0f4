import Synchronization

/// What each label of one column resolved to, shared by the normalisers of every chunk of an export.
///
/// Each chunk's normaliser keeps its own `LabelCache`, which starts empty. When that cache misses, it looks here and
/// finds any label another chunk has already resolved. So a costly resolver, such as the product parser, runs once per
/// distinct label of the export, not once per label in every chunk.
///
/// The memo is reached only on a chunk-cache miss, a few times per chunk, and takes its lock only for the lookup and
/// the store. The resolver itself runs outside the lock, so two chunks may resolve one label at the same time; both
/// get the same value. The memo is bounded like the caches: once it holds `limit` labels it stores no more.
final class SharedLabelMemo<Value: Sendable>: Sendable {
    private let table = Mutex<[[UInt8]: Value]>([:])
    /// The most labels held.
    let limit: Int

    /// Creates an empty memo holding up to `limit` labels.
    init(limit: Int = 4096) { self.limit = limit }

    /// What `bytes` resolved to, running `resolve` only when no chunk has resolved them yet.
    func value<Bytes: FieldByteCollection>(for bytes: Bytes, _ resolve: (Bytes) -> Value) -> Value {
        let key = Array(bytes)
        if let known = table.withLock({ $0[key] }) { return known }
        let v = resolve(bytes)
        table.withLock { t in
            if t.count < limit { t[key] = v }
        }
        return v
    }

    /// Labels held.
    var count: Int { table.withLock { $0.count } }
}
