#!/usr/bin/env bats
# student.bats - tests of the students' commands: make watch (driven in tmux,
# as a student would use it), make status, make hint, make handin, and the
# container's scripts. They work on copies of labs/ in the test file's own
# folder: labs/ itself is never modified. The tests share the results that the
# commands keep (graded again whenever the files differ), to grade less often:
# a state folder keeps one result per lab, so each result of lab 01 is also
# kept in a pool by its key, and put back when a test has the same files again.

load ../lib/assertions

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
LAB=01-memory-layout

setup() {
    cd "$ROOT" || return 1
    SUB="$BATS_FILE_TMPDIR/labs"
    rm -rf "$SUB"
    mkdir -p "$SUB"
    # (With their times: a test that grades the files another graded takes its results.)
    cp -Rp "labs/$LAB" "$SUB/"
    export STUDENT_STATE_DIR="$BATS_FILE_TMPDIR/state"
    rm -f "$STUDENT_STATE_DIR"/*.hint
    POOL="$BATS_FILE_TMPDIR/pool"
    take_kept_results
    TMUX_DIR=
}

teardown() {
    # (A file made immutable by a test: Bats could not remove it.)
    [ -z "${IMMUTABLE:-}" ] || chattr -i "$IMMUTABLE" 2>/dev/null || true
    if [ -n "$TMUX_DIR" ]; then
        tmux -S "$TMUX_DIR/socket" kill-server 2>/dev/null || true
        rm -rf "$TMUX_DIR"
    fi
    keep_results
}

# The key under which the commands keep the results of lab 01 of SUB (its files,
# the grader's; the same function as theirs).
key_of_sub() {
    # shellcheck disable=SC2016 # the script's own $1, $2 and $3
    bash -c 'source "$1" && fingerprint "$2" "$3"' key "$ROOT/grader/student/lib.sh" "$(cd "$SUB" && pwd)" "$LAB"
}

# keep_results: put lab 01's results of the state folder in the pool, when they
# are those of SUB's files as they are now.
keep_results() {
    local key
    key=$(cat "$STUDENT_STATE_DIR/$LAB.key" 2>/dev/null) || return 0
    [ "$key" = "$(key_of_sub)" ] || return 0
    mkdir -p "$POOL/$key"
    cp -p "$STUDENT_STATE_DIR/$LAB.json" "$STUDENT_STATE_DIR/$LAB.key" "$STUDENT_STATE_DIR/$LAB.log" "$POOL/$key/"
}

# take_kept_results: put the pool's results of SUB's files (if another test
# graded them) in the state folder. The commands check them as always: their
# key, and that no file of the lab is newer (so the tests copy files with cp -p).
take_kept_results() {
    local key
    key=$(key_of_sub)
    [ -d "$POOL/$key" ] || return 0
    mkdir -p "$STUDENT_STATE_DIR"
    cp -p "$POOL/$key/"* "$STUDENT_STATE_DIR/"
}

# points_of REGEX: the points of the lab 01 tests whose names match REGEX.
points_of() {
    grader/lib/list-tests "$LAB" | awk -F '\t' -v re="$1" '$1 ~ re {s += $2} END {print s + 0}'
}

# in_tmux COMMAND: run COMMAND in a terminal of its own (a detached tmux
# session, 160x50), from the repository. The pane stays when it ends.
in_tmux() {
    # A short path: a socket's path has at most 107 characters.
    TMUX_DIR=$(mktemp -d /tmp/student-bats.XXXXXX)
    tmux -S "$TMUX_DIR/socket" new-session -d -x 160 -y 50 -c "$ROOT" \
        "$1; echo \"[exited with status \$?]\"; cat"
}

pane() {
    tmux -S "$TMUX_DIR/socket" capture-pane -p -J "$@"
}

# wait_for_pane REGEX SECONDS: poll the pane until it matches REGEX (grep -E);
# fail after SECONDS (times TIMEOUT_SCALE), showing the pane.
wait_for_pane() {
    local deadline=$((SECONDS + $2 * ${TIMEOUT_SCALE:-1}))
    until pane | grep -Eq -- "$1"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            fail "$(printf 'after %s s the terminal does not show /%s/. It shows:\n%s' "$2" "$1" "$(pane)")"
        fi
        sleep 0.1
    done
}

watch_command() {
    echo "env STUDENT_STATE_DIR='$STUDENT_STATE_DIR' $1 make -s watch LAB=01 SRC='$SUB' $2"
}

@test "watch_shows_the_score_and_the_next_failing_test_with_its_hint" {
    in_tmux "$(watch_command '' '')"
    wait_for_pane "$LAB: score 0/[0-9]+, [0-9]+ of [0-9]+ tests pass" 120
    wait_for_pane "Next failing test \($(points_of '^parse_reads_start_and_end_as_hex$') points\): parse_reads_start_and_end_as_hex" 5
    wait_for_pane "returned -1 \(errno 38: Function not implemented\)" 5
    wait_for_pane "hint: handouts/$LAB.md §3.2 Parsing one line" 5
    wait_for_pane "Watching .*/labs/$LAB/ - save a file to grade again" 5
}

