/*
 * Output files sysfault creates at a path it is given (--log, --record):
 * opened as fs.protected_symlinks would let them be (proc(5)), even where
 * that sysctl is off, so a symlink planted in /tmp cannot aim the
 * truncation at another file.  Opens only; never reports.
 */
#ifndef SF_OUTFILE_H
#define SF_OUTFILE_H

#include <stdbool.h>

/*
 * Opens PATH write-only, created (0666 less the umask) or truncated,
 * close-on-exec.  A symlink in a sticky world-writable directory is
 * followed only when it belongs to us or to the directory's owner.
 * Returns the fd, or -errno: -EACCES for such a symlink, as the kernel's
 * own check answers.
 */
int sf_outfile_open(const char *path);

/*
 * Whether PATH is a symlink that sf_outfile_open() refuses to follow: only
 * to word the message after -EACCES (the open itself decides race-free).
 */
bool sf_outfile_is_refused_link(const char *path);

#endif
