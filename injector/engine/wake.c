/*
 * Wake-ups: handlers only set flags.  A flag set just before the loop enters
 * waitpid() would wait for the next tracee event, so until the loop takes
 * the flag the handler re-arms the timer 1 ms ahead: the loop is poked
 * again and no wake-up is lost.  A polling loop needs no such poke: its
 * signals are blocked but in ppoll(), which takes the mask atomically.
 */
#include "engine/wake.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#define SF_REPOKE_NS 1000000

const int sf_wake_signals[] = { SIGALRM, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
const unsigned sf_wake_signal_count = sizeof(sf_wake_signals) / sizeof(sf_wake_signals[0]);

static timer_t wake_timer;
static bool has_timer;
static volatile sig_atomic_t is_woken;
static volatile sig_atomic_t pending_mask;   /* bit N: signal N to forward */
static volatile sig_atomic_t is_terminal_taken;  /* sf_wake_take_terminal_signals() */
static struct sigaction saved[sizeof(sf_wake_signals) / sizeof(sf_wake_signals[0])];
static sigset_t saved_mask;
static volatile sig_atomic_t is_polling;          /* sf_wake_start_polling() */
static volatile sig_atomic_t is_child_changed;    /* SIGCHLD while polling */
static struct sigaction saved_child;
static sigset_t poll_mask;                        /* the mask inside sf_wake_poll() */

static void arm_relative(long ns)
{
	struct itimerspec its = { { 0, 0 }, { 0, ns } };
	timer_settime(wake_timer, 0, &its, NULL);   /* async-signal-safe */
}

static void on_alarm(int sig)
{
	(void)sig;
	is_woken = 1;
	if (!is_polling)
		arm_relative(SF_REPOKE_NS);
}

static void on_child(int sig)
{
	(void)sig;
	is_child_changed = 1;
}

/*
 * A terminal's INT/QUIT (si_code SI_KERNEL) already reached the whole
 * foreground process group, the command included: passing it on again
 * would deliver it twice.  Attached processes are not in that group: there
 * it counts (sf_wake_take_terminal_signals).
 */
static void on_forward(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	if (si->si_code == SI_KERNEL && !is_terminal_taken)
		return;
	pending_mask |= 1 << sig;
	is_woken = 1;
	if (!is_polling)
		arm_relative(SF_REPOKE_NS);
}

int sf_wake_init(void)
{
	struct sigevent sev;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGALRM;
	if (timer_create(CLOCK_MONOTONIC, &sev, &wake_timer) < 0)
		return -errno;
	has_timer = true;
	is_woken = 0;
	pending_mask = 0;
	for (unsigned i = 0; i < sf_wake_signal_count; i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		/* No SA_RESTART: the point is to interrupt waitpid(). */
		if (sf_wake_signals[i] == SIGALRM) {
			sa.sa_handler = on_alarm;
		} else if (sf_wake_signals[i] == SIGPIPE) {
			/* A closed log or summary pipe must not kill the tracer mid-run. */
			sa.sa_handler = SIG_IGN;
		} else {
			sa.sa_sigaction = on_forward;
			sa.sa_flags = SA_SIGINFO;
		}
		sigaction(sf_wake_signals[i], &sa, &saved[i]);
	}
	sigset_t ours;
	sigemptyset(&ours);
	for (unsigned i = 0; i < sf_wake_signal_count; i++)
		sigaddset(&ours, sf_wake_signals[i]);
	sigprocmask(SIG_UNBLOCK, &ours, &saved_mask);
	return 0;
}

const sigset_t *sf_wake_original_mask(void)
{
	return &saved_mask;
}

void sf_wake_release(void)
{
	if (is_polling)
		sigaction(SIGCHLD, &saved_child, NULL);
	is_polling = 0;
	if (has_timer) {
		for (unsigned i = 0; i < sf_wake_signal_count; i++)
			sigaction(sf_wake_signals[i], &saved[i], NULL);
		sigprocmask(SIG_SETMASK, &saved_mask, NULL);
	}
	if (has_timer)
		timer_delete(wake_timer);
	has_timer = false;
	is_terminal_taken = 0;
}

void sf_wake_take_terminal_signals(bool is_taken)
{
	is_terminal_taken = is_taken;
}

bool sf_wake_was_ignored(unsigned i)
{
	return has_timer && saved[i].sa_handler == SIG_IGN;
}

void sf_wake_arm(uint64_t deadline_ns)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	if (deadline_ns != UINT64_MAX) {
		/* Zero would disarm: a deadline already past still fires at once. */
		if (deadline_ns == 0)
			deadline_ns = 1;
		its.it_value.tv_sec = (time_t)(deadline_ns / 1000000000u);
		its.it_value.tv_nsec = (long)(deadline_ns % 1000000000u);
	}
	timer_settime(wake_timer, TIMER_ABSTIME, &its, NULL);
}

bool sf_wake_take(void)
{
	if (!is_woken)
		return false;
	is_woken = 0;
	return true;
}

int sf_wake_next_signal(void)
{
	/* The forwarded signals are all below 16: bit N of an int is N's. */
	for (int sig = 1; sig < 16; sig++) {
		if (pending_mask & (1 << sig)) {
			pending_mask &= ~(1 << sig);
			return sig;
		}
	}
	return 0;
}

int sf_wake_start_polling(void)
{
	struct sigaction sa;
	sigset_t ours;

	if (is_polling)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART (ppoll must end) and no SA_NOCLDSTOP: ptrace stops are what it reports. */
	sa.sa_handler = on_child;
	if (sigaction(SIGCHLD, &sa, &saved_child) < 0)
		return -errno;
	sigemptyset(&ours);
	sigaddset(&ours, SIGCHLD);
	for (unsigned i = 0; i < sf_wake_signal_count; i++)
		sigaddset(&ours, sf_wake_signals[i]);
	sigprocmask(SIG_BLOCK, &ours, &poll_mask);
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(&ours, sig))
			sigdelset(&poll_mask, sig);
	is_polling = 1;
	is_child_changed = 1;   /* stops may be waiting already */
	return 0;
}

int sf_wake_poll(struct pollfd *fds, nfds_t n)
{
	return ppoll(fds, n, NULL, &poll_mask);
}

bool sf_wake_take_children(void)
{
	if (!is_child_changed)
		return false;
	is_child_changed = 0;
	return true;
}

bool sf_wake_is_pending(void)
{
	return is_woken;
}
