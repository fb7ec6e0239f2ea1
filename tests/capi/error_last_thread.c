/*
 * ws_error_last() belongs to the calling thread (common.h): a failure on
 * one thread and a success on another leave each its own answer. This is
 * why a caller whose runtime moves work between threads (Go) must pin the
 * thread from a call to its ws_error_last().
 */
#define _POSIX_C_SOURCE 200809L
#include <libworkspace/libworkspace.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int step;

static void wait_for(int s)
{
	pthread_mutex_lock(&mu);
	while (step < s) pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
}

static void advance(void)
{
	pthread_mutex_lock(&mu);
	step++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void *succeed_elsewhere(void *arg)
{
	char *out = NULL;
	(void)arg;
	wait_for(1);
	/* A success on this thread clears this thread's message only. */
	if (ws_name_sanitize("ok", &out) != WS_OK || strcmp(ws_error_last(), "") != 0) {
		fprintf(stderr, "the other thread's call did not succeed cleanly\n");
	}
	ws_string_free(out);
	advance();
	return NULL;
}

int main(void)
{
	pthread_t other;
	char *out = NULL;
	char failed[256];
	if (pthread_create(&other, NULL, succeed_elsewhere, NULL) != 0) return 2;
	if (ws_repos_normalize("not json", 0, &out) != WS_EINVALID) {
		fprintf(stderr, "expected WS_EINVALID\n");
		return 1;
	}
	snprintf(failed, sizeof failed, "%s", ws_error_last());
	advance();
	wait_for(2);
	pthread_join(other, NULL);
	if (failed[0] == '\0' || strcmp(ws_error_last(), failed) != 0) {
		fprintf(stderr, "this thread's message changed to \"%s\" (was \"%s\")\n", ws_error_last(), failed);
		return 1;
	}
	return 0;
}
