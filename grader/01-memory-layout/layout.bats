#!/usr/bin/env bats
# layout.bats - tests of the program `layout`: its rows are checked against
# /proc/PID/maps, read from outside while the program waits.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers

OBJECTS=(main\(\) string_literal const_global initialized_global zero_global
         uninitialized_global static_local small_malloc large_malloc mmap_page
         printf\(\) local_variable argv environ vdso)

teardown() {
    cleanup_paused
}

# Read layout's rows from FILE into SEGMENT, ADDRESS and REGION (by object) and
# ORDER (objects in the order printed). Rows end at the first blank line.
read_rows() {
    local file=$1 segment object address range perms path
    declare -gA SEGMENT=() ADDRESS=() REGION=()
    ORDER=()
    while read -r segment object address range perms path; do
        [ -n "$segment" ] || break
        [ "$segment" = SEGMENT ] && continue
        SEGMENT[$object]=$segment
        ADDRESS[$object]=$address
        REGION[$object]="$range $perms${path:+ $path}"
        ORDER+=("$object")
    done <"$file"
}

# The line of the maps file $1 whose region holds address $2, as "start-end perms path".
region_holding() {
    local maps=$1 address=$(($2)) range perms path start end
    while read -r range perms _ _ _ path; do
        start=$((16#${range%-*}))
        end=$((16#${range#*-}))
        if [ "$start" -le "$address" ] && [ "$address" -lt "$end" ]; then
            echo "$range $perms${path:+ $path}"
            return 0
        fi
    done <"$maps"
    return 1
}

run_layout() {
    run --separate-stderr run_program "$(program layout)"
    expect_status 0 layout
    printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/rows"
    read_rows "$BATS_TEST_TMPDIR/rows"
}

# bats test_tags=points:4,section:5_3
@test "layout_prints_a_row_for_every_object" {
    run_layout
    local missing=()
    for object in "${OBJECTS[@]}"; do
        [ -n "${ADDRESS[$object]:-}" ] || missing+=("$object")
    done
    [ ${#missing[@]} -eq 0 ] ||
        fail "$(printf 'no row for: %s\nlayout printed:\n%s' "${missing[*]}" "$output")"
}

# bats test_tags=points:4,section:5_4
@test "layout_names_the_segment_of_every_object" {
    run_layout
    declare -A expected=([main\(\)]=text [string_literal]=rodata [const_global]=rodata
        [initialized_global]=data [static_local]=data [zero_global]=bss
        [uninitialized_global]=bss [small_malloc]=heap [large_malloc]=mmap [mmap_page]=mmap
        [printf\(\)]=library [local_variable]=stack [argv]=stack [environ]=stack [vdso]=kernel)
    local wrong=()
    for object in "${OBJECTS[@]}"; do
        [ "${SEGMENT[$object]:-}" = "${expected[$object]}" ] ||
            wrong+=("$object: printed '${SEGMENT[$object]:-nothing}', expected '${expected[$object]}'")
    done
    [ ${#wrong[@]} -eq 0 ] || fail "$(printf '%s\n' "${wrong[@]}")"
}

# hint: print addresses with %p
# bats test_tags=points:5,section:5_4
@test "every_address_lies_in_the_region_printed_beside_it" {
    start_paused "$(program layout)" --pause
    read_rows "$PAUSED_OUT"
    [ ${#ORDER[@]} -gt 0 ] || fail "layout printed no rows"
    local wrong=() real
    for object in "${ORDER[@]}"; do
        real=$(region_holding "$PAUSED_MAPS" "${ADDRESS[$object]}") ||
            { wrong+=("$object at ${ADDRESS[$object]}: no region of /proc/$PAUSED_PID/maps holds this address (is it printed in full, with %p?)"); continue; }
        [ "$real" = "${REGION[$object]}" ] ||
            wrong+=("$object at ${ADDRESS[$object]}: printed region '${REGION[$object]}', but /proc/$PAUSED_PID/maps says '$real'")
    done
    [ ${#wrong[@]} -eq 0 ] || fail "$(printf '%s\n' "${wrong[@]}")"
}

# bats test_tags=points:4,section:5_2
@test "every_object_is_a_real_object_of_its_kind" {
    start_paused "$(program layout)" --pause
    read_rows "$PAUSED_OUT"
    local binary wrong=() object real perms path
    binary=$(readlink -f "$(program layout)")
    for object in "${OBJECTS[@]}"; do
        [ -n "${ADDRESS[$object]:-}" ] || { wrong+=("$object: no row"); continue; }
        real=$(region_holding "$PAUSED_MAPS" "${ADDRESS[$object]}") ||
            { wrong+=("$object: no region holds ${ADDRESS[$object]}"); continue; }
        read -r _ perms path <<<"$real"
        local ok=0
        case "$object" in
            'main()') [ "$perms" = r-xp ] && [ "$path" = "$binary" ] && ok=1 ;;
            string_literal|const_global) [ "$perms" = r--p ] && [ "$path" = "$binary" ] && ok=1 ;;
            *global|static_local) [ "$perms" = rw-p ] && { [ "$path" = "$binary" ] || [ -z "$path" ]; } && ok=1 ;;
            small_malloc) [ "$path" = "[heap]" ] && ok=1 ;;
            large_malloc|mmap_page) [ "$perms" = rw-p ] && [ -z "$path" ] && ok=1 ;;
            'printf()') [ "$perms" = r-xp ] && [[ $path == */libc.so* ]] && ok=1 ;;
            local_variable|argv|environ) [ "$path" = "[stack]" ] && ok=1 ;;
            vdso) [ "$path" = "[vdso]" ] && ok=1 ;;
        esac
        [ "$ok" -eq 1 ] || wrong+=("$object at ${ADDRESS[$object]} lies in '$real', which is not where such an object lives")
    done
    [ ${#wrong[@]} -eq 0 ] || fail "$(printf '%s\n' "${wrong[@]}")"
}

# bats test_tags=points:1,section:5_4
@test "rows_are_sorted_by_address" {
    run_layout
    [ ${#ORDER[@]} -gt 1 ] || fail "layout printed fewer than two rows"
    local previous=0 object
    for object in "${ORDER[@]}"; do
        [ $((ADDRESS[$object])) -ge "$previous" ] ||
            fail "$object at ${ADDRESS[$object]} comes after a row with a higher address"
        previous=$((ADDRESS[$object]))
    done
}

# bats test_tags=points:1,section:2
@test "the_layout_follows_the_canonical_order" {
    run_layout
    # text < data < bss < heap < mmap and libraries < stack
    local chain=('main()' initialized_global zero_global small_malloc mmap_page local_variable)
    local object
    for object in "${chain[@]}" large_malloc 'printf()'; do
        [ -n "${ADDRESS[$object]:-}" ] || fail "no row for $object"
    done
    for ((i = 1; i < ${#chain[@]}; i++)); do
        [ $((ADDRESS[${chain[i-1]}])) -lt $((ADDRESS[${chain[i]}])) ] ||
            fail "${chain[i-1]} (${ADDRESS[${chain[i-1]}]}) is not below ${chain[i]} (${ADDRESS[${chain[i]}]})"
    done
    for object in large_malloc 'printf()'; do
        [ $((ADDRESS[small_malloc])) -lt $((ADDRESS[$object])) ] &&
            [ $((ADDRESS[$object])) -lt $((ADDRESS[local_variable])) ] ||
            fail "$object (${ADDRESS[$object]}) is not between the heap and the stack"
    done
}

# bats test_tags=points:4,section:5_5
@test "maps_mode_prints_the_map_of_layout_itself" {
    start_paused "$(program layout)" --maps --pause
    sed '1,/^$/d; s/  <- .*//' "$PAUSED_OUT" >"$BATS_TEST_TMPDIR/printed.maps"
    [ -s "$BATS_TEST_TMPDIR/printed.maps" ] ||
        fail "layout --maps printed no map after the rows and a blank line"
    run diff "$PAUSED_MAPS" "$BATS_TEST_TMPDIR/printed.maps"
    [ "$status" -eq 0 ] ||
        fail "$(printf 'the map printed (+) differs from /proc/%s/maps (-) read from outside:\n%s' "$PAUSED_PID" "$(head -n 20 <<<"$output")")"
}

# bats test_tags=points:3,section:5_5
@test "maps_mode_annotates_each_object_in_its_region" {
    start_paused "$(program layout)" --maps --pause
    read_rows "$PAUSED_OUT"
    local wrong=() object line range
    for object in "${ORDER[@]}"; do
        line=$(sed '1,/^$/d' "$PAUSED_OUT" | grep -E -- "(<- |, )${object//[()]/.}(,|$)" || true)
        [ "$(grep -c . <<<"$line")" -eq 1 ] ||
            { wrong+=("$object is annotated on $(grep -c . <<<"$line") lines, expected exactly 1"); continue; }
        range=${line%% *}
        [ "$((16#${range%-*}))" -le $((ADDRESS[$object])) ] &&
            [ $((ADDRESS[$object])) -lt "$((16#${range#*-}))" ] ||
            wrong+=("$object (${ADDRESS[$object]}) is annotated on the region $range, which does not hold it")
    done
    [ ${#ORDER[@]} -gt 0 ] || wrong+=("layout printed no rows")
    [ ${#wrong[@]} -eq 0 ] || fail "$(printf '%s\n' "${wrong[@]}")"
}

# bats test_tags=points:3,section:6
@test "layout_runs_clean_under_valgrind" {
    run_valgrind "$(program layout)" --maps
}

# bats test_tags=points:0,section:5_1
@test "layout_rejects_an_unknown_option_with_usage" {
    run --separate-stderr run_program "$(program layout)" --bogus
    expect_status 2 "layout --bogus"
    assert_equal "$output" ""
    [[ $stderr == *usage:* ]] || fail "expected 'usage: ...' on stderr, got: $stderr"
}
