#!/usr/bin/env bats
# demand.bats - vmlab demand: fresh pages cost one minor fault at their first
# touch and none after; reads map the shared zero page; RSS grows with writes.
#
# Fault counts are exact (fresh anonymous pages, transparent huge pages off).
# RSS from /proc/self/statm is allowed a quarter of the pages either way:
# before Linux 6.16 its counters were approximate.

load ../lib/helpers
load lab

# Read the lines of $output into READ, ZERO, WRITE and REWRITE; PAGES and SLACK.
read_demand() {
    READ=$(line_starting "read: ")
    ZERO=$(line_starting "zero-page: ")
    WRITE=$(line_starting "write: ")
    REWRITE=$(line_starting "rewrite: ")
    PAGES=$(field pages "$WRITE")
    expect_number "pages" "$PAGES"
    [ "$PAGES" -ge 256 ] || fail "each pass touched $PAGES pages; the handout asks for 512"
    SLACK=$((PAGES / 4))
}

# expect_faults LINE MINOR WHY: LINE reports MINOR minor faults and no major one.
expect_faults() {
    local minor major
    minor=$(field minor_faults "$1")
    major=$(field major_faults "$1")
    { [ "$minor" = "$2" ] && [ "$major" = 0 ]; } ||
        fail "$(printf 'expected minor_faults=%s major_faults=0 here:\n  %s\n%s' "$2" "$1" "$3")"
}

# expect_growth LINE FROM TO: LINE's rss_growth lies between FROM and TO (exclusive).
expect_growth() {
    local growth
    growth=$(field rss_growth "$1")
    [[ $growth =~ ^-?[0-9]+$ ]] || fail "rss_growth is '$growth', not a number"
    { [ "$growth" -gt "$2" ] && [ "$growth" -lt "$3" ]; } ||
        fail "$(printf 'expected rss_growth between %s and %s here:\n  %s\n%s' "$(($2 + 1))" "$(($3 - 1))" "$1" "$4")"
}

# expect_after_reads: what the zero-page line should count of the PAGES pages
# read, on this kernel: EXCLUSIVE and SAME_FRAME, and KERNEL, in words. With
# the zero page, every page read is in its frame and none is exclusive;
# without it, each page read has a frame of its own.
expect_after_reads() {
    EXCLUSIVE=0 SAME_FRAME=$PAGES
    KERNEL="this kernel maps the zero page for a read: one frame for every page read, none exclusive"
    zero_page_here && return 0
    EXCLUSIVE=$PAGES SAME_FRAME=1
    KERNEL="this kernel gives each page read a frame of its own (no zero page): all exclusive, and only the first page is in the first page's frame"
}

# bats test_tags=points:1,section:5_3
@test "demand_first_write_costs_one_minor_fault_per_page" {
    run_vmlab demand
    read_demand
    expect_faults "$WRITE" "$PAGES" "The first write of a fresh page costs exactly one minor fault. Fewer: the pages were touched before (memory from malloc is recycled) or the step is more than a page. More: transparent huge pages left on? (Or the measurement includes code that runs for the first time.)"
}

# bats test_tags=points:1,section:5_3
@test "demand_second_write_costs_no_fault" {
    run_vmlab demand
    read_demand
    expect_faults "$REWRITE" 0 "The pages are in the page table after the first write: writing them again costs nothing."
}

# hint: warm up first
# bats test_tags=points:1,section:5_3
@test "demand_reading_untouched_pages_costs_a_fault_each_but_no_RSS" {
    run_vmlab demand
    read_demand
    expect_faults "$READ" "$PAGES" "The first read of a fresh page faults once: the kernel maps the zero page."
    # (Where the kernel gives each read a page of its own, RSS grows with reads too.)
    if zero_page_here; then
        expect_growth "$READ" "-$SLACK" "$SLACK" "Reads map the one shared zero page: RSS should not grow. (Did the pass write? Did the measurement include code that runs for the first time?)"
    fi
}

