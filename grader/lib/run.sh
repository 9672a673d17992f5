# shellcheck shell=bash
# run.sh - run a lab's Check suites and Bats files and record one result per
# test, from their machine-readable output only (Check's TAP, Bats' TAP):
# DIR/res/NAME.status (pass, fail or skip: one line per result seen) and
# DIR/res/NAME.out (the message). A name that is not one of the tests asked
# for is never recorded.
#
# The TAP streams are the suites' standard output, which root writes into
# DIR/log (only root can write there); what the code under test prints goes
# elsewhere. The few files the suites write themselves (DIR/work/out) are read
# back as the sandbox user would read them (read_untrusted). Every time limit
# is root's, outside the sandbox: a test's code cannot stop it.
# Sourced after common.sh and manifest.sh.

# record DIR NAME pass|fail|skip MESSAGE: one result of one test.
record() {
    local dir=$1 name=$2 status=$3 message=$4
    printf '%s\n' "$status" >>"$dir/res/$name.status"
    [ -z "$message" ] || printf '%s\n' "$message" >>"$dir/res/$name.out"
}

# test_env ARRAY LAB DIR RUN_ID: the environment every test of a run sees,
# as NAME=VALUE words into ARRAY.
test_env() {
    local -n env_into=$1
    local lab=$2 dir=$3 run_id=$4
    # shellcheck disable=SC2034 # the caller's array
    env_into=("GRADER_RUN_ID=$run_id" "LAB_NAME=$lab" "LAB_BIN=$dir/work/bin" "LAB_SRC=$dir/src"
              "LAB_BUILD_LOGS=$dir/src/.build-logs" "GRADER_LIB=$GRADER_DIR/lib"
              "HANDOUT=handouts/$lab.md" "TMPDIR=$dir/work/tmp" "HOME=$dir/work/tmp"
              "TIMEOUT_SCALE=$TIMEOUT_SCALE" "CK_TIMEOUT_MULTIPLIER=$TIMEOUT_SCALE"
              "BATS_TEST_TIMEOUT=$((60 * TIMEOUT_SCALE))" "BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}")
}

# unique_log_name VARIABLE DIR PREFIX: a name for a new file of root's in
# DIR/log: PREFIX, this shell's pid (suites run side by side, each from a
# shell of its own), a count and a random number (a pid may come again).
# (No mktemp: a process costs milliseconds.)
RUN_LOG_COUNT=0
unique_log_name() {
    local -n name_into=$1
    RUN_LOG_COUNT=$((RUN_LOG_COUNT + 1))
    # shellcheck disable=SC2034 # the caller's variable
    name_into="$2/log/$3.$BASHPID.$RUN_LOG_COUNT.$SRANDOM"
}

# run_isolated LAB DIR RUN_ID SECONDS COMMAND...: run a command in the lab's
# temporary folder with the test environment, in namespaces of its own where
# permitted (lib/isolate), under root's time limit: what it leaves behind goes
# to DIR/log/left.*. (The caller sweeps the sandbox user's processes once
# the suites that run side by side have all ended.)
run_isolated() {
    local lab=$1 dir=$2 run_id=$3 seconds=$4 vars=() report status=0
    shift 4
    test_env vars "$lab" "$dir" "$run_id"
    unique_log_name report "$dir" left
    : >"$report"
    (close_inherited_descriptors
     cd "$dir/work/tmp" && timeout --kill-after=10 "$((seconds * TIMEOUT_SCALE))" \
         env "${vars[@]}" "$GRADER_DIR/lib/isolate" "$report" "$@") &
    local pid=$! watcher='' wake
    if [ -n "${GRADER_SANDBOX_UID:-}" ]; then
        # The watcher looks once a second; a line on its FIFO (root's, in
        # DIR/log) stops it at once when the suite has ended.
        mkfifo -m 600 "$report.wake"
        exec {wake}<>"$report.wake"
        watch_sandbox "$pid" "$wake" "$dir/log/flood" &
        watcher=$!
        # (Above the tests' priority: among the hundreds of processes of a fork
        # that never stops, a watcher of the same priority would look once in
        # ten seconds, and even at nice -20 its ps took a second on a busy
        # machine, 60 ms at real-time priority. Where that is not allowed, as
        # in a container, nice -20.)
        chrt --fifo --pid 1 "$watcher" >/dev/null 2>&1 ||
            renice -n -20 -p "$watcher" >/dev/null 2>&1 || true
    fi
    wait "$pid" || status=$?
    if [ -n "$watcher" ]; then
        echo stop >&"$wake"
        wait "$watcher" || true
        exec {wake}>&-
        rm -f "$report.wake"
    fi
    return "$status"
}

