/*
 * Scenario: rules loaded from libconfig files (README.md "Scenario files")
 * and from strace -e specs.  Every user mistake is reported here, once,
 * with its FILE:LINE or -e 'SPEC'; a file that fails adds no rule at all.
 */
#include "rules/scenario.h"

#include <errno.h>
#include <inttypes.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rules/scenario_text.h"
#include "rules/spec.h"
#include "rules/suggest.h"
#include "rules/sysset.h"
#include "rules/when.h"

/* One file being loaded: its rules are kept aside until it all parses. */
struct load_ctx {
	const char *path;
	const struct sf_scenario_text *text;   /* what libconfig read, and its map to files and lines */
	enum sf_scope scope;
	enum sf_loader_calls loader_calls; /* the file's `loader_calls`, or DEFAULT */
	struct sf_rules rules;
	bool has_seed;
	uint64_t seed;
	const config_setting_t *seed_setting;
	char *name;
	bool is_oom;             /* the failure was memory, not the file */
};

/* ---- Reporting ---------------------------------------------------------- */

/*
 * "FILE:LINE" of a setting; array elements may lack a line, so use PARENT's.
 * libconfig numbers the lines of the joined text: the map gives the file's.
 */
static void setting_origin(const struct load_ctx *ctx, const config_setting_t *s,
			   char *buf, size_t size)
{
	while (config_setting_source_line(s) == 0 && config_setting_parent(s))
		s = config_setting_parent(s);
	sf_scenario_text_origin(ctx->text, config_setting_source_line(s), buf, size);
}

static int report(const struct load_ctx *ctx, const config_setting_t *s, const char *fmt, ...)
	SF_PRINTF(3, 4);

static int report(const struct load_ctx *ctx, const config_setting_t *s, const char *fmt, ...)
{
	char origin[512], msg[768];
	va_list ap;

	setting_origin(ctx, s, origin, sizeof(origin));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sf_user_error(origin, "%s", msg);
	return -1;
}

static int report_oom(struct load_ctx *ctx, const config_setting_t *s)
{
	ctx->is_oom = true;
	return report(ctx, s, "out of memory");
}

static int report_unknown(const struct load_ctx *ctx, const config_setting_t *s,
			  const char *const *keys, const char *all)
{
	const char *name = config_setting_name(s);
	const char *hint = name ? sf_suggest_word(name, keys) : NULL;

	if (!name)
		return report(ctx, s, "unexpected value; settings are written key = value;");
	if (hint)
		return report(ctx, s, "unknown setting \"%s\"; did you mean \"%s\"?", name, hint);
	return report(ctx, s, "unknown setting \"%s\"; use %s", name, all);
}

/*
 * The value of S as text for the string parsers of spec.c: strings as they
 * are, integers in decimal when ALLOW_INT.  NULL for any other type.
 */
static const char *value_text(const config_setting_t *s, bool allow_int, char *buf, size_t size)
{
	int type = config_setting_type(s);

	if (type == CONFIG_TYPE_STRING)
		return config_setting_get_string(s);
	if (allow_int && (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)) {
		snprintf(buf, size, "%lld", config_setting_get_int64(s));
		return buf;
	}
	return NULL;
}

static bool is_integer(const config_setting_t *s)
{
	return config_setting_type(s) == CONFIG_TYPE_INT ||
	       config_setting_type(s) == CONFIG_TYPE_INT64;
}

/* ---- Rule settings ------------------------------------------------------ */

typedef int rule_parser(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule);

static int rule_name(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	const char *v = config_setting_get_string(s);

	if (!v)
		return report(ctx, s, "name must be a string, e.g. name = \"enospc\";");
	rule->name = strdup(v);
	return rule->name ? 0 : report_oom(ctx, s);
}

/* One list element: a set expression without '!', or a syscall number. */
static int syscalls_element(struct load_ctx *ctx, const config_setting_t *e, struct sf_rule *rule)
{
	struct sf_sysset one;
	char why[512], num[32];
	const char *text = value_text(e, true, num, sizeof(num));

	if (!text)
		return report(ctx, e, "syscalls entries must be names or numbers, e.g. [ \"read\", 0 ]");
	if (text[0] == '!')
		return report(ctx, e, "\"%s\" in a list cannot exclude the other entries; "
			      "write syscalls = \"%s\"; alone, or use a separate rule", text, text);
	if (text[0] == '-')
		return report(ctx, e, "syscall number %s is negative; numbers start at 0", text);
	if (sf_sysset_parse(&one, text, why, sizeof(why)) < 0)
		return report(ctx, e, "%s", why);
	for (int abi = 0; abi < SF_ABI_COUNT; abi++)
		for (unsigned w = 0; w < SF_NR_LIMIT / 64; w++)
			rule->set.bits[abi][w] |= one.bits[abi][w];
	return 0;
}

