/*
 * Syscall entry and exit.  Failing a call (or giving it a value) is one
 * register write at its first stop, entry or seccomp: the number becomes
 * -1 so the kernel runs nothing, and the return register gets -errno or
 * the chosen value, which x86 keeps for a skipped call.  The ptrace engine
 * still sees the exit but has nothing to write there; the seccomp engine
 * stops at the exit only when something must be seen or done there
 * (delay_exit, a substitute, whose result is written at its exit, a call
 * that runs before its result is replaced, an affinity call while the
 * tree is pinned, a record run's clean result, a short= call to put back,
 * a poke_exit=).  Calls of an ABI we cannot tell are passed through
 * untouched, never guessed at.  The decision itself (sf_syscall_decide:
 * counting, tally, log line, explore's point) is the same whichever path
 * answers the call, a stop here or the notify engine's listener.
 */
#include "engine/syscall_stop.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "diag.h"
#include "engine/notify.h"
#include "engine/poke.h"
#include "engine/seccomp_filter.h"
#include "engine/short_io.h"
#include "rules/site.h"
#include "rules/syscall_args.h"

static int read_stop(struct sf_engine *e, struct sf_tracee *tr, struct sf_syscall *sc)
{
	int rc = e->regs->get(tr->tid, sc);

	if (rc == -EIO && e->regs == &sf_regs_info) {
		/* No PTRACE_GET_SYSCALL_INFO (Linux < 5.3): use GETREGSET. */
		e->regs = &sf_regs_regset;
		rc = e->regs->get(tr->tid, sc);
	}
	if (rc && rc != -ESRCH)
		sf_error("reading the syscall of %d: %s", tr->tid, strerror(-rc));
	return rc;
}

static int64_t substitute(const struct sf_action *a, const struct sf_syscall *sc)
{
	int nr = (a->flags & SF_ACT_SYSCALL) ? a->substitute_nr[sc->abi] : -1;

	if (nr < 0)
		return -1;
	return sc->abi == SF_ABI_X32 ? (int64_t)(nr | SF_X32_SYSCALL_BIT) : nr;
}

bool sf_syscall_abi_is_known(struct sf_engine *e, const struct sf_syscall *sc)
{
	if (sc->abi >= 0 && !(sc->op == SF_OP_SECCOMP && sc->seccomp_data == SF_SECCOMP_BADARCH))
		return true;
	if (e->warned_abi)
		return false;
	e->warned_abi = true;
	if (sc->arch == 0)
		sf_warning("calls whose ABI cannot be told (syscall %llu) are passed through untouched",
			   (unsigned long long)sc->raw_nr);
	else
		sf_warning("calls through ABI %#x (syscall %llu) are passed through untouched",
			   sc->arch, (unsigned long long)sc->raw_nr);
	return false;
}

/*
 * Fails the call or gives it its value: a skipped call gets number -1 and
 * its result together, in one write at this stop (entry or seccomp), and
 * its exit has nothing left to do.  A substitute gets its number here and
 * the result at its exit.
 */
static void tamper(struct sf_engine *e, struct sf_tracee *tr, struct sf_syscall *sc,
		   const struct sf_action *a)
{
	/*
	 * A call that runs first keeps its number, so the kernel performs it;
	 * only its exit gets the result.  After a seccomp stop, PTRACE_SYSCALL
	 * brings the tracee to that call's syscall-exit-stop (ptrace(2),
	 * PTRACE_EVENT_SECCOMP), which wants_exit_stop asks for.
	 */
	if (sf_action_runs_first(a, (enum sf_abi)sc->abi, sc->nr)) {
		tr->is_tampered = true;
		tr->wants_result_at_exit = true;
		return;
	}
	int64_t nr = substitute(a, sc);
	bool is_skipped = nr == -1;
	int rc = is_skipped ? e->regs->skip(tr->tid, sc, sf_action_result(a)) : e->regs->set_nr(tr->tid, sc, nr);

	if (rc == 0) {
		tr->is_tampered = true;
		tr->wants_result_at_exit = !is_skipped;
	} else if (rc != -ESRCH) {
		sf_error("replacing syscall %u of %d: %s", sc->nr, tr->tid, strerror(-rc));
	}
}

