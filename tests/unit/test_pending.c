/*
 * Unit tests of pending signals (engine/pending.c): which of a held
 * thread's pending signals would act natively, and so end its delay.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "engine/pending.h"

#define BIT(sig) (1ull << ((sig) - 1))

static void test_pending__a_pending_signal_with_default_action_acts(void)
{
	struct sf_pending p = { .shared = BIT(SIGTERM) };
	CU_ASSERT_TRUE(sf_pending_acts(&p, 0));
	p = (struct sf_pending){ .thread = BIT(SIGUSR1), .caught = BIT(SIGUSR1) };
	CU_ASSERT_TRUE(sf_pending_acts(&p, 0));
}

static void test_pending__blocked_or_ignored_signals_do_not_act(void)
{
	struct sf_pending p = { .thread = BIT(SIGUSR2), .blocked = BIT(SIGUSR2) };
	CU_ASSERT_FALSE(sf_pending_acts(&p, 0));
	p = (struct sf_pending){ .shared = BIT(SIGHUP), .ignored = BIT(SIGHUP) };
	CU_ASSERT_FALSE(sf_pending_acts(&p, 0));
}

static void test_pending__default_ignored_signals_act_only_with_a_handler(void)
{
	struct sf_pending p = { .shared = BIT(SIGCHLD) | BIT(SIGWINCH) | BIT(SIGURG) | BIT(SIGCONT) };
	CU_ASSERT_FALSE(sf_pending_acts(&p, 0));
	p.caught = BIT(SIGCHLD);
	CU_ASSERT_TRUE(sf_pending_acts(&p, 0));
}

static void test_pending__the_excepted_signal_does_not_act(void)
{
	struct sf_pending p = { .thread = BIT(SIGUSR1) };
	CU_ASSERT_FALSE(sf_pending_acts(&p, SIGUSR1));
	p.thread |= BIT(SIGTERM);
	CU_ASSERT_TRUE(sf_pending_acts(&p, SIGUSR1));
}

/* /proc/self/status of this very thread: a blocked signal raised stays pending. */
static void test_pending__read_shows_a_pending_blocked_signal(void)
{
	sigset_t usr2, old;
	struct sf_pending p;

	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr2, &old);
	raise(SIGUSR2);
	CU_ASSERT_EQUAL(sf_pending_read(getpid(), &p), 0);
	CU_ASSERT((p.thread | p.shared) & BIT(SIGUSR2));
	CU_ASSERT(p.blocked & BIT(SIGUSR2));
	CU_ASSERT_FALSE(sf_pending_acts(&p, 0));
	signal(SIGUSR2, SIG_IGN);   /* discards it on unblocking */
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR2, SIG_DFL);
	CU_ASSERT_EQUAL(sf_pending_read(999999999, &p), -ENOENT);
}

void sf_test_register_pending(void)
{
	CU_pSuite s = CU_add_suite("unit_pending", NULL, NULL);

	CU_add_test(s, "a pending signal with a default action acts", test_pending__a_pending_signal_with_default_action_acts);
	CU_add_test(s, "blocked or ignored signals do not act", test_pending__blocked_or_ignored_signals_do_not_act);
	CU_add_test(s, "default-ignored signals act only with a handler", test_pending__default_ignored_signals_act_only_with_a_handler);
	CU_add_test(s, "the excepted signal does not act", test_pending__the_excepted_signal_does_not_act);
	CU_add_test(s, "read shows a pending blocked signal", test_pending__read_shows_a_pending_blocked_signal);
}