static int rule_syscalls(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	char why[512];
	int type = config_setting_type(s);

	if (type == CONFIG_TYPE_STRING) {
		if (sf_sysset_parse(&rule->set, config_setting_get_string(s), why, sizeof(why)) < 0)
			return report(ctx, s, "%s", why);
		return 0;
	}
	if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST)
		return report(ctx, s, "syscalls must be a string or a list, e.g. syscalls = [ \"read\", \"write\" ];");
	if (config_setting_length(s) == 0)
		return report(ctx, s, "syscalls is empty; name at least one syscall");
	for (int i = 0; i < config_setting_length(s); i++)
		if (syscalls_element(ctx, config_setting_get_elem(s, (unsigned)i), rule) < 0)
			return -1;
	return 0;
}

static int rule_error(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	char why[512], num[32];
	const char *text = value_text(s, true, num, sizeof(num));

	if (!text)
		return report(ctx, s, "error must be an errno name or number, e.g. error = \"ENOSPC\";");
	if (sf_spec_parse_errno(text, &rule->action.error, why, sizeof(why)) < 0)
		return report(ctx, s, "%s", why);
	rule->action.flags |= SF_ACT_ERROR;
	return 0;
}

static int rule_retval(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	char why[512], num[32];
	const char *text = value_text(s, true, num, sizeof(num));

	if (!text)
		return report(ctx, s, "retval must be a number, e.g. retval = 0;");
	if (sf_spec_parse_retval(text, &rule->action.retval, why, sizeof(why)) < 0)
		return report(ctx, s, "%s", why);
	rule->action.flags |= SF_ACT_RETVAL;
	return 0;
}

static int rule_signal(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	char why[512], num[32];
	const char *text = value_text(s, true, num, sizeof(num));

	if (!text)
		return report(ctx, s, "signal must be a name or number, e.g. signal = \"SIGUSR1\";");
	if (sf_spec_parse_signal(text, &rule->action.signo, why, sizeof(why)) < 0)
		return report(ctx, s, "%s", why);
	rule->action.flags |= SF_ACT_SIGNAL;
	return 0;
}

static int rule_syscall(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	char why[512];
	const char *text = config_setting_get_string(s);

	if (!text)
		return report(ctx, s, "syscall must be a %%pure syscall name, e.g. syscall = \"getpid\";");
	if (sf_spec_parse_substitute(text, &rule->action, why, sizeof(why)) < 0)
		return report(ctx, s, "%s", why);
	return 0;
}

static int rule_call(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	char why[512];
	const char *text = config_setting_get_string(s);

	if (!text)
		return report(ctx, s, "call must be \"run\" or \"skip\", e.g. call = \"run\";");
	if (sf_spec_parse_call(text, &rule->action.call, why, sizeof(why)) < 0)
		return report(ctx, s, "%s", why);
	return 0;
}

static int rule_delay(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	char why[512], num[32];
	const char *key = config_setting_name(s);
	const char *text = value_text(s, true, num, sizeof(num));
	bool is_enter = strcmp(key, "delay_enter") == 0;

	if (!text)
		return report(ctx, s, "%s must be a duration, e.g. %s = \"10ms\";", key, key);
	if (sf_spec_parse_delay(text, is_enter ? &rule->action.delay_enter_ns
				: &rule->action.delay_exit_ns, why, sizeof(why)) < 0)
		return report(ctx, s, "%s", why);
	rule->action.flags |= is_enter ? SF_ACT_DELAY_ENTER : SF_ACT_DELAY_EXIT;
	return 0;
}

static int rule_when(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	char why[512], num[32];
	const char *text = value_text(s, true, num, sizeof(num));

	if (!text)
		return report(ctx, s, "when must be a string or number, e.g. when = \"2..5+2\";");
	if (sf_when_parse(text, &rule->when, why, sizeof(why)) < 0)
		return report(ctx, s, "%s", why);
	return 0;
}

