/*
 * The tables gen-classes.sh generates from classes.in: strace's class names
 * with their bit masks, and the class mask of every syscall name listed
 * there.  Only names.c, list.c and their tests read these directly.
 */
#ifndef SF_CLASSES_H
#define SF_CLASSES_H

#include <stdbool.h>

/* A class spelling ("%file", "file", "%net", "all") and its mask. */
struct sf_class_name {
	const char *name;
	unsigned mask;           /* 0 only for "all" */
	bool is_alias;           /* another spelling of a class listed earlier */
};

/* A syscall name and the classes it belongs to. */
struct sf_class_member {
	const char *name;
	unsigned mask;
	bool may_be_unknown;     /* marked '?': newer than libseccomp 2.5.4 */
};

/* In the order of classes.in: each class first, then the aliases. */
extern const struct sf_class_name sf_class_names[];
extern const unsigned sf_class_name_count;

/* Sorted by name (strcmp order), for bsearch. */
extern const struct sf_class_member sf_class_members[];
extern const unsigned sf_class_member_count;

#endif
