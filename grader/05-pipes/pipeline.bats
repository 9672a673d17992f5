#!/usr/bin/env bats
# pipeline.bats - tests of the program `pipeline`: it must give what `sh -c`
# gives for the same commands joined by |, and its commands must see the
# descriptors a shell would give them, no more.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

# Seconds a pipeline of short commands may take before it counts as hung.
DEADLINE=10

# "pipeline 'a b' 'c'" for messages.
quoted() {
    printf 'pipeline'
    printf " '%s'" "$@"
}

# Fail with what a hang means when the last run_within timed out.
fail_if_hung() {
    [ "$status" -eq 124 ] || return 0
    fail "$(printf '%s %s\n%s\n%s\n%s\n%s\n%s' "$(quoted "$@")" "$(hang_report)" \
        "Two usual causes:" \
        "- a reader never sees end-of-file: it comes only when EVERY write end of its pipe is" \
        "  closed. Close the unused ends in the parent after each fork(), and in each child." \
        "- a command is waited for before the next one starts: a writer whose pipe is full" \
        "  waits for a reader that does not exist yet. Start every command, then wait.")"
}

# One line, newlines shown as \n.
flat() {
    local text=${1:0:80}
    printf '%s' "${text//$'\n'/\\n}"
}

# same_as_sh 'SH COMMAND LINE' 'COMMAND' ...: compare pipeline's output and
# status with sh's; add a line to DIFFERENCES when they differ.
same_as_sh() {
    local line=$1 sh_output sh_status=0
    shift
    sh_output=$(sh -c "$line" 2>/dev/null </dev/null) || sh_status=$?
    run --separate-stderr run_within "$DEADLINE" "$(program pipeline)" "$@"
    fail_if_hung "$@"
    if [ "$output" != "$sh_output" ] || [ "$status" -ne "$sh_status" ]; then
        DIFFERENCES+=("$(printf '%s\n    gave status %s and output "%s"\n    sh -c "%s" gives status %s and output "%s"%s' \
            "$(quoted "$@")" "$status" "$(flat "$output")" "$line" "$sh_status" \
            "$(flat "$sh_output")" "${stderr:+$'\n    its stderr: '${stderr:0:200}}")")
    fi
}