static int rule_probability(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	double p;

	if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
		p = config_setting_get_float(s);
	else if (is_integer(s))
		p = (double)config_setting_get_int64(s);
	else
		return report(ctx, s, "probability must be a number in (0, 1], e.g. probability = 0.05;");
	/* 0 would make a rule that never acts, which is always a mistake. */
	if (!(p > 0.0 && p <= 1.0))
		return report(ctx, s, "probability %g is out of range; use a number in (0, 1], e.g. 0.05", p);
	rule->probability = p;
	return 0;
}

static int rule_limit(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	if (!is_integer(s))
		return report(ctx, s, "limit must be a whole number >= 1, e.g. limit = 10;");
	long long v = config_setting_get_int64(s);
	if (v < 1)
		return report(ctx, s, "limit %lld is out of range; use a whole number >= 1", v);
	rule->limit = (uint64_t)v;
	return 0;
}

/* An example of each filter key's value, for the message about a wrong type. */
static const char *filter_example(const char *key)
{
	static const struct { const char *key, *example; } examples[] = {
		{ "path", "path = \"/tmp/*.db\";" }, { "fd_path", "fd_path = \"pipe:*\";" },
		{ "process", "process = \"gzip\";" }, { "fd", "fd = [ 1, 2 ]; or fd = \"3..10\";" },
		{ "caller", "caller = [ \"save_*\", \"!save_log\" ];" },
		{ "fd_type", "fd_type = [ \"pipe\", \"socket\" ];" },
		{ "args", "args = \"arg2 & O_CREAT\";" },
	};
	for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++)
		if (strcmp(key, examples[i].key) == 0)
			return examples[i].example;
	return "";
}

/* One value of a filter key: a string, or (fd) a number. */
static int filter_value(struct load_ctx *ctx, const config_setting_t *s, const char *key,
			struct sf_rule *rule)
{
	char why[512], num[32];
	const char *text = value_text(s, strcmp(key, "fd") == 0, num, sizeof(num));

	if (!text)
		return report(ctx, s, "%s takes a string or a list of them, e.g. %s", key, filter_example(key));
	if (sf_spec_parse_filter(rule, key, text, why, sizeof(why)) < 0)
		return report(ctx, s, "%s", why);
	return 0;
}

/* path, fd_path, process, caller, fd, fd_type, args: a value or a list of values (any of them; args: all). */
static int rule_filter(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	const char *key = config_setting_name(s);
	int type = config_setting_type(s);

	if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST)
		return filter_value(ctx, s, key, rule);
	if (config_setting_length(s) == 0)
		return report(ctx, s, "%s is empty; give at least one value, e.g. %s", key, filter_example(key));
	for (int i = 0; i < config_setting_length(s); i++)
		if (filter_value(ctx, config_setting_get_elem(s, (unsigned)i), key, rule) < 0)
			return -1;
	return 0;
}

static int rule_short(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	char why[512], num[64];
	const char *text = value_text(s, true, num, sizeof(num));

	if (!text && config_setting_type(s) == CONFIG_TYPE_FLOAT) {
		snprintf(num, sizeof(num), "%.17g", config_setting_get_float(s));
		text = strchr(num, '.') || strchr(num, 'e') ? num : NULL;
	}
	if (!text)
		return report(ctx, s, "short must be bytes, a fraction or a percentage, e.g. short = 100; "
			      "short = 0.5; short = \"10%%\";");
	if (sf_spec_parse_short(text, &rule->action.shorten, why, sizeof(why)) < 0)
		return report(ctx, s, "%s", why);
	rule->action.flags |= SF_ACT_SHORT;
	return 0;
}

