/*
 * `sysfault check`: every rule of a scenario as it was understood, in a
 * form a human reads (syscalls per ABI, action, canonical when).  Only
 * reads the rules; never changes them.
 */
#include <inttypes.h>
#include <string.h>

#include "rules/scenario.h"
#include "rules/sysset.h"
#include "rules/when.h"
#include "text.h"

/* Names on ABI, or "all", or "all except ..." when that is shorter. */
static void print_abi_set(const struct sf_sysset *set, enum sf_abi abi, FILE *out)
{
	unsigned named = 0, selected = 0;

	for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
		if (!sf_syscall_name(abi, nr))
			continue;
		named++;
		selected += sf_sysset_has(set, abi, nr);
	}
	if (selected == named) {
		fputs("all", out);
		return;
	}
	if (selected <= named / 2) {
		sf_sysset_print(set, abi, out);
		return;
	}
	struct sf_sysset rest = *set;
	sf_sysset_invert(&rest);
	fputs("all except ", out);
	sf_sysset_print(&rest, abi, out);
}

static void print_syscalls(const struct sf_sysset *set, FILE *out)
{
	bool any = false;

	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		struct sf_sysset only = { 0 };
		memcpy(only.bits[abi], set->bits[abi], sizeof(only.bits[abi]));
		if (sf_sysset_is_empty(&only))
			continue;
		fprintf(out, "  syscalls %s: ", sf_abi_name(abi));
		print_abi_set(set, abi, out);
		fputc('\n', out);
		any = true;
	}
	if (!any)
		fputs("  syscalls: none (no name matched on any ABI)\n", out);
}

static void print_duration(const char *key, uint64_t ns, FILE *out)
{
	if (ns % 1000000000 == 0)
		fprintf(out, " %s=%" PRIu64 "s", key, ns / 1000000000);
	else if (ns % 1000000 == 0)
		fprintf(out, " %s=%" PRIu64 "ms", key, ns / 1000000);
	else if (ns % 1000 == 0)
		fprintf(out, " %s=%" PRIu64 "us", key, ns / 1000);
	else
		fprintf(out, " %s=%" PRIu64 "ns", key, ns);
}

static void print_substitute(const struct sf_action *a, FILE *out)
{
	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		if (a->substitute_nr[abi] >= 0) {
			fprintf(out, " syscall=%s", sf_syscall_name(abi, (unsigned)a->substitute_nr[abi]));
			return;
		}
	}
}

/*
 * Whether calls run before their result is replaced: call=run when all of
 * them do, "call=run for close" when only close's default applies, and
 * call=skip only when written (skipping is what error and retval mean).
 */
static void print_call(const struct sf_rule *r, FILE *out)
{
	const struct sf_action *a = &r->action;

	if (sf_sysset_is_empty(&a->runs_first)) {
		if (a->call == SF_CALL_SKIP)
			fputs(" call=skip", out);
		return;
	}
	if (memcmp(&a->runs_first, &r->set, sizeof(r->set)) == 0) {
		fputs(" call=run", out);
		return;
	}
	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		struct sf_sysset only = { 0 };
		memcpy(only.bits[abi], a->runs_first.bits[abi], sizeof(only.bits[abi]));
		if (sf_sysset_is_empty(&only))
			continue;
		fputs(" call=run for ", out);
		sf_sysset_print(&only, abi, out);
		return;
	}
}

static void print_pokes(const char *key, const struct sf_pokes *p, FILE *out)
{
	for (unsigned i = 0; i < p->n; i++) {
		fprintf(out, "%s@arg%u=", i ? "," : key, p->v[i].arg + 1);
		for (size_t j = 0; j < p->v[i].len; j++)
			fprintf(out, "%02x", p->v[i].bytes[j]);
	}
}

static void print_short(const struct sf_short *sh, FILE *out)
{
	if (sh->bytes)
		fprintf(out, " short=%" PRIu64, sh->bytes);
	else
		fprintf(out, " short=%g", sh->fraction);
}

static void print_filter(const struct sf_rule *r, FILE *out)
{
	char text[2048];

	if (sf_filter_is_empty(&r->filter))
		return;
	sf_filter_describe(&r->filter, text, sizeof(text));
	/* Patterns are the user's text: made visible (text.h). */
	fputs("  filter:", out);
	sf_text_fputs(text, out);
	fputc('\n', out);
}

static void print_action(const struct sf_rule *r, FILE *out)
{
	const struct sf_action *a = &r->action;
	char sig[32];
	const char *name;

	fputs("  action:", out);
	if (a->flags & SF_ACT_ERROR) {
		name = sf_errno_name(a->error);
		if (name)
			fprintf(out, " error=%s", name);
		else
			fprintf(out, " error=%d", a->error);
	}
	if (a->flags & SF_ACT_RETVAL)
		fprintf(out, " retval=%" PRIu64, a->retval);
	if (a->flags & SF_ACT_SIGNAL) {
		name = sf_signal_name(a->signo, sig, sizeof(sig));
		if (name)
			fprintf(out, " signal=%s", name);
		else
			fprintf(out, " signal=%d", a->signo);
	}
	if (a->flags & SF_ACT_SYSCALL)
		print_substitute(a, out);
	print_call(r, out);
	if (a->flags & SF_ACT_DELAY_ENTER)
		print_duration("delay_enter", a->delay_enter_ns, out);
	if (a->flags & SF_ACT_DELAY_EXIT)
		print_duration("delay_exit", a->delay_exit_ns, out);
	if (a->flags & SF_ACT_SHORT)
		print_short(&a->shorten, out);
	if (a->flags & SF_ACT_POKE_ENTER)
		print_pokes(" poke_enter=", &a->poke_enter, out);
	if (a->flags & SF_ACT_POKE_EXIT)
		print_pokes(" poke_exit=", &a->poke_exit, out);
	fputc('\n', out);
}

static void print_rule(const struct sf_rule *r, unsigned index, FILE *out)
{
	static const char *const scopes[] = { "thread", "process", "tree" };
	char when[32];

	fprintf(out, "rule %u", index);
	/* The name and origin are the user's text: made visible (text.h). */
	if (r->name) {
		fputs(" \"", out);
		sf_text_fputs(r->name, out);
		fputc('"', out);
	}
	fputs(" (", out);
	sf_text_fputs(r->origin ? r->origin : "?", out);
	fputs(")\n", out);
	print_syscalls(&r->set, out);
	print_filter(r, out);
	print_action(r, out);
	sf_when_format(&r->when, when, sizeof(when));
	fprintf(out, "  when: %s\n", when);
	fprintf(out, "  probability: %g\n", r->probability);
	if (r->limit)
		fprintf(out, "  limit: %" PRIu64 "\n", r->limit);
	else
		fputs("  limit: none\n", out);
	fprintf(out, "  scope: %s\n", scopes[r->scope]);
	/* The calls of the program interpreter's own code (ld.so), as resolved for this rule. */
	fprintf(out, "  loader_calls: %s\n", r->counts_loader_calls ? "count" : "skip");
}

void sf_scenario_print(const struct sf_scenario *sc, FILE *out)
{
	if (sc->name) {
		fputs("name: ", out);
		sf_text_fputs(sc->name, out);
		fputc('\n', out);
	}
	if (sc->has_seed)
		fprintf(out, "seed: %" PRIu64 "\n", sc->seed);
	for (unsigned i = 0; i < sc->rules.n; i++) {
		if (i > 0 || sc->name || sc->has_seed)
			fputc('\n', out);
		print_rule(sc->rules.v[i], i + 1, out);
	}
}
