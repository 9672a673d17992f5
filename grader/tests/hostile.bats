#!/usr/bin/env bats
# hostile.bats - a class of hostile submissions, one (at least) for each way
# a submission got through the grader before (grader/README.md, the threat
# model), graded by grade-all on lab 01 as root. Each must be contained: no
# point it did not earn, nothing changed outside its run, the batch finishes,
# and the classmate graded after them keeps full marks.
#
# Most are the lab 01 solution whose maps_parse_line works only when its
# attack succeeds: contained means that they score 0.
# shellcheck disable=SC2030,SC2031 # setup_file's variables are exported to the tests

load ../lib/assertions

LAB=01-memory-layout
PORT=47123

sandboxed() {
    [ "$(id -u)" -eq 0 ] && unshare --ipc --mount --pid --net --fork --mount-proc true 2>/dev/null
}

# attacker NAME ATTACK: a submission whose maps.c is the solution's, working
# only when the C function body ATTACK (of "static int attack(void)") returns 1.
attacker() {
    local name=$1 attack=$2 dir="$CLASS/$1/$LAB"
    mkdir -p "$dir"
    echo "$name" >>"$BATS_FILE_TMPDIR/attackers"
    cp "$ROOT/labs/$LAB/"* "$dir/"
    cp "$ROOT/solutions/$LAB/"*.c "$dir/"
    # (Through the environment: awk -v would turn the C code's \n into a newline.)
    ATTACK=$attack awk '
        /^#include "maps.h"$/ {
            print
            n = split("arpa/inet.h fcntl.h netinet/in.h signal.h sys/socket.h sys/stat.h unistd.h", headers, " ")
            for (i = 1; i <= n; i++) print "#include <" headers[i] ">"
            next
        }
        /^\/\* TODO \(optional\): helper functions/ { print; print "static int attack(void)\n{\n" ENVIRON["ATTACK"] "\n}"; next }
        /^int maps_parse_line\(/ { print; getline; print; print "    if (!attack()) {\n        errno = ENOSYS;\n        return -1;\n    }"; next }
        { print }' "$ROOT/solutions/$LAB/maps.c" >"$dir/maps.c"
}

