# shellcheck shell=bash
# lab.bash - what the Bats files of lab 05 share. Load it after ../lib/helpers:
#
#   load ../lib/helpers
#   load lab

# run_within SECONDS COMMAND...: like run_program, with a deadline of its own
# (scaled by TIMEOUT_SCALE) and with every descriptor above 2 closed, so that
# the command sees only what it opens itself. Status 124: the deadline passed.
run_within() {
    local seconds=$(($1 * ${TIMEOUT_SCALE:-1}))
    shift
    (
        # In a subshell: bash keeps copies of redirected descriptors above 9.
        for fd in /proc/"$BASHPID"/fd/*; do
            fd=${fd##*/}
            [ "$fd" -le 2 ] || eval "exec $fd>&-"
        done
        exec timeout --kill-after=2 "$seconds" "$@"
    )
}

# A prefix for commands that must run without CAP_SYS_RESOURCE, which lets a
# process go above /proc/sys/fs/pipe-max-size: empty when we lack it already.
without_cap_sys_resource() {
    local effective
    effective=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
    if (((16#$effective >> 24) & 1)); then
        echo setpriv --inh-caps=-sys_resource --bounding-set=-sys_resource
    fi
}
