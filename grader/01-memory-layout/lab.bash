# shellcheck shell=bash
# lab.bash - what lab 01's Bats tests share: running layout once per Bats file
# (the tests only read what it printed), with a deadline that says what a hung
# layout was doing; reading its rows; and checking every printed number before
# any arithmetic, so that a wrong format gets a message, not a shell error.
#
# Load after helpers:  load ../lib/helpers; load lab
# shellcheck disable=SC2154 # run --separate-stderr sets output, stderr and status

# Seconds layout may take to print its rows (and to pause, with --pause).
LAYOUT_DEADLINE=$((10 * ${TIMEOUT_SCALE:-1}))

# open_descriptors PID: the descriptors process PID has open, one per line as
# "N -> what", with the test's folder and any PID left out of what.
open_descriptors() {
    local fd target
    for fd in "/proc/$1/fd/"*; do
        target=$(readlink "$fd" 2>/dev/null) || continue
        target=${target/#$BATS_FILE_TMPDIR\//}
        [[ ! $target =~ ^/proc/[0-9]+/(.*) ]] || target="/proc/PID/${BASH_REMATCH[1]}"
        echo "${fd##*/} -> $target"
    done
}

# describe_hung PID: what a process that did not finish was doing, in words:
# its state, the kernel function it sleeps in, and its open descriptors.
describe_hung() {
    local pid=$1 state wchan fds=()
    state=$(process_state "$pid")
    wchan=$(cat "/proc/$pid/wchan" 2>/dev/null || true)
    mapfile -t fds < <(open_descriptors "$pid")
    case "$state" in
        R) echo "It was running on the CPU (state R) all along: a loop that never ends?" ;;
        S|D) echo "It was asleep (state $state) in the kernel function '${wchan:-unknown}': it waited for something that never came (input? a child?)." ;;
        T|t) echo "It was stopped (state $state)." ;;
        *) echo "Its state was $state." ;;
    esac
    [ ${#fds[@]} -eq 0 ] || echo "Its open descriptors: ${fds[*]}."
}

# layout_run NAME ARGS...: run layout ARGS once per Bats file, and keep
# $BATS_FILE_TMPDIR/NAME.out, .err and .status (the exit status; "hung" when it
# did not finish in time, with .hung saying what it was doing). With --pause,
# .maps is a copy of its /proc/PID/maps taken while it waits, and .fds its open
# descriptors (open_descriptors); then it is let go.
# Later calls with the same NAME reuse that run: a hang costs one deadline.
layout_run() {
    local base="$BATS_FILE_TMPDIR/$1" layout pid pause=0 arg deadline
    shift
    [ ! -f "$base.status" ] || return 0
    layout=$(program layout)
    for arg in "$@"; do
        [ "$arg" != --pause ] || pause=1
    done
    mkfifo "$base.in"
    # (3 and 4 are Bats's own descriptors: the program gets neither)
    "$layout" "$@" <"$base.in" >"$base.out" 2>"$base.err" 3>&- 4>&- &
    pid=$!
    exec 4>"$base.in"           # its standard input stays open until it is let go
    rm -f "$base.in"
    deadline=$((SECONDS + LAYOUT_DEADLINE))
    until [ "$(process_state "$pid")" = Z ] || [ "$(process_state "$pid")" = X ]; do
        if [ "$pause" -eq 1 ] && grep -q paused "$base.err"; then
            cp "/proc/$pid/maps" "$base.maps"
            open_descriptors "$pid" >"$base.fds"
            exec 4>&-
            pause=0
            deadline=$((SECONDS + LAYOUT_DEADLINE))
        elif [ "$SECONDS" -ge "$deadline" ]; then
            describe_hung "$pid" >"$base.hung"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.05
    done
    exec 4>&-
    local status=0
    { wait "$pid"; } 2>/dev/null || status=$?     # (no "Killed" from the shell)
    if [ -f "$base.hung" ]; then
        echo hung >"$base.status"
    else
        echo "$status" >"$base.status"
    fi
}

# layout_failure NAME WHAT: why the run NAME failed, in words, or nothing when
# it exited with status 0.
layout_failure() {
    local base="$BATS_FILE_TMPDIR/$1" what=$2 status
    status=$(cat "$base.status")
    case "$status" in
        0) return 0 ;;
        hung) printf '%s did not finish within %s s. %s\n(Every test of this file reads this one run of layout.)' \
                  "$what" "$LAYOUT_DEADLINE" "$(cat "$base.hung")" ;;
        *) local why="exited with status $status"
           [ "$status" -le 128 ] || why="was killed by signal $((status - 128)) ($(kill -l $((status - 128)) 2>/dev/null))"
           printf '%s %s; expected status 0.\nits stderr:\n%s' "$what" "$why" "$(head -n 20 "$base.err")" ;;
    esac
}

