// SPDX-License-Identifier: GPL-2.0
/*
 * nfv_stop() is async-signal-safe and NFs call it from signal handlers
 * through a global pointer, which may name a handle nfv_close() already
 * freed (a second SIGTERM while the process exits; seen as an ASan
 * use-after-free that then deadlocked the NF).  It must only ever write
 * to open handles.  No nfvd needed.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <nfv/libnfv.h>
#include "kselftest_harness.h"

TEST(null_handle_is_harmless)
{
	nfv_stop(NULL);
}

/* Memory that is not an open handle (e.g. one closed and freed) is
 * left alone, byte for byte.
 */
TEST(unknown_handle_is_not_written)
{
	size_t len = 1 << 16;
	unsigned char *mem = malloc(len), *copy = malloc(len);

	ASSERT_NE(NULL, mem);
	ASSERT_NE(NULL, copy);
	memset(mem, 0xa5, len);
	memcpy(copy, mem, len);
	nfv_stop((struct nfv *)mem);
	EXPECT_EQ(0, memcmp(mem, copy, len));
	free(mem);
	free(copy);
}

static struct nfv *handle;

static void on_term(int sig)
{
	nfv_stop(handle);
}

/* A failed nfv_init() leaves nothing registered: the handler's pointer
 * is NULL and a signal is harmless.
 */
TEST(failed_init_then_signal)
{
	struct sigaction sa = { .sa_handler = on_term };

	handle = nfv_init(0, NULL);	/* service 0: refused */
	EXPECT_EQ(NULL, handle);
	ASSERT_EQ(0, sigaction(SIGTERM, &sa, NULL));
	ASSERT_EQ(0, raise(SIGTERM));
	signal(SIGTERM, SIG_DFL);
}

TEST_HARNESS_MAIN
