# shellcheck shell=bash
# review.sh - find code that an instructor should look at before trusting a
# score: code that reaches for the grader, the host or the way tests run. No
# lab needs any of it, but for what a lab's manifest allows ("review_allow":
# lab 01 reads /proc/self/exe, say). Nothing here changes a score: the grader
# prevents what it can (see grader/README.md, the threat model); this names
# the rest. Sourced after common.sh and manifest.sh.

# The things looked for: NAME<TAB>WHY<TAB>REGEX (grep -E).
# (In a variable, read by bash: no process.)
IFS= read -r -d '' REVIEW_PATTERNS <<'EOF' || true
grader-names	names the grader's machinery (its variables, Check's or Bats' runner, the results)	(^|[^A-Za-z0-9_])(GRADER_[A-Z_]+|CK_[A-Z_]+|_?ck_[a-z_]+|BATS_[A-Z_]+|srunner_[a-z_]+|tcase_[a-z_]+|suite_[a-z_]+|lab_add_test|lab_suite|lab_skip|LAB_TEST|lab_tests)|results\.json|\.tap\b|[Bb]ats\b
other-process-fd	reaches into another process's descriptors	/proc/[^[:space:]"]*/fd
constructor	runs code before main or after exit	(__attribute__[[:space:]]*\(\([[:space:]]*(constructor|destructor)|\[\[[[:space:]]*gnu::(constructor|destructor))
redefinition	defines or undefines a name the tests or the C library use	^[[:space:]]*#[[:space:]]*(define|undef)[[:space:]]+(START_TEST|END_TEST|LAB_TEST[A-Z_]*|_?ck_[a-z_]+|fail_unless|fail_if|assert|exit|_exit|abort|main|str[a-z]*cmp|mem(cmp|cpy)|printf|fprintf|write|read)\b
symlink	makes symbolic links	(^|[^A-Za-z0-9_])symlink(at)?[[:space:]]*\(
kill-all	signals every process it can	(^|[^A-Za-z0-9_])kill[[:space:]]*\([[:space:]]*-1[[:space:]]*,
proc-self-exe	opens its own program file	/proc/self/exe
parent-path	names a path that climbs out of its folder	"[^"]*\.\./
trace	traces or writes into another process	(^|[^A-Za-z0-9_])(ptrace|process_vm_writev|PR_SET_PTRACER)[[:space:]]*\(
EOF
REVIEW_PATTERNS=${REVIEW_PATTERNS%$'\n'}
review_patterns() {
    printf '%s\n' "$REVIEW_PATTERNS"
}

# review_lab LAB SRC: one line per thing found in the student's files of LAB
# in SRC: "FILE:LINE: why: the line", at most 20.
review_lab() {
    local lab=$1 src=$2 name why regex file files=() allowed patterns any=()
    manifest_value patterns "$lab" student_files
    while read -r file; do
        [ -z "$file" ] || [ ! -f "$src/$file" ] || files+=("$file")
    done <<<"$patterns"
    [ ${#files[@]} -gt 0 ] || return 0
    manifest_value allowed "$lab" review_allow
    allowed=" ${allowed//$'\n'/ } "
    patterns=$REVIEW_PATTERNS
    while IFS=$'\t' read -r name why regex; do
        [[ $allowed == *" $name "* ]] || any+=(-e "$regex")
    done <<<"$patterns"
    # (Most submissions match none of them: one grep says so, instead of one per pattern.)
    [ ${#any[@]} -gt 0 ] && (cd "$src" && grep -qIE "${any[@]}" -- "${files[@]}" 2>/dev/null) || return 0
    while IFS=$'\t' read -r name why regex; do
        [[ $allowed == *" $name "* ]] && continue
        (cd "$src" && grep -nHIE -- "$regex" "${files[@]}" 2>/dev/null) | cut -c 1-160 |
            sed "s/^\([^:]*:[0-9]*:\)/\1 $why: /" || true
    done <<<"$patterns" | head -n 20
}