/*
 * A signal passed when resuming from a seccomp stop is dropped by the
 * kernel (only syscall stops send it), so it is queued on the thread
 * instead; its delivery stop then gets the siginfo a syscall-stop
 * injection would have had (on_signal in engine.c).
 */
void sf_syscall_queue_signal(struct sf_tracee *tr, int sig)
{
	if (syscall(SYS_tgkill, tr->group->tgid, tr->tid, sig) == 0)
		tr->queued_signal = sig;
}

/*
 * poke_enter= and short=, after the number as in strace's
 * tamper_with_syscall_entering (the order shows nowhere: all of it is
 * done before the call goes on).
 */
static void tamper_args_at_entry(struct sf_engine *e, struct sf_tracee *tr,
				 const struct sf_syscall *sc, const struct sf_rule *rule)
{
	const struct sf_action *a = &rule->action;

	if (a->flags & SF_ACT_POKE_ENTER)
		sf_poke_call(tr->tid, sc, &a->poke_enter, "poke_enter", rule, &e->warned_poke[rule->index]);
	tr->wants_poke_exit = (a->flags & SF_ACT_POKE_EXIT) != 0;
	tr->is_shortened = (a->flags & SF_ACT_SHORT) && sf_short_applies((enum sf_abi)sc->abi, sc->nr) &&
			   sf_short_enter(e->regs, tr->tid, sc, &a->shorten, &tr->short_undo);
}

/* At the exit: the program gets its arguments and iovec array back, then poke_exit=. */
static void tamper_args_at_exit(struct sf_engine *e, struct sf_tracee *tr)
{
	if (tr->is_shortened)
		sf_short_exit(e->regs, tr->tid, &tr->call, &tr->short_undo);
	if (tr->wants_poke_exit && tr->rule)
		sf_poke_call(tr->tid, &tr->call, &tr->rule->action.poke_exit, "poke_exit", tr->rule,
			     &e->warned_poke[tr->rule->index]);
	tr->is_shortened = false;
	tr->wants_poke_exit = false;
}

/*
 * A record run by site lists only the first call of each site (per rule
 * and syscall): the stack is unwound at every call the rules act on, but
 * only a new site is written, with its frames named, and waits for its
 * clean result at the exit.  Its source lines are explore's to look up,
 * once per campaign (sf_sources_find), not once per traced process.
 */
static bool record_point(struct sf_engine *e, struct sf_tracee *tr, const struct sf_call_view *view,
			 const struct sf_rule *rule, uint64_t occurrence, const char *lineage)
{
	struct sf_point p = { .thread = tr->thread_index, .abi = (int)view->abi, .nr = view->nr,
			      .rule = rule->index + 1, .occurrence = occurrence };
	const struct sf_frames *stack = NULL;

	if (e->is_record_by_site) {
		p.is_site = true;
		p.site = sf_site_of(view);
		if (!sf_site_set_add(&e->sites, sf_site_point_key(p.site, p.rule, p.abi, p.nr)))
			return false;
		stack = view->ops->stack(view->ctx);
	}
	snprintf(p.lineage, sizeof(p.lineage), "%s", lineage);
	sf_log_point(e->record, tr->group->tgid, tr->tid, &p, view->ops->exe(view->ctx), stack);
	return true;
}

/*
 * explore's two modes: a record run lists every call a rule would act on
 * and acts on none; a point run acts on its one point only.
 */
static bool should_act(struct sf_engine *e, struct sf_tracee *tr, const struct sf_call_view *view,
		       const struct sf_rule *rule, uint64_t occurrence)
{
	const char *lineage = tr->group->lineage ? tr->group->lineage : "?";

	if (e->record) {
		/* The clean result tells alike points apart (explore --dedup). */
		tr->is_recording = record_point(e, tr, view, rule, occurrence, lineage);
		return false;
	}
	if (e->point) {
		if (e->is_point_reached ||
		    !sf_point_matches(e->point, rule, lineage, tr->thread_index, view, occurrence))
			return false;
		e->is_point_reached = true;
	}
	return true;
}

