/*
 * strace's syscall set grammar: comma-separated names, numbers, %classes,
 * /regex, with leading `!` negation, `?` tolerance for names unknown on an
 * ABI, `@64`/`@32`/`@x32` ABI suffixes, and `all` / `none`.
 */
#ifndef SF_SYSSET_H
#define SF_SYSSET_H

#include <stdbool.h>
#include <stddef.h>

#include "rules/rule.h"

/* The longest set text: every name of every ABI with its @ suffix takes about 22000 bytes. */
#define SF_SYSSET_TEXT_MAX 65536

/*
 * Parses the whole list TEXT into SET (cleared first).  Returns 0, or -1
 * with a one-line reason (naming the bad token and a suggestion) in WHY.
 */
/* Whether S is one or more decimal digits and nothing else: how strace writes a number. */
bool sf_is_decimal(const char *s);

int sf_sysset_parse(struct sf_sysset *set, const char *text, char *why, size_t whylen);

/* Adds one token (no commas, no leading `!`); same return convention. */
int sf_sysset_add_token(struct sf_sysset *set, const char *token, char *why, size_t whylen);

/*
 * Adds to SET the syscalls whose names match the POSIX extended regex RE,
 * on ABI ONLY_ABI or on every ABI (-1).  Returns 1 if some matched, 0 if
 * none, -1 with WHY for a bad or too costly regex (sysset_regex.c: it is
 * compiled in a child process, fork(2), with its memory and time bounded).
 */
int sf_sysset_add_regex(struct sf_sysset *set, int only_abi, const char *re, char *why, size_t whylen);

/* Inverts SET on every ABI (for `!`), within the numbers each ABI names. */
void sf_sysset_invert(struct sf_sysset *set);

/* Whether SET selects nothing at all. */
int sf_sysset_is_empty(const struct sf_sysset *set);

/* Writes the names SET selects on ABI, comma-separated, to OUT. */
void sf_sysset_print(const struct sf_sysset *set, enum sf_abi abi, FILE *out);

#endif
