/// The bytes of one field, as the parsers read them: a slice of an array (`ArraySlice<UInt8>`), or a view into the
/// record's bytes that a row lends while it is normalised (`FieldBytes`). Indices are offsets into the whole record, as
/// in any slice. The parsers are generic over it and specialised for each, so reading a field of a row costs no
/// reference counting: the view holds a plain pointer, never the record's buffer.
public protocol FieldByteCollection: RandomAccessCollection
where Element == UInt8, Index == Int, SubSequence: FieldByteCollection {
    /// Calls `body` with the bytes in contiguous memory (valid only during the call).
    func withFieldBuffer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R
}

/// A field's bytes borrowed from its record, valid only while the row is normalised (`ExportRow.withRow`); whatever
/// outlives the row (a cache key, a problem's value) copies the bytes.
public typealias FieldBytes = Slice<UnsafeBufferPointer<UInt8>>

extension ArraySlice: FieldByteCollection where Element == UInt8 {
    /// Calls `body` with the slice's bytes.
    @inline(__always) public func withFieldBuffer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer(body)
    }
}

extension Slice: FieldByteCollection where Base == UnsafeBufferPointer<UInt8> {
    /// Calls `body` with the viewed bytes.
    @inline(__always) public func withFieldBuffer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(rebasing: self))
    }
}
