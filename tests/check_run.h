/* check_run.h - how a Check suite program ends: run every test, return the
 * exit status automake's test driver reads (0 all passed, 1 otherwise). */
#ifndef FP8_CHECK_RUN_H
#define FP8_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int fp8_check_run(Suite *s)
{
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
