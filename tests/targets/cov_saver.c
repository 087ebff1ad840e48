/*
 * cov_saver: saves a line to FILE as an editor does, through FILE.tmp and a
 * rename, and handles each step's failure on lines of its own; built with
 * gcc's --coverage (the makefile) for explore --coverage.  The tests find
 * those lines by their comments: "fault: STEP" on the lines a failure of
 * STEP runs, "never: STEP" on the handler of a step the tests never fail.
 * report() runs only when a step failed.  Exit 0 when saved, 1 when a step
 * failed (a line on stderr), 2 for a usage mistake.
 * Usage: cov_saver FILE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int report(const char *what, const char *path, int err)
{
	fprintf(stderr, "cov_saver: %s %s: %s\n", what, path, strerror(err));   /* fault: report */
	return 1;
}

int main(int argc, char **argv)
{
	char tmp[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: cov_saver FILE\n");   /* never: usage */
		return 2;                                     /* never: usage */
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return report("cannot open", tmp, errno);   /* fault: open */
	if (write(fd, "saved\n", 6) != 6) {
		int err = errno;   /* fault: write */
		close(fd);         /* fault: write */
		unlink(tmp);       /* fault: write */
		return report("cannot write", tmp, err);   /* fault: write */
	}
	if (close(fd) < 0)
		return report("cannot close", tmp, errno);   /* never: close */
	if (rename(tmp, argv[1]) < 0) {
		int err = errno;   /* never: rename */
		unlink(tmp);       /* never: rename */
		return report("cannot rename", tmp, err);   /* never: rename */
	}
	return 0;
}
