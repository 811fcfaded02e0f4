#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include "csystem.h"

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

long ws_first_control(const unsigned char *bytes, unsigned long count) {
    /* Eight bytes at a time: a word with a byte below 0x20 or equal to 0x7F (the classic "has less than" and "has
       zero" tests, exact for these constants) is looked at byte by byte; tab, LF and CR then pass. */
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    unsigned long i = 0;
    for (; i + 8 <= count; i += 8) {
        uint64_t w;
        memcpy(&w, bytes + i, 8);
        uint64_t del = w ^ (ones * 0x7F);
        if (((w - ones * 0x20) & ~w & highs) | ((del - ones) & ~del & highs)) {
            for (unsigned long j = i; j < i + 8; j++) if (ws_is_control(bytes[j])) return (long)j;
        }
    }
    for (; i < count; i++) if (ws_is_control(bytes[i])) return (long)i;
    return -1;
}
