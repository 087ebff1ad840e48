/*
 * Argument roles per (ABI, number), looked up by name once and kept: the
 * filters ask at every stop of a filtered call.
 */
#include "rules/syscall_args.h"

#include <stdlib.h>
#include <string.h>

static const struct sf_syscall_args no_roles;

static int by_name(const void *key, const void *entry)
{
	return strcmp(key, ((const struct sf_syscall_args_entry *)entry)->name);
}

/* Filled lazily, like names.c's tables: the same one-thread-at-a-time rule. */
static const struct sf_syscall_args *cache[SF_ABI_COUNT][SF_NR_LIMIT];

const struct sf_syscall_args *sf_syscall_args(enum sf_abi abi, unsigned nr)
{
	if ((unsigned)abi >= SF_ABI_COUNT || nr >= SF_NR_LIMIT)
		return &no_roles;
	if (cache[abi][nr])
		return cache[abi][nr];
	const char *name = sf_syscall_name(abi, nr);
	const struct sf_syscall_args_entry *e = name
		? bsearch(name, sf_syscall_args_table, sf_syscall_args_count,
			  sizeof(*sf_syscall_args_table), by_name)
		: NULL;
	cache[abi][nr] = e ? &e->args : &no_roles;
	return cache[abi][nr];
}

bool sf_short_applies(enum sf_abi abi, unsigned nr)
{
	const struct sf_syscall_args *a = sf_syscall_args(abi, nr);

	return sf_syscall_arg_find(a, SF_ARG_FD, 0) >= 0 &&
	       (sf_syscall_arg_find(a, SF_ARG_COUNT, 0) >= 0 ||
		sf_syscall_arg_find(a, SF_ARG_IOVCNT, 0) >= 0);
}

int sf_syscall_arg_find(const struct sf_syscall_args *a, enum sf_arg_role role, int from)
{
	for (int i = from < 0 ? 0 : from; i < SF_SYSCALL_ARGS_MAX; i++)
		if (a->role[i] == role)
			return i;
	return -1;
}
