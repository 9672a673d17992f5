#!/usr/bin/env bats
# protection.bats - vmlab protection: three forbidden accesses, each caught as
# SIGSEGV with its si_addr and si_code, and the program lives on.
#
# vmlab protection runs once per file, with a short deadline, and each test
# reads that run: a SIGSEGV handler that returns loops forever, and the
# deadline is how that shows.

# shellcheck disable=SC2154 # lab.bash sets stderr

load ../lib/helpers
load lab

PROTECTION_TIMEOUT=$((5 * ${TIMEOUT_SCALE:-1}))

# Run vmlab protection (once per file; later tests read that run).
run_protection() {
    local vmlab
    vmlab=$(program vmlab)
    VMLAB_DEADLINE=$PROTECTION_TIMEOUT vmlab_recorded protection "$vmlab" protection
    case "$status" in
        0) return 0 ;;
        hung) fail "$(printf '%s\n%s\n%s' \
                "$(recorded_failure "$RECORDED" "vmlab protection" 0)" \
                "When a SIGSEGV handler returns, the faulting instruction runs again and faults again, forever (state R)." \
                "Leave the handler with siglongjmp() to a sigsetjmp() taken before the access.")" ;;
        139) fail "$(printf '%s\n%s\nits stderr:\n%s' \
                "vmlab protection was killed by SIGSEGV (status 139)." \
                "Is the handler installed with sigaction() and SA_SIGINFO before the first access? After the first siglongjmp(), is SIGSEGV still blocked? sigsetjmp(env, 1) saves the signal mask and siglongjmp restores it; setjmp/longjmp do not." \
                "$stderr")" ;;
        *) expect_vmlab_status 0 "vmlab protection" ;;
    esac
}

# expect_fault TAG ACCESS CODE: the line "TAG: ACCESS address=A ..." says that
# SIGSEGV came with si_addr A and si_code CODE. Sets FAULT_ADDRESS to A.
expect_fault() {
    local line
    line=$(line_starting "$1: $2 ")
    FAULT_ADDRESS=$(field address "$line")
    [[ $FAULT_ADDRESS =~ ^0x[0-9a-f]+$ ]] ||
        fail "the address is '$FAULT_ADDRESS'; expected a pointer printed with %p"
    [ "$(field signal "$line")" = SIGSEGV ] ||
        fail "$(printf 'expected signal=SIGSEGV for this access:\n  %s' "$line")"
    [ "$(field si_addr "$line")" = "$FAULT_ADDRESS" ] ||
        fail "$(printf 'si_addr should be the address that faulted (%s):\n  %s' "$FAULT_ADDRESS" "$line")"
    [ "$(field si_code "$line")" = "$3" ] ||
        fail "$(printf 'si_code should be %s here:\n  %s' "$3" "$line")"
}

# bats test_tags=points:2,section:5_2
@test "protection_reading_a_kernel_address_gives_SEGV_MAPERR" {
    run_protection
    expect_fault kernel read SEGV_MAPERR
    [[ $FAULT_ADDRESS =~ ^0xffff[89a-f][0-9a-f]{11}$ ]] ||
        fail "the kernel address read was $FAULT_ADDRESS; expected one in the kernel's half, 0xffff800000000000 or above"
}

# hint: mprotect
# bats test_tags=points:2,section:5_2
@test "protection_writing_a_read_only_page_gives_SEGV_ACCERR" {
    run_protection
    local line
    line=$(line_starting "read-only: read ")
    [ "$(field signal "$line")" = none ] ||
        fail "$(printf 'reading a read-only page should work (signal=none):\n  %s' "$line")"
    expect_fault read-only write SEGV_ACCERR
    [ "$(field address "$line")" = "$FAULT_ADDRESS" ] ||
        fail "the read and the write of the read-only page should use the same address"
    [ "${#FAULT_ADDRESS}" -le 14 ] || fail "the read-only page at $FAULT_ADDRESS is not in the user half"
}

# hint: leave the handler with siglongjmp
# bats test_tags=points:1,section:5_2
@test "protection_touching_a_guard_page_gives_SEGV_ACCERR" {
    run_protection
    expect_fault guard read SEGV_ACCERR
    [ "${#FAULT_ADDRESS}" -le 14 ] || fail "the guard page at $FAULT_ADDRESS is not in the user half"
    line_starting "conclusion: " >/dev/null
}

# When mprotect fails (ENOMEM: vm_trace.c), the experiment says why, exits 1
# and unmaps its two pages.
# bats test_tags=points:1,section:5_2
@test "protection_fails_with_the_reason_and_releases_its_pages_when_mprotect_fails" {
    local call
    for call in 1 2; do
        VMLAB_DEADLINE=$PROTECTION_TIMEOUT run_vmlab_failing protection "mprotect:$call"
        expect_failure_reported "vmlab protection, call $call of mprotect failing"
        expect_every_mapping_released "vmlab protection, call $call of mprotect failing"
    done
}

# bats test_tags=points:1,section:5_2
@test "protection_fails_with_the_reason_when_mmap_fails" {
    VMLAB_DEADLINE=$PROTECTION_TIMEOUT run_vmlab_failing protection mmap:1
    expect_failure_reported "vmlab protection, its mmap failing"
}

# hint: access_faults(address, 0) reads, 1 writes
# bats test_tags=points:1,section:5_2
@test "protection_reads_where_it_says_read_and_writes_where_it_says_write" {
    local vmlab trace="$BATS_FILE_TMPDIR/protection.trace" faults=() line tag access address kind
    vmlab=$(program vmlab_traced)
    VMLAB_DEADLINE=$PROTECTION_TIMEOUT vmlab_recorded "traced protection" \
        env VMLAB_TRACE="$trace" "$vmlab" protection
    expect_vmlab_status 0 "vmlab protection"
    expect_in_order "kernel: read" "read-only: read" "The kernel address comes first (section 5.2, step 3)."
    expect_in_order "read-only: read" "read-only: write" "Read the read-only page, then write it (section 5.2, step 3)."
    expect_in_order "read-only: write" "guard: read" "The guard page comes last (section 5.2, step 3)."
    [ -f "$trace" ] && mapfile -t faults < <(grep '^SIGSEGV ' "$trace")
    [[ ${faults[0]:-} != *access=unknown* ]] ||
        skip "only on x86-64 does the test read from the fault whether the access was a read or a write"
    [ ${#faults[@]} -eq 3 ] ||
        fail "$(printf 'expected three SIGSEGVs (the kernel read, the read-only write, the guard read); the handler saw %s:\n%s\nvmlab printed:\n%s' "${#faults[@]}" "$(printf '  %s\n' "${faults[@]}")" "$output")"
    local index=0
    for tag in "kernel: read" "read-only: write" "guard: read"; do
        line=$(line_starting "$tag ")
        address=$(field address "$line")
        access=${tag#*: }
        kind=$(field access "${faults[$index]}")
        { [ "$(field si_addr "${faults[$index]}")" = "$address" ] && [ "$kind" = "$access" ]; } ||
            fail "$(printf 'the line\n  %s\nsays the access was a %s of %s; fault %d was a %s of %s (%s).\nEach line reports the access it names: access_faults(address, 0) reads, any other second argument writes.' \
                "$line" "$access" "$address" $((index + 1)) "$kind" "$(field si_addr "${faults[$index]}")" "${faults[$index]}")"
        index=$((index + 1))
    done
}
