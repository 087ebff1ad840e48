/*
 * Tracee memory.  process_vm_readv(2) needs only the ptrace access check,
 * so it works at any stop; PEEK/POKE are the fallback for pages without
 * the access, and the only way to write read-only ones.
 */
#include "engine/tracee_mem.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

#define WORD sizeof(long)

/* The aligned words holding ADDR..ADDR+LEN-1: an aligned word never spans two pages. */
static int peek(pid_t tid, uint64_t addr, unsigned char *out, size_t len)
{
	for (size_t done = 0; done < len;) {
		uint64_t at = (addr + done) & ~(uint64_t)(WORD - 1);
		size_t skip = (size_t)(addr + done - at);
		size_t n = WORD - skip < len - done ? WORD - skip : len - done;
		errno = 0;
		long word = ptrace(PTRACE_PEEKDATA, tid, (void *)(uintptr_t)at, NULL);
		if (errno)
			return errno == EIO ? -EFAULT : -errno;
		memcpy(out + done, (unsigned char *)&word + skip, n);
		done += n;
	}
	return 0;
}

static int poke(pid_t tid, uint64_t addr, const unsigned char *src, size_t len)
{
	for (size_t done = 0; done < len;) {
		uint64_t at = (addr + done) & ~(uint64_t)(WORD - 1);
		size_t skip = (size_t)(addr + done - at);
		size_t n = WORD - skip < len - done ? WORD - skip : len - done;
		long word = 0;
		/* A partial word keeps the bytes around it. */
		if (n < WORD) {
			int rc = peek(tid, at, (unsigned char *)&word, WORD);
			if (rc)
				return rc;
		}
		memcpy((unsigned char *)&word + skip, src + done, n);
		if (ptrace(PTRACE_POKEDATA, tid, (void *)(uintptr_t)at, (void *)word) < 0)
			return errno == EIO ? -EFAULT : -errno;
		done += n;
	}
	return 0;
}

int sf_mem_read(pid_t tid, uint64_t addr, void *out, size_t len)
{
	struct iovec local = { out, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };

	if (len == 0)
		return 0;
	if (process_vm_readv(tid, &local, 1, &remote, 1, 0) == (ssize_t)len)
		return 0;
	return peek(tid, addr, out, len);
}

/*
 * Most paths are short: a first read of this much costs about two thirds
 * of one to the end of the page (process_vm_readv pins and copies what it
 * is asked for), and the rest follows page by page.
 */
#define FIRST_CHUNK 256

long sf_mem_read_string(pid_t tid, uint64_t addr, char *out, size_t cap)
{
	const uint64_t page = 4096;   /* x86_64; a smaller step is only slower, never wrong */
	size_t got = 0;

	if (cap == 0)
		return -ENAMETOOLONG;
	while (got < cap - 1) {
		uint64_t at = addr + got;
		size_t n = (size_t)(page - at % page);
		if (got == 0 && n > FIRST_CHUNK)
			n = FIRST_CHUNK;
		if (n > cap - 1 - got)
			n = cap - 1 - got;
		int rc = sf_mem_read(tid, at, out + got, n);
		if (rc)
			return rc;
		char *nul = memchr(out + got, '\0', n);
		if (nul)
			return (long)(nul - out);
		got += n;
	}
	out[cap - 1] = '\0';
	return -ENAMETOOLONG;
}

int sf_mem_write(pid_t tid, uint64_t addr, const void *src, size_t len)
{
	struct iovec local = { (void *)src, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };

	if (len == 0)
		return 0;
	if (process_vm_writev(tid, &local, 1, &remote, 1, 0) == (ssize_t)len)
		return 0;
	return poke(tid, addr, src, len);
}
