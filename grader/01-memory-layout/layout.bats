#!/usr/bin/env bats
# layout.bats - tests of the program `layout`: its rows are checked against
# /proc/PID/maps, read from outside while the program waits.
#
# layout runs once per kind of run (lab.bash: layout_run): plain, for the
# rows; with --maps --pause, for the map read from outside; with --svg, for
# the picture. Each test reads what that one run printed.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr; lab.bash sets the rows
# shellcheck disable=SC2004 # ADDRESS is associative (lab.bash): its keys need their $

load ../lib/helpers
load lab

OBJECTS=(main\(\) string_literal const_global initialized_global zero_global
         uninitialized_global static_local small_malloc large_malloc mmap_page
         printf\(\) local_variable argv environ vdso)

# The rows of a plain run of layout, which must exit with status 0.
plain_rows() {
    layout_run plain
    expect_layout_ran plain layout
    read_rows "$BATS_FILE_TMPDIR/plain.out"
}

# The rows of layout --maps --pause, and the copy of its map (PAUSED_MAPS).
paused_rows() {
    layout_run paused --maps --pause
    expect_layout_paused paused --maps --pause
    PAUSED_OUT="$BATS_FILE_TMPDIR/paused.out"
    PAUSED_MAPS="$BATS_FILE_TMPDIR/paused.maps"
    read_rows "$PAUSED_OUT"
}

