/*
 * open_many: the workload of the filter rows of make bench (filters.sh).
 *   open_many --setup DIR N     creates DIR/f00000 .. f(N-1), empty (untimed)
 *   open_many DIR N OUT         N times: openat(DIR/fI) and close it, one
 *                               byte to fd 1, one byte to fd 3 (OUT)
 * Every call succeeds or fails alone: an injected failure changes nothing
 * that follows, so each runner makes the same calls.  fd 3 is OUT, opened
 * first, so a rule on fd 3 selects the writes to OUT and nothing else.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[4096];
	int setup = argc == 4 && strcmp(argv[1], "--setup") == 0;

	if (argc != 4)
		return 2;
	const char *dir = argv[1 + setup];
	int n = atoi(argv[2 + setup]);
	if (setup) {
		mkdir(dir, 0755);
		for (int i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/f%05d", dir, i);
			int fd = open(path, O_WRONLY | O_CREAT, 0644);
			if (fd < 0)
				return 1;
			close(fd);
		}
		return 0;
	}
	int out = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || (out != 3 && dup2(out, 3) != 3))
		return 1;
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%05d", dir, i);
		int fd = openat(AT_FDCWD, path, O_RDONLY);
		if (fd >= 0)
			close(fd);
		if (write(1, "x", 1) < 0 || write(3, "x", 1) < 0)
			continue;
	}
	return 0;
}
