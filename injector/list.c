/*
 * `sysfault list`: prints the name tables of names.c, one entry per line,
 * for people and scripts.  It only reads the tables; it never decides what
 * a name means (that is names.c's job).
 */
#include "sysfault/sysfault.h"

#include "rules/classes.h"
#include "rules/names.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* Every syscall name of every ABI, sorted and without duplicates. */
struct name_set {
	const char *names[SF_ABI_COUNT * SF_NR_LIMIT];
	unsigned count;
};

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void name_set_fill(struct name_set *set)
{
	set->count = 0;
	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++)
		for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
			const char *name = sf_syscall_name(abi, nr);
			if (name)
				set->names[set->count++] = name;
		}
	qsort(set->names, set->count, sizeof set->names[0], compare_names);
	unsigned kept = 0;
	for (unsigned i = 0; i < set->count; i++)
		if (kept == 0 || strcmp(set->names[kept - 1], set->names[i]) != 0)
			set->names[kept++] = set->names[i];
	set->count = kept;
}

static bool name_set_has(const struct name_set *set, const char *name)
{
	return bsearch(&name, set->names, set->count, sizeof set->names[0],
		       compare_names) != NULL;
}

/* ---- syscalls --------------------------------------------------------- */

static void print_number(FILE *out, enum sf_abi abi, const char *name)
{
	int nr = sf_syscall_number(abi, name);

	if (nr < 0)
		fputs(" -", out);
	else
		fprintf(out, " %d", nr);
}

static void print_syscall_row(FILE *out, const char *name)
{
	fputs(name, out);
	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++)
		print_number(out, abi, name);
	fputc('\n', out);
}

/* x86_64 calls in number order, then those only other ABIs have, by name. */
static void list_syscalls(FILE *out, const struct name_set *all)
{
	fprintf(out, "# name %s %s %s\n", sf_abi_name(SF_ABI_X86_64),
		sf_abi_name(SF_ABI_I386), sf_abi_name(SF_ABI_X32));
	for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
		const char *name = sf_syscall_name(SF_ABI_X86_64, nr);
		if (name)
			print_syscall_row(out, name);
	}
	for (unsigned i = 0; i < all->count; i++)
		if (sf_syscall_number(SF_ABI_X86_64, all->names[i]) < 0)
			print_syscall_row(out, all->names[i]);
}

/* ---- errnos and signals ----------------------------------------------- */

static void list_errnos(FILE *out)
{
	for (int err = 1; err <= SF_MAX_ERRNO; err++) {
		const char *name = sf_errno_name(err);
		const char *what = strerrordesc_np(err);
		if (name)
			fprintf(out, "%s %d %s\n", name, err, what ? what : "");
	}
}

static void list_signals(FILE *out)
{
	char buf[32];

	for (int signo = 1; signo <= SIGRTMAX; signo++) {
		const char *name = sf_signal_name(signo, buf, sizeof buf);
		/* glibc describes only the classic signals; strsignal() the rest. */
		const char *what = sigdescr_np(signo);
		if (name)
			fprintf(out, "%s %d %s\n", name, signo, what ? what : strsignal(signo));
	}
}

/* ---- classes ---------------------------------------------------------- */

static void print_members(FILE *out, unsigned mask, const struct name_set *all)
{
	const char *sep = " ";

	if (mask == 0) {
		/* "all": every syscall, listed in classes.in or not. */
		for (unsigned i = 0; i < all->count; i++, sep = ",")
			fprintf(out, "%s%s", sep, all->names[i]);
		return;
	}
	for (unsigned i = 0; i < sf_class_member_count; i++) {
		const struct sf_class_member *m = &sf_class_members[i];
		/* A name this libseccomp does not know cannot be matched: not shown. */
		if ((m->mask & mask) == mask && name_set_has(all, m->name)) {
			fprintf(out, "%s%s", sep, m->name);
			sep = ",";
		}
	}
}

static void list_classes(FILE *out, const struct name_set *all)
{
	for (unsigned i = 0; i < sf_class_name_count; i++) {
		fputs(sf_class_names[i].name, out);
		print_members(out, sf_class_names[i].mask, all);
		fputc('\n', out);
	}
}

void sf_list(enum sf_list_kind kind, FILE *out)
{
	/* Static: three ABIs' worth of pointers is too much for some stacks. */
	static struct name_set all;

	switch (kind) {
	case SF_LIST_SYSCALLS:
		name_set_fill(&all);
		list_syscalls(out, &all);
		break;
	case SF_LIST_ERRNOS:
		list_errnos(out);
		break;
	case SF_LIST_SIGNALS:
		list_signals(out);
		break;
	case SF_LIST_CLASSES:
		name_set_fill(&all);
		list_classes(out, &all);
		break;
	}
}