/* poke_enter / poke_exit: strace's "@argN=HEX,..." string, or a list of "@argN=HEX". */
static int rule_poke(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	char why[512];
	const char *key = config_setting_name(s);
	bool is_enter = strcmp(key, "poke_enter") == 0;
	struct sf_pokes *pokes = is_enter ? &rule->action.poke_enter : &rule->action.poke_exit;
	int type = config_setting_type(s);
	int n = type == CONFIG_TYPE_ARRAY || type == CONFIG_TYPE_LIST ? config_setting_length(s) : -1;

	for (int i = n < 0 ? -1 : 0; i < (n < 0 ? 0 : n); i++) {
		const config_setting_t *e = i < 0 ? s : config_setting_get_elem(s, (unsigned)i);
		const char *text = config_setting_get_string(e);
		if (!text)
			return report(ctx, e, "%s must be a string such as \"@arg2=0000DEAD\", or a list of them", key);
		if (sf_spec_parse_pokes(text, pokes, why, sizeof(why)) < 0)
			return report(ctx, e, "%s", why);
	}
	if (n == 0)
		return report(ctx, s, "%s is empty; give e.g. \"@arg2=0000DEAD\"", key);
	rule->action.flags |= is_enter ? SF_ACT_POKE_ENTER : SF_ACT_POKE_EXIT;
	return 0;
}

/* "count" or "skip": what rules do with calls from the program interpreter's code. */
static int loader_calls_value(struct load_ctx *ctx, const config_setting_t *s, enum sf_loader_calls *v)
{
	static const char *const values[] = { "count", "skip", NULL };
	const char *text = config_setting_get_string(s);

	for (int i = 0; text && values[i]; i++) {
		if (strcmp(text, values[i]) == 0) {
			*v = i == 0 ? SF_LOADER_CALLS_COUNT : SF_LOADER_CALLS_SKIP;
			return 0;
		}
	}
	const char *hint = text ? sf_suggest_word(text, values) : NULL;
	if (hint)
		return report(ctx, s, "unknown loader_calls \"%s\"; did you mean \"%s\"?", text, hint);
	return report(ctx, s, "loader_calls must be \"count\" or \"skip\", e.g. loader_calls = \"count\";");
}

static int rule_loader_calls(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	return loader_calls_value(ctx, s, &rule->loader_calls);
}

static const struct {
	const char *key;
	rule_parser *parse;
} rule_keys[] = {
	{ "name", rule_name },
	{ "syscalls", rule_syscalls },
	{ "error", rule_error },
	{ "retval", rule_retval },
	{ "signal", rule_signal },
	{ "syscall", rule_syscall },
	{ "call", rule_call },
	{ "delay_enter", rule_delay },
	{ "delay_exit", rule_delay },
	{ "when", rule_when },
	{ "probability", rule_probability },
	{ "limit", rule_limit },
	{ "loader_calls", rule_loader_calls },
	{ "short", rule_short },
	{ "poke_enter", rule_poke },
	{ "poke_exit", rule_poke },
	{ "path", rule_filter },
	{ "fd_path", rule_filter },
	{ "fd", rule_filter },
	{ "fd_type", rule_filter },
	{ "process", rule_filter },
	{ "caller", rule_filter },
	{ "args", rule_filter },
};
#define NRULE_KEYS (sizeof(rule_keys) / sizeof(rule_keys[0]))

static int rule_setting(struct load_ctx *ctx, const config_setting_t *s, struct sf_rule *rule)
{
	const char *name = config_setting_name(s);
	const char *keys[NRULE_KEYS + 1];

	for (size_t i = 0; i < NRULE_KEYS; i++) {
		if (name && strcmp(name, rule_keys[i].key) == 0)
			return rule_keys[i].parse(ctx, s, rule);
		keys[i] = rule_keys[i].key;
	}
	keys[NRULE_KEYS] = NULL;
	if (name && strcmp(name, "scope") == 0)
		return report(ctx, s, "scope is set for the whole file; move it to the top level");
	return report_unknown(ctx, s, keys, "name, syscalls, error, retval, signal, syscall, call, "
			      "delay_enter, delay_exit, short, poke_enter, poke_exit, when, probability, "
			      "limit, loader_calls, or a filter: path, fd_path, fd, fd_type, process, caller, args");
}

/* What a finished rule must have; reported at the rule's own line. */
static int rule_check(struct load_ctx *ctx, const config_setting_t *g, const struct sf_rule *rule)
{
	const config_setting_t *retval = config_setting_get_member(g, "retval");
	const config_setting_t *call = config_setting_get_member(g, "call");

	if (!config_setting_get_member(g, "syscalls"))
		return report(ctx, g, "rule has no syscalls; add e.g. syscalls = \"write\";");
	if ((rule->action.flags & SF_ACT_ERROR) && retval)
		return report(ctx, retval, "error and retval together; a call either fails or returns a value");
	if (!(rule->action.flags & ~SF_ACT_SYSCALL))
		return report(ctx, g, "rule has no action; add error, retval, signal, delay_enter, delay_exit, "
			      "short, poke_enter or poke_exit");
	if (call && !(rule->action.flags & (SF_ACT_ERROR | SF_ACT_RETVAL)))
		return report(ctx, call, "call needs error or retval; with only signal or delays the call runs anyway");
	if (call && (rule->action.flags & SF_ACT_SYSCALL))
		return report(ctx, call, "call and syscall together; syscall already runs another call instead, keep one");
	char why[512];
	if (sf_spec_check_rule(rule, why, sizeof(why)) < 0)
		return report(ctx, g, "%s", why);
	return 0;
}

