#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include "csystem.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

int ws_rename_exchange(const char *a, const char *b) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */);
#else
    (void)a; (void)b;
    errno = ENOSYS;
    return -1;
#endif
}

int ws_keep_freed_memory(int mapping_threshold, int trim_threshold, int arenas) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, mapping_threshold) == 1 && mallopt(M_TRIM_THRESHOLD, trim_threshold) == 1
        && mallopt(M_ARENA_MAX, arenas) == 1;
#else
    (void)mapping_threshold; (void)trim_threshold; (void)arenas;
    return 0;
#endif
}

static inline int ws_is_control(unsigned char b) { return (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F; }

/* Nonzero when a byte of `w` is below 0x20 or is 0x7F: the classic "has less than" and "has zero" tests, exact for the
   word as a whole with these constants (a byte at 0x80 or above passes). */
static inline uint64_t ws_word_has_low_byte(uint64_t w) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t del = w ^ (ones * 0x7F);
    return ((w - ones * 0x20) & ~w & highs) | ((del - ones) & ~del & highs);
}

#if defined(__SSE2__)
/* The lanes of `v` below 0x20 (whose unsigned minimum with 0x1F is themselves) or equal to 0x7F, as 0xFF. */
static inline __m128i ws_low_lanes(__m128i v) {
    return _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
}
#endif

int ws_has_low_byte(const unsigned char *bytes, unsigned long count) {
    unsigned long i = 0;
#if defined(__SSE2__)
    /* Sixteen bytes at a time, the last sixteen overlapping the ones already tested. */
    if (count >= 16) {
        __m128i seen = _mm_setzero_si128();
        for (; i + 16 <= count; i += 16) seen = _mm_or_si128(seen, ws_low_lanes(_mm_loadu_si128((const __m128i *)(bytes + i))));
        if (i < count) seen = _mm_or_si128(seen, ws_low_lanes(_mm_loadu_si128((const __m128i *)(bytes + count - 16))));
        return _mm_movemask_epi8(seen) != 0;
    }
#endif
    /* Eight bytes at a time, then byte by byte. */
    for (; i + 8 <= count; i += 8) {
        uint64_t w;
        memcpy(&w, bytes + i, 8);
        if (ws_word_has_low_byte(w)) return 1;
    }
    for (; i < count; i++) if (bytes[i] < 0x20 || bytes[i] == 0x7F) return 1;
    return 0;
}

int ws_has_high_byte(const unsigned char *bytes, unsigned long count) {
    unsigned long i = 0;
#if defined(__SSE2__)
    /* Sixteen bytes at a time (a lane's top bit is what movemask gathers), the last sixteen overlapping. */
    if (count >= 16) {
        __m128i seen = _mm_setzero_si128();
        for (; i + 16 <= count; i += 16) seen = _mm_or_si128(seen, _mm_loadu_si128((const __m128i *)(bytes + i)));
        if (i < count) seen = _mm_or_si128(seen, _mm_loadu_si128((const __m128i *)(bytes + count - 16)));
        return _mm_movemask_epi8(seen) != 0;
    }
#endif
    uint64_t seen = 0;
    for (; i + 8 <= count; i += 8) {
        uint64_t w;
        memcpy(&w, bytes + i, 8);
        seen |= w;
    }
    for (; i < count; i++) seen |= bytes[i];
    return (seen & 0x8080808080808080ULL) != 0;
}

unsigned long ws_first_line_break(const unsigned char *bytes, unsigned long count) {
    unsigned long i = 0;
#if defined(__SSE2__)
    for (; i + 16 <= count; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        int hits = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x0A)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x0D))));
        if (hits) return i + (unsigned long)__builtin_ctz((unsigned)hits);
    }
#endif
    for (; i < count; i++) if (bytes[i] == 0x0A || bytes[i] == 0x0D) return i;
    return count;
}

unsigned long ws_count_commas(const unsigned char *bytes, unsigned long count) {
    unsigned long n = 0, i = 0;
#if defined(__SSE2__)
    for (; i + 16 <= count; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        n += (unsigned long)__builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x2C))));
    }
#endif
    for (; i < count; i++) n += bytes[i] == 0x2C;
    return n;
}