const struct sf_rule *sf_syscall_decide(struct sf_engine *e, struct sf_tracee *tr,
					const struct sf_syscall *sc, struct sf_call_view *view)
{
	uint64_t occurrence = 0;
	struct sf_units units = {
		.thread = &tr->counters, .process = &tr->group->counters,
		.tree = &e->tree_counters, .thread_serial = tr->serial,
		.process_serial = tr->group->serial,
	};
	/* The engine only says whether the dynamic loader made the call; the rules decide what it means. */
	bool is_loader_call = sf_interp_contains(&tr->group->interp, sc->ip);

	sf_call_view_init(view, e->facts, e->stacks, e->tracees, tr, sc);
	const struct sf_rule *rule = sf_rules_decide(e->rules, e->tally, &units, e->seed, view,
						     is_loader_call, &occurrence);
	if (!rule || !should_act(e, tr, view, rule, occurrence))
		return NULL;
	e->tally[rule->index].injected++;
	/* The stack a caller rule matched goes in its log line; with -v, every injected call's. */
	bool is_stack_logged = e->log && (sf_filter_has_caller(&rule->filter) || sf_diag_verbosity() > 0);
	sf_log_inject(e->log, tr->group->tgid, tr->tid, tr->group->lineage, tr->thread_index,
		      sc->abi, sc->nr, rule, occurrence,
		      is_stack_logged ? sf_call_view_stack_with_source(view) : NULL);
	return rule;
}

static struct sf_next on_syscall_entry(struct sf_engine *e, struct sf_tracee *tr, struct sf_syscall *sc)
{
	int sig = 0;

	tr->in_syscall = true;
	tr->call = *sc;
	tr->call.kept.owner = NULL;   /* registers of this stop only: never written back at another */
	tr->rule = NULL;
	tr->is_tampered = false;
	tr->wants_result_at_exit = false;
	tr->wants_delay_exit = false;
	tr->wants_exit_stop = false;
	tr->is_recording = false;
	tr->is_affinity_call = false;
	tr->is_shortened = false;
	tr->wants_poke_exit = false;
	if (!sf_syscall_abi_is_known(e, sc))
		return SF_RESUME(0);
	/* Placement may be undone before the exit: then no fix-up is needed. */
	tr->is_affinity_call = e->placement.is_pinned && sf_placement_watches(sc->abi, sc->nr);
	struct sf_call_view view;
	const struct sf_rule *rule = sf_syscall_decide(e, tr, sc, &view);
	if (!rule) {
		tr->wants_exit_stop = tr->is_recording || tr->is_affinity_call;
		return SF_RESUME(0);
	}
	const struct sf_action *a = &rule->action;
	tr->rule = rule;
	if (a->flags & SF_ACT_SIGNAL)
		sig = a->signo;
	if (a->flags & (SF_ACT_ERROR | SF_ACT_RETVAL))
		tamper(e, tr, sc, a);
	tamper_args_at_entry(e, tr, sc, rule);
	tr->wants_delay_exit = (a->flags & SF_ACT_DELAY_EXIT) != 0;
	tr->wants_exit_stop = tr->wants_result_at_exit || tr->wants_delay_exit || tr->is_affinity_call ||
			      tr->is_shortened || tr->wants_poke_exit;
	if (sig && sc->op == SF_OP_SECCOMP) {
		sf_syscall_queue_signal(tr, sig);
		sig = 0;
	}
	if (a->flags & SF_ACT_DELAY_ENTER)
		return SF_HOLD(a->delay_enter_ns, sig);
	return SF_RESUME(sig);
}

/*
 * What the command sees of sysfault's CPU placement: the affinity it would
 * have had; and a task that sets its own is left alone from then on.
 */
static void on_affinity_exit(struct sf_engine *e, struct sf_tracee *tr, const struct sf_syscall *sc)
{
	const struct sf_syscall *in = &tr->call;   /* the entry's arguments */
	pid_t pid = (pid_t)in->args[0];
	struct sf_tracee *target = pid == 0 ? tr : sf_tracee_find(e->tracees, pid);

	tr->is_affinity_call = false;
	if (!target || sc->rval < 0 || tr->is_tampered)
		return;
	if (!sf_placement_is_get((enum sf_abi)in->abi, in->nr)) {
		target->is_self_placed = true;
		return;
	}
	if (e->placement.is_pinned && !target->is_self_placed && sc->rval > 0) {
		int rc = sf_placement_fix_get(&e->placement, tr->tid, in->args[2], (size_t)sc->rval);
		if (rc && rc != -ESRCH)
			sf_error("giving %d its CPU set: %s", tr->tid, strerror(-rc));
	}
}

