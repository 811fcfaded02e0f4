#ifndef WARDSLEEP_CSYSTEM_H
#define WARDSLEEP_CSYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0, or -1 with errno set
/// (ENOSYS or EINVAL where the kernel or file system cannot exchange).
int ws_rename_exchange(const char *a, const char *b);

#endif