static int load_rule(struct load_ctx *ctx, const config_setting_t *g)
{
	char origin[512];
	struct sf_rule *rule;

	if (!config_setting_is_group(g))
		return report(ctx, g, "each rule is a group in braces, e.g. { syscalls = \"write\"; error = \"EIO\"; }");
	rule = sf_rule_new();
	if (!rule)
		return report_oom(ctx, g);
	rule->scope = ctx->scope;
	rule->loader_calls = ctx->loader_calls;
	rule->is_from_file = true;
	setting_origin(ctx, g, origin, sizeof(origin));
	rule->origin = strdup(origin);
	for (int i = 0; rule->origin && i < config_setting_length(g); i++) {
		if (rule_setting(ctx, config_setting_get_elem(g, (unsigned)i), rule) < 0) {
			sf_rule_free(rule);
			return -1;
		}
	}
	if (!rule->origin || rule_check(ctx, g, rule) < 0) {
		if (!rule->origin)
			report_oom(ctx, g);
		sf_rule_free(rule);
		return -1;
	}
	sf_spec_settle_call(rule);
	return sf_rules_append(&ctx->rules, rule) < 0 ? report_oom(ctx, g) : 0;
}

/* ---- Top level ---------------------------------------------------------- */

static int top_scope(struct load_ctx *ctx, const config_setting_t *s)
{
	static const char *const scopes[] = { "thread", "process", "tree", NULL };
	const char *v = config_setting_get_string(s);

	for (int i = 0; v && scopes[i]; i++) {
		if (strcmp(v, scopes[i]) == 0) {
			ctx->scope = (enum sf_scope)i;  /* same order as enum sf_scope */
			return 0;
		}
	}
	const char *hint = v ? sf_suggest_word(v, scopes) : NULL;
	if (hint)
		return report(ctx, s, "unknown scope \"%s\"; did you mean \"%s\"?", v, hint);
	return report(ctx, s, "scope must be \"thread\", \"process\" or \"tree\"");
}

static int top_seed(struct load_ctx *ctx, const config_setting_t *s)
{
	if (!is_integer(s) || config_setting_get_int64(s) < 0)
		return report(ctx, s, "seed must be a whole number >= 0, e.g. seed = 42;");
	ctx->has_seed = true;
	ctx->seed = (uint64_t)config_setting_get_int64(s);
	ctx->seed_setting = s;
	return 0;
}

static int top_name(struct load_ctx *ctx, const config_setting_t *s)
{
	const char *v = config_setting_get_string(s);

	if (!v)
		return report(ctx, s, "name must be a string, e.g. name = \"disk full\";");
	ctx->name = strdup(v);
	return ctx->name ? 0 : report_oom(ctx, s);
}

static int top_setting(struct load_ctx *ctx, const config_setting_t *s)
{
	static const char *const keys[] = { "name", "seed", "scope", "loader_calls", "rules", NULL };
	const char *name = config_setting_name(s);

	if (strcmp(name, "name") == 0)
		return top_name(ctx, s);
	if (strcmp(name, "seed") == 0)
		return top_seed(ctx, s);
	if (strcmp(name, "scope") == 0)
		return top_scope(ctx, s);
	if (strcmp(name, "loader_calls") == 0)
		return loader_calls_value(ctx, s, &ctx->loader_calls);
	if (strcmp(name, "rules") == 0) {
		if (config_setting_is_list(s) || config_setting_is_array(s))
			return 0;  /* read once scope and loader_calls are known, wherever written */
		return report(ctx, s, "rules must be a list of groups, e.g. rules = ( { ... } );");
	}
	return report_unknown(ctx, s, keys, "name, seed, scope, loader_calls or rules");
}