# A process group of the sandbox user with this many live processes is a fork
# that never stops: no test starts more than a few dozen. (The user's process
# limit only makes its forks fail; it would go on trying, on every CPU, until
# its test's time ran out.)
FLOOD_PROCESSES=256

# watch_sandbox PID FD FLOOD_NOTE: while PID runs, look once a second at the
# sandbox user's processes, and
# - kill a process group of FLOOD_PROCESSES or more (and all of them, when they
#   are that many in smaller groups), saying so in FLOOD_NOTE (root's), which
#   the message of a test killed by it quotes. Zombies count: they hold their
#   place under the user's process limit until their parent waits for them, and
#   a program that forks until that limit without waiting leaves the test
#   runner unable to fork, so unable to stop it;
# - end them all when every one has been stopped (SIGSTOP) for two looks in a
#   row: code that stops them all, the test runner with them, would otherwise
#   make the suite wait out its whole time limit.
# Stops when a line can be read from FD.
watch_sandbox() {
    local pid=$1 wake=$2 flood_note=$3 looks=0 group stat all_stopped live
    local -A in_group zombies_in
    while kill -0 "$pid" 2>/dev/null; do
        # (One ps a look, read by bash: a process costs milliseconds here.
        # Zombies, finished and not yet waited for, are neither stopped nor running.)
        all_stopped='' live=0 in_group=() zombies_in=()
        while read -r group stat; do
            case "$stat" in
                Z*) zombies_in[$group]=$((${zombies_in[$group]:-0} + 1)) ;;
                T*) all_stopped=${all_stopped:-yes} ;;
                *) all_stopped=no ;;
            esac
            live=$((live + 1))
            in_group[$group]=$((${in_group[$group]:-0} + 1))
        done < <(ps -o pgid=,stat= -U "$GRADER_SANDBOX_UID" 2>/dev/null || true)
        if [ "$live" -ge "$FLOOD_PROCESSES" ]; then
            for group in "${!in_group[@]}"; do
                [ "${in_group[$group]}" -ge "$FLOOD_PROCESSES" ] || continue
                kill -KILL -- "-$group" 2>/dev/null || true
                live=$((live - in_group[$group]))
                if [ "${zombies_in[$group]:-0}" -ge $((FLOOD_PROCESSES / 2)) ]; then
                    echo "its process group had ${in_group[$group]} processes, ${zombies_in[$group]} of them ended and never waited for: children forked without end, or never reaped (waitpid for every child you fork); the grader killed them all" >>"$flood_note"
                else
                    echo "its process group had ${in_group[$group]} processes: a fork that never stops (does every child end, with _exit, when its work or its exec fails?); the grader killed them all" >>"$flood_note"
                fi
            done
            if [ "$live" -ge "$FLOOD_PROCESSES" ]; then
                kill_sandbox_processes
                echo "the tests' processes were $live, in many process groups: a fork that never stops; the grader killed them all" >>"$flood_note"
            fi
        fi
        if [ "$all_stopped" = yes ]; then
            looks=$((looks + 1))
            [ "$looks" -lt 2 ] || kill_sandbox_processes
        else
            looks=0
        fi
        # (A watchdog's pace, not a test's synchronisation.)
        ! read -r -t 1 -u "$wake" _ || return 0
    done
}

# Close every descriptor above 2 that we inherited (say, Bats' fd 3 when the
# grader runs under Bats), so that the code under test cannot write to them.
close_inherited_descriptors() {
    local fd
    for fd in /proc/"$BASHPID"/fd/*; do
        fd=${fd##*/}
        case "$fd" in 0|1|2|255) continue ;; esac
        { exec {fd}>&-; } 2>/dev/null || true
    done
}