# hint: warm up first
# bats test_tags=points:1,section:5_3
@test "demand_the_read_pass_counts_only_the_pages_read" {
    statm_exact_here ||
        skip "before Linux 6.16 /proc/self/statm counts resident pages in batches, a few dozen pages late: the pages that code running for the first time adds cannot be told apart here"
    run_vmlab demand
    read_demand
    # The read pass adds no page where reads map the zero page, one per page where they do not.
    local expected=0
    zero_page_here || expected=$PAGES
    expect_growth "$READ" "$((expected - 3))" "$((expected + 3))" "Only the pages read may count: this kernel's statm is exact. Code that runs for the first time between the two readings of resident_pages() maps pages of its own (the C library faults its code in, many pages at a time): warm up first (section 5.3, step 1)."
}

# bats test_tags=points:1,section:5_3
@test "demand_read_pages_are_present_but_not_exclusive" {
    need_zero_page
    run_vmlab demand
    read_demand
    { [ "$(field present "$ZERO")" = "$PAGES" ] && [ "$(field exclusive "$ZERO")" = 0 ]; } ||
        fail "$(printf 'after the read pass all %s pages should be present and none exclusive (they all map the zero page):\n  %s' "$PAGES" "$ZERO")"
}

# bats test_tags=points:1,section:5_3
@test "demand_RSS_grows_by_one_page_per_page_written" {
    run_vmlab demand
    read_demand
    expect_growth "$WRITE" "$((PAGES - SLACK))" "$((PAGES + SLACK))" "Every page written gets a frame of its own: RSS grows by one page per page (rss_growth counts pages, not kB)."
    expect_growth "$REWRITE" "-$SLACK" "$SLACK" "Writing the same pages again adds no page."
}

# bats test_tags=points:1,section:5_3
@test "demand_all_read_pages_share_one_frame" {
    need_frames
    need_zero_page
    run_vmlab demand
    read_demand
    local frame
    frame=$(field frame "$ZERO")
    [[ $frame =~ ^0x[0-9a-f]+$ ]] || fail "$(printf 'expected the zero page'"'"'s frame number in hex:\n  %s' "$ZERO")"
    [ "$(field same_frame "$ZERO")" = "$PAGES" ] ||
        fail "$(printf 'all %s pages read should map the same frame, the zero page:\n  %s' "$PAGES" "$ZERO")"
}

# hint: the header first, then one line per step, the conclusion last
# bats test_tags=points:1,section:5_3
@test "demand_prints_its_lines_in_the_order_of_its_steps" {
    run_vmlab demand
    expect_in_order "demand:" "read:" "The header comes first (the order of section 5.3)."
    expect_in_order "read:" "zero-page:" "The read pass is reported before its pages are looked up (steps 2 and 3)."
    expect_in_order "zero-page:" "write:" "The pages read are looked up before the write pass (steps 3 and 4)."
    expect_in_order "write:" "rewrite:" "The write pass comes before the rewrite (step 4)."
    expect_in_order "rewrite:" "conclusion:" "The conclusion comes last (step 5)."
}

# On every kernel: with the zero page, every page read is in its frame; without
# it, each page read has a frame of its own, and only the first is in the first's.
# bats test_tags=points:1,section:5_3
@test "demand_counts_the_pages_read_that_are_present_exclusive_and_in_the_first_pages_frame" {
    need_frames
    run_vmlab demand
    read_demand
    expect_after_reads
    [[ $(field frame "$ZERO") =~ ^0x[0-9a-f]+$ ]] ||
        fail "$(printf 'expected the first page'"'"'s frame number in hex:\n  %s' "$ZERO")"
    { [ "$(field present "$ZERO")" = "$PAGES" ] && [ "$(field exclusive "$ZERO")" = "$EXCLUSIVE" ] &&
      [ "$(field same_frame "$ZERO")" = "$SAME_FRAME" ]; } ||
        fail "$(printf 'expected present=%s exclusive=%s same_frame=%s (%s; step 3 counts the present pages, the exclusive ones and those in the same frame as the first page):\n  %s' \
            "$PAGES" "$EXCLUSIVE" "$SAME_FRAME" "$KERNEL" "$ZERO")"
}