# bats test_tags=points:4,section:5_3
@test "layout_prints_a_row_for_every_object" {
    plain_rows
    local missing=() object
    for object in "${OBJECTS[@]}"; do
        [ -n "${PRINTED[$object]:-}" ] || missing+=("$object")
    done
    [ ${#missing[@]} -eq 0 ] ||
        fail "$(printf 'no row for: %s (the names of section 5.3, exactly)\nlayout printed:\n%s' "${missing[*]}" "$(cat "$BATS_FILE_TMPDIR/plain.out")")"
}

# bats test_tags=points:3,section:4_1
@test "layout_names_the_segment_of_every_object" {
    plain_rows
    declare -A expected=([main\(\)]=text [string_literal]=rodata [const_global]=rodata
        [initialized_global]=data [static_local]=data [zero_global]=bss
        [uninitialized_global]=bss [small_malloc]=heap [large_malloc]=mmap [mmap_page]=mmap
        [printf\(\)]=library [local_variable]=stack [argv]=stack [environ]=stack [vdso]=kernel)
    local wrong=() object
    for object in "${OBJECTS[@]}"; do
        [ "${SEGMENT[$object]:-}" = "${expected[$object]}" ] ||
            wrong+=("$object: printed '${SEGMENT[$object]:-nothing}', expected '${expected[$object]}'")
    done
    [ ${#wrong[@]} -eq 0 ] || fail "$(printf '%s\n' "${wrong[@]}")"
}

# hint: print addresses with %p
# bats test_tags=points:4,section:5_4
@test "every_address_lies_in_the_region_printed_beside_it" {
    paused_rows
    expect_readable_rows "$PAUSED_OUT"
    local wrong=() real object
    for object in "${ORDER[@]}"; do
        real=$(region_holding "$PAUSED_MAPS" "${ADDRESS[$object]}") ||
            { wrong+=("$object at ${ADDRESS[$object]}: no region of the paused layout's map (read from outside) holds this address (is it printed in full, with %p?)"); continue; }
        [ "$real" = "${REGION[$object]}" ] ||
            wrong+=("$object at ${ADDRESS[$object]}: printed region '${REGION[$object]}', but the map of the paused layout (read from outside) says '$real'")
    done
    [ ${#wrong[@]} -eq 0 ] || fail "$(printf '%s\n' "${wrong[@]}")"
}

# bats test_tags=points:3,section:5_2
@test "every_object_is_a_real_object_of_its_kind" {
    paused_rows
    expect_readable_rows "$PAUSED_OUT"
    local binary wrong=() object real perms path ok
    binary=$(readlink -f "$(program layout)")
    for object in "${OBJECTS[@]}"; do
        [ -n "${ADDRESS[$object]:-}" ] || { wrong+=("$object: no row"); continue; }
        real=$(region_holding "$PAUSED_MAPS" "${ADDRESS[$object]}") ||
            { wrong+=("$object: no region holds ${ADDRESS[$object]}"); continue; }
        read -r _ perms path <<<"$real"
        ok=0
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
    plain_rows
    expect_readable_rows "$BATS_FILE_TMPDIR/plain.out"
    [ ${#ORDER[@]} -gt 1 ] || fail "layout printed fewer than two rows"
    local previous=0 object
    for object in "${ORDER[@]}"; do
        [ $((ADDRESS[$object])) -ge "$previous" ] ||
            fail "$object at ${ADDRESS[$object]} comes after a row with a higher address (print one row per call of print_row: main sorts them)"
        previous=$((ADDRESS[$object]))
    done
}

# bats test_tags=points:1,section:2_2
@test "the_layout_follows_the_canonical_order" {
    plain_rows
    expect_readable_rows "$BATS_FILE_TMPDIR/plain.out"
    # text < data < bss < heap < mmap and libraries < stack
    local chain=('main()' initialized_global zero_global small_malloc mmap_page local_variable)
    local object i
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

# bats test_tags=points:3,section:5_5
@test "maps_mode_prints_the_map_of_layout_itself" {
    paused_rows
    sed '1,/^$/d; s/  <- .*//' "$PAUSED_OUT" >"$BATS_TEST_TMPDIR/printed.maps"
    [ -s "$BATS_TEST_TMPDIR/printed.maps" ] ||
        fail "$(printf 'layout --maps printed no map after the rows and a blank line; its stderr:\n%s' "$(head -n 5 "$BATS_FILE_TMPDIR/paused.err")")"
    run diff "$PAUSED_MAPS" "$BATS_TEST_TMPDIR/printed.maps"
    [ "$status" -eq 0 ] ||
        fail "$(printf 'the map printed (+) differs from the map of the paused layout read from outside (-):\n%s' "$(head -n 20 <<<"$output")")"
}

# bats test_tags=points:3,section:5_5
@test "maps_mode_annotates_each_object_in_its_region" {
    paused_rows
    expect_readable_rows "$PAUSED_OUT"
    local wrong=() object line range lines
    for object in "${ORDER[@]}"; do
        line=$(sed '1,/^$/d' "$PAUSED_OUT" | grep -E -- "(<- |, )${object//[()]/.}(,|$)" || true)
        lines=$(grep -c . <<<"$line" || true)
        [ "$lines" -eq 1 ] ||
            { wrong+=("$object is annotated on $lines lines, expected exactly 1"); continue; }
        range=${line%% *}
        [[ $range =~ ^[0-9a-f]{1,16}-[0-9a-f]{1,16}$ ]] ||
            { wrong+=("$object is annotated on a line that does not start with a region (start-end in hex): '$line'"); continue; }
        [ "$((16#${range%-*}))" -le $((ADDRESS[$object])) ] &&
            [ $((ADDRESS[$object])) -lt "$((16#${range#*-}))" ] ||
            wrong+=("$object (${ADDRESS[$object]}) is annotated on the region $range, which does not hold it")
    done
    [ ${#wrong[@]} -eq 0 ] || fail "$(printf '%s\n' "${wrong[@]}")"
}

# hint: fclose what you fopen, on every path
# bats test_tags=points:1,section:5_5
@test "layout_closes_every_maps_file_it_opens" {
    paused_rows
    local open
    open=$(grep -E -- '-> /proc/(PID|self|thread-self)/' "$BATS_FILE_TMPDIR/paused.fds" || true)
    [ -z "$open" ] ||
        fail "$(printf 'after printing its rows and its map, the paused layout --maps still has these files of /proc open:\n%s\nfclose() what maps_find() and print_annotated_maps() open, on every way out' "$open")"
}

# bats test_tags=points:2,section:6
@test "layout_runs_clean_under_valgrind" {
    # A layout that hangs would hang under Valgrind too, many times as long.
    layout_run plain
    layout_run paused --maps --pause
    expect_no_hang plain paused
    run_valgrind "$(program layout)" --maps
}

# bats test_tags=points:0,section:5_1
@test "layout_rejects_an_unknown_option_with_usage" {
    run --separate-stderr run_program "$(program layout)" --bogus
    expect_status 2 "layout --bogus"
    assert_equal "$output" ""
    [[ $stderr == *usage:* ]] || fail "expected 'usage: ...' on stderr, got: $stderr"
}

# bats test_tags=points:0,section:5_6
@test "layout_draws_every_object_inside_its_region_in_the_picture" {
    command -v xmllint >/dev/null || skip "xmllint (Debian package libxml2-utils) is not installed"
    local svg="$BATS_FILE_TMPDIR/layout.svg"
    layout_run svg --svg "$svg"
    expect_layout_ran svg "layout --svg FILE"
    run xmllint --noout "$svg"
    [ "$status" -eq 0 ] || fail "$(printf 'the picture is not well-formed XML:\n%s' "$output")"
    check_picture "$svg"
    if command -v rsvg-convert >/dev/null; then
        run rsvg-convert -o "$BATS_FILE_TMPDIR/layout.png" "$svg"
        [ "$status" -eq 0 ] || fail "$(printf 'rsvg-convert cannot draw the picture:\n%s' "$output")"
        [ "$(head -c 4 "$BATS_FILE_TMPDIR/layout.png" | od -An -c | tr -d ' ')" = '211PNG' ] ||
            fail "rsvg-convert wrote no PNG"
    fi
}

# check_picture SVG: the regions are drawn in address order, highest at the
# top, each 2 px high per doubling of its size; every object of section 5.3 is
# marked inside the region that holds it.
check_picture() {
    local svg=$1 line start end top bottom previous_top=-1 object address marker
    local -a starts=() ends=() tops=() bottoms=()
    while IFS= read -r line; do
        [[ $line =~ data-start=\"0x([0-9a-f]+)\"\ data-end=\"0x([0-9a-f]+)\".*data-top=\"([0-9.]+)\"\ data-bottom=\"([0-9.]+)\" ]] ||
            fail "a region of the picture has no numbers: $line"
        start=${BASH_REMATCH[1]} end=${BASH_REMATCH[2]} top=${BASH_REMATCH[3]} bottom=${BASH_REMATCH[4]}
        [ "$end" != 0 ] || continue                 # the kernel's half, up to 2^64
        awk -v t="$top" -v b="$bottom" -v p="$previous_top" -v s="$((16#$start))" -v e="$((16#$end))" \
            'BEGIN { exit !(t >= p && (b - t) > 2 * log(e - s) / log(2) - 0.2 && (b - t) < 2 * log(e - s) / log(2) + 0.2) }' ||
            fail "the region $start-$end is drawn from y $top to $bottom: not below the one before it, or not 2 px per doubling of its size high"
        previous_top=$bottom
        starts+=("$((16#$start))") ends+=("$((16#$end))") tops+=("$top") bottoms+=("$bottom")
    done < <(grep '<g class="region"' "$svg")
    [ ${#starts[@]} -gt 5 ] || fail "the picture has only ${#starts[@]} regions"
    for object in "${OBJECTS[@]}"; do
        line=$(grep -F "data-name=\"$object\"" "$svg" || true)
        [[ $line =~ data-address=\"(0x[0-9a-f]+)\".*data-marker-y=\"([0-9.]+)\" ]] ||
            fail "the picture does not mark $object"
        address=${BASH_REMATCH[1]} marker=${BASH_REMATCH[2]}
        local i found=0
        for ((i = 0; i < ${#starts[@]}; i++)); do
            if [ "${starts[i]}" -le $((address)) ] && [ $((address)) -lt "${ends[i]}" ]; then
                found=1
                awk -v m="$marker" -v t="${tops[i]}" -v b="${bottoms[i]}" 'BEGIN { exit !(t <= m && m <= b) }' ||
                    fail "$object at $address is marked at y $marker, outside its region, drawn from y ${tops[i]} to ${bottoms[i]}"
            fi
        done
        [ "$found" -eq 1 ] || fail "no region of the picture holds $object at $address"
    done
}