# watch_sees_saves ENV: start make watch (only the parse tests), save the
# solution's maps.c, then the stub's again: the score follows each save.
watch_sees_saves() {
    local all
    all=$(points_of '^parse_')
    in_tmux "$(watch_command "$1" "T=^parse_")"
    wait_for_pane "score 0/$all, 0 of [0-9]+ tests pass \(only the tests matching" 60
    cp "solutions/$LAB/maps.c" "$SUB/$LAB/maps.c"
    wait_for_pane "score $all/$all, ([0-9]+) of \1 tests pass" 60
    wait_for_pane "Every test passes" 5
    cp "labs/$LAB/maps.c" "$SUB/$LAB/maps.c"
    wait_for_pane "score 0/$all" 60
}

@test "watch_grades_again_when_a_file_is_saved" {
    command -v inotifywait >/dev/null || fail "inotifywait is not installed (inotify-tools)"
    watch_sees_saves ''
}

@test "watch_sees_a_save_by_polling_where_inotify_is_silent" {
    watch_sees_saves WATCH_POLL=1
}

@test "watch_shows_that_a_lab_does_not_compile_and_the_compiler_errors" {
    echo 'this is not C' >>"$SUB/$LAB/maps.c"
    in_tmux "$(watch_command '' "T=^parse_reads_start")"
    wait_for_pane "The lab does not compile" 60
    wait_for_pane "maps.c:[0-9]+:[0-9]+: error" 5
}

@test "watch_prints_plain_text_without_a_terminal" {
    in_tmux "$(watch_command '' "T=^parse_reads_start") | cat"
    wait_for_pane "score 0/" 60
    wait_for_pane "^-{20}" 5
    ! pane -e | grep -q $'\e\\[' || fail "escape codes in piped output: $(pane -e | cat -v)"
}

@test "status_names_the_next_failing_test_and_its_handout_section" {
    run grader/student/status --src "$SUB"
    assert_success
    assert_line --regexp "^$LAB +0/[0-9]+ +[0-9]+/[0-9]+ +parse_reads_start_and_end_as_hex - §3.2 Parsing one line$"
    assert_line "Next: $LAB - read handouts/$LAB.md, then make watch LAB=01"
}

@test "colours_only_on_a_terminal_and_never_with_NO_COLOR" {
    in_tmux "grader/student/status --src '$SUB'"
    wait_for_pane "^Next: " 60
    pane -e | grep -q $'\e\\[' || fail "no colour on a terminal: $(pane -e | cat -v)"
    tmux -S "$TMUX_DIR/socket" kill-server
    rm -rf "$TMUX_DIR"
    in_tmux "NO_COLOR=1 grader/student/status --src '$SUB'"
    wait_for_pane "^Next: " 60
    ! pane -e | grep -q $'\e\\[' || fail "colour despite NO_COLOR: $(pane -e | cat -v)"
}

@test "hint_goes_one_level_further_each_time_for_the_same_test" {
    run make -s hint LAB=01 SRC="$SUB"
    assert_success
    assert_line --partial "hint level 1 of 3"
    assert_line "  §3.2 Parsing one line"
    assert_line "      parse_reads_start_and_end_as_hex"
    assert_line --partial "Start with the first: parse_reads_start_and_end_as_hex"
    run make -s hint LAB=01 SRC="$SUB"
    assert_success
    assert_line --partial "hint level 2 of 3"
    assert_line --partial "returned -1 (errno 38: Function not implemented)"
    assert_line --regexp "^  .*/labs/$LAB/maps.c:[0-9]+: +/\* TODO \(handout section 3\.2\)"
    run make -s hint LAB=01 SRC="$SUB"
    assert_success
    assert_line --partial "hint level 3 of 3"
    assert_line --regexp "grader/$LAB/check_maps.c:[0-9]+"
    assert_line --regexp '^ +LAB_TEST\(parse_reads_start_and_end_as_hex, '
    assert_line --regexp '^ +END_TEST$'
    run make -s hint LAB=01 SRC="$SUB"
    assert_success
    assert_line --partial "hint level 3 of 3"
    run make -s hint LAB=01 LEVEL=1 SRC="$SUB"
    assert_line --partial "hint level 1 of 3"
}

