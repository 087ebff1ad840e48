/*
 * Files the user names as input (scenarios, explore's reports and records):
 * opened without blocking, refused unless regular, and read with a size
 * cap, so that a FIFO, a device or an endless /proc file is one error line
 * instead of a hang or a process that grows without bound.
 */
#ifndef SF_INPUT_H
#define SF_INPUT_H

#include <stddef.h>

/* The caps, in README ("Scenario files", "Reports"). */
#define SF_INPUT_SCENARIO_MAX ((size_t)16 << 20)    /* a scenario with the files it includes */
#define SF_INPUT_REPORT_MAX ((size_t)256 << 20)     /* an explore report or a record */

/*
 * Opens PATH read-only without blocking (O_NONBLOCK: a FIFO with no writer
 * would hang open(2) and read(2)) and checks that it is a regular file.
 * Returns the descriptor, or -errno with WHY set to "cannot read: ..." or
 * "not a regular file but a FIFO; ..." (-EINVAL; a directory is -EISDIR).
 */
int sf_input_open(const char *path, char *why, size_t whylen);

/*
 * Reads all of FD into *TEXT (malloc'd, NUL-terminated, *LEN bytes
 * without the NUL), at most MAX bytes: -EFBIG beyond ("larger than 16 MiB,
 * the most WHAT may be"), -errno when read(2) fails, each with WHY set.
 * /proc files report a size of 0, so the size is never taken from
 * fstat(2): reading stops at MAX + 1 bytes.
 */
int sf_input_read_fd(int fd, size_t max, const char *what, char **text, size_t *len,
		     char *why, size_t whylen);

/* sf_input_open() and sf_input_read_fd(), closing the descriptor. */
int sf_input_read(const char *path, size_t max, const char *what, char **text, size_t *len,
		  char *why, size_t whylen);

/* "16 MiB" for MAX, for messages. */
const char *sf_input_size_text(size_t max, char *buf, size_t size);

#endif
