/*
 * integ_process: sysfault as a process among others.  The command's exit
 * status comes back as is (128+N for death by signal N, 124 timeout, 126 not
 * executable, 127 not found); a delay in one process does not hold up its
 * sibling; job control still works; signals sent to sysfault reach the
 * command; killing sysfault leaves no process behind.
 */
#include "harness.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T 20.0

/* sysfault wants at least one rule; this one never fires in these targets. */
#define NO_OP "-e", "getppid:error=EIO:when=9999"

static int run_status(const char *way, const char *arg)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", sf_test_target("die"), way, arg, NULL);
	int status = p.status;
	if (p.timed_out)
		status = -1;
	sf_proc_release(&p);
	return status;
}

static void test_process__exit_status_is_passed_through(void)
{
	CU_ASSERT_EQUAL(run_status("exit", "0"), 0);
	CU_ASSERT_EQUAL(run_status("exit", "3"), 3);
	CU_ASSERT_EQUAL(run_status("exit", "124"), 124);
	CU_ASSERT_EQUAL(run_status("exit", "255"), 255);
}

static void test_process__death_by_signal_gives_128_plus_n(void)
{
	CU_ASSERT_EQUAL(run_status("signal", "SEGV"), 128 + SIGSEGV);
	CU_ASSERT_EQUAL(run_status("signal", "ABRT"), 128 + SIGABRT);
	CU_ASSERT_EQUAL(run_status("signal", "KILL"), 128 + SIGKILL);
	CU_ASSERT_EQUAL(run_status("signal", "TERM"), 128 + SIGTERM);
}

static void test_process__command_not_found_gives_127(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", "/nonexistent/sf-no-such-command", NULL);
	SF_ASSERT_PROC(p.status == 127, &p);
	SF_ASSERT_PROC(sf_has_line(p.err, "sysfault: cannot run '/nonexistent/sf-no-such-command': "
				   "No such file or directory"), &p);
	sf_proc_release(&p);
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", "sf-no-such-command-in-path", NULL);
	SF_ASSERT_PROC(p.status == 127, &p);
	SF_ASSERT_PROC(sf_count_prefix(p.err, "sysfault: cannot run") == 1 &&
		       sf_has_line(p.err, "sysfault: cannot run 'sf-no-such-command-in-path': "
				   "No such file or directory"), &p);
	sf_proc_release(&p);
}

static void test_process__command_not_executable_gives_126(void)
{
	const char *script = sf_test_tmpfile("not-executable", "#!/bin/sh\nexit 0\n");
	chmod(script, 0644);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", script, NULL);
	SF_ASSERT_PROC(p.status == 126, &p);
	SF_ASSERT_PROC(strstr(p.err, "Permission denied") &&
		       sf_count_prefix(p.err, "sysfault: cannot run") == 1, &p);
	sf_proc_release(&p);
}

static void write_script(const char *dir, const char *name, const char *text, mode_t mode)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* The PATH search is execvp's: on past entries that lack the name or cannot run it. */
static void test_process__path_search_is_execvps(void)
{
	char a[512], b[512];
	snprintf(a, sizeof(a), "%s", sf_test_tmpfile("path-a", NULL));
	snprintf(b, sizeof(b), "%s", sf_test_tmpfile("path-b", NULL));
	mkdir(a, 0755);
	mkdir(b, 0755);
	write_script(a, "sf-cmd", "#!/bin/sh\necho not executable\n", 0644);
	write_script(b, "sf-cmd", "#!/bin/sh\necho from-b \"$@\"\nexit 3\n", 0755);
	struct sf_proc p;
	sf_proc_sh(&p, T, "PATH=/nonexistent:%s:%s:/usr/bin:/bin exec %s run "
		   "-e getppid:error=EIO:when=9999 -- sf-cmd x y", a, b, sf_test_sysfault());
	SF_ASSERT_PROC(p.status == 3 && sf_has_line(p.out, "from-b x y"), &p);
	sf_proc_release(&p);
	/* Only a file that cannot run: execvp's EACCES, 126. */
	sf_proc_sh(&p, T, "PATH=/nonexistent:%s exec %s run -e getppid:error=EIO:when=9999 -- sf-cmd",
		   a, sf_test_sysfault());
	SF_ASSERT_PROC(p.status == 126 && strstr(p.err, "sf-cmd': Permission denied"), &p);
	sf_proc_release(&p);
}