setup_file() {
    export ROOT
    ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
    cd "$ROOT" || return 1
    sandboxed || skip "needs root with namespaces (the sandbox of grade-all)"
    export CLASS="$BATS_FILE_TMPDIR/class" OUT="$BATS_FILE_TMPDIR/out"
    mkdir -p "$CLASS"
    export BEFORE="$BATS_FILE_TMPDIR/grader.sums"
    find grader labs handouts -type f -print0 | sort -z | xargs -0 sha256sum >"$BEFORE"

    # The yardstick: an attack that never works. An attacker scores what it
    # does (the tests that do not parse a line pass); a working attack would
    # add to that.
    attacker attacks-nothing '
    return 0;'
    # Root used to write into, and read back from, folders the sandbox user owns.
    attacker symlinks-its-files '
    const char *completed = getenv("GRADER_COMPLETED_FILE"), *skipped = getenv("GRADER_SKIPPED_FILE");
    char grade[4096];
    snprintf(grade, sizeof grade, "%s/../grade", getenv("GRADER_LIB") ? getenv("GRADER_LIB") : ".");
    if (completed != NULL) { unlink(completed); if (symlink(grade, completed) == -1) return 0; }
    if (skipped != NULL) { unlink(skipped); if (symlink("/etc/shadow", skipped) == -1) return 0; }
    return 0;'
    # Test names that are paths, printed where Check's TAP used to be read from.
    attacker forges-tap-names '
    char line[256];
    int fd;
    snprintf(line, sizeof line, "ok 1 - check_maps.c:../../../hostile-pwned:../../../hostile-pwned: Passed\n");
    if (write(STDOUT_FILENO, line, strlen(line)) < 0) return 0;
    snprintf(line, sizeof line, "/proc/%d/fd/1", (int)getppid());
    fd = open(line, O_WRONLY);
    if (fd >= 0) { dprintf(fd, "ok 1 - check_maps.c:parse_reads_start_and_end_as_hex:parse_reads_start_and_end_as_hex: Passed\n"); close(fd); return 1; }
    return 0;'
    # Lines in its completed file that are no test's name: empty, shell code, brackets.
    # shellcheck disable=SC2016 # C code, not shell
    attacker writes-odd-lines-as-completed-tests '
    const char *completed = getenv("GRADER_COMPLETED_FILE");
    int fd;
    if (completed == NULL) return 0;
    fd = open(completed, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0) return 0;
    dprintf(fd, "\n$(touch /tmp/hostile-pwned-completed)\na]b\n\n");
    close(fd);
    return 0;'
    # The checkout's history and the solutions.
    attacker reads-the-history '
    char path[4096];
    const char *lib = getenv("GRADER_LIB");
    if (lib == NULL) return 0;
    snprintf(path, sizeof path, "%s/../../.git/HEAD", lib);
    if (access(path, R_OK) == 0) return 1;
    snprintf(path, sizeof path, "%s/../../solutions/01-memory-layout/maps.c", lib);
    return access(path, R_OK) == 0;'
    # A listener on the host's loopback.
    attacker calls-home "
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons($PORT) };
    int fd = socket(AF_INET, SOCK_STREAM, 0), ok;
    inet_pton(AF_INET, \"127.0.0.1\", &address.sin_addr);
    ok = fd >= 0 && connect(fd, (struct sockaddr *)&address, sizeof address) == 0;
    if (fd >= 0) close(fd);
    return ok;"
    # Stop every process it can, the grader's timer among them (before, it ran as the sandbox user).
    attacker stops-everything '
    kill(-1, SIGSTOP);
    return 1;'
    # Fill /dev/shm and /tmp, and leave files where no one looks.
    attacker fills-shared-folders '
    static int done;
    char block[65536] = { 1 };
    const char *paths[] = { "/var/tmp/hostile-left", "/run/lock/hostile-left", "/dev/shm/hostile-fill", "/tmp/hostile-fill" };
    if (done++) return 1;
    for (int i = 0; i < 4; i++) {
        int fd = open(paths[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        for (int n = 0; fd >= 0 && i >= 2 && n < 16384; n++)
            if (write(fd, block, sizeof block) < 0) break;
        if (fd >= 0) close(fd);
    }
    return 1;'
    # Take the place of a C library function at link time, and run before main.
    mkdir -p "$CLASS/defines-strcmp"
    cp -R "labs/$LAB" "$CLASS/defines-strcmp/"
    printf '%s\n' 'int strcmp(const char *a, const char *b) { (void)a; (void)b; return 0; }' \
        >>"$CLASS/defines-strcmp/$LAB/maps.c"
    mkdir -p "$CLASS/has-a-constructor"
    cp -R "labs/$LAB" "$CLASS/has-a-constructor/"
    printf '%s\n' '#include <fcntl.h>' '#include <unistd.h>' \
        '__attribute__((constructor)) static void early(void) { close(open("/tmp/hostile-constructor-ran", O_CREAT | O_WRONLY, 0644)); }' \
        >>"$CLASS/has-a-constructor/$LAB/maps.c"
    # A student file with the text of a given file: the sandboxed build takes given
    # files' objects from root's cache (by their text), never a student file's.
    mkdir -p "$CLASS/copies-a-given-file"
    cp -R "labs/$LAB" "$CLASS/copies-a-given-file/"
    cp "labs/$LAB/picture.c" "$CLASS/copies-a-given-file/$LAB/maps.c"
    # Files that are not files: a lab folder that is a link to the solution, a tar with a device.
    mkdir -p "$CLASS/lab-folder-is-a-link"
    ln -s "$ROOT/solutions/$LAB" "$CLASS/lab-folder-is-a-link/$LAB"
    local stage="$BATS_FILE_TMPDIR/device"
    mkdir -p "$stage/$LAB"
    cp "labs/$LAB/"* "$stage/$LAB/"
    mknod "$stage/$LAB/null-device" c 1 3
    mkfifo "$stage/$LAB/a-fifo"
    tar -czf "$CLASS/tar-with-a-device.tar.gz" -C "$stage" .
    # An archive that inflates to 300 MiB.
    mkdir -p "$stage/bomb"
    head -c 300000000 /dev/zero >"$stage/bomb/zeros"
    (cd "$stage/bomb" && zip -q "$CLASS/zip-bomb.zip" zeros)
    rm -rf "$stage"
    # Names that are not names.
    for name in $'new\nline' 'com,ma' 'sp ace' '=cmd()'; do
        mkdir -p "$CLASS/$name"
        cp -R "labs/$LAB" "$CLASS/$name/"
    done
    # The classmate graded after them all.
    mkdir -p "$CLASS/zz-classmate"
    cp -R "labs/$LAB" "$CLASS/zz-classmate/"
    cp "solutions/$LAB/"*.c "$CLASS/zz-classmate/$LAB/"

    # A listener on the host's loopback that notes who called.
    python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $PORT)); s.listen(16); s.settimeout(1800)
while True:
    c, _ = s.accept(); open('$BATS_FILE_TMPDIR/called', 'a').write('called\n'); c.close()
" 3>&- &
    echo "$!" >"$BATS_FILE_TMPDIR/listener.pid"

    # The Check tests: every attack is made in maps_parse_line.
    grader/grade-all "$CLASS" --labs 01 --tests '^(parse_|find_|classify_)' -j 2 --out "$OUT" \
        >"$BATS_FILE_TMPDIR/batch.log" 2>&1 || true
}

