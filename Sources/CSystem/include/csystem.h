#ifndef WARDSLEEP_CSYSTEM_H
#define WARDSLEEP_CSYSTEM_H

#include <stddef.h>

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
/// 1 when any of `bytes` (`count` of them) is below 0x20 or is 0x7F (a line break, tab or control character), 0 when
/// none is: sixteen bytes at a time where the processor has SSE2, eight otherwise.
int ws_has_low_byte(const unsigned char *bytes, unsigned long count);
/// 1 when any of `bytes` (`count` of them) is 0x80 or above (the text is not plain ASCII), 0 when none is: sixteen
/// bytes at a time where the processor has SSE2, eight otherwise.
int ws_has_high_byte(const unsigned char *bytes, unsigned long count);

/// The index of the first line feed or carriage return in `bytes` (`count` of them), or `count` when there is none:
/// sixteen bytes at a time where the processor has SSE2.
unsigned long ws_first_line_break(const unsigned char *bytes, unsigned long count);
/// How many of `bytes` (`count` of them) are commas.
unsigned long ws_count_commas(const unsigned char *bytes, unsigned long count);

/// The record libcsv's fields are assembled into: its bytes, field after field, where each field ends, and the lines
/// it is read on. Owned by the reader's parse state (`owner`), which reads it between fields; `ws_record_add_field` is
/// libcsv's field callback itself, so a field costs no call into Swift.
typedef struct ws_record {
    unsigned char *bytes;
    long byte_count, byte_capacity;
    long *ends;
    long field_count, end_capacity;
    /// The line the parser is on, and the one the record began on.
    long line, record_line;
    /// Whether a record has begun; whether the last one ended with a carriage return.
    int in_record, last_was_cr;
    /// Set when reading has failed (fields are then ignored); `out_of_memory` when growing the record failed.
    int failed, out_of_memory;
    /// The parse state, for the record callback (not retained).
    void *owner;
} ws_record;

/// Sets up an empty record whose first line is `line`; 0, or -1 when memory could not be had.
int ws_record_init(ws_record *r, long line);

/// Ends the record: no bytes, no fields, none begun.
void ws_record_clear(ws_record *r);

/// Frees the record's memory.
void ws_record_free(ws_record *r);

/// libcsv's field callback (`data` is the record): the field's bytes and where it ends are added to the record.
void ws_record_add_field(void *field, size_t count, void *data);

#endif
