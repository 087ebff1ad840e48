/* Workload (d) of tests/bench/run.sh: a small file for gcc to compile and link.
 * It pulls in a few libc headers so the compiler has some work to do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct word {
	char text[32];
	int count;
};

static int by_count(const void *a, const void *b)
{
	const struct word *x = a, *y = b;

	return y->count - x->count;
}

int main(int argc, char **argv)
{
	struct word words[64];
	int n = 0;

	for (int i = 1; i < argc && n < 64; i++) {
		int j;

		for (j = 0; j < n && strcmp(words[j].text, argv[i]) != 0; j++)
			;
		if (j == n) {
			snprintf(words[n].text, sizeof(words[n].text), "%s", argv[i]);
			words[n++].count = 0;
		}
		words[j].count++;
	}
	qsort(words, (size_t)n, sizeof(words[0]), by_count);
	for (int i = 0; i < n; i++)
		printf("%5d %s\n", words[i].count, words[i].text);
	return EXIT_SUCCESS;
}