@test "status_grades_a_lab_again_only_when_its_files_change" {
    run grader/student/status --src "$SUB"
    assert_success
    local json="$STUDENT_STATE_DIR/$LAB.json" graded
    # (The results' time to the nanosecond: a new grading writes them anew.)
    graded=$(stat -c %y "$json")
    run grader/student/status --src "$SUB"
    assert_success
    assert_equal "$(stat -c %y "$json")" "$graded"
    # (No kept results taken: the change must be graded here.)
    cp -p "solutions/$LAB/maps.c" "$SUB/$LAB/maps.c"
    run grader/student/status --src "$SUB"
    assert_success
    [ "$(stat -c %y "$json")" != "$graded" ] || fail "a changed maps.c was not graded again"
    assert_line --regexp "^$LAB +[1-9][0-9]*/[0-9]+ "
}

# make_unwritable FILE: a file this user cannot write, as one that root made in
# a container is to the student (root writes anything else: chattr +i).
make_unwritable() {
    chmod a-w "$1"
    if [ "$(id -u)" -eq 0 ]; then
        chattr +i "$1" 2>/dev/null || skip "root cannot make a file immutable here (chattr +i)"
        IMMUTABLE=$1
    fi
    [ ! -w "$1" ] || skip "$1 stays writable for $(id -un)"
}

@test "status_grades_afresh_and_says_so_when_its_kept_results_cannot_be_written" {
    run grader/student/status --src "$SUB"
    assert_success
    assert_line --regexp "^$LAB +0/[0-9]+ "
    local json="$STUDENT_STATE_DIR/$LAB.json"
    make_unwritable "$json"
    cp -p "solutions/$LAB/maps.c" "$SUB/$LAB/maps.c"
    # (The private folder it grades in instead goes in TMPDIR.)
    TMPDIR=$BATS_TEST_TMPDIR run grader/student/status --src "$SUB"
    chattr -i "$json" 2>/dev/null || true
    IMMUTABLE=
    chmod u+w "$json"
    assert_success
    assert_output --partial "results are graded afresh and not kept"
    # The new score, not the stub's 0 that the state folder still holds.
    assert_line --regexp "^$LAB +[1-9][0-9]*/[0-9]+ "
}

@test "hint_starts_again_at_level_1_when_the_next_failing_test_changes" {
    run grader/student/hint --src "$SUB" 01
    run grader/student/hint --src "$SUB" 01
    assert_line --partial "hint level 2 of 3"
    cp -p "solutions/$LAB/maps.c" "$SUB/$LAB/maps.c"
    take_kept_results
    run grader/student/hint --src "$SUB" 01
    assert_line --partial "hint level 1 of 3"
    assert_line --partial "Start with the first: classify_a_function_as_text"
    run grader/student/hint --src "$SUB" 01
    assert_line --partial "hint level 2 of 3"
    # segment.c's TODO names a range of sections, 4.1 to 4.5, that holds §4.2.
    assert_line --regexp "^  .*/labs/$LAB/segment.c:[0-9]+: +/\* TODO \(handout sections 4\.1 to 4\.5\)"
}

# (The next test grades the same files: it takes these results.)
@test "status_shows_one_line_per_lab_and_the_lab_to_do_next" {
    cp -p "solutions/$LAB"/*.c "$SUB/$LAB/"
    take_kept_results
    run make -s status SRC="$SUB"
    assert_success
    local labs json
    labs=$(grader/lib/list-labs || true)
    json="$STUDENT_STATE_DIR/$LAB.json"
    # Full marks: 100 less the points of any test this machine skips.
    local full tests
    full=$(jq .max_score "$json")
    assert_equal "$(jq .score "$json")" "$full"
    tests=$(jq '[.tests[] | select(.extra_data.kind == "test" and .extra_data.outcome != "skip")] | length' "$json")
    assert_line --regexp "^$LAB +$full/$full +$tests/$tests +done$"
    local lab second
    for lab in $labs; do
        [ "$lab" = "$LAB" ] && continue
        [ -n "${second:-}" ] || second=$lab
        assert_line --regexp "^$lab +0/[0-9]+ +0/[0-9]+ +no folder .*/$lab$"
    done
    assert_line --regexp "^total +$full/[0-9]+$"
    assert_line "Next: $second - read handouts/$second.md, then make watch LAB=${second%%-*}"
    [[ $output != *$'\e'* ]] || fail "escape codes in piped output"
}

