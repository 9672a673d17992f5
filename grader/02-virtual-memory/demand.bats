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

# bats test_tags=points:2,section:5_3
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
# bats test_tags=points:2,section:5_3
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

# bats test_tags=points:2,section:5_3
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

# bats test_tags=points:1,section:3_4
@test "demand_counts_the_same_for_an_unprivileged_user" {
    run_vmlab_unprivileged demand
    read_demand
    expect_faults "$READ" "$PAGES" "(as an unprivileged user)"
    expect_faults "$WRITE" "$PAGES" "(as an unprivileged user)"
    expect_faults "$REWRITE" 0 "(as an unprivileged user)"
    # (Where the kernel gives each read a page of its own, those pages are exclusive.)
    local exclusive=0
    zero_page_here || exclusive=$PAGES
    { [ "$(field present "$ZERO")" = "$PAGES" ] && [ "$(field exclusive "$ZERO")" = "$exclusive" ]; } ||
        fail "$(printf 'as an unprivileged user the flags still work; expected present=%s exclusive=%s:\n  %s' "$PAGES" "$exclusive" "$ZERO")"
    { [ "$(field frame "$ZERO")" = not-permitted ] && [ "$(field same_frame "$ZERO")" = not-permitted ]; } ||
        fail "$(printf 'without CAP_SYS_ADMIN the frame reads 0, which means hidden: expected frame=not-permitted same_frame=not-permitted:\n  %s' "$ZERO")"
}