# bats test_tags=points:1,section:3_4
@test "demand_counts_the_same_for_an_unprivileged_user" {
    run_vmlab_unprivileged demand
    read_demand
    expect_faults "$READ" "$PAGES" "(as an unprivileged user)"
    expect_faults "$WRITE" "$PAGES" "(as an unprivileged user)"
    expect_faults "$REWRITE" 0 "(as an unprivileged user)"
    expect_after_reads
    { [ "$(field present "$ZERO")" = "$PAGES" ] && [ "$(field exclusive "$ZERO")" = "$EXCLUSIVE" ]; } ||
        fail "$(printf 'as an unprivileged user the flags still work; expected present=%s exclusive=%s:\n  %s' "$PAGES" "$EXCLUSIVE" "$ZERO")"
    { [ "$(field frame "$ZERO")" = not-permitted ] && [ "$(field same_frame "$ZERO")" = not-permitted ]; } ||
        fail "$(printf 'without CAP_SYS_ADMIN the frame reads 0, which means hidden: expected frame=not-permitted same_frame=not-permitted:\n  %s' "$ZERO")"
}

# Run vmlab demand once more, traced (vm_trace.c): TOUCHES gets the calls of
# read_pages and write_pages that touched pages ("read_pages A LENGTH", in
# order), UNMAPS the ranges unmapped ("A LENGTH ZERO_PAGES"), LOOKUPS the
# addresses given to pagemap_lookup, LENGTH the length of one mapping.
read_demand_trace() {
    local vmlab trace="$BATS_FILE_TMPDIR/demand.trace" kind start length zero
    vmlab=$(program vmlab_traced)
    vmlab_recorded "traced demand" env VMLAB_TRACE="$trace" "$vmlab" demand
    expect_vmlab_status 0 "vmlab demand"
    read_demand
    LENGTH=$((PAGES * $(getconf PAGESIZE)))
    TOUCHES=() UNMAPS=() LOOKUPS=()
    [ -f "$trace" ] || fail "vmlab demand called neither read_pages, write_pages nor munmap (handout section 5.3: the passes use read_pages and write_pages, and both mappings are released)"
    while read -r kind start length zero; do
        start=${start#start=} length=${length#length=} zero=${zero#zero_pages=}
        case "$kind" in
            read_pages|write_pages) [ "$length" = 0 ] || TOUCHES+=("$kind $start $length") ;;
            munmap) UNMAPS+=("$start $length $zero") ;;
            pagemap_lookup) LOOKUPS+=("${start#address=}") ;;
        esac
    done <"$trace"
    TRACE=$(cat "$trace")
}

