# shellcheck shell=bash
# common.sh - what the grader's scripts share: where things are, lab names,
# timeouts, and the list of IPC objects and processes a run may leave behind.
# Sourced by grader/grade and grader/selftest; not run on its own.

# (No dirname: every test run starts scripts that source this file, and here
# starting a process costs milliseconds.)
# An absolute path with no ., .. or // in it (isolate's, grade's from make) is
# cut as a string; any other is resolved with cd.
if [[ ${BASH_SOURCE[0]} == /*/lib/common.sh && ${BASH_SOURCE[0]} != *//* &&
      ${BASH_SOURCE[0]} != */./* && ${BASH_SOURCE[0]} != */../* ]]; then
    GRADER_DIR=${BASH_SOURCE[0]%/lib/common.sh}
    ROOT_DIR=${GRADER_DIR%/*}
    [ -n "$ROOT_DIR" ] || ROOT_DIR=/
else
    GRADER_DIR=${BASH_SOURCE[0]%/*}
    [ "$GRADER_DIR" != "${BASH_SOURCE[0]}" ] || GRADER_DIR=.
    GRADER_DIR=$(cd "$GRADER_DIR/.." && pwd)
    # shellcheck disable=SC2034 # used by the scripts that source this file
    ROOT_DIR=$(cd "$GRADER_DIR/.." && pwd)
fi

# One knob for slow machines: every timeout is multiplied by TIMEOUT_SCALE.
TIMEOUT_SCALE=${TIMEOUT_SCALE:-1}
case "$TIMEOUT_SCALE" in
    ''|*[!0-9]*|0) echo "grader: TIMEOUT_SCALE must be a whole number >= 1, not '$TIMEOUT_SCALE'" >&2
                   exit 2 ;;
esac

# The labs, one per line: every grader/NN-name folder with a manifest.
all_labs() {
    local dir
    for dir in "$GRADER_DIR"/[0-9][0-9]-*/; do
        dir=${dir%/}
        [ -f "$dir/lab.json" ] && echo "${dir##*/}"
    done
    return 0
}

# Print the lab that NAME means: 1, 01, 01-memory-layout or memory-layout.
resolve_lab() {
    local name=$1 lab number
    case "$name" in
        [0-9]) number=0$name ;;
        [0-9][0-9]) number=$name ;;
        *) number= ;;
    esac
    while read -r lab; do
        if [ "$lab" = "$name" ] || [ "${lab#[0-9][0-9]-}" = "$name" ] ||
           { [ -n "$number" ] && [ "${lab%%-*}" = "$number" ]; }; then
            echo "$lab"
            return 0
        fi
    done < <(all_labs)
    {
        echo "grader: no lab called '$name'. The labs are:"
        all_labs | sed 's/^/    /'
    } >&2
    return 1
}

# The folder of a submission that holds the lab folders (NN-name): the folder
# itself, or the one folder it was packed in (labs/, a student's name, ...).
find_labs_folder() {
    local found
    found=$(find "$1" -mindepth 1 -maxdepth 3 -type d -name '[0-9][0-9]-*' -printf '%h\n' |
            sort | head -n 1)
    echo "${found:-$1}"
}

# shellcheck source=mounts.sh
source "$GRADER_DIR/lib/mounts.sh"

