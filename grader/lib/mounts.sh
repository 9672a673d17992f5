# shellcheck shell=bash
# mounts.sh - mqueue_mounted: is the POSIX message queue file system mounted on
# /dev/mqueue? Sourced by common.sh (the engine) and helpers.bash (the tests).

# (Read by bash from /proc/self/mounts: no process.)
mqueue_mounted() {
    local _ target type
    [ -r /proc/self/mounts ] || return 1
    while read -r _ target type _; do
        [ "$target" != /dev/mqueue ] || [ "$type" != mqueue ] || return 0
    done </proc/self/mounts
    return 1
}
