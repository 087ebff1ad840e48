/*
 * "Did you mean": the one rule that picks the known name nearest to a
 * misspelt one, for every kind of name sysfault reads.  It only compares
 * words; it never knows a table and never prints.
 */
#ifndef SF_SUGGEST_H
#define SF_SUGGEST_H

/*
 * The best candidate so far for one misspelt WORD.  A candidate is close
 * enough when its case-insensitive edit distance (a swap of neighbours
 * counting one edit) is at most a third of WORD's length, and at least 1;
 * on a tie the first candidate offered wins, so callers offer the likeliest
 * names first.
 */
struct sf_suggestion {
	const char *word;        /* what the user wrote */
	int limit;               /* largest distance still worth suggesting */
	const char *best;        /* nearest candidate so far, or NULL */
	int best_distance;       /* its distance; limit + 1 while there is none */
};

/* Starts a search for WORD (which must stay valid until the search ends). */
void sf_suggestion_init(struct sf_suggestion *sg, const char *word);

/*
 * Offers CANDIDATE, compared as SPELLING (the same string, or the part of
 * it a user may leave out a prefix of, as "USR1" for "SIGUSR1").  A
 * spelling equal to WORD is skipped: suggesting what was written helps
 * nobody.  NULL arguments are ignored, so table gaps need no test.
 */
void sf_suggestion_offer(struct sf_suggestion *sg, const char *candidate, const char *spelling);

/* The nearest word of the NULL-terminated WORDS to WORD, or NULL if none is close. */
const char *sf_suggest_word(const char *word, const char *const *words);

#endif
