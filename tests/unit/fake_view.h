/*
 * Unit tests' call views (rules/filter.h): the answers a test does not
 * ask for are none, as the engine gives for a call it cannot read.
 */
#ifndef SF_TEST_FAKE_VIEW_H
#define SF_TEST_FAKE_VIEW_H

#include <stdbool.h>
#include <stddef.h>

static inline const char *sf_fake_no_path(void *ctx, unsigned i, bool resolved) { return NULL; }
static inline const char *sf_fake_no_fd_path(void *ctx, int fd) { return NULL; }
static inline int sf_fake_no_fd_type(void *ctx, int fd) { return -1; }
static inline const char *sf_fake_no_name(void *ctx) { return NULL; }

#endif
