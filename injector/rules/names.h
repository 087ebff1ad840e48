/*
 * Name tables: syscalls per ABI (from libseccomp), strace's syscall classes
 * (generated from classes.in), errno names (glibc strerrorname_np) and
 * signal names (glibc sigabbrev_np).  Nothing here is typed by hand.
 */
#ifndef SF_NAMES_H
#define SF_NAMES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The ABIs a tracee on x86_64 can call through. */
enum sf_abi { SF_ABI_X86_64, SF_ABI_I386, SF_ABI_X32, SF_ABI_COUNT };

/*
 * Syscall numbers are kept below this bound on every ABI; x32 numbers are
 * stored without __X32_SYSCALL_BIT.
 */
#define SF_NR_LIMIT 1024
#define SF_X32_SYSCALL_BIT 0x40000000u

const char *sf_abi_name(enum sf_abi abi);        /* "x86_64", "i386", "x32" */
const char *sf_abi_designator(enum sf_abi abi);  /* strace's "@64", "@32", "@x32" without '@' */
/* ABI of a syscall from the syscall info's arch field and raw number; -1 if unknown. */
int sf_abi_from_arch(uint32_t audit_arch, uint64_t raw_nr);

/* Name of syscall NR on ABI, or NULL when the ABI has none by that number. */
const char *sf_syscall_name(enum sf_abi abi, unsigned nr);
/* Number of the syscall NAME on ABI, or -1. */
int sf_syscall_number(enum sf_abi abi, const char *name);

/* strace's classes ("%file", "%desc", ... and the legacy "file", ...). */
/* Looks up a class name; returns true and sets *mask. "all" has mask 0. */
bool sf_class_lookup(const char *name, unsigned *mask);
/* Whether syscall NR of ABI has every flag in MASK. */
bool sf_syscall_has_class(enum sf_abi abi, unsigned nr, unsigned mask);
/* The mask of %pure, for syscall= substitution. */
unsigned sf_class_pure(void);

/*
 * The kernel returns a failed call as -1..-SF_MAX_ERRNO (MAX_ERRNO in the
 * kernel's include/linux/err.h, strace's MAX_ERRNO_VALUE): a result in that
 * range is an error, and an errno outside 1..SF_MAX_ERRNO cannot be injected.
 */
#define SF_MAX_ERRNO 4095

/*
 * The kernel's own codes, ERESTARTSYS (512) to ERECALLCONFLICT (530) in
 * include/linux/errno.h ("should never be seen by user programs"): the
 * ERESTART* ones make the kernel restart the call when a signal is pending
 * (arch/x86/kernel/signal.c), the others stay inside it.  No real failure
 * looks so, and glibc has no names for them: they cannot be injected.
 */
#define SF_ERRNO_KERNEL_FIRST 512
#define SF_ERRNO_KERNEL_LAST 530

/* errno: number from "ENOSPC" (case-insensitive) or -1; name of 1..SF_MAX_ERRNO or NULL. */
int sf_errno_number(const char *name);
const char *sf_errno_name(int err);

/* Signals: "SIGINT", "INT", "sigint", "RTMIN+2", "SIGRTMAX-1" -> number, or -1. */
int sf_signal_number(const char *name);
/* "SIGINT", "SIGRTMIN+2"... written into BUF (at least 16 bytes); NULL if no such signal. */
const char *sf_signal_name(int signo, char *buf, unsigned size);

/*
 * Nearest known name to WORD for "did you mean" hints, or NULL if nothing is
 * close, by the rule of suggest.h.  Signals are compared without "SIG".
 */
const char *sf_suggest_syscall(const char *word);
const char *sf_suggest_errno(const char *word);
const char *sf_suggest_signal(const char *word);
const char *sf_suggest_class(const char *word);

#endif
