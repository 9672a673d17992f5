# shellcheck shell=bash
# leftovers.sh - what a lab's tests left behind: processes that still carry
# the run's id, what lib/isolate found in the tests' namespaces, IPC objects
# that appeared on the host when there are no namespaces, and files in the
# run's temporary folder. Everything found is removed and listed.
# Sourced after common.sh.

# collect_leftovers DIR RUN_ID NAMESPACES IPC_BEFORE: write DIR/log/leaked, one
# line per thing left behind (empty when nothing was).
collect_leftovers() {
    local dir=$1 run_id=$2 namespaces=$3 before=$4 pid what file count=0
    local leaked="$dir/log/leaked" reports=() restore=()
    : >"$leaked"
    kill_sandbox_processes "$leaked"
    for pid in $(processes_of_run "$run_id"); do
        echo "process $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-60))" >>"$leaked"
        kill -KILL "$pid" 2>/dev/null || true
    done
    # (Most runs leave nothing: sort only the reports that say something.)
    for file in "$dir"/log/left.*; do
        [ ! -f "$file" ] || [ ! -s "$file" ] || reports+=("$file")
    done
    [ ${#reports[@]} -eq 0 ] || sort -u -- "${reports[@]}" >>"$leaked" 2>/dev/null || true
    # Without namespaces, compare the host's IPC objects before and after. Other
    # programs may create objects meanwhile: POSIX names count only when they
    # carry the run's id, System V objects only when one of our uids made them.
    if [ "$namespaces" -eq 0 ]; then
        while read -r what; do
            echo "$what" >>"$leaked"
            ipc_remove "$what"
        done < <(comm -13 <(echo "$before") <(ipc_snapshot) | ours_only "$run_id")
    fi
    shopt -q nullglob || restore+=(nullglob)
    shopt -q dotglob || restore+=(dotglob)
    shopt -s nullglob dotglob
    for file in "$dir/work/tmp"/*; do
        count=$((count + 1))
        [ "$count" -le 50 ] || break
        echo "temporary file ${file##*/}" >>"$leaked"
    done
    [ ${#restore[@]} -eq 0 ] || shopt -u "${restore[@]}"
}
