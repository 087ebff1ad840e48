/*
 * Where a process's program interpreter has its code: AT_BASE from
 * /proc/PID/auxv (proc(5)), then the executable segments of the ELF image
 * loaded there.  Only reads; a failure leaves the range empty, so that
 * nothing is taken for the interpreter's by mistake.
 */
#include "engine/interp.h"
#include "engine/tracee_mem.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* Up to SIZE bytes of /proc/PID/NAME; the length read, or -errno. */
static ssize_t read_proc(pid_t pid, const char *name, void *buf, size_t size)
{
	char path[64];
	size_t len = 0;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size) {
		ssize_t n = read(fd, (char *)buf + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;
			close(fd);
			return -err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	return (ssize_t)len;
}

/*
 * The width of an auxv entry's words: the kernel writes them as the
 * program's own unsigned long (compat_binfmt_elf for i386 and x32), so a
 * 32-bit ELF (elf(5), e_ident[EI_CLASS]) has 4-byte words.  An executable
 * that cannot be read (mode --x) is taken for 64-bit; read wrongly, its
 * AT_BASE holds no ELF header and nothing is skipped.
 */
static size_t auxv_word(pid_t pid)
{
	unsigned char ident[EI_NIDENT];
	ssize_t n = read_proc(pid, "exe", ident, sizeof(ident));

	if (n == EI_NIDENT && !memcmp(ident, ELFMAG, SELFMAG) && ident[EI_CLASS] == ELFCLASS32)
		return 4;
	return 8;
}

static uint64_t word_at(const unsigned char *p, size_t w)
{
	uint32_t v32;
	uint64_t v64;

	if (w == 4) {
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
	memcpy(&v64, p, sizeof(v64));
	return v64;
}

/*
 * AT_BASE (getauxval(3)): where execve(2) loaded the program interpreter
 * that the executable's PT_INTERP names; 0 for a program without one (a
 * static one, or the loader run as the command itself).
 */
static int read_at_base(pid_t pid, uint64_t *base)
{
	unsigned char buf[4096];
	size_t w = auxv_word(pid);
	ssize_t n = read_proc(pid, "auxv", buf, sizeof(buf));

	*base = 0;
	if (n < 0)
		return (int)n;
	for (size_t off = 0; off + 2 * w <= (size_t)n; off += 2 * w) {
		uint64_t key = word_at(buf + off, w);
		if (key == AT_NULL)
			break;
		if (key == AT_BASE) {
			*base = word_at(buf + off + w, w);
			break;
		}
	}
	return 0;
}

/* One program header of either class, as far as the range needs it. */
static void phdr_at(const unsigned char *p, bool is_64, uint32_t *type, uint32_t *flags,
		    uint64_t *vaddr, uint64_t *memsz)
{
	Elf64_Phdr h64;
	Elf32_Phdr h32;

	if (is_64) {
		memcpy(&h64, p, sizeof(h64));
		*type = h64.p_type, *flags = h64.p_flags, *vaddr = h64.p_vaddr, *memsz = h64.p_memsz;
	} else {
		memcpy(&h32, p, sizeof(h32));
		*type = h32.p_type, *flags = h32.p_flags, *vaddr = h32.p_vaddr, *memsz = h32.p_memsz;
	}
}

/*
 * The interpreter's code, from its own program headers (elf(5)) as the
 * kernel loaded them: its ELF header sits at AT_BASE (the first PT_LOAD
 * maps file offset 0), and its executable PT_LOAD segments, moved by
 * AT_BASE, are its code.  Two reads of its memory, where /proc/PID/maps
 * would cost the kernel a walk of every mapping and its path.
 */
static int read_code_range(pid_t pid, uint64_t base, struct sf_interp *r)
{
	union { Elf64_Ehdr e64; Elf32_Ehdr e32; } eh;
	unsigned char ph[64 * sizeof(Elf64_Phdr)];
	int rc = sf_mem_read(pid, base, &eh, sizeof(eh));

	if (rc)
		return rc;
	if (memcmp(eh.e64.e_ident, ELFMAG, SELFMAG))
		return -ENOEXEC;
	bool is_64 = eh.e64.e_ident[EI_CLASS] == ELFCLASS64;
	uint64_t phoff = is_64 ? eh.e64.e_phoff : eh.e32.e_phoff;
	size_t phnum = is_64 ? eh.e64.e_phnum : eh.e32.e_phnum;
	size_t phsize = is_64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	if (phnum * phsize > sizeof(ph) || (is_64 ? eh.e64.e_phentsize : eh.e32.e_phentsize) != phsize)
		return -ENOEXEC;
	if ((rc = sf_mem_read(pid, base + phoff, ph, phnum * phsize)))
		return rc;
	for (size_t i = 0; i < phnum; i++) {
		uint32_t type, flags;
		uint64_t vaddr, memsz;
		phdr_at(ph + i * phsize, is_64, &type, &flags, &vaddr, &memsz);
		if (type != PT_LOAD || !(flags & PF_X))
			continue;
		if (!r->end || base + vaddr < r->start)
			r->start = base + vaddr;
		if (base + vaddr + memsz > r->end)
			r->end = base + vaddr + memsz;
	}
	return 0;
}

int sf_interp_read(pid_t pid, struct sf_interp *r)
{
	uint64_t base;

	memset(r, 0, sizeof(*r));
	int rc = read_at_base(pid, &base);
	if (rc || !base)
		return rc;
	return read_code_range(pid, base, r);
}