teardown_file() {
    [ ! -f "$BATS_FILE_TMPDIR/listener.pid" ] || kill "$(cat "$BATS_FILE_TMPDIR/listener.pid")" 2>/dev/null || true
}

# column_of STUDENT COLUMN: STUDENT's cell of grades.csv in COLUMN, as the CSV says it.
column_of() {
    python3 -c '
import csv, sys
for row in csv.DictReader(open(sys.argv[1])):
    if row["student"] == sys.argv[2]:
        print(row[sys.argv[3]])' "$OUT/grades.csv" "$1" "$2"
}

# The total of STUDENT, and the maximum (100, less any test this machine skips).
total_of() { column_of "$1" total; }
max_of() { column_of "$1" max; }

# expect_at_most STUDENT POINTS: an attack may cost its author, never gain.
expect_at_most() {
    local got
    got=$(total_of "$1")
    if [ -z "$got" ] || [ "$got" -gt "$2" ]; then
        fail "$(printf '%s scored %s, at most %s expected. Its feedback:\n%s' "$1" "${got:-nothing}" "$2" \
            "$(grep -v PASS "$OUT/$1/feedback.txt" 2>/dev/null | head -n 30)")"
    fi
}

expect_total() {
    local got
    got=$(total_of "$1")
    [ "$got" = "$2" ] ||
        fail "$(printf '%s scored %s, expected %s. Its feedback:\n%s' "$1" "${got:-nothing}" "$2" \
            "$(grep -v PASS "$OUT/$1/feedback.txt" 2>/dev/null | head -n 30)")"
}

@test "the_batch_finishes_and_every_entry_gets_a_row" {
    grep -q '^graded ' "$BATS_FILE_TMPDIR/batch.log" || fail "$(cat "$BATS_FILE_TMPDIR/batch.log")"
    local rows
    rows=$(python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1]))) - 1)' "$OUT/grades.csv")
    # (One mark per entry: a name may hold a newline.)
    [ "$rows" -eq "$(find "$CLASS" -mindepth 1 -maxdepth 1 ! -name '.*' -printf x | wc -c)" ] ||
        fail "$(printf '%s rows for these entries:\n%s\ngrades.csv:\n%s' "$rows" \
            "$(find "$CLASS" -mindepth 1 -maxdepth 1 ! -name '.*' -printf '%f\n' | cat -A)" "$(cut -c 1-60 "$OUT/grades.csv")")"
}

