/*
 * integ_after_call: failures the kernel could really produce.  With call=run
 * (and for close always, unless call=skip) the call runs and only its
 * result is replaced: a close that reports EIO has still closed the
 * descriptor (close(2)), a write or fsync that reports EIO has still
 * written.  Targets print what each call returned; the file or the pipe
 * shows what really happened.
 */
#include "harness.h"

#include <stdlib.h>
#include <unistd.h>

#define T 30.0

/* The writer's close of its write end: its second close since its fork (pipe_writer.c). */
#define WRITE_END_CLOSE "1.1/0:close:2:r1"

static void test_after_call__close_error_on_a_pipe_still_releases_it(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--timeout", "10s", "-e", "close:error=EIO",
		     "--point", WRITE_END_CLOSE, "--", sf_test_target("pipe_writer"), NULL);
	SF_ASSERT_PROC(p.status == 0 && !p.timed_out, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "close 1 ret=0"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "close 2 ret=-1 errno=EIO"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "reader bytes=2 eof"), &p);
	SF_ASSERT_PROC(strstr(p.err, "reached and injected") != NULL, &p);
	sf_proc_release(&p);
}

/* The opt-out gives the old skip: the write end stays open and the reader waits for ever. */
static void test_after_call__close_with_call_skip_keeps_the_pipe_open(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--timeout", "2s", "-e", "close:error=EIO:call=skip",
		     "--point", WRITE_END_CLOSE, "--", sf_test_target("pipe_writer"), NULL);
	SF_ASSERT_PROC(p.status == 124, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "close 2 ret=-1 errno=EIO"), &p);
	SF_ASSERT_PROC(sf_count_prefix(p.out, "reader ") == 0, &p);
	sf_proc_release(&p);
}

/* Runs file_writer on a fresh file under -e SPEC1 (and -e SPEC2); *DATA gets what the file holds. */
static struct sf_proc run_file_writer(const char *tag, char **data, const char *spec1, const char *spec2)
{
	const char *file = sf_test_tmpfile(tag, NULL);
	struct sf_proc p;

	unlink(file);
	if (spec2)
		sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", spec1, "-e", spec2, "--",
			     sf_test_target("file_writer"), file, NULL);
	else
		sf_proc_runl(&p, T, sf_test_sysfault(), "run", "-e", spec1, "--",
			     sf_test_target("file_writer"), file, NULL);
	*data = sf_read_file(file);
	unlink(file);
	return p;
}

static void test_after_call__write_and_fsync_run_then_report_eio(void)
{
	char *data = NULL;
	struct sf_proc p = run_file_writer("ran.txt", &data, "write:error=EIO:call=run:when=1",
					   "fsync:error=EIO:call=run");
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "write 1 ret=-1 errno=EIO"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "fsync 1 ret=-1 errno=EIO"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "close 1 ret=0"), &p);
	SF_ASSERT_PROC(data && !strcmp(data, "data\n"), &p);
	free(data);
	sf_proc_release(&p);
}

static void test_after_call__write_error_without_call_run_skips_the_write(void)
{
	char *data = NULL;
	struct sf_proc p = run_file_writer("skipped.txt", &data, "write:error=EIO:when=1", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "write 1 ret=-1 errno=EIO"), &p);
	SF_ASSERT_PROC(data && data[0] == '\0', &p);
	free(data);
	sf_proc_release(&p);
}

static void test_after_call__retval_replaces_the_result_of_a_call_that_ran(void)
{
	char *data = NULL;
	struct sf_proc p = run_file_writer("retval.txt", &data, "write:retval=1:call=run:when=1", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "write 1 ret=1"), &p);
	SF_ASSERT_PROC(data && !strcmp(data, "data\n"), &p);
	free(data);
	sf_proc_release(&p);
}