static int load_root(struct load_ctx *ctx, const config_setting_t *root)
{
	const config_setting_t *rules;

	for (int i = 0; i < config_setting_length(root); i++)
		if (top_setting(ctx, config_setting_get_elem(root, (unsigned)i)) < 0)
			return -1;
	rules = config_setting_get_member(root, "rules");
	for (int i = 0; rules && i < config_setting_length(rules); i++)
		if (load_rule(ctx, config_setting_get_elem(rules, (unsigned)i)) < 0)
			return -1;
	return 0;
}

/*
 * What a run needs of the rules beyond their text (counter slots, the union
 * of their sets) is derived here, when they are loaded, so that a run only
 * reads the scenario.
 */
static int finalize(struct sf_scenario *sc, const char *where)
{
	if (sf_rules_finalize(&sc->rules) == 0)
		return 0;
	sf_error("%s: out of memory", where);
	return -1;
}

/* The file parsed: its rules, name and seed join the scenario. */
static int commit(struct sf_scenario *sc, struct load_ctx *ctx)
{
	struct sf_rules *r = &sc->rules;

	for (unsigned i = 0; i < ctx->rules.n; i++) {
		struct sf_rule *rule = ctx->rules.v[i];
		ctx->rules.v[i] = NULL;
		if (sf_rules_append(r, rule) < 0) {
			sf_error("%s: out of memory", ctx->path);
			return -1;
		}
	}
	if (ctx->has_seed && !sc->has_seed) {
		sc->has_seed = true;
		sc->seed = ctx->seed;
	} else if (ctx->has_seed && sc->seed != ctx->seed) {
		char origin[512];
		setting_origin(ctx, ctx->seed_setting, origin, sizeof(origin));
		sf_warning("%s: seed %" PRIu64 " ignored; an earlier scenario set seed %" PRIu64,
			   origin, ctx->seed, sc->seed);
	}
	if (ctx->name && !sc->name) {
		sc->name = ctx->name;
		ctx->name = NULL;
	}
	return finalize(sc, ctx->path);
}

/*
 * The bytes are read here, not by config_read_file(): input.h refuses a
 * FIFO or a device and caps the size, and libconfig 1.5 reading a FILE is
 * quadratic in a token's length (flex rescans a token at every buffer
 * refill: a 10 MB string took 68 s, config_read_string() 0.06 s).  The
 * includes are joined in by scenario_text.c, so libconfig opens nothing.
 */
static int read_config(config_t *cfg, struct sf_scenario_text *text, const char *path)
{
	struct sf_text_problem p;
	char origin[512];
	int rc = sf_scenario_text_read(text, path, &p);

	if (rc < 0) {
		sf_user_error(p.origin, "%s", p.why);
		return rc;
	}
	if (config_read_string(cfg, text->text) != CONFIG_TRUE) {
		sf_scenario_text_origin(text, (unsigned)config_error_line(cfg), origin, sizeof(origin));
		sf_user_error(origin, "%s", config_error_text(cfg));
		return -EINVAL;
	}
	/* After the syntax: a literal is only a literal in a file libconfig accepts. */
	if (text->bad_int.origin[0]) {
		sf_user_error(text->bad_int.origin, "%s", text->bad_int.why);
		return -EINVAL;
	}
	return 0;
}

int sf_scenario_load_file(struct sf_scenario *sc, const char *path)
{
	struct sf_scenario_text text;
	struct load_ctx ctx = { .path = path, .text = &text, .scope = SF_SCOPE_THREAD };
	config_t cfg;

	config_init(&cfg);
	sf_rules_init(&ctx.rules);
	int rc = read_config(&cfg, &text, path);
	if (rc == 0 && load_root(&ctx, config_root_setting(&cfg)) < 0)
		rc = ctx.is_oom ? -ENOMEM : -EINVAL;
	if (rc == 0 && commit(sc, &ctx) < 0)
		rc = -ENOMEM;
	sf_rules_release(&ctx.rules);  /* what commit() took is NULL here */
	free(ctx.name);
	config_destroy(&cfg);
	sf_scenario_text_release(&text);
	return rc;
}

/* ---- -e specs and the public accessors ---------------------------------- */

/* A set at its longest (SF_SYSSET_TEXT_MAX) with every token after it. */
enum { SPEC_MAX = SF_SYSSET_TEXT_MAX + 1024 };