static struct sf_next on_syscall_exit(struct sf_engine *e, struct sf_tracee *tr, struct sf_syscall *sc)
{
	tr->in_syscall = false;
	tr->wants_exit_stop = false;
	if (tr->is_affinity_call)
		on_affinity_exit(e, tr, sc);
	if (tr->is_recording) {
		tr->is_recording = false;
		sf_log_result(e->record, tr->group->tgid, tr->tid, sc->rval);
	}
	if (tr->wants_result_at_exit && tr->rule) {
		int rc = e->regs->set_return(tr->tid, sc, sf_action_result(&tr->rule->action));
		if (rc && rc != -ESRCH)
			sf_error("setting the result of %d: %s", tr->tid, strerror(-rc));
	}
	tr->is_tampered = false;
	tr->wants_result_at_exit = false;
	tamper_args_at_exit(e, tr);
	if (tr->wants_delay_exit && tr->rule) {
		tr->wants_delay_exit = false;
		return SF_HOLD(tr->rule->action.delay_exit_ns, 0);
	}
	return SF_RESUME(0);
}

struct sf_next sf_syscall_stop(struct sf_engine *e, struct sf_tracee *tr)
{
	struct sf_syscall sc;

	if (!tr->is_exec_done)
		return SF_RESUME(0);
	int rc = read_stop(e, tr, &sc);
	if (rc == -ESRCH)
		return SF_KEEP;   /* it died under us; its exit status follows */
	if (rc)
		return SF_RESUME(0);
	bool is_entry = sc.op == SF_OP_ENTRY || (sc.op == SF_OP_NONE && !tr->in_syscall);
	return is_entry ? on_syscall_entry(e, tr, &sc) : on_syscall_exit(e, tr, &sc);
}

static int read_seccomp_stop(struct sf_engine *e, struct sf_tracee *tr, struct sf_syscall *sc)
{
	unsigned long data = 0;
	int rc = read_stop(e, tr, sc);

	if (rc == 0 && sc->op != SF_OP_SECCOMP) {
		/* The GETREGSET back end cannot tell the stop: ask for the filter's data. */
		sc->op = SF_OP_SECCOMP;
		if (ptrace(PTRACE_GETEVENTMSG, tr->tid, NULL, &data) == 0)
			sc->seccomp_data = (uint32_t)data;
	}
	return rc;
}

/* The child's hand-over call (launch.c), the one stop of sysfault's own code that matters. */
static void take_handover(struct sf_engine *e, struct sf_tracee *tr)
{
	struct sf_syscall sc;

	if (tr->tid != e->main_pid || read_seccomp_stop(e, tr, &sc) != 0)
		return;
	if (sc.seccomp_data == SF_SECCOMP_HANDOVER && sc.abi == SF_ABI_X86_64)
		sf_notify_take(e, tr->tid, (int)sc.args[0]);
}

struct sf_next sf_seccomp_stop(struct sf_engine *e, struct sf_tracee *tr)
{
	struct sf_syscall sc;

	if (!tr->is_exec_done) {
		/* sysfault's own calls before the command's exec run untouched. */
		if (e->notify.is_awaited)
			take_handover(e, tr);
		return SF_RESUME(0);
	}
	/* A point run past its point has nothing to read here, unless an affinity call may come. */
	if (sf_engine_point_is_behind(e) && !e->placement.is_pinned)
		return SF_RESUME(0);
	int rc = read_seccomp_stop(e, tr, &sc);
	if (rc == -ESRCH)
		return SF_KEEP;
	if (rc || (sf_engine_point_is_behind(e) && !sf_placement_watches(sc.abi, sc.nr)))
		return SF_RESUME(0);
	return on_syscall_entry(e, tr, &sc);
}