# ipc_objects: everything that outlives a process, one a line: POSIX shm and
# named semaphores (their /dev/shm paths), POSIX message queues ("mqueue
# /NAME", when /dev/mqueue is mounted) and System V IPC objects, with the
# uid that created them ("sysv msg ID uid=CREATOR"; /proc/sysvipc lists the
# objects of this IPC namespace). Read by bash alone: no process.
ipc_objects() {
    local path file count uid
    local -a fields
    shopt -s nullglob dotglob
    for path in /dev/shm/*; do echo "$path"; done
    if mqueue_mounted; then
        for path in /dev/mqueue/*; do echo "mqueue /${path#/dev/mqueue/}"; done
    fi
    shopt -u nullglob dotglob
    for file in msg shm sem; do
        [ -r "/proc/sysvipc/$file" ] || continue
        count=0
        while read -r -a fields; do
            count=$((count + 1))
            [ "$count" -gt 1 ] || continue          # (the heading)
            uid=${fields[9]:-}
            [ "$file" != sem ] || uid=${fields[6]:-}
            echo "sysv $file ${fields[1]} uid=$uid"
        done <"/proc/sysvipc/$file"
    done
}

# ipc_snapshot: ipc_objects, sorted (for comm).
ipc_snapshot() {
    ipc_objects | sort
}

# The uids whose objects and files are the grader's: the user running it, and
# the sandbox users of grade --sandbox (61000-64999) and grade-all (100000 and up).
is_our_uid() {
    [ "$1" = "$EUID" ] || { [ "$1" -ge 61000 ] && [ "$1" -le 64999 ]; } || [ "$1" -ge 100000 ]
}

# ours_only ID: of the objects named on stdin (as ipc_snapshot names them),
# those that are ours: a POSIX name that carries ID (every run id of the
# grader does), a System V object that one of our uids created. System V
# objects have no name: one that another program of the same user creates
# meanwhile cannot be told from ours (namespaces, where permitted, keep them
# apart).
ours_only() {
    local line uid
    while read -r line; do
        case "$line" in
            '') ;;
            "sysv "*)
                read -r _ _ _ uid <<<"$line"
                uid=${uid#uid=}
                [[ $uid =~ ^[0-9]+$ ]] && is_our_uid "$uid" && echo "$line" ;;
            *"$1"*) echo "$line" ;;
        esac
    done
    return 0
}

# temporary_files_of ID SINCE: files and folders in the world-writable
# temporary folders, newer than the file SINCE, that are ours: their names
# carry ID, or a sandbox user of ours owns them. (A file that another program
# of the same user leaves there meanwhile is not ours to report.)
temporary_files_of() {
    local id=$1 since=$2 uid path
    find /tmp /var/tmp /dev/shm /run/lock -mindepth 1 -maxdepth 1 -newer "$since" -printf '%U %p\n' 2>/dev/null |
        while read -r uid path; do
            if [[ $path == *"$id"* ]] || { [ "$uid" != "$EUID" ] && is_our_uid "$uid"; }; then
                echo "$path"
            fi
        done
    return 0
}

# POSIX message queues are only listed where the mqueue file system is mounted.
# Root can mount it (it is harmless and what Docker does).
make_mqueues_visible() {
    mqueue_mounted && return 0
    [ "$EUID" -eq 0 ] || return 0
    if mkdir -p /dev/mqueue 2>/dev/null; then
        mount -t mqueue none /dev/mqueue 2>/dev/null || true
    fi
}

# Remove one object named as ipc_snapshot names it.
ipc_remove() {
    local kind id
    case "$1" in
        /dev/shm/*) rm -f -- "$1" ;;
        "mqueue /"*) rm -f -- "/dev/mqueue/${1#mqueue /}" ;;
        "sysv "*)
            read -r _ kind id _ <<<"$1"
            case "$kind" in
                msg) ipcrm -q "$id" 2>/dev/null || true ;;
                shm) ipcrm -m "$id" 2>/dev/null || true ;;
                sem) ipcrm -s "$id" 2>/dev/null || true ;;
            esac ;;
    esac
}

# read_untrusted FILE [BYTES]: print at most BYTES (default 1 MiB) of a file
# that code under test may have written or replaced: never through a link in
# its last part, and as the sandbox user when there is one (so that a link
# higher up leads nowhere that user could not read anyway). Nothing when the
# file cannot be read.
read_untrusted() {
    local file=$1 bytes=${2:-1048576} as_user=()
    if [ -n "${GRADER_SANDBOX_UID:-}" ] && [ "$EUID" -eq 0 ]; then
        as_user=(setpriv --reuid="$GRADER_SANDBOX_UID" --regid="$GRADER_SANDBOX_UID" --clear-groups --)
    fi
    ${as_user[@]+"${as_user[@]}"} dd if="$file" iflag=nofollow,count_bytes count="$bytes" bs=64K \
        status=none 2>/dev/null || true
}

# kill_sandbox_processes [REPORT]: no process of the sandbox user is left (as
# root: the code under test may have left the namespace's process group, or
# stopped itself or its timer); those found are added to REPORT first.
# Without a sandbox user, nothing to do here.
kill_sandbox_processes() {
    local uid=${GRADER_SANDBOX_UID:-} tries=0
    [ -n "$uid" ] && [ "$EUID" -eq 0 ] || return 0
    if [ -n "${1:-}" ]; then
        pgrep -a -U "$uid" 2>/dev/null | cut -c 1-80 | sed 's/^[0-9]* /process /' >>"$1" || true
    fi
    while pkill -KILL -U "$uid" 2>/dev/null && [ "$tries" -lt 50 ]; do
        tries=$((tries + 1))
        sleep 0.05
    done
    return 0
}

# world_writable_folders: the folders anyone may write to, colon-separated
# (/tmp, /var/tmp, /run/lock, ...): isolate gives the tests a private copy of
# each. Found where such folders live, not listed.
# (As a user who cannot enter some folders, a container's student, find reports
# them and fails: what it found still counts.)
world_writable_folders() {
    local folders=() IFS=:
    # (Joined by bash: one process, not a pipeline.)
    mapfile -t folders < <(find /tmp /var /run /dev /home /srv /opt /mnt /media -maxdepth 3 -type d \
        -perm -0002 ! -path /dev/shm ! -path /dev/mqueue -print 2>/dev/null || true)
    echo "${folders[*]}"
}

# The pids of processes whose environment carries GRADER_RUN_ID=$1.
processes_of_run() {
    local run_id=$1 file pid
    # shellcheck disable=SC2010 # the names are /proc/NUMBER/environ, nothing odd
    grep -lz -- "^GRADER_RUN_ID=$run_id\$" /proc/[0-9]*/environ 2>/dev/null |
        while read -r file; do
            pid=${file#/proc/}
            pid=${pid%/environ}
            [ "$pid" != "$$" ] && echo "$pid"
        done || true
}

# namespaces_permitted: may lib/isolate give a command namespaces of its own
# (root with CAP_SYS_ADMIN; not GRADER_NO_NAMESPACES=1)? Then runs can go
# side by side: each one's IPC objects and processes are its own.
# grade answers once for its whole run (GRADER_NAMESPACES=1 or 0, which
# lib/isolate then takes instead of trying again: namespaces cost a few
# milliseconds to make).
namespaces_permitted() {
    [ "${GRADER_NO_NAMESPACES:-}" != 1 ] || return 1
    case "${GRADER_NAMESPACES:-}" in
        1) return 0 ;;
        0) return 1 ;;
    esac
    unshare --ipc --mount --pid --net --fork --mount-proc --propagation private true 2>/dev/null
}

# Colours only on a terminal, and never with NO_COLOR set.
# shellcheck disable=SC2034 # used by the scripts that source this file
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
    GREEN=$'\e[32m' RED=$'\e[31m' YELLOW=$'\e[33m' BOLD=$'\e[1m' PLAIN=$'\e[0m'
else
    GREEN='' RED='' YELLOW='' BOLD='' PLAIN=''
fi

# copy_mutant PATCH LAB DEST: copy LAB of the solutions (or of the stubs, when
# the patch says "Base: stub") into DEST/LAB and apply the mutant PATCH there.
# On failure, patch's complaint goes to stderr and the status is 1.
copy_mutant() {
    local patch=$1 lab=$2 dest=$3 base=solutions log
    grep -q '^Base: stub' "$patch" && base=labs
    rm -rf "${dest:?}/$lab"
    mkdir -p "$dest"
    cp -R "$ROOT_DIR/$base/$lab" "$dest/"
    if ! log=$(patch --quiet --batch --no-backup-if-mismatch -d "$dest/$lab" -p1 <"$patch" 2>&1); then
        echo "the patch does not apply to $base/$lab: $log" >&2
        return 1
    fi
}