# expect_no_hang NAME WHAT...: fail at once when one of the runs NAME of this
# Bats file did not finish (layout_run), rather than wait for another run.
expect_no_hang() {
    local name
    for name in "$@"; do
        [ "$(cat "$BATS_FILE_TMPDIR/$name.status" 2>/dev/null)" != hung ] ||
            fail "$(layout_failure "$name" "layout (the run '$name' of this file)")"
    done
}

# expect_layout_ran NAME WHAT: fail unless the run NAME exited with status 0.
expect_layout_ran() {
    local why
    why=$(layout_failure "$1" "$2")
    [ -z "$why" ] || fail "$why"
}

# expect_layout_paused NAME: fail unless the run NAME paused, so that its map was copied.
expect_layout_paused() {
    local base="$BATS_FILE_TMPDIR/$1"
    [ ! -f "$base.maps" ] || return 0
    local why
    why=$(layout_failure "$1" "layout ${*:2}")
    fail "${why:-layout exited without printing \"paused\" on stderr (section 5.1: --pause waits for Enter)}"
}

# read_rows FILE: layout's rows from FILE (up to the first blank line) into
# SEGMENT, ADDRESS and REGION (by object) and ORDER (objects in the order
# printed). A row whose address or region is not in the format of section 5.4
# goes into MALFORMED instead, with what is wrong with it. (PRINTED: every
# object that has a row, readable or not.)
# shellcheck disable=SC2034 # the Bats files read these arrays
read_rows() {
    local file=$1 segment object address range perms path
    declare -gA SEGMENT=() ADDRESS=() REGION=() PRINTED=()
    ORDER=()
    MALFORMED=()
    while read -r segment object address range perms path; do
        [ -n "$segment" ] || break
        [ "$segment" != SEGMENT ] || continue
        PRINTED[$object]=1
        SEGMENT[$object]=$segment
        if ! [[ $address =~ ^0x[0-9a-f]{1,16}$ ]]; then
            MALFORMED+=("$object: the address is printed as '$address'; expected 0x and hex digits, as %p prints them (%lx leaves out the 0x, %x keeps only the low 32 bits)")
        elif ! [[ $range =~ ^[0-9a-f]{1,16}-[0-9a-f]{1,16}$ ]]; then
            MALFORMED+=("$object: the region is printed as '$range'; expected start-end in hex, as print_region() prints it")
        else
            ADDRESS[$object]=$address
            REGION[$object]="$range $perms${path:+ $path}"
            ORDER+=("$object")
        fi
    done <"$file"
}

# expect_readable_rows FILE: fail unless layout printed rows and every row has
# an address and a region in the format of section 5.4.
expect_readable_rows() {
    local more=""
    [ ${#MALFORMED[@]} -le 2 ] || more="  (and $((${#MALFORMED[@]} - 2)) more rows like these)"
    [ ${#MALFORMED[@]} -eq 0 ] ||
        fail "$(printf 'rows that cannot be read (handout section 5.4 shows the format):\n%s\n%s\nlayout printed:\n%s' \
            "$(printf '  %s\n' "${MALFORMED[@]:0:2}")" "$more" "$(head -n 4 "$1")")"
    [ ${#ORDER[@]} -gt 0 ] ||
        fail "$(printf 'layout printed no rows; it printed:\n%s' "$(head -n 20 "$1")")"
}

# region_holding MAPS ADDRESS: the line of the maps file MAPS whose region holds
# ADDRESS (0x..., checked by read_rows), as "start-end perms path".
region_holding() {
    local maps=$1 address=$(($2)) range perms path start end
    while read -r range perms _ _ _ path; do
        start=$((16#${range%-*}))
        end=$((16#${range#*-}))
        # (the kernel's half is negative in bash's signed arithmetic: it holds no object)
        if [ "$start" -ge 0 ] && [ "$start" -le "$address" ] && [ "$address" -lt "$end" ]; then
            echo "$range $perms${path:+ $path}"
            return 0
        fi
    done <"$maps"
    return 1
}
