/*
 * "Did you mean": one edit distance and one closeness rule for syscall,
 * errno, signal and class names, scenario and -e keys, and options.
 * Pure string work: no table is known here and nothing is printed.
 */
#include "rules/suggest.h"

#include <limits.h>
#include <stddef.h>
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
 * Case-insensitive Damerau-Levenshtein distance (optimal string alignment:
 * a swap of two neighbours counts 1, as in "wirte"); three rows suffice.
 */
static int edit_distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	int rows[3][SUGGEST_MAX_LEN + 2];
	int *before = rows[0], *prev = rows[1], *cur = rows[2];

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return INT_MAX;
	for (int j = 0; j <= lb; j++)
		prev[j] = j;
	for (int i = 1; i <= la; i++) {
		cur[0] = i;
		for (int j = 1; j <= lb; j++) {
			int cost = lower(a[i - 1]) != lower(b[j - 1]);
			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
			    lower(a[i - 2]) == lower(b[j - 1]) && before[j - 2] + 1 < cur[j])
				cur[j] = before[j - 2] + 1;
		}
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
	if (!sg->word || !*sg->word || !candidate || !spelling)
		return;
	if (strcmp(sg->word, spelling) == 0)
		return;
	int d = edit_distance(sg->word, spelling);
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