# run_check_suite LAB DIR RUN_ID SUITE NAMES_FILE: run the tests of a Check
# suite named in NAMES_FILE (one per line), each in a forked process of its
# own (each test case is tagged with its test's name). Check writes its TAP
# to standard output (labcheck.c sends what the tests print to stderr).
run_check_suite() {
    local lab=$1 dir=$2 run_id=$3 suite=$4 names=$5 tags lines=()
    mapfile -t lines <"$names"
    tags="${lines[*]}"
    [ -n "$tags" ] || return 0
    run_isolated "$lab" "$dir" "$run_id" 600 env CK_INCLUDE_TAGS="$tags" CK_TAP_LOG_FILE_NAME=- \
        GRADER_COMPLETED_FILE="$dir/work/out/$suite.completed" GRADER_HANG_DIR="$dir/work/out" \
        GRADER_SKIPPED_FILE="$dir/work/out/$suite.skipped" "$dir/work/bin/$suite" \
        >"$dir/log/$suite.tap" 2>"$dir/log/$suite.stderr" || true
    read_untrusted "$dir/work/out/$suite.completed" >"$dir/log/$suite.completed"
    read_untrusted "$dir/work/out/$suite.skipped" >"$dir/log/$suite.skipped"
    read_check_tap "$dir" "$dir/log/$suite" "$names"
}

# set_of FILE ARRAY: each line of FILE (when it exists) as a key of the
# associative array ARRAY. Empty lines are skipped: they are no test's name,
# and an empty key would stop the grader (FILE may come from the code under test).
set_of() {
    local -n into=$2
    local line
    [ -f "$1" ] || return 0
    while IFS= read -r line || [ -n "$line" ]; do
        # shellcheck disable=SC2034,SC2004 # into is the caller's associative array
        [ -z "$line" ] || into[$line]=1
    done <"$1"
}