# Fail with the first three differences, if any.
report_differences() {
    local count=${#DIFFERENCES[@]}
    [ "$count" -eq 0 ] && return 0
    [ "$count" -le 3 ] || DIFFERENCES=("${DIFFERENCES[@]:0:3}" "(and $((count - 3)) more)")
    fail "$(printf '%s\n' "${DIFFERENCES[@]}")"
}

# bats test_tags=points:2,section:2
@test "pipeline_gives_the_same_output_and_status_as_sh" {
    DIFFERENCES=()
    same_as_sh 'echo hello' 'echo hello'
    same_as_sh 'printf "one\ntwo\nthree\n" | sort -r | head -n 2' \
        'printf one\ntwo\nthree\n' 'sort -r' 'head -n 2'
    same_as_sh 'seq 1 1000 | grep 7 | wc -l' 'seq 1 1000' 'grep 7' 'wc -l'
    same_as_sh 'seq 5 | tac | head -n 1' 'seq 5' 'tac' 'head -n 1'
    same_as_sh 'yes | head -n 3' 'yes' 'head -n 3'
    same_as_sh 'false' 'false'
    same_as_sh 'true | false' 'true' 'false'
    same_as_sh 'false | true' 'false' 'true'
    same_as_sh 'echo abc | grep xyz' 'echo abc' 'grep xyz'
    same_as_sh 'ls /no-such-file-05 | wc -l' 'ls /no-such-file-05' 'wc -l'
    report_differences
}

# bats test_tags=points:3,section:2_3
@test "pipeline_lets_the_reader_see_end_of_file" {
    local commands
    for commands in "printf hello|wc -c" "seq 3|cat|cat|wc -l"; do
        local args=()
        IFS='|' read -r -a args <<<"$commands"
        run --separate-stderr run_within "$DEADLINE" "$(program pipeline)" "${args[@]}"
        fail_if_hung "${args[@]}"
        expect_status 0 "$(quoted "${args[@]}")"
    done
}

# bats test_tags=points:1,section:2_5
@test "pipeline_reports_128_plus_the_signal_that_killed_the_last_command" {
    DIFFERENCES=()
    # perl kills itself: kill(15, $$) is SIGTERM (143), kill(9, $$) SIGKILL (137).
    # shellcheck disable=SC2016 # $$ is perl's
    same_as_sh "true | perl -e 'kill(15,\$\$)'" 'true' 'perl -e kill(15,$$)'
    # shellcheck disable=SC2016
    same_as_sh "perl -e 'kill(9,\$\$)'" 'perl -e kill(9,$$)'
    same_as_sh "seq 1 100000 | head -n 1" 'seq 1 100000' 'head -n 1'
    report_differences
}

# bats test_tags=points:1,section:2_3
@test "pipeline_passes_more_data_than_a_pipe_holds" {
    DIFFERENCES=()
    same_as_sh 'seq 1 200000 | cat | wc -c' 'seq 1 200000' 'cat' 'wc -c'
    same_as_sh 'head -c 1000000 /dev/zero | cat | cat | wc -c' \
        'head -c 1000000 /dev/zero' 'cat' 'cat' 'wc -c'
    report_differences
}

# Lines of `ls -l /proc/self/fd` for descriptors other than 0, 1 and 2 and
# other than the listing's own directory.
extra_descriptors() {
    grep -E ' [0-9]+ -> ' <<<"$1" | grep -vE ' [012] -> ' | grep -vE -- '-> /proc/[0-9]+/fd$' |
        sed 's/.* \([0-9]* -> .*\)/\1/' || true
}

# bats test_tags=points:2,section:2_2
@test "commands_in_a_pipeline_see_only_descriptors_0_1_2" {
    local args wrong=() extra
    for args in "ls -l /proc/self/fd|cat" "true|ls -l /proc/self/fd|cat" "true|true|ls -l /proc/self/fd"; do
        local commands=()
        IFS='|' read -r -a commands <<<"$args"
        run --separate-stderr run_within "$DEADLINE" "$(program pipeline)" "${commands[@]}"
        fail_if_hung "${commands[@]}"
        expect_status 0 "$(quoted "${commands[@]}")"
        [[ $output == *' 0 -> '* ]] ||
            fail "$(quoted "${commands[@]}") printed no listing: $output"
        extra=$(extra_descriptors "$output")
        [ -z "$extra" ] || wrong+=("$(printf "in %s, ls had open:\n%s" \
            "$(quoted "${commands[@]}")" "    ${extra//$'\n'/$'\n'    }")")
    done
    [ ${#wrong[@]} -eq 0 ] || fail "$(printf '%s\n' "${wrong[@]}" \
        "A command should see only 0, 1 and 2: in each child, close the original descriptor" \
        "after dup2() and every pipe end the command does not use.")"
}

# bats test_tags=points:1,section:2_6
@test "pipeline_reports_a_command_that_cannot_be_run_with_127" {
    run --separate-stderr run_program "$(program pipeline)" 'echo hi' 'no-such-command-05'
    expect_status 127 "pipeline 'echo hi' 'no-such-command-05'"
    [[ $stderr == *no-such-command-05* ]] ||
        fail "expected a message naming no-such-command-05 on stderr, got: '$stderr'"
}

# bats test_tags=points:1,section:2_7
@test "pipeline_runs_clean_under_valgrind" {
    run_valgrind "$(program pipeline)" 'seq 1 1000' 'head -n 3'
}

# bats test_tags=points:0,section:2_1
@test "pipeline_rejects_an_empty_command_with_usage" {
    run --separate-stderr run_program "$(program pipeline)" 'echo a' '  '
    expect_status 2 "pipeline 'echo a' '  '"
    [[ $stderr == *usage:* ]] || fail "expected 'usage: ...' on stderr, got: $stderr"
    run --separate-stderr run_program "$(program pipeline)"
    expect_status 2 "pipeline without arguments"
}