@test "an_attack_that_never_works_scores_less_than_full_marks" {
    [ "$(total_of attacks-nothing)" -lt "$(max_of attacks-nothing)" ] ||
        fail "the yardstick of the attacks scores $(total_of attacks-nothing)/$(max_of attacks-nothing)"
}

@test "a_classmate_graded_after_them_keeps_full_marks" {
    expect_total zz-classmate "$(max_of zz-classmate)"
}

@test "links_put_in_place_of_the_suites_files_give_nothing_and_leak_nothing" {
    expect_at_most symlinks-its-files "$(total_of attacks-nothing)"
    ! grep -q '^root:' "$OUT/symlinks-its-files/feedback.txt" "$OUT/symlinks-its-files/results.json" ||
        fail "a root-only file was copied into the feedback"
}

@test "test_names_that_are_paths_create_nothing_and_forged_lines_count_for_nothing" {
    expect_at_most forges-tap-names "$(total_of attacks-nothing)"
    [ -z "$(find "$ROOT" /tmp -name 'hostile-pwned*' 2>/dev/null | head -n 1)" ] ||
        fail "a file named by a forged test name was created: $(find "$ROOT" /tmp -name 'hostile-pwned*' 2>/dev/null)"
}

@test "every_attack_compiles_so_that_it_really_runs" {
    local name
    while IFS= read -r name; do
        ! grep -qi "does not compile" "$OUT/$name/feedback.txt" ||
            fail "$(printf 'the attack of %s does not compile, so its test proves nothing:\n%s' "$name" \
                "$(head -n 20 "$OUT/$name/feedback.txt")")"
    done <"$BATS_FILE_TMPDIR/attackers"
}

@test "lines_of_a_completed_file_that_are_no_tests_name_are_only_looked_up" {
    expect_total writes-odd-lines-as-completed-tests "$(total_of attacks-nothing)"
    [ ! -e /tmp/hostile-pwned-completed ] || fail "a line of the completed file was run as a command"
}

@test "the_history_and_the_solutions_are_out_of_reach" {
    expect_at_most reads-the-history "$(total_of attacks-nothing)"
}

@test "the_hosts_loopback_is_out_of_reach" {
    expect_at_most calls-home "$(total_of attacks-nothing)"
    [ ! -e "$BATS_FILE_TMPDIR/called" ] || fail "the submission reached a listener on the host's loopback"
}

@test "stopping_every_process_stops_only_its_own_tests" {
    [ -n "$(total_of stops-everything)" ] || fail "stops-everything got no row"
    [ "$(total_of stops-everything)" != error ] || fail "$(cat "$OUT/stops-everything/feedback.txt")"
}

@test "shared_folders_are_private_and_limited_and_what_is_left_there_is_reported" {
    local path
    for path in /dev/shm/hostile-fill /tmp/hostile-fill /var/tmp/hostile-left /run/lock/hostile-left; do
        [ ! -e "$path" ] || fail "$path reached the host"
    done
    grep -q 'hostile-left' "$OUT/fills-shared-folders/feedback.txt" ||
        fail "what it left in /var/tmp or /run/lock is not reported: $(grep -A8 'left behind' "$OUT/fills-shared-folders/feedback.txt")"
}

