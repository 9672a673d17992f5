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

# bats test_tags=points:3,section:5_2
@test "protection_reading_a_kernel_address_gives_SEGV_MAPERR" {
    run_protection
    expect_fault kernel read SEGV_MAPERR
    [[ $FAULT_ADDRESS =~ ^0xffff[89a-f][0-9a-f]{11}$ ]] ||
        fail "the kernel address read was $FAULT_ADDRESS; expected one in the kernel's half, 0xffff800000000000 or above"
}

# hint: mprotect
# bats test_tags=points:3,section:5_2
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
# bats test_tags=points:2,section:5_2
@test "protection_touching_a_guard_page_gives_SEGV_ACCERR" {
    run_protection
    expect_fault guard read SEGV_ACCERR
    [ "${#FAULT_ADDRESS}" -le 14 ] || fail "the guard page at $FAULT_ADDRESS is not in the user half"
    line_starting "conclusion: " >/dev/null
}
