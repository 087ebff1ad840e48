/*
 * Pokes, through the tracee memory module (read-only pages too, as
 * strace's upoken).  The bytes go exactly where the argument points: no
 * length check against the call's own count, as in strace.
 */
#include "engine/poke.h"

#include <errno.h>
#include <string.h>

#include "diag.h"
#include "engine/tracee_mem.h"
#include "rules/syscall_args.h"

void sf_poke_call(pid_t tid, const struct sf_syscall *entry, const struct sf_pokes *pokes,
		  const char *key, const struct sf_rule *rule, bool *warned)
{
	for (unsigned i = 0; i < pokes->n; i++) {
		const struct sf_poke *p = &pokes->v[i];
		uint64_t addr = entry->args[p->arg];
		const struct sf_syscall_args *a = sf_syscall_args((enum sf_abi)entry->abi, entry->nr);
		/* As strace: an argument the call does not take is no place to write. */
		if (a->count && p->arg >= a->count) {
			if (!*warned)
				sf_warning("rule %u: %s=@arg%u: %s takes %u argument%s; skipped (said once per rule)",
					   rule->index + 1, key, p->arg + 1,
					   sf_syscall_name((enum sf_abi)entry->abi, entry->nr), a->count,
					   a->count == 1 ? "" : "s");
			*warned = true;
			continue;
		}
		int rc = sf_mem_write(tid, addr, p->bytes, p->len);
		/* A thread that died under us has nothing left to poke. */
		if (rc == 0 || rc == -ESRCH || *warned)
			continue;
		*warned = true;
		sf_warning("rule %u: %s=@arg%u: cannot write %zu byte%s at %#llx in %d: %s; "
			   "skipped (said once per rule)", rule->index + 1, key, p->arg + 1, p->len,
			   p->len == 1 ? "" : "s", (unsigned long long)addr, tid, strerror(-rc));
	}
}