@test "a_student_file_that_defines_a_library_function_or_a_constructor_is_refused" {
    expect_total defines-strcmp 0
    grep -q 'refused: maps.c defines strcmp' "$OUT/defines-strcmp/feedback.txt" ||
        fail "$(grep -A5 'compile' "$OUT/defines-strcmp/feedback.txt")"
    expect_total has-a-constructor 0
    grep -q 'refused: maps.c has code that runs before main' "$OUT/has-a-constructor/feedback.txt" ||
        fail "$(grep -A5 'compile' "$OUT/has-a-constructor/feedback.txt")"
    [ ! -e /tmp/hostile-constructor-ran ] || fail "the constructor ran"
    expect_total copies-a-given-file 0
    grep -q 'refused: maps.c defines picture_write' "$OUT/copies-a-given-file/feedback.txt" ||
        fail "a student file with a given file's text was not checked as a student file: $(grep -A5 'compile' "$OUT/copies-a-given-file/feedback.txt")"
}

@test "links_devices_and_fifos_in_a_submission_are_refused" {
    # (Nothing is left once the link is refused: an error row, or 0.)
    [ "$(total_of lab-folder-is-a-link)" = "error: could not unpack it" ] || expect_total lab-folder-is-a-link 0
    grep -q 'refused: 01-memory-layout (a link)' "$OUT/lab-folder-is-a-link/feedback.txt" ||
        fail "$(head -n 5 "$OUT/lab-folder-is-a-link/feedback.txt")"
    grep -q 'refused.*null-device' "$OUT/tar-with-a-device/feedback.txt" ||
        fail "$(head -n 5 "$OUT/tar-with-a-device/feedback.txt")"
    grep -q 'refused: 01-memory-layout/a-fifo (neither a plain file nor a folder)' \
        "$OUT/tar-with-a-device/feedback.txt" || fail "$(head -n 5 "$OUT/tar-with-a-device/feedback.txt")"
    [ -z "$(find "$OUT" ! -type f ! -type d | head -n 1)" ] || fail "a device or link was created: $(find "$OUT" ! -type f ! -type d)"
}

@test "an_archive_that_inflates_without_end_stops_at_the_limit" {
    assert_equal "$(total_of zip-bomb)" "error: could not unpack it"
}

@test "names_with_newlines_commas_spaces_or_formulas_get_an_error_row_and_the_csv_stays_whole" {
    python3 - "$OUT/grades.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert all(len(row) == len(rows[0]) for row in rows), rows
bad = [row for row in rows if row[-2].startswith("error: the name")]
assert len(bad) == 4, bad
assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row), rows
EOF
}

@test "nothing_outside_the_run_changed_and_results_are_root_only" {
    local after="$BATS_FILE_TMPDIR/grader.after"
    (cd "$ROOT" && find grader labs handouts -type f -print0 | sort -z | xargs -0 sha256sum) >"$after"
    diff "$BEFORE" "$after" || fail "files of the checkout changed"
    [ "$(stat -c %a "$OUT/zz-classmate/results.json")" = 600 ] || fail "results.json is readable by others"
    [ "$(stat -c %a "$OUT/zz-classmate")" = 700 ] || fail "a student's folder is readable by others"
}

@test "listing_tests_runs_no_code_and_make_grade_as_root_sandboxes_it" {
    local marker=/tmp/hostile-constructor-ran
    grader/grade --sandbox --src "$CLASS/has-a-constructor" --results "$BATS_TEST_TMPDIR/r.json" \
        --tests parse_reads 01 >/dev/null 2>&1 || true
    [ ! -e "$marker" ] || fail "listing or running the tests ran the submission's constructor"
    attacker runs-as-root '
    return getuid() == 0;'
    run make --no-print-directory grade LAB=01 SRC="$CLASS/runs-as-root" RESULTS="$BATS_TEST_TMPDIR/r.json" \
        T='^(parse_|find_|classify_)'
    [ "$(jq .score "$BATS_TEST_TMPDIR/r.json")" -le "$(total_of attacks-nothing)" ] ||
        fail "it scored $(jq .score "$BATS_TEST_TMPDIR/r.json"), more than an attack that never works"
}
