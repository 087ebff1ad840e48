/*
 * Short I/O.  A (fd, buf, count) call gets a smaller count.  An iovec call
 * gets fewer vectors, and the last one kept a shorter iov_len written into
 * the tracee's array: the kernel reads the array at the call, so the
 * program's own copy must be put back at the exit.  Both are undone there,
 * registers included, so that all the program sees is the return value.
 * Never fails a call the kernel would not fail.
 */
#include "engine/short_io.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "engine/tracee_mem.h"
#include "rules/syscall_args.h"

uint64_t sf_short_bytes(const struct sf_short *sh, uint64_t count)
{
	uint64_t n = sh->bytes;

	/*
	 * The double nearest a decimal fraction may lie just below it (0.99
	 * is 0.98999...): lift the product by a few of its ulps, so that
	 * 99% of 100 is 99 and not 98.
	 */
	if (sh->fraction > 0) {
		n = (uint64_t)((long double)count * sh->fraction * (1 + 4 * (long double)DBL_EPSILON));
		if (n == 0)
			n = 1;
	}
	return n < count ? n : count;
}

/*
 * struct iovec as the call's ABI has it: i386 and x32 calls read the
 * compat layout, two 32-bit words (in_compat_syscall() in
 * lib/iov_iter.c, iovec_from_user).
 */
static unsigned iov_size(int abi)
{
	return abi == SF_ABI_X86_64 ? 16 : 8;
}

static void report_failure(pid_t tid, const struct sf_syscall *sc, const char *what, int rc)
{
	if (rc != -ESRCH)
		sf_error("%s syscall %u of %d: %s", what, sc->nr, tid, strerror(-rc));
}

/* An (fd, buf, count) call: only the count changes. */
static bool shorten_count(const struct sf_regs_backend *regs, pid_t tid, const struct sf_syscall *sc,
			  int arg, const struct sf_short *sh, struct sf_short_undo *undo)
{
	uint64_t args[6];
	uint64_t n = sf_short_bytes(sh, sc->args[arg]);

	if (n == sc->args[arg])
		return false;
	memcpy(args, sc->args, sizeof(args));
	args[arg] = n;
	int rc = regs->set_args(tid, sc, 1u << arg, args);
	if (rc) {
		report_failure(tid, sc, "shortening", rc);
		return false;
	}
	undo->arg_mask = 1u << arg;
	undo->args[arg] = sc->args[arg];
	return true;
}

/* The N iov_len of the tracee's array at ADDR into LENS; 0 or -errno. */
static int read_iov_lens(pid_t tid, uint64_t addr, unsigned n, unsigned size, uint64_t *lens)
{
	unsigned char *raw = malloc((size_t)n * size);

	if (!raw)
		return -ENOMEM;
	int rc = sf_mem_read(tid, addr, raw, (size_t)n * size);
	for (unsigned i = 0; rc == 0 && i < n; i++) {
		const unsigned char *len = raw + (size_t)i * size + size / 2;
		if (size == 16) {
			memcpy(&lens[i], len, 8);
		} else {
			uint32_t len32;
			memcpy(&len32, len, 4);
			lens[i] = len32;
		}
	}
	free(raw);
	return rc;
}

/* How many of the N vectors of LENS carry the first WANT bytes, and what the last must hold. */
static unsigned vectors_for(const uint64_t *lens, unsigned n, uint64_t want, uint64_t *last_len)
{
	uint64_t before = 0;

	for (unsigned i = 0; i < n; i++) {
		if (lens[i] >= want - before) {
			*last_len = want - before;
			return i + 1;
		}
		before += lens[i];
	}
	*last_len = n ? lens[n - 1] : 0;
	return n;
}

/* Writes LEN as the iov_len at ADDR, SIZE bytes wide. */
static int write_iov_len(pid_t tid, uint64_t addr, unsigned size, uint64_t len)
{
	uint32_t len32 = (uint32_t)len;

	return sf_mem_write(tid, addr, size == 8 ? (const void *)&len : (const void *)&len32, size);
}

/*
 * An iovec call: the vectors past the first WANT bytes are dropped by the
 * count, and the one WANT ends in is cut in the tracee's array.
 */
static bool shorten_iov(const struct sf_regs_backend *regs, pid_t tid, const struct sf_syscall *sc,
			int iov, int cnt, const struct sf_short *sh, struct sf_short_undo *undo)
{
	uint64_t addr = sc->args[iov], n = sc->args[cnt];
	unsigned size = iov_size(sc->abi);

	/* More than IOV_MAX vectors is EINVAL, none moves nothing: the kernel decides. */
	if (n == 0 || n > IOV_MAX)
		return false;
	uint64_t lens[IOV_MAX], total = 0, last_len;
	if (read_iov_lens(tid, addr, (unsigned)n, size, lens))
		return false;
	for (unsigned i = 0; i < n; i++)
		total = lens[i] > UINT64_MAX - total ? UINT64_MAX : total + lens[i];
	uint64_t want = sf_short_bytes(sh, total);
	if (want == total)
		return false;
	unsigned keep = vectors_for(lens, (unsigned)n, want, &last_len);
	uint64_t len_addr = addr + (uint64_t)(keep - 1) * size + size / 2;
	if (last_len != lens[keep - 1]) {
		int rc = write_iov_len(tid, len_addr, size / 2, last_len);
		if (rc) {
			report_failure(tid, sc, "cutting an iovec of", rc);
			return false;
		}
		undo->iov_len_addr = len_addr;
		undo->iov_len = lens[keep - 1];
		undo->iov_len_size = size / 2;
	}
	if (keep < n) {
		uint64_t args[6];
		memcpy(args, sc->args, sizeof(args));
		args[cnt] = keep;
		int rc = regs->set_args(tid, sc, 1u << cnt, args);
		if (rc) {
			report_failure(tid, sc, "shortening", rc);
			sf_short_exit(regs, tid, sc, undo);
			return false;
		}
		undo->arg_mask = 1u << cnt;
		undo->args[cnt] = n;
	}
	return true;
}

bool sf_short_enter(const struct sf_regs_backend *regs, pid_t tid, const struct sf_syscall *sc,
		    const struct sf_short *sh, struct sf_short_undo *undo)
{
	const struct sf_syscall_args *roles = sf_syscall_args((enum sf_abi)sc->abi, sc->nr);
	int count = sf_syscall_arg_find(roles, SF_ARG_COUNT, 0);
	int iov = sf_syscall_arg_find(roles, SF_ARG_IOV, 0);
	int iovcnt = sf_syscall_arg_find(roles, SF_ARG_IOVCNT, 0);

	memset(undo, 0, sizeof(*undo));
	if (count >= 0)
		return shorten_count(regs, tid, sc, count, sh, undo);
	if (iov >= 0 && iovcnt >= 0)
		return shorten_iov(regs, tid, sc, iov, iovcnt, sh, undo);
	return false;
}

void sf_short_exit(const struct sf_regs_backend *regs, pid_t tid, const struct sf_syscall *entry,
		   struct sf_short_undo *undo)
{
	/* The array may be gone (another thread unmapped it): nothing left to put back then. */
	if (undo->iov_len_addr)
		write_iov_len(tid, undo->iov_len_addr, undo->iov_len_size, undo->iov_len);
	if (undo->arg_mask) {
		int rc = regs->set_args(tid, entry, undo->arg_mask, undo->args);
		if (rc)
			report_failure(tid, entry, "restoring the arguments of", rc);
	}
	memset(undo, 0, sizeof(*undo));
}
