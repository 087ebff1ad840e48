/*
 * What every libFuzzer harness here shares: the input as a C string or as
 * a file, and a silent diagnostics sink (a message per rejected input would
 * cost more than the parse).  Harnesses only call the code under test.
 */
#ifndef SF_FUZZ_H
#define SF_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sysfault/sysfault.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property of the code under test failed: a crash libFuzzer saves the input of. */
#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

static inline void fuzz_no_diag(enum sf_diag_kind kind, const char *line, void *arg)
{
	(void)kind, (void)line, (void)arg;
}

static inline void fuzz_quiet(void)
{
	sf_diag_set_sink(fuzz_no_diag, NULL);
}

/* The bytes with a NUL after them, in a block of exactly that size (so ASan sees over-reads). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * A file of its own per slot (memfd: no disk, nothing left behind), holding
 * the bytes; its name is /proc/self/fd/N, for readers that take a path.
 * Each open of that name starts at offset 0.
 */
struct fuzz_file {
	int fd;
	char path[32];
};

static inline void fuzz_file_open(struct fuzz_file *f, const char *name)
{
	f->fd = memfd_create(name, MFD_CLOEXEC);
	if (f->fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
}

static inline const char *fuzz_file_set(struct fuzz_file *f, const uint8_t *data, size_t size)
{
	if (ftruncate(f->fd, 0) < 0 || (size && pwrite(f->fd, data, size, 0) != (ssize_t)size)) {
		perror("memfd write");
		abort();
	}
	return f->path;
}

/* The whole content of F, malloc'd and NUL-terminated; *SIZE its length. */
static inline char *fuzz_file_get(struct fuzz_file *f, size_t *size)
{
	off_t end = lseek(f->fd, 0, SEEK_END);
	char *buf = malloc((size_t)(end > 0 ? end : 0) + 1);

	if (end < 0 || !buf || pread(f->fd, buf, (size_t)end, 0) != end)
		abort();
	buf[end] = '\0';
	*size = (size_t)end;
	return buf;
}

#endif
