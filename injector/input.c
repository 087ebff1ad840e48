/*
 * Reading the user's input files (input.h): regular files only, never
 * blocking, never more than a cap.  Only says what is wrong with the file;
 * the caller names it (FILE: ...) and reports once.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"

static const char *kind_of(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a file";
}

/* 0 for a regular file; a directory is EISDIR as read(2) would say. */
static int check_mode(mode_t mode, char *why, size_t whylen)
{
	if (S_ISREG(mode))
		return 0;
	if (S_ISDIR(mode)) {
		sf_why(why, whylen, "cannot read: %s", strerror(EISDIR));
		return -EISDIR;
	}
	sf_why(why, whylen, "not a regular file but %s; name a regular file", kind_of(mode));
	return -EINVAL;
}

int sf_input_open(const char *path, char *why, size_t whylen)
{
	struct stat st;

	/*
	 * stat(2) first: opening a device can act on it (a tape rewinds, a tty
	 * becomes the controlling one); fstat(2) after, on what was opened.
	 */
	if (stat(path, &st) < 0) {
		int err = errno;
		sf_why(why, whylen, "cannot read: %s", strerror(err));
		return -err;
	}
	int rc = check_mode(st.st_mode, why, whylen);
	if (rc < 0)
		return rc;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		sf_why(why, whylen, "cannot read: %s", strerror(err));
		return -err;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		sf_why(why, whylen, "cannot read: %s", strerror(-rc));
	} else {
		rc = check_mode(st.st_mode, why, whylen);
	}
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

const char *sf_input_size_text(size_t max, char *buf, size_t size)
{
	if (max >= (1 << 20) && max % (1 << 20) == 0)
		snprintf(buf, size, "%zu MiB", max >> 20);
	else
		snprintf(buf, size, "%zu bytes", max);
	return buf;
}

int sf_input_read_fd(int fd, size_t max, const char *what, char **text, size_t *len,
		     char *why, size_t whylen)
{
	size_t cap = 0, n = 0;
	char *buf = NULL, size[32];

	for (;;) {
		if (cap - n < 2) {
			size_t more = cap ? cap * 2 : 65536;
			char *grown = more <= max + 2 ? realloc(buf, more) : realloc(buf, max + 2);
			if (!grown) {
				free(buf);
				sf_why(why, whylen, "out of memory");
				return -ENOMEM;
			}
			buf = grown;
			cap = more <= max + 2 ? more : max + 2;
		}
		ssize_t got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = errno;
			free(buf);
			sf_why(why, whylen, "cannot read: %s", strerror(err));
			return -err;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			free(buf);
			sf_why(why, whylen, "larger than %s, the most %s may be",
			       sf_input_size_text(max, size, sizeof(size)), what);
			return -EFBIG;
		}
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int sf_input_read(const char *path, size_t max, const char *what, char **text, size_t *len,
		  char *why, size_t whylen)
{
	int fd = sf_input_open(path, why, whylen);

	if (fd < 0)
		return fd;
	int rc = sf_input_read_fd(fd, max, what, text, len, why, whylen);
	close(fd);
	return rc;
}
