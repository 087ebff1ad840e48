/*
 * The floor of a seccomp user notification on this machine, for the
 * notify rows of tests/bench/notify.sh: N getppid calls, each sent to a
 * listener that a thread of this same process reads and answers
 * CONTINUE (RECV, SEND; SYNC_WAKE_UP where the kernel has it), against
 * the same calls with no filter.  No tracer, no rules, no decision: what
 * is left is the kernel's notification round trip, which no supervisor's
 * loop gets under.  Prints "floor_us=F plain_us=P sync=0|1", microseconds
 * a call.  Usage: listener_floor [N]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "../targets/listen_on.h"

/* Linux 6.6; Debian 12's headers predate it. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1UL
#endif

static int listener = -1;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Answers every notification CONTINUE until the process exits. */
static void *answer_all(void *arg)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	(void)arg;
	pthread_mutex_lock(&lock);
	while (listener < 0)
		pthread_cond_wait(&ready, &lock);
	pthread_mutex_unlock(&lock);
	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
			continue;
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
	return NULL;
}

static double loop_us(int n)
{
	double t0 = now_us();
	for (int i = 0; i < n; i++)
		syscall(SYS_getppid);
	return (now_us() - t0) / n;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000;
	pthread_t t;

	if (n <= 0 || pthread_create(&t, NULL, answer_all, NULL) != 0)
		return 2;
	double plain = loop_us(n);
	/* Only this thread gets the filter (no TSYNC): the answering thread's calls never wait. */
	int fd = listen_on(SYS_getppid);
	if (fd < 0) {
		perror("listener_floor: seccomp");
		return 2;
	}
	int sync = ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0;
	pthread_mutex_lock(&lock);
	listener = fd;
	pthread_cond_signal(&ready);
	pthread_mutex_unlock(&lock);
	double floor = loop_us(n);
	printf("floor_us=%.2f plain_us=%.2f sync=%d\n", floor - plain, plain, sync);
	return 0;
}
