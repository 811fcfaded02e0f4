#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
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

long ws_first_control(const unsigned char *bytes, unsigned long count) {
    unsigned char any = 0;
    for (unsigned long i = 0; i < count; i++) {
        unsigned char b = bytes[i];
        any |= (unsigned char)(((b < 0x20) & (b != 0x09) & (b != 0x0A) & (b != 0x0D)) | (b == 0x7F));
    }
    if (!any) return -1;
    for (unsigned long i = 0; i < count; i++) {
        unsigned char b = bytes[i];
        if ((b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F) return (long)i;
    }
    return -1;
}
