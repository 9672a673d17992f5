#!/usr/bin/env bats
# translate.bats - vmlab translate: the pagemap entry of an address, its flags
# and, where the kernel shows it, its frame; and vmlab's usage.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

# The entry printed, as a number (bash arithmetic is 64-bit).
printed_entry() {
    local entry
    entry=$(value_of entry) || return 1
    [[ $entry =~ ^0x[0-9a-f]{16}$ ]] || { fail "entry: is '$entry'; expected 0x and 16 hex digits"; return 1; }
    printf '%s\n' "$((entry))"
}

# bats test_tags=points:1,section:5_5
@test "translate_self_shows_a_present_exclusive_page" {
    run_vmlab translate --self
    local address page entry page_size
    address=$(value_of address)
    page=$(value_of page)
    entry=$(printed_entry)
    page_size=$(getconf PAGESIZE)
    expect_hex "address:" "$address"
    expect_hex "page:" "$page"
    [ $((page)) -eq $((address / page_size * page_size)) ] ||
        fail "page: is $page; expected the start of the page of $address, $(printf '%#x' $((address / page_size * page_size)))"
    local wrong=() key expected
    for key in present:yes exclusive:yes swapped:no file_or_shared:no; do
        expected=${key#*:}
        key=${key%%:*}
        [ "$(value_of "$key")" = "$expected" ] || wrong+=("$key: is '$(value_of "$key")', expected '$expected'")
    done
    (( (entry >> 63) & 1 )) && (( (entry >> 56) & 1 )) ||
        wrong+=("entry: $(value_of entry) should have bits 63 (present) and 56 (exclusive) set")
    [ ${#wrong[@]} -eq 0 ] ||
        fail "$(printf 'for a local variable of main() (a stack page that is in use):\n%s\nvmlab printed:\n%s' "$(printf '  %s\n' "${wrong[@]}")" "$output")"
    # "Print exactly these lines": the keys, in the handout's order.
    local keys="" printed
    while IFS= read -r printed; do
        keys+="${printed%%:*} "
    done <<<"$output"
    [ "$keys" = "translate address page entry present swapped file_or_shared exclusive soft_dirty frame " ] ||
        fail "$(printf 'expected the lines translate:, address:, page:, entry:, present:, swapped:, file_or_shared:, exclusive:, soft_dirty:, frame:, in this order and no other (handout section 5.5); the lines were:\n  %s\nvmlab printed:\n%s' "$keys" "$output")"
}

# bats test_tags=points:1,section:5_5
@test "translate_self_shows_the_frame_to_a_privileged_user" {
    need_frames
    run_vmlab translate --self
    local address entry frame line physical page_size
    address=$(value_of address)
    entry=$(printed_entry)
    frame=$(value_of frame)
    page_size=$(getconf PAGESIZE)
    expect_hex "address:" "$address"
    expect_hex "frame:" "$frame"
    [ $((frame)) -eq $((entry & ((1 << 55) - 1))) ] ||
        fail "frame: is $frame; expected bits 0-54 of the entry, $(printf '%#x' $((entry & ((1 << 55) - 1))))"
    line=$(line_starting "frame: ")
    [[ $line =~ physical\ address\ (0x[0-9a-f]{1,16})\) ]] || fail "$(printf 'expected (physical address 0x...) on the line:\n  %s' "$line")"
    physical=${BASH_REMATCH[1]}
    [ $((physical)) -eq $((frame * page_size + address % page_size)) ] ||
        fail "the physical address is $physical; expected frame * page size + offset in the page = $(printf '%#x' $((frame * page_size + address % page_size)))"
}

# bats test_tags=points:1,section:3_4
@test "translate_without_CAP_SYS_ADMIN_says_frame_not_permitted" {
    run_vmlab_unprivileged translate --self
    local entry
    entry=$(printed_entry)
    { [ "$(value_of present)" = yes ] && [ "$(value_of exclusive)" = yes ]; } ||
        fail "$(printf 'without CAP_SYS_ADMIN the flag bits still work: expected present: yes and exclusive: yes; vmlab printed:\n%s' "$output")"
    [ $((entry & ((1 << 55) - 1))) -eq 0 ] || fail "the entry read by nobody has a frame number: is CAP_SYS_ADMIN really gone?"
    [ "$(value_of frame)" = not-permitted ] ||
        fail "$(printf 'without CAP_SYS_ADMIN the kernel writes 0 where the frame goes: expected "frame: not-permitted ...", not a frame 0; vmlab printed:\n%s' "$output")"
}

# bats test_tags=points:1,section:5_5
@test "translate_of_an_unmapped_address_says_not_present" {
    run_vmlab translate 0x1000
    { [ "$(value_of present)" = no ] && [ "$(value_of frame)" = none ]; } ||
        fail "$(printf 'nothing is mapped at 0x1000: expected present: no and frame: none; vmlab printed:\n%s' "$output")"
    [ "$(value_of entry)" = 0x0000000000000000 ] || fail "entry: is $(value_of entry); expected 0x0000000000000000"
}

# bats test_tags=points:1,section:5_5
@test "translate_of_a_kernel_address_fails_with_EINVAL" {
    local vmlab
    vmlab=$(program vmlab)
    vmlab_recorded "translate kernel" "$vmlab" translate 0xffff800000000000
    expect_vmlab_status 1 "vmlab translate 0xffff800000000000"
    [[ $stderr == *vmlab:*"Invalid argument"* ]] ||
        fail "$(printf 'expected "vmlab: ...: Invalid argument" on stderr (pagemap has no entry beyond the user address space); stderr was:\n%s' "$stderr")"
    [ -z "$output" ] || fail "$(printf 'expected nothing on stdout, got:\n%s' "$output")"
}

# hint: usage
# bats test_tags=points:0,section:5_5
@test "vmlab_rejects_bad_usage_with_status_2" {
    local args
    for args in "" "bogus" "translate" "translate zz" "translate -1" "demand extra"; do
        # shellcheck disable=SC2086 # split the arguments on purpose
        run --separate-stderr run_program "$(program vmlab)" $args
        expect_status 2 "vmlab $args"
        [[ $stderr == *usage:* ]] || fail "vmlab $args: expected 'usage: ...' on stderr, got: $stderr"
        [ -z "$output" ] || fail "vmlab $args printed on stdout: $output"
    done
}
