/*
 * The public headers are C99: this file is compiled with -std=c99 -Wall
 * -Wextra -Werror -pedantic and linked against libworkspace.so. Running it
 * checks the version macros agree with the library.
 */
#include <libworkspace/libworkspace.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
	ws_callbacks callbacks = WS_CALLBACKS_INIT;
	(void)callbacks;
	if (strcmp(ws_version(), WS_VERSION) != 0) {
		fprintf(stderr, "header says %s, library says %s\n", WS_VERSION, ws_version());
		return 1;
	}
	return 0;
}