# read_check_tap DIR OUT NAMES: read Check's TAP log OUT.tap ("ok 3 -
# check_maps.c:NAME:NAME: message"). A pass counts only when the test also
# reached its checked teardown (OUT.completed); a test that said lab_skip()
# (OUT.skipped: NAME<TAB>REASON) is skipped.
read_check_tap() {
    local dir=$1 tap=$2.tap completed=$2.completed skipped=$2.skipped names=$3
    local line name status message reason
    local -A asked ended skip_reason
    [ -f "$tap" ] || return 0
    # (Looked up in bash: one grep per line of TAP was most of the time taken here.)
    set_of "$names" asked
    set_of "$completed" ended
    # NAME<TAB>REASON: the second field of the first line of each name.
    if [ -f "$skipped" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            name=${line%%$'\t'*}
            [ -n "$name" ] || continue      # (an empty key would stop the grader)
            reason=
            [[ $line != *$'\t'* ]] || { reason=${line#*$'\t'}; reason=${reason%%$'\t'*}; }
            [ -n "${skip_reason[$name]+set}" ] || skip_reason[$name]=$reason
        done <"$skipped"
    fi
    while IFS= read -r line; do
        [[ $line =~ ^(not\ )?ok\ [0-9]+\ -\ [^:]*:([^:]*):([^:]*):\ ?(.*)$ ]] || continue
        name=${BASH_REMATCH[3]}
        [[ -n $name && -n ${asked[$name]:-} ]] || continue
        message=${BASH_REMATCH[4]}
        status=fail
        [ "$message" != "Test timeout expired" ] || message=$(timeout_message "$dir" "$name")
        # (Killed by the watcher of a fork that never stops: say why.)
        [[ $message != "Received signal 9"* ]] || [ ! -s "$dir/log/flood" ] ||
            message+=$'\n'"$(head -n 1 "$dir/log/flood")"
        if [ -z "${BASH_REMATCH[1]}" ]; then
            status=pass
            message=
            if [ -z "${ended[$name]:-}" ]; then
                status=fail
                message="the test process ended before the test did: does the code under test call exit()?"
            elif reason=${skip_reason[$name]:-} && [ -n "$reason" ]; then
                status=skip
                message="skipped: $reason"
            fi
        fi
        record "$dir" "$name" "$status" "$message"
    done < <(head -c 1000000 -- "$tap")
}

# timeout_message DIR NAME: what to say of a Check test whose time ran out:
# how long it had, what its processes were waiting for (the watcher of
# labcheck.c wrote DIR/work/out/NAME.hang), and whether it had less time
# because tests before it had hung already.
timeout_message() {
    local dir=$1 name=$2 seconds shortened hang
    shortened=$(read_untrusted "$dir/work/out/$name.shortened" 64)
    hang=$(read_untrusted "$dir/work/out/$name.hang" 8192)
    if [ -n "$shortened" ]; then
        echo "timed out: it had only ${shortened//[^0-9.]/} s, because two tests of this suite had hung already (one cause often hangs them all: fix the first one first)"
    else
        echo "timed out: the test did not finish in its time; something waited for what never came"
    fi
    [ -z "$hang" ] || printf 'What was waiting, just before the end:\n%s\n' "$hang"
}

# run_bats_files LAB DIR RUN_ID NAMES_FILE FILE...: run the tests named in
# NAMES_FILE of these Bats files, in one Bats run.
run_bats_files() {
    local lab=$1 dir=$2 run_id=$3 names=$4 filter file tap home lines=()
    shift 4
    mapfile -t lines <"$names"
    printf -v filter '%s|' ${lines[@]+"${lines[@]}"}
    filter="^(${filter%|})\$"
    [ "$filter" != '^()$' ] || return 0
    unique_log_name tap "$dir" bats
    local paths=()
    for file in "$@"; do
        suite_home_into home "$lab" "$file"
        paths+=("$home/$file")
    done
    run_isolated "$lab" "$dir" "$run_id" 900 bats --formatter tap --filter "$filter" "${paths[@]}" \
        >"$tap.tap" 2>"$tap.stderr" || true
    read_bats_tap "$dir" "$tap.tap" "$names"
}

# Read Bats' TAP stream. Lines of a test's output follow it, behind "# ".
read_bats_tap() {
    local dir=$1 tap=$2 names=$3 line name current='' status message
    local -A asked
    set_of "$names" asked
    while IFS= read -r line; do
        if [[ $line =~ ^(not\ )?ok\ [0-9]+\ (.*)$ ]]; then
            name=${BASH_REMATCH[2]}
            status=pass
            [ -n "${BASH_REMATCH[1]}" ] && status=fail
            message=
            if [[ $name =~ ^(.*)\ \#\ timeout\ after\ ([0-9]+)s$ ]]; then
                name=${BASH_REMATCH[1]}
                message="timed out after ${BASH_REMATCH[2]} s: the program hangs or waits for something that never comes"
            elif [[ $name =~ ^(.*)\ \#\ [Ss][Kk][Ii][Pp]\ ?(.*)$ ]]; then
                name=${BASH_REMATCH[1]}
                status=skip
                message="skipped: ${BASH_REMATCH[2]}"
            fi
            current=
            if [[ -n $name && -n ${asked[$name]:-} ]]; then
                current=$name
                record "$dir" "$name" "$status" "$message"
            fi
        elif [ -n "$current" ] && [[ $line == '#'* ]]; then
            line=${line#\#}
            line=${line# }
            # Bats' own location lines say where in the test file, not what went wrong.
            [[ $line =~ ^\((in\ test\ file|from\ function)\ |^\ +(in\ test\ file|from\ function)\ |^\ \ \`.*\'\ failed ]] && continue
            printf '%s\n' "$line" >>"$dir/res/$current.out"
        else
            current=
        fi
    done < <(head -c 10000000 -- "$tap")
}

# read_verdict DIR NAME VARIABLE: set VARIABLE to pass, fail or skip when the
# test has exactly one result; to missing or duplicate otherwise. (Into a
# variable, no subshell: it is asked once a test.)
read_verdict() {
    local file="$1/res/$2.status" lines=()
    local -n verdict_into=$3
    if [ ! -f "$file" ]; then
        verdict_into=missing
        return
    fi
    mapfile -t lines <"$file"
    if [ ${#lines[@]} -ne 1 ]; then
        verdict_into=duplicate
    else
        # shellcheck disable=SC2034 # the caller's variable
        verdict_into=${lines[0]}
    fi
}
