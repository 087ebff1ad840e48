/*
 * "Did you mean": one edit distance and one closeness rule for syscall,
 * errno, signal and class names, scenario and -e keys, and options.
 * Pure string work: no table is known here and nothing is printed.
 */
#include "rules/suggest.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Words longer than this are not worth a suggestion (and bound the rows). */
enum { SUGGEST_MAX_LEN = 63 };

static int min3(int a, int b, int c)
{
	int m = a < b ? a : b;
	return m < c ? m : c;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/*
 * S lower-cased into BUF, and in *LETTERS one bit per character it holds
 * (characters 64 apart share a bit); its length, or -1 when it is longer
 * than SUGGEST_MAX_LEN.
 */
static int lowered(const char *s, char *buf, uint64_t *letters)
{
	int n = 0;

	*letters = 0;
	for (; s[n]; n++) {
		if (n == SUGGEST_MAX_LEN)
			return -1;
		buf[n] = lower(s[n]);
		*letters |= UINT64_C(1) << (buf[n] & 63);
	}
	return n;
}

/*
 * Case-insensitive Damerau-Levenshtein distance (optimal string alignment:
 * a swap of two neighbours counts 1, as in "wirte"); three rows suffice.
 * A search compares every name of a table with each misspelt word, and
 * only distances up to BOUND can change its answer: past BOUND, BOUND + 1
 * is returned as soon as that is certain.  It is when the words hold more
 * than 2 x BOUND characters not in the other (an edit adds at most one
 * and takes away at most one), or once a whole row exceeds BOUND: no
 * row's minimum is below the row before (a swap costs at least the
 * diagonal it replaces).
 */
static int edit_distance(const char *word, const char *candidate, int bound)
{
	char a[SUGGEST_MAX_LEN], b[SUGGEST_MAX_LEN];
	uint64_t in_a, in_b;
	int la = lowered(word, a, &in_a), lb = lowered(candidate, b, &in_b);
	int rows[3][SUGGEST_MAX_LEN + 2];
	int *before = rows[0], *prev = rows[1], *cur = rows[2];

	if (la < 0 || lb < 0)
		return INT_MAX;
	if (__builtin_popcountll(in_a ^ in_b) > 2 * bound)
		return bound + 1;
	for (int j = 0; j <= lb; j++)
		prev[j] = j;
	for (int i = 1; i <= la; i++) {
		int row_min = cur[0] = i;
		for (int j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    before[j - 2] + 1 < cur[j])
				cur[j] = before[j - 2] + 1;
			if (cur[j] < row_min)
				row_min = cur[j];
		}
		if (row_min > bound)
			return bound + 1;
		int *t = before;
		before = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

void sf_suggestion_init(struct sf_suggestion *sg, const char *word)
{
	/* A third: "eror" (1 edit of 4) is a typo, "read" for "open" is another word. */
	int third = word ? (int)strlen(word) / 3 : 0;

	sg->word = word;
	sg->limit = third > 1 ? third : 1;
	sg->best = NULL;
	sg->best_distance = sg->limit + 1;
}

void sf_suggestion_offer(struct sf_suggestion *sg, const char *candidate, const char *spelling)
{
	/* Nothing beats a candidate equal but for case. */
	if (!sg->word || !*sg->word || !candidate || !spelling || sg->best_distance == 0)
		return;
	/*
	 * The distance is at least the difference in length: most names of a
	 * table are told apart by that alone, before any letter is compared.
	 */
	int bound = sg->best_distance - 1;
	size_t la = strlen(sg->word), lb = strlen(spelling);
	if (la > lb + (size_t)bound || lb > la + (size_t)bound)
		return;
	if (strcmp(sg->word, spelling) == 0)
		return;
	int d = edit_distance(sg->word, spelling, bound);
	if (d < sg->best_distance) {
		sg->best = candidate;
		sg->best_distance = d;
	}
}

const char *sf_suggest_word(const char *word, const char *const *words)
{
	struct sf_suggestion sg;

	sf_suggestion_init(&sg, word);
	for (; words && *words; words++)
		sf_suggestion_offer(&sg, *words, *words);
	return sg.best;
}
