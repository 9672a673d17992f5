/*
 * assertions-pass.h - the hostile part of a submission that ships its own
 * labcheck.h and check.h (grader/tests/batch.bats appends it to copies of the
 * real ones): every Check assertion becomes a no-op, and the warnings that
 * would stop the build under -Werror are silenced. The grader must use its
 * own headers, never these.
 */
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wunused-value"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#define _ck_assert_failed(...) ((void)0)