/* A script without #! is handed to /bin/sh, as execvp does. */
static void test_process__script_without_shebang_runs_under_sh(void)
{
	const char *script = sf_test_tmpfile("no-shebang", "echo \"no shebang $1\"\nexit 5\n");
	chmod(script, 0755);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--", script, "arg1", NULL);
	SF_ASSERT_PROC(p.status == 5 && sf_has_line(p.out, "no shebang arg1"), &p);
	sf_proc_release(&p);
}

/*
 * The command starts with the signal mask and ignored signals sysfault
 * was started with (nohup's SIGHUP), not with sysfault's own handlers.
 */
static void test_process__command_inherits_ignored_signals_and_mask(void)
{
	struct sf_proc p;
	sf_proc_sh(&p, T, "trap '' HUP; grep -E '^Sig(Ign|Blk|Cgt)' /proc/self/status; "
		   "%s run -e getppid:error=EIO:when=9999 -- grep -E '^Sig(Ign|Blk|Cgt)' /proc/self/status",
		   sf_test_sysfault());
	SF_ASSERT_PROC(p.status == 0 && sf_count_lines(p.out) == 6, &p);
	char *second = p.out;
	for (int i = 0; i < 3 && second; i++)
		second = strchr(second, '\n') ? strchr(second, '\n') + 1 : NULL;
	SF_ASSERT_PROC(second && !strncmp(p.out, second, (size_t)(second - p.out)), &p);
	const char *line = strstr(p.out, "SigIgn:");
	unsigned long long mask = line ? strtoull(line + 7, NULL, 16) : 0;
	CU_ASSERT(mask & (1ull << (SIGHUP - 1)));
	CU_ASSERT(!(mask & (1ull << (SIGPIPE - 1))));
	sf_proc_release(&p);
}

static void test_process__timeout_kills_the_command_with_124(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--timeout", "300ms", "--",
		     sf_test_target("die"), "sleep", "10", NULL);
	SF_ASSERT_PROC(p.status == 124, &p);
	SF_ASSERT_PROC(p.seconds < 3.0, &p);
	sf_proc_release(&p);
}

static void test_process__timeout_not_reached_keeps_the_status(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--timeout", "30s", "--",
		     sf_test_target("die"), "exit", "5", NULL);
	SF_ASSERT_PROC(p.status == 5, &p);
	sf_proc_release(&p);
}

static void test_process__delay_in_one_process_does_not_hold_up_its_sibling(void)
{
	char v[32];
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid:delay_enter=800ms", "--",
		     sf_test_target("delay_pair"), NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	/* the delay was applied ... */
	SF_ASSERT_PROC(sf_line_kv(p.out, "slow getppid", "us", v, sizeof(v)) && atoll(v) >= 750000, &p);
	/* ... while the sibling's own calls stayed fast and ended first */
	SF_ASSERT_PROC(sf_line_kv(p.out, "fast getuid", "max_us", v, sizeof(v)) && atoll(v) < 400000, &p);
	SF_ASSERT_PROC(sf_line_kv(p.out, "fast getuid", "total_us", v, sizeof(v)) && atoll(v) < 400000, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "fast finished_first=1"), &p);
	sf_proc_release(&p);
}

static void test_process__delay_exit_in_one_process_does_not_hold_up_its_sibling(void)
{
	char v[32];
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid:delay_exit=800ms", "--",
		     sf_test_target("delay_pair"), NULL);
	SF_ASSERT_PROC(sf_line_kv(p.out, "slow getppid", "us", v, sizeof(v)) && atoll(v) >= 750000, &p);
	SF_ASSERT_PROC(sf_line_kv(p.out, "fast getuid", "max_us", v, sizeof(v)) && atoll(v) < 400000, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "fast finished_first=1"), &p);
	sf_proc_release(&p);
}

