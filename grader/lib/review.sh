# shellcheck shell=bash
# review.sh - find code that an instructor should look at before trusting a
# score. Sourced after common.sh.

# grader_names_in: the lines of a submission that name the grader's own
# machinery: its environment (GRADER_*), Check's or Bats' variables, runner
# and assertions (CK_*, ck_*, BATS_*, srunner_*, suite_*, tcase_*, LAB_TEST),
# its results (results.json, *.tap), or another process's descriptors
# (/proc/PID/fd: the way into the Bats stream of the tests that run it). No lab
# needs them; code that does could try to forge results from inside the test
# process, which no in-process test framework can prevent.
# The files' names come on stdin, one per line, relative to the current folder.
grader_names_in() {
    local files=()
    mapfile -t files
    [ ${#files[@]} -gt 0 ] || return 0
    grep -nHIE '(^|[^A-Za-z0-9_])(GRADER_[A-Z_]+|CK_[A-Z_]+|_?ck_[a-z_]+|BATS_[A-Z_]+|srunner_[a-z_]+|tcase_[a-z_]+|suite_[a-z_]+|lab_add_test|lab_suite|lab_skip|LAB_TEST|lab_tests)|results\.json|\.tap\b|/proc/[^[:space:]"]*/fd|[Bb]ats' \
        -- "${files[@]}" 2>/dev/null | cut -c 1-200 | head -n 20 || true
}