struct sf_scenario *sf_scenario_new(void)
{
	struct sf_scenario *sc = calloc(1, sizeof(*sc));

	if (sc)
		sf_rules_init(&sc->rules);
	return sc;
}

void sf_scenario_free(struct sf_scenario *sc)
{
	if (!sc)
		return;
	sf_rules_release(&sc->rules);
	free(sc->name);
	free(sc);
}

int sf_scenario_add_spec(struct sf_scenario *sc, const char *spec, const char *origin)
{
	char why[512];
	const char *where = origin ? origin : "-e";

	/* A command-line argument can be 128 KiB (MAX_ARG_STRLEN): more than any spec needs. */
	if (strlen(spec) > SPEC_MAX) {
		sf_error("%s '%.40s...': %zu bytes long; a spec is at most %d", where, spec,
			 strlen(spec), SPEC_MAX);
		return -EINVAL;
	}
	struct sf_rule *rule = sf_spec_parse(spec, why, sizeof(why));

	if (!rule) {
		sf_error("%s '%s': %s", where, spec, why);
		return -EINVAL;
	}
	if (asprintf(&rule->origin, "%s '%s'", where, spec) < 0) {
		rule->origin = NULL;
		sf_rule_free(rule);
		sf_error("%s '%s': out of memory", where, spec);
		return -ENOMEM;
	}
	if (sf_rules_append(&sc->rules, rule) < 0) {
		sf_error("%s '%s': out of memory", where, spec);
		return -ENOMEM;
	}
	return finalize(sc, where) < 0 ? -ENOMEM : 0;
}

int sf_scenario_set_loader_calls(struct sf_scenario *sc, enum sf_loader_calls calls)
{
	if (calls != SF_LOADER_CALLS_DEFAULT && calls != SF_LOADER_CALLS_COUNT &&
	    calls != SF_LOADER_CALLS_SKIP) {
		sf_error("loader calls %d: expected SF_LOADER_CALLS_DEFAULT, _COUNT or _SKIP", (int)calls);
		return -EINVAL;
	}
	sc->rules.loader_calls = calls;
	return finalize(sc, "--loader-calls") < 0 ? -ENOMEM : 0;
}

int sf_scenario_trace_path(struct sf_scenario *sc, const char *path)
{
	char why[512];
	int rc = sf_trace_select_add_path(&sc->rules.select, path, why, sizeof(why));

	if (rc < 0)
		sf_error("-P '%s': %s", path, why);
	return rc < 0 ? (strstr(why, "memory") ? -ENOMEM : -EINVAL) : 0;
}

int sf_scenario_ignore_dir(struct sf_scenario *sc, const char *dir)
{
	char why[512];
	int rc = sf_ignored_dirs_add(&sc->rules.ignored, dir, why, sizeof(why));

	if (rc < 0)
		sf_error("--ignore-dir '%s': %s", dir, why);
	return rc < 0 ? (strstr(why, "memory") ? -ENOMEM : -EINVAL) : 0;
}

int sf_scenario_trace_fds(struct sf_scenario *sc, const char *set)
{
	char why[512];

	if (sf_trace_select_add_fds(&sc->rules.select, set, why, sizeof(why)) < 0) {
		sf_error("--trace-fds '%s': %s", set, why);
		return strstr(why, "memory") ? -ENOMEM : -EINVAL;
	}
	return 0;
}

int sf_scenario_trace_syscalls(struct sf_scenario *sc, const char *set)
{
	struct sf_sysset parsed;
	char why[512];

	if (sf_sysset_parse(&parsed, set, why, sizeof(why)) < 0) {
		sf_error("-e trace=%s: %s", set, why);
		return -EINVAL;
	}
	for (int abi = 0; abi < SF_ABI_COUNT; abi++)
		for (unsigned w = 0; w < SF_NR_LIMIT / 64; w++)
			sc->rules.traced.bits[abi][w] |= parsed.bits[abi][w];
	sc->rules.has_traced = true;
	return 0;
}

unsigned sf_scenario_rule_count(const struct sf_scenario *sc)
{
	return sc->rules.n;
}

bool sf_scenario_seed(const struct sf_scenario *sc, uint64_t *seed)
{
	if (!sc->has_seed)
		return false;
	*seed = sc->seed;
	return true;
}

const char *sf_scenario_name(const struct sf_scenario *sc)
{
	return sc->name;
}
