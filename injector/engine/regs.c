/*
 * Choice of register back end: forced by SYSFAULT_REGS=info|regset, else
 * the syscall-info back end, which the engine drops for GETREGSET the first
 * time the kernel answers EIO (no PTRACE_GET_SYSCALL_INFO before Linux 5.3);
 * and the registers a stop keeps for the writes made there.
 */
#include "engine/regs.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rules/names.h"

const struct sf_regs_backend *sf_regs_select(void)
{
	const char *forced = getenv("SYSFAULT_REGS");

	if (!forced || !*forced || !strcmp(forced, "info"))
		return &sf_regs_info;
	if (!strcmp(forced, "regset"))
		return &sf_regs_regset;
	sf_warning("SYSFAULT_REGS=%s is not a register back end; use info or regset", forced);
	return &sf_regs_info;
}

uint64_t sf_regs_arg_word(int abi, uint64_t reg, uint64_t val)
{
	if (abi == SF_ABI_I386)
		return (reg & ~(uint64_t)UINT32_MAX) | (uint32_t)val;
	return val;
}

void sf_regs_keep(struct sf_syscall *sc, const void *owner, const void *regs, size_t len)
{
	if (len > sizeof(sc->kept.bytes)) {
		sc->kept.owner = NULL;
		return;
	}
	memcpy(sc->kept.bytes, regs, len);
	sc->kept.len = (uint32_t)len;
	sc->kept.owner = owner;
}

size_t sf_regs_take(const struct sf_syscall *sc, const void *owner, void *out, size_t size)
{
	if (!owner || sc->kept.owner != owner || sc->kept.len > size)
		return 0;
	memcpy(out, sc->kept.bytes, sc->kept.len);
	return sc->kept.len;
}
