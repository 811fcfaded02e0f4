import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens an export for reading, refusing anything that is not an ordinary file.
///
/// A named pipe (FIFO) would block the open until some other process wrote to it, and a device such as `/dev/zero`
/// never ends: either would hang a scheduled run while it holds the report lock. So the path is checked with `stat`
/// before it is opened, opened without blocking, and checked again on the open descriptor (in case it was swapped in
/// between) before any byte is read.
public enum InputFile {
    /// A stdio stream on the regular file at `path`; an `InputError` (exit 3) naming what was found instead.
    public static func openRegularFile(_ path: String, displayName: String) throws -> UnsafeMutablePointer<FILE> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputError(file: displayName, message: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        try requireRegular(info.st_mode, displayName: displayName)
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw InputError(file: displayName, message: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw InputError(file: displayName, message: "cannot open the file: \(reason)")
        }
        do { try requireRegular(info.st_mode, displayName: displayName) } catch {
            close(fd)
            throw error
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        guard let file = fdopen(fd, "rb") else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw InputError(file: displayName, message: "cannot open the file: \(reason)")
        }
        return file
    }

    /// The bytes of a small file that is not an export (study.yaml, a codebook, a key file, a manifest): `nil` when
    /// there is none; refused at once, like an export, when it is a pipe, a device or a socket; refused when it is
    /// longer than `limit` bytes.
    public static func readSmallFile(_ path: String, displayName: String, limit: Int = 16 << 20) throws -> Data? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let file = try openRegularFile(path, displayName: displayName)
        defer { fclose(file) }
        var data = Data()
        try forEachBlock(of: file, size: 64 << 10) { block in
            data.append(contentsOf: block)
            if data.count > limit {
                throw InputError(file: displayName, message: "input unreadable: longer than \(limit >> 10) KiB, which this file never is")
            }
        }
        return data
    }

    /// Reads an open file to its end in blocks of `size` bytes, handing each to `body`.
    public static func forEachBlock(of file: UnsafeMutablePointer<FILE>, size: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var buffer = [UInt8](repeating: 0, count: size)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n == 0 { return }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    /// Throws unless `mode` (from `stat`) is a regular file, saying what it is instead.
    static func requireRegular(_ mode: mode_t, displayName: String) throws {
        let kind: String
        switch mode & S_IFMT {
        case S_IFREG: return
        case S_IFIFO: kind = "a named pipe (FIFO)"
        case S_IFCHR: kind = "a character device"
        case S_IFBLK: kind = "a block device"
        case S_IFSOCK: kind = "a socket"
        case S_IFDIR: kind = "a folder"
        default: kind = "a special file"
        }
        throw InputError(file: displayName, message: "input unreadable: this is \(kind), not a regular file; "
                             + "copy the export into the study folder as an ordinary file")
    }
}
