#ifndef WARDSLEEP_CSYSTEM_H
#define WARDSLEEP_CSYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0, or -1 with errno set
/// (ENOSYS or EINVAL where the kernel or file system cannot exchange).
int ws_rename_exchange(const char *a, const char *b);

/// Keeps freed heap memory for reuse: blocks up to `mapping_threshold` bytes come from the heap rather than their own
/// mapping, up to `trim_threshold` bytes free at the top of the heap are not returned to the kernel, and threads share
/// at most `arenas` heaps (glibc mallopt). Returns 1 when the allocator took every setting, 0 otherwise (always 0 off
/// glibc).
int ws_keep_freed_memory(int mapping_threshold, int trim_threshold, int arenas);

/// Asks for the cache line at `address` to be brought into the caches, for writing when `write` is non-zero; never
/// faults, whatever the address.
static inline void ws_prefetch(const void *address, int write) {
    if (write) { __builtin_prefetch(address, 1, 3); } else { __builtin_prefetch(address, 0, 3); }
}

/// The index of the first byte of `bytes` (`count` of them) that is a control character other than tab, line feed and
/// carriage return (0x00–0x1F, and 0x7F), or -1 when there is none. Eight bytes are tested at a time; only a word that
/// may hold one is looked at byte by byte.
long ws_first_control(const unsigned char *bytes, unsigned long count);

#endif