static void test_process__stop_and_continue_work_under_sysfault(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", "getppid:error=EIO", "--",
		     sf_test_target("stopcont"), NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "stopped=1"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "progress_while_stopped=0"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "continued=1"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "progress_after_continue=1"), &p);
	sf_proc_release(&p);
}

/* ---- sysfault started in the background, then signalled ---- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Starts sysfault in its own process group, stdout to OUT (or /dev/null). */
static pid_t spawn_sysfault(const char *out, char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		int fd = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	return pid;
}

/* Waits up to SECONDS for PID; its exit status, 128+N, or -1 (killed then). */
static int wait_status(pid_t pid, double seconds)
{
	int status;
	for (double end = now() + seconds; now() < end; usleep(10000))
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	kill(-pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static int wait_for_file(const char *path, double seconds)
{
	for (double end = now() + seconds; now() < end; usleep(10000))
		if (access(path, F_OK) == 0)
			return 1;
	return 0;
}

static void forward_signal(int sig, const char *expected_line)
{
	const char *ready = sf_test_tmpfile("sig-ready", NULL);
	const char *out = sf_test_tmpfile("sig-out", NULL);
	char *argv[] = {(char *)sf_test_sysfault(), "run", NO_OP, "--", (char *)sf_test_target("sig"),
			"wait", (char *)ready, NULL};
	pid_t pid = spawn_sysfault(out, argv);
	if (!wait_for_file(ready, 10)) {
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		CU_FAIL("the command never became ready under sysfault");
		return;
	}
	kill(pid, sig);                      /* sysfault only, not its group */
	int status = wait_status(pid, 10);
	char *text = sf_read_file(out);
	if (!text || !sf_has_line(text, expected_line))
		fprintf(stderr, "\n--- status %d, stdout:\n%s---\n", status, text ? text : "");
	CU_ASSERT_EQUAL(status, 0);
	CU_ASSERT(text && sf_has_line(text, expected_line));
	free(text);
}

static void test_process__sigint_to_sysfault_reaches_the_command(void)
{
	forward_signal(SIGINT, "signal SIGINT");
}

static void test_process__sigterm_to_sysfault_reaches_the_command(void)
{
	forward_signal(SIGTERM, "signal SIGTERM");
}

static void test_process__sighup_to_sysfault_reaches_the_command(void)
{
	forward_signal(SIGHUP, "signal SIGHUP");
}

static void test_process__sigterm_kills_a_command_that_does_not_catch_it(void)
{
	const char *out = sf_test_tmpfile("term-out", NULL);
	char *argv[] = {(char *)sf_test_sysfault(), "run", NO_OP, "--", (char *)sf_test_target("die"),
			"sleep", "10", NULL};
	pid_t pid = spawn_sysfault(out, argv);
	usleep(500000);
	kill(pid, SIGTERM);
	CU_ASSERT_EQUAL(wait_status(pid, 5), 128 + SIGTERM);
}

/* Whether PID is gone: no such process, or only a zombie left for init. */
static int is_gone(int pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	const char *paren = strrchr(buf, ')');
	return paren && (paren[2] == 'Z' || paren[2] == 'X');
}

static void test_process__sigkill_of_sysfault_leaves_no_process_behind(void)
{
	const char *pids = sf_test_tmpfile("spawner-pids", NULL);
	char *argv[] = {(char *)sf_test_sysfault(), "run", "-e", "getppid:error=EIO", "--",
			(char *)sf_test_target("spawner"), (char *)pids, "3", NULL};
	pid_t pid = spawn_sysfault(NULL, argv);

	/* the top process, 3 children and 3 grandchildren: 7 lines */
	char *text = NULL;
	for (double end = now() + 10; now() < end; usleep(20000)) {
		free(text);
		text = sf_read_file(pids);
		if (text && sf_count_lines(text) >= 7)
			break;
	}
	if (!text || sf_count_lines(text) != 7) {
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fprintf(stderr, "\n--- pid file:\n%s---\n", text ? text : "(none)");
		CU_FAIL("spawner did not record 7 processes under sysfault");
		free(text);
		return;
	}
	usleep(100000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	int alive = 0;
	for (double end = now() + 1.0; now() < end; usleep(20000)) {
		alive = 0;
		for (char *s = text; *s; s = strchr(s, '\n') + 1)
			alive += !is_gone(atoi(s));
		if (!alive)
			break;
	}
	if (alive)
		fprintf(stderr, "\n--- still there a second after sysfault was killed: %d of\n%s", alive, text);
	CU_ASSERT_EQUAL(alive, 0);
	for (char *s = text; *s; s = strchr(s, '\n') + 1)   /* never leave them to others */
		if (!is_gone(atoi(s)))
			kill(atoi(s), SIGKILL);
	free(text);
}

static void test_process__timeout_kills_the_whole_tree(void)
{
	const char *pids = sf_test_tmpfile("timeout-pids", NULL);
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", NO_OP, "--timeout", "1s", "--",
		     sf_test_target("spawner"), pids, "3", NULL);
	SF_ASSERT_PROC(p.status == 124 && p.seconds < 5.0, &p);
	char *text = sf_read_file(pids);
	SF_ASSERT_PROC(text && sf_count_lines(text) == 7, &p);
	int alive = 0;
	for (double end = now() + 1.0; text && now() < end; usleep(20000)) {
		alive = 0;
		for (char *s = text; *s; s = strchr(s, '\n') + 1)
			alive += !is_gone(atoi(s));
		if (!alive)
			break;
	}
	CU_ASSERT_EQUAL(alive, 0);
	for (char *s = text; text && *s; s = strchr(s, '\n') + 1)
		if (!is_gone(atoi(s)))
			kill(atoi(s), SIGKILL);
	free(text);
	sf_proc_release(&p);
}

void sf_test_register_integ_process(void)
{
	CU_pSuite s = CU_add_suite("integ_process", NULL, NULL);
	CU_add_test(s, "exit status is passed through", test_process__exit_status_is_passed_through);
	CU_add_test(s, "death by signal N gives 128+N", test_process__death_by_signal_gives_128_plus_n);
	CU_add_test(s, "command not found gives 127", test_process__command_not_found_gives_127);
	CU_add_test(s, "command not executable gives 126", test_process__command_not_executable_gives_126);
	CU_add_test(s, "PATH search is execvp's", test_process__path_search_is_execvps);
	CU_add_test(s, "script without #! runs under sh", test_process__script_without_shebang_runs_under_sh);
	CU_add_test(s, "command inherits ignored signals and mask", test_process__command_inherits_ignored_signals_and_mask);
	CU_add_test(s, "timeout kills the command with 124", test_process__timeout_kills_the_command_with_124);
	CU_add_test(s, "timeout not reached keeps the status", test_process__timeout_not_reached_keeps_the_status);
	CU_add_test(s, "delay_enter does not hold up a sibling", test_process__delay_in_one_process_does_not_hold_up_its_sibling);
	CU_add_test(s, "delay_exit does not hold up a sibling", test_process__delay_exit_in_one_process_does_not_hold_up_its_sibling);
	CU_add_test(s, "stop and continue work", test_process__stop_and_continue_work_under_sysfault);
	CU_add_test(s, "SIGINT to sysfault reaches the command", test_process__sigint_to_sysfault_reaches_the_command);
	CU_add_test(s, "SIGTERM to sysfault reaches the command", test_process__sigterm_to_sysfault_reaches_the_command);
	CU_add_test(s, "SIGHUP to sysfault reaches the command", test_process__sighup_to_sysfault_reaches_the_command);
	CU_add_test(s, "SIGTERM kills a command that does not catch it", test_process__sigterm_kills_a_command_that_does_not_catch_it);
	CU_add_test(s, "SIGKILL of sysfault leaves no process", test_process__sigkill_of_sysfault_leaves_no_process_behind);
	CU_add_test(s, "timeout kills the whole tree", test_process__timeout_kills_the_whole_tree);
}
