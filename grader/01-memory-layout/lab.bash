# shellcheck shell=bash
# lab.bash - what lab 01's Bats tests share: running layout once per Bats file
# (the tests only read what it printed), with a deadline that says what a hung
# layout was doing; reading its rows; and checking every printed number before
# any arithmetic, so that a wrong format gets a message, not a shell error.
#
# Load after helpers:  load ../lib/helpers; load lab
# shellcheck disable=SC2154 # run --separate-stderr sets output, stderr and status

# shellcheck source=recorded.bash
source "${BASH_SOURCE[0]%/*}/recorded.bash"

# Seconds layout may take to print its rows (and to pause, with --pause).
LAYOUT_DEADLINE=$((10 * ${TIMEOUT_SCALE:-1}))

# layout_run NAME ARGS...: run layout ARGS once per Bats file (recorded_run),
# into $BATS_FILE_TMPDIR/NAME.*; with --pause, its map is copied while it waits.
layout_run() {
    local base="$BATS_FILE_TMPDIR/$1" pause=0 arg layout
    shift
    layout=$(program layout)
    for arg in "$@"; do
        [ "$arg" != --pause ] || pause=1
    done
    recorded_run "$base" "$LAYOUT_DEADLINE" "$pause" "$layout" "$@"
}

# layout_failure NAME WHAT: why the run NAME failed, in words, or nothing when
# it exited with status 0.
layout_failure() {
    local why
    why=$(recorded_failure "$BATS_FILE_TMPDIR/$1" "$2" 0)
    [ -z "$why" ] || printf '%s\n(Every test of this file reads this one run of layout.)' "$why"
}

# expect_no_hang NAME WHAT...: fail at once when one of the runs NAME of this
# Bats file did not finish (layout_run), rather than wait for another run.
expect_no_hang() {
    local name status
    for name in "$@"; do
        read_file "$BATS_FILE_TMPDIR/$name.status" status || status=
        [ "$status" != hung ] ||
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