@test "hint_says_so_when_every_test_passes" {
    cp -p "solutions/$LAB"/*.c "$SUB/$LAB/"
    take_kept_results
    run grader/student/hint --src "$SUB" 01
    assert_success
    assert_output --partial "Every test of $LAB passes"
}

# The hand-in tests work in a copy of the project with two of its labs, 01
# and 02 (PROJECT; handin packs every lab of a project, and grading all six
# stubs would take minutes), on a copy of their stubs (HANDIN), graded once
# (their results are kept apart from those of the other tests' copy).
handin_copy() {
    PROJECT="$BATS_FILE_TMPDIR/project"
    HANDIN="$BATS_FILE_TMPDIR/handin"
    export STUDENT_STATE_DIR="$BATS_FILE_TMPDIR/handin-state"
    if [ ! -d "$PROJECT" ]; then
        local part
        mkdir -p "$PROJECT/grader" "$PROJECT/labs" "$PROJECT/handouts"
        cp GNUmakefile "$PROJECT/"
        for part in grader/*; do
            case "$part" in
                grader/tests|grader/[0-9][0-9]-*) ;;
                *) cp -R "$part" "$PROJECT/grader/" ;;
            esac
        done
        for part in "$LAB" 02-virtual-memory; do
            cp -R "grader/$part" "$PROJECT/grader/"
            cp -R "labs/$part" "$PROJECT/labs/"
            cp "handouts/$part.md" "$PROJECT/handouts/"
        done
        cp -R "$PROJECT/labs" "$HANDIN"
    fi
    cp "labs/$LAB/maps.c" "$HANDIN/$LAB/maps.c"
}

@test "handin_writes_a_tarball_of_labs_with_a_manifest" {
    handin_copy
    cp "solutions/$LAB/maps.c" "$HANDIN/$LAB/maps.c"
    touch "$HANDIN/$LAB/maps.c~" "$HANDIN/$LAB/.maps.c.swp" "$HANDIN/$LAB/maps.o"
    STUDENT="Ada Lovelace" run make -s -C "$PROJECT" handin SRC="$HANDIN" OUT="$BATS_TEST_TMPDIR/out"
    rm -f "$HANDIN/$LAB/maps.c~" "$HANDIN/$LAB/.maps.c.swp" "$HANDIN/$LAB/maps.o"
    assert_success
    local tarball
    tarball=$(find "$BATS_TEST_TMPDIR/out" -name 'handin-Ada-Lovelace-*.tar.gz')
    [ -n "$tarball" ] || fail "no tarball in OUT: $output"
    assert_output --regexp "Handed in: .*/out/${tarball##*/} "
    mkdir "$BATS_TEST_TMPDIR/unpacked"
    tar -C "$BATS_TEST_TMPDIR/unpacked" -xzf "$tarball"
    local manifest="$BATS_TEST_TMPDIR/unpacked/MANIFEST"
    grep -qx "student: Ada Lovelace" "$manifest" || fail "$(cat "$manifest")"
    grep -Eq "^date: +[0-9]{4}-[0-9]{2}-[0-9]{2} " "$manifest" || fail "$(cat "$manifest")"
    local parse find
    parse=$(points_of '^parse_')
    find=$(points_of '^find_')
    grep -Eq "^  $LAB +$((parse + find))/[0-9]+$" "$manifest" || fail "$(cat "$manifest")"
    grep -Eq "^  02-virtual-memory +0/[0-9]+$" "$manifest" || fail "$(cat "$manifest")"
    # Every lab is in it, with a checksum that matches; editors' files and objects are not.
    local lab
    for lab in $LAB 02-virtual-memory; do
        [ -d "$BATS_TEST_TMPDIR/unpacked/labs/$lab" ] || fail "$lab is not in the tarball"
    done
    (cd "$BATS_TEST_TMPDIR/unpacked" && sed -n 's/^  \([0-9a-f]\{64\}  labs\/\)/\1/p' MANIFEST |
        sha256sum --check --quiet) || fail "the checksums of the MANIFEST do not match"
    cmp "$BATS_TEST_TMPDIR/unpacked/labs/$LAB/maps.c" "solutions/$LAB/maps.c"
    run find "$BATS_TEST_TMPDIR/unpacked" -name '*~' -o -name '.*.swp' -o -name '*.o'
    assert_output ''
}

@test "handin_refuses_when_a_lab_does_not_compile" {
    handin_copy
    echo 'this is not C' >>"$HANDIN/$LAB/maps.c"
    run "$PROJECT/grader/student/handin" --src "$HANDIN" --out "$BATS_TEST_TMPDIR/out"
    cp "labs/$LAB/maps.c" "$HANDIN/$LAB/maps.c"
    assert_failure 1
    assert_output --partial "not handed in"
    assert_output --partial "$LAB: does not compile"
    [ ! -e "$BATS_TEST_TMPDIR/out" ] || fail "a tarball was written: $(ls "$BATS_TEST_TMPDIR/out")"
}

@test "handin_refuses_when_a_lab_is_missing" {
    STUDENT=x run grader/student/handin --src "$SUB" --out "$BATS_TEST_TMPDIR/out"
    assert_failure 1
    local lab
    for lab in $(grader/lib/list-labs); do
        [ "$lab" = "$LAB" ] || assert_output --partial "$lab: there is no folder"
    done
}

@test "docker_run_passes_the_flags_the_labs_need_and_mounts_the_repository" {
    CONTAINER_ENGINE='echo' run docker/run -- make test
    assert_success
    assert_output --partial "run --rm --shm-size=512m --ipc=private --ulimit nofile=1024:1024 --ulimit nproc=4096:4096"
    assert_output --partial "--volume $ROOT:/workspace --workdir /workspace linux-ipc-labs make test"
    CONTAINER_ENGINE='echo' run docker/build
    assert_output --partial "build -f $ROOT/docker/Dockerfile -t linux-ipc-labs --build-arg STUDENT_UID="
}

@test "the_container_files_are_plain_and_pass_shellcheck" {
    local script
    for script in docker/engine docker/build docker/run; do
        shellcheck "$script" || fail "shellcheck $script"
    done
    ! grep -q '<<' docker/Dockerfile || fail "docker/Dockerfile uses a heredoc (BuildKit only)"
    grep -q '^FROM debian:bookworm-slim' docker/Dockerfile
    grep -q '^USER student' docker/Dockerfile
    grep -q 'grader/packages.txt' docker/Dockerfile
    jq -e '.build.dockerfile == "../docker/Dockerfile" and .remoteUser == "student"' \
        .devcontainer/devcontainer.json >/dev/null || fail "devcontainer.json: $(cat .devcontainer/devcontainer.json)"
}

# Every command a person runs by hand (the grader's and the students'; the
# container's are grader/test-docker's part a) answers --help with its usage
# on stdout and status 0, and does nothing else: no package installed, no
# grading, no file written.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr
@test "every_command_answers_help_with_its_usage_and_changes_nothing" {
    bats_require_minimum_version 1.5.0
    local script commands=() marker="$BATS_TEST_TMPDIR/marker" written name
    local bin="$BATS_TEST_TMPDIR/bin" log="$BATS_TEST_TMPDIR/called"
    mapfile -t commands < <(git ls-files -- 'grader/*' |
        grep -E '^(grader/[a-z-]+|grader/student/[a-z-]+|grader/[0-9]{2}-[a-z-]+/bench)$' |
        grep -vx grader/test-docker |
        while read -r script; do
            [ -x "$script" ] && head -n 1 "$script" | grep -q bash && echo "$script"
        done)
    [ "${#commands[@]}" -ge 14 ] || fail "found only these commands: ${commands[*]}"
    # Stand-ins, first on the PATH, that note each call: an installer or a
    # container engine that --help starts shows in $log.
    mkdir -p "$bin"
    # shellcheck disable=SC2016 # the stand-in's own $0 and $*
    printf '#!/bin/sh\necho "${0##*/} $*" >>"%s"\nexit 1\n' "$log" >"$bin/stand-in"
    chmod +x "$bin/stand-in"
    for name in apt-get dpkg sudo docker podman debootstrap gcc bats; do
        ln -s stand-in "$bin/$name"
    done
    : >"$log"
    touch "$marker"
    for script in "${commands[@]}"; do
        run --separate-stderr env PATH="$bin:$PATH" timeout $((30 * ${TIMEOUT_SCALE:-1})) "$script" --help
        [ "$status" -eq 0 ] || fail "$script --help exited with status $status; stderr: $stderr"
        grep -q '^Usage:' <<<"$output" ||
            fail "$(printf '%s --help should print its usage (Usage: ...) on stdout; it printed:\n%s' "$script" "$output")"
        [ ! -s "$log" ] || fail "$(printf '%s --help ran:\n%s' "$script" "$(cat "$log")")"
    done
    written=$(find "$ROOT/build/student" "$ROOT/build/grade" "$STUDENT_STATE_DIR" -newer "$marker" 2>/dev/null | head -n 5)
    [ -z "$written" ] || fail "$(printf 'a --help wrote files:\n%s' "$written")"
}