# hint: read_pages over the first, write_pages twice over the second
# bats test_tags=points:1,section:5_3
@test "demand_reads_the_first_mapping_and_writes_the_second_twice" {
    read_demand_trace
    local read_start write_start unmap
    read -r _ read_start _ <<<"${TOUCHES[0]:-}"
    read -r _ write_start _ <<<"${TOUCHES[1]:-}"
    { [ ${#TOUCHES[@]} -eq 3 ] &&
      [ "${TOUCHES[0]}" = "read_pages $read_start $LENGTH" ] &&
      [ "${TOUCHES[1]}" = "write_pages $write_start $LENGTH" ] &&
      [ "${TOUCHES[2]}" = "write_pages $write_start $LENGTH" ] &&
      [ "$read_start" != "$write_start" ]; } ||
        fail "$(printf 'expected three passes of %s bytes (%s pages) each, in this order: read_pages over one mapping (read), then write_pages twice over the other (write, rewrite); the calls that touched pages were:\n%s\n(a pass that writes where it should read, or reads where it should write, prints the same counts on a kernel without the zero page, but not on others). The whole trace (calls of length 0 are the warm-up):\n%s' \
            "$LENGTH" "$PAGES" "$(printf '  %s\n' "${TOUCHES[@]}")" "$TRACE")"
    for unmap in "${UNMAPS[@]}"; do
        [[ $unmap == "$read_start "* ]] || continue
        [ "${unmap##* }" = "$PAGES" ] ||
            fail "$(printf 'the mapping that was only read (%s) should hold only zero bytes when it is released; %s of its %s pages were all zero: something wrote into it' "$read_start" "${unmap##* }" "$PAGES")"
    done
}

# bats test_tags=points:1,section:5_3
@test "demand_releases_both_mappings" {
    read_demand_trace
    local touch start unmap released
    [ ${#TOUCHES[@]} -gt 0 ] ||
        fail "$(printf 'expected a read pass and a write pass (read_pages and write_pages over %s bytes); the trace was:\n%s' "$LENGTH" "$TRACE")"
    for touch in "${TOUCHES[@]}"; do
        read -r _ start _ <<<"$touch"
        released=no
        for unmap in "${UNMAPS[@]}"; do
            [[ $unmap != "$start $LENGTH "* ]] || released=yes
        done
        [ "$released" = yes ] ||
            fail "$(printf 'the mapping at %s (%s bytes) was never released (release_pages, or munmap of all of it) before vmlab ended; the ranges unmapped were:\n%s\nEvery way out of demand_experiment releases both mappings.' "$start" "$LENGTH" "$(printf '  %s\n' "${UNMAPS[@]}")")"
    done
}

# A mapping that cannot be had (mmap fails with ENOMEM: vm_trace.c) ends the
# experiment with the reason and status 1, and the mapping made before it is
# released all the same.
# bats test_tags=points:1,section:5_3
@test "demand_releases_the_first_mapping_and_fails_when_the_second_cannot_be_had" {
    run_vmlab_failing demand mmap:2
    expect_failure_reported "vmlab demand, its second mmap failing"
    expect_every_mapping_released "vmlab demand, its second mmap failing"
}

# The same when a measurement fails: the warm-up's, the read pass's end, the
# last pass's start (every way of writing the steps calls resident_pages at
# least six times).
# bats test_tags=points:1,section:5_3
@test "demand_releases_both_mappings_and_fails_when_a_measurement_fails" {
    local call
    for call in 1 3 6; do
        run_vmlab_failing demand "resident_pages:$call"
        expect_failure_reported "vmlab demand, call $call of resident_pages failing"
        expect_every_mapping_released "vmlab demand, call $call of resident_pages failing"
    done
}

# bats test_tags=points:1,section:5_3
@test "demand_looks_up_every_page_read_and_no_other" {
    read_demand_trace
    local read_start page_size address index wrong=() seen=()
    read -r _ read_start _ <<<"${TOUCHES[0]:-}"
    [[ ${TOUCHES[0]:-} == read_pages* ]] ||
        fail "$(printf 'expected the read pass first (read_pages over %s bytes); the trace was:\n%s' "$LENGTH" "$TRACE")"
    page_size=$(getconf PAGESIZE)
    for address in "${LOOKUPS[@]}"; do
        index=$(( (address - read_start) / page_size ))
        if (( address < read_start || address >= read_start + LENGTH )); then
            wrong+=("$address lies outside the mapping read ($read_start, $LENGTH bytes)")
        elif [ -n "${seen[index]:-}" ]; then
            wrong+=("page $index of the mapping read was looked up twice")
        else
            seen[index]=1
        fi
    done
    [ ${#seen[@]} -eq "$PAGES" ] || [ ${#wrong[@]} -gt 0 ] ||
        wrong+=("${#seen[@]} of its $PAGES pages were looked up")
    [ ${#wrong[@]} -eq 0 ] ||
        fail "$(printf 'the zero-page step looks up each of the %s pages read once with pagemap_lookup, and no other address; here:\n%s' "$PAGES" "$(printf '  %s\n' "${wrong[@]:0:5}")")"
}
