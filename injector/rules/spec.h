/*
 * strace's -e inject= / -e fault= syntax, pasted as is, turned into a rule.
 */
#ifndef SF_SPEC_H
#define SF_SPEC_H

#include <stddef.h>

#include "rules/rule.h"

/*
 * Parses SPEC ("inject=SET:...", "fault=SET:...", or "SET:..."). Returns a
 * new rule, or NULL with a one-line reason in WHY.
 */
struct sf_rule *sf_spec_parse(const char *spec, char *why, size_t whylen);

/*
 * Parses one action value shared with scenario files; each returns 0, or
 * -1 with a reason in WHY.
 */
int sf_spec_parse_errno(const char *text, int *err, char *why, size_t whylen);
int sf_spec_parse_retval(const char *text, uint64_t *val, char *why, size_t whylen);
int sf_spec_parse_signal(const char *text, int *signo, char *why, size_t whylen);
/* delay_enter= / delay_exit=: duration.h's grammar, a bare number in microseconds (strace). */
int sf_spec_parse_delay(const char *text, uint64_t *ns, char *why, size_t whylen);
/* syscall=NAME: a %pure syscall on every ABI where it exists. */
int sf_spec_parse_substitute(const char *text, struct sf_action *act, char *why, size_t whylen);
/* call=run / call=skip (sysfault's own): whether the call runs before its result is replaced. */
int sf_spec_parse_call(const char *text, enum sf_call_mode *mode, char *why, size_t whylen);

/* short=N bytes, a fraction 0.F or a percentage N% of the transfer. */
int sf_spec_parse_short(const char *text, struct sf_short *sh, char *why, size_t whylen);
/* poke_enter= / poke_exit=: strace's "@argN=HEX[,@argM=HEX...]", arguments from arg1. */
int sf_spec_parse_pokes(const char *text, struct sf_pokes *pokes, char *why, size_t whylen);
/*
 * A filter key of scenario files and -e specs alike (path, fd_path, fd,
 * fd_type, process, args): adds TEXT to RULE's filter.  Returns 1 when KEY
 * is no filter key, else 0 or -1 with WHY.
 */
int sf_spec_parse_filter(struct sf_rule *rule, const char *key, const char *text,
			 char *why, size_t whylen);
/*
 * Once the whole rule is read: filters and short= on calls that take what
 * they look at, short= without error or retval.  0, or -1 with WHY.
 */
int sf_spec_check_rule(const struct sf_rule *rule, char *why, size_t whylen);

/*
 * Fills RULE->action.runs_first from its call mode, set and action, once
 * the whole rule is read: every file and -e rule goes through it, so the
 * close default is the same whatever the syntax.
 */
void sf_spec_settle_call(struct sf_rule *rule);

#endif
