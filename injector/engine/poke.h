/*
 * poke_enter= / poke_exit=: strace's tampering with the memory a call's
 * argument points to (strace(1), "Tampering"), written at the call's entry
 * or exit.  A pointer that is not one is the program's business: its poke
 * is skipped, never sysfault's failure.
 */
#ifndef SF_POKE_H
#define SF_POKE_H

#include <stdbool.h>
#include <sys/types.h>

#include "engine/regs.h"
#include "rules/rule.h"

/*
 * Writes each of POKES where its argument of the call ENTRY points (the
 * arguments the call was entered with, as strace).  A poke that cannot be
 * written is skipped; the first such of RULE is named in one warning
 * (KEY: "poke_enter" or "poke_exit"), when *WARNED is false, which it
 * then becomes.
 */
void sf_poke_call(pid_t tid, const struct sf_syscall *entry, const struct sf_pokes *pokes,
		  const char *key, const struct sf_rule *rule, bool *warned);

#endif