/* The inject event says "call":"run" or "call":"skip". */
static void test_after_call__log_says_whether_the_call_ran(void)
{
	const char *log = sf_test_tmpfile("after-call.log", NULL);
	const char *file = sf_test_tmpfile("logged.txt", NULL);
	struct sf_proc p;

	sf_proc_runl(&p, T, sf_test_sysfault(), "run", "--log", log, "-e", "write:error=EIO:when=1",
		     "-e", "fsync:error=EIO:call=run", "--", sf_test_target("file_writer"), file, NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	char *text = sf_read_file(log);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	const char *w = strstr(text, "\"syscall\":\"write\"");
	const char *f = strstr(text, "\"syscall\":\"fsync\"");
	CU_ASSERT(w && strstr(w, "\"call\":\"skip\"") && strstr(w, "\"call\":\"skip\"") < strchr(w, '\n'));
	CU_ASSERT(f && strstr(f, "\"call\":\"run\"") && strstr(f, "\"call\":\"run\"") < strchr(f, '\n'));
	CU_ASSERT_EQUAL(sf_count_lines_with(text, "\"call\":"), 2);
	free(text);
	unlink(file);
	sf_proc_release(&p);
}

/* The pipeline: every close failed in turn, and none of them hangs it. */
static void test_after_call__explore_finds_no_hang_in_a_pipeline(void)
{
	struct sf_proc p;
	sf_proc_runl(&p, 120.0, sf_test_sysfault(), "explore", "--points", "occurrence", "-j", "2", "--timeout", "5s",
		     "-e", "close:error=EIO", "--", "sh", "-c", "echo a | cat", NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_count_prefix(p.err, "sysfault: hang: ") == 0, &p);
	SF_ASSERT_PROC(strstr(p.err, " 0 hang, ") && strstr(p.err, "; 0 findings;"), &p);
	sf_proc_release(&p);
}

static void test_after_call__check_shows_whether_the_call_runs(void)
{
	const char *cfg = sf_test_tmpfile("call.cfg",
		"rules = (\n"
		"  { syscalls = \"close\"; error = \"EIO\"; },\n"
		"  { syscalls = \"write\"; error = \"EIO\"; call = \"run\"; },\n"
		"  { syscalls = \"close\"; error = \"EIO\"; call = \"skip\"; },\n"
		"  { syscalls = [ \"read\", \"close\" ]; error = \"EBADF\"; },\n"
		"  { syscalls = \"fsync\"; retval = 0; }\n"
		");\n");
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "check", cfg, NULL);
	SF_ASSERT_PROC(p.status == 0, &p);
	SF_ASSERT_PROC(sf_count_lines_with(p.out, "  action: error=EIO call=run") == 2, &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "  action: error=EIO call=skip"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "  action: error=EBADF call=run for close"), &p);
	SF_ASSERT_PROC(sf_has_line(p.out, "  action: retval=0"), &p);
	sf_proc_release(&p);
}

static void test_after_call__bad_combinations_are_one_line_and_125(void)
{
	REFUSED("sysfault: -e 'write:signal=SIGUSR1:call=run': call= needs error= or retval=",
		"run", "-e", "write:signal=SIGUSR1:call=run");
	REFUSED("sysfault: -e 'write:delay_enter=1ms:call=skip': call= needs error= or retval=",
		"run", "-e", "write:delay_enter=1ms:call=skip");
	REFUSED("sysfault: -e 'unlink:syscall=getpid:error=EPERM:call=run': call= and syscall= together",
		"run", "-e", "unlink:syscall=getpid:error=EPERM:call=run");
	REFUSED("sysfault: -e 'write:error=EIO:call=later': unknown call mode \"later\"",
		"run", "-e", "write:error=EIO:call=later");
	REFUSED("sysfault: -e 'fault=close:call=skip': fault= takes only error= and when=",
		"run", "-e", "fault=close:call=skip");

	const char *cfg = sf_test_tmpfile("call-bad.cfg",
		"rules = ( { syscalls = \"write\"; signal = \"SIGUSR1\"; call = \"run\"; } );\n");
	struct sf_proc p;
	sf_proc_runl(&p, T, sf_test_sysfault(), "check", cfg, NULL);
	SF_ASSERT_PROC(p.status == 125, &p);
	SF_ASSERT_PROC(sf_count_lines(p.err) == 1 && strstr(p.err, ":1: call needs error or retval; "), &p);
	sf_proc_release(&p);
}

void sf_test_register_integ_after_call(void)
{
	CU_pSuite s = CU_add_suite("integ_after_call", NULL, NULL);
	CU_add_test(s, "close error on a pipe still releases it",
		    test_after_call__close_error_on_a_pipe_still_releases_it);
	CU_add_test(s, "close with call=skip keeps the pipe open",
		    test_after_call__close_with_call_skip_keeps_the_pipe_open);
	CU_add_test(s, "write and fsync run, then report EIO",
		    test_after_call__write_and_fsync_run_then_report_eio);
	CU_add_test(s, "write error without call=run skips the write",
		    test_after_call__write_error_without_call_run_skips_the_write);
	CU_add_test(s, "retval replaces the result of a call that ran",
		    test_after_call__retval_replaces_the_result_of_a_call_that_ran);
	CU_add_test(s, "log says whether the call ran", test_after_call__log_says_whether_the_call_ran);
	sf_test_add_explore(s, "explore finds no hang in a pipeline",
		    test_after_call__explore_finds_no_hang_in_a_pipeline);
	CU_add_test(s, "check shows whether the call runs", test_after_call__check_shows_whether_the_call_runs);
	CU_add_test(s, "bad combinations are one line and 125",
		    test_after_call__bad_combinations_are_one_line_and_125);
}