long ws_first_control(const unsigned char *bytes, unsigned long count) {
    /* Eight bytes at a time: a word with a byte below 0x20 or equal to 0x7F is looked at byte by byte; tab, LF and CR
       then pass. */
    unsigned long i = 0;
    for (; i + 8 <= count; i += 8) {
        uint64_t w;
        memcpy(&w, bytes + i, 8);
        if (ws_word_has_low_byte(w)) {
            for (unsigned long j = i; j < i + 8; j++) if (ws_is_control(bytes[j])) return (long)j;
        }
    }
    for (; i < count; i++) if (ws_is_control(bytes[i])) return (long)i;
    return -1;
}

int ws_record_init(ws_record *r, long line) {
    memset(r, 0, sizeof *r);
    r->line = line;
    r->record_line = line;
    r->byte_capacity = 4096;
    r->end_capacity = 64;
    r->bytes = malloc((size_t)r->byte_capacity);
    r->ends = malloc(sizeof(long) * (size_t)r->end_capacity);
    if (!r->bytes || !r->ends) { ws_record_free(r); return -1; }
    return 0;
}

void ws_record_clear(ws_record *r) {
    r->byte_count = 0;
    r->field_count = 0;
    r->in_record = 0;
}

void ws_record_free(ws_record *r) {
    free(r->bytes);
    free(r->ends);
    r->bytes = NULL;
    r->ends = NULL;
}

/* The slow paths, out of line so that the common one saves no registers. */
__attribute__((noinline)) static int ws_grow_bytes(ws_record *r, long needed) {
    long capacity = r->byte_capacity * 2;
    while (capacity < needed) capacity *= 2;
    unsigned char *bigger = realloc(r->bytes, (size_t)capacity);
    if (!bigger) { r->failed = r->out_of_memory = 1; return -1; }
    r->bytes = bigger;
    r->byte_capacity = capacity;
    return 0;
}

__attribute__((noinline)) static int ws_grow_ends(ws_record *r) {
    long *bigger = realloc(r->ends, sizeof(long) * (size_t)r->end_capacity * 2);
    if (!bigger) { r->failed = r->out_of_memory = 1; return -1; }
    r->ends = bigger;
    r->end_capacity *= 2;
    return 0;
}

/* A field that needs a call: longer than 16 bytes (copied by memcpy), or one the record's buffers must grow for. Out of
   line, so that the common path makes no call and saves no registers. */
__attribute__((noinline)) static void ws_record_add_long_field(ws_record *r, const unsigned char *from, size_t count) {
    long end = r->byte_count;
    if (from && count > 0) {
        long needed = end + (long)count;
        if (needed > r->byte_capacity && ws_grow_bytes(r, needed) != 0) return;
        memcpy(r->bytes + end, from, count);
        r->byte_count = end = needed;
    }
    if (r->field_count == r->end_capacity && ws_grow_ends(r) != 0) return;
    r->ends[r->field_count++] = end;
}

void ws_record_add_field(void *field, size_t count, void *data) {
    ws_record *r = data;
    if (r->failed) return;
    if (!r->in_record) { r->in_record = 1; r->record_line = r->line; }
    r->last_was_cr = 0;
    long end = r->byte_count;
    if (count > 16 || (count > 0 && !field) || end + (long)count > r->byte_capacity || r->field_count == r->end_capacity) {
        ws_record_add_long_field(r, field, count);  /* a tail call */
        return;
    }
    /* Most fields are short: copied as two overlapping words (never reading or writing outside either field), not
       through a call. */
    unsigned char *to = r->bytes + end;
    const unsigned char *from = field;
    if (count >= 8) {
        uint64_t a, b;
        memcpy(&a, from, 8); memcpy(&b, from + count - 8, 8);
        memcpy(to, &a, 8); memcpy(to + count - 8, &b, 8);
    } else if (count >= 4) {
        uint32_t a, b;
        memcpy(&a, from, 4); memcpy(&b, from + count - 4, 4);
        memcpy(to, &a, 4); memcpy(to + count - 4, &b, 4);
    } else if (count > 0) {
        to[0] = from[0];
        to[count / 2] = from[count / 2];
        to[count - 1] = from[count - 1];
    }
    r->byte_count = end += (long)count;
    r->ends[r->field_count++] = end;
}
