# shellcheck shell=bash
# lib.sh - what the scripts of docker/ share: the repository, the image, the
# container engine and the owner of a folder. Sourced by docker/base,
# docker/build and docker/run; not run on its own.
# They run on the host, so this keeps to bash 3.2 (macOS) and portable commands.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this file
image=${IMAGE:-linux-ipc-labs}
me=docker/$(basename "$0")

# die LINE...: print each line after the script's name on stderr, exit 1.
die() {
    local line
    for line in "$@"; do
        echo "$me: $line" >&2
    done
    exit 1
}

# load_engine: set engine (the command and its options, an array) from
# docker/engine, and engine_kind to docker, podman or other.
# shellcheck disable=SC2034 # used by the scripts that source this file
load_engine() {
    local line
    line=$("$root/docker/engine") || exit 1
    read -r -a engine <<<"$line"
    case "$(basename "${engine[0]}")" in
        docker) engine_kind=docker ;;
        podman) engine_kind=podman ;;
        *) engine_kind=other ;;
    esac
}

# owner_of DIR: print the uid and gid that own DIR.
owner_of() {
    # shellcheck disable=SC2012 # one folder; ls -n reads its owner on Linux and macOS alike
    ls -nd "$1" | awk '{print $3, $4}'
}

# docker_check_owner DIR UID: under Docker the student writes as its own uid,
# the one the image gives it; die, saying what works, where that cannot be
# DIR's owner UID: a rootless Docker, or a folder of root's.
docker_check_owner() {
    local dir=$1 uid=$2 user
    case "$("${engine[@]}" info --format '{{ .SecurityOptions }}' 2>/dev/null)" in
        *rootless*)
            die "this Docker runs rootless: it maps you to root in the container, and the" \
                "student to another uid, which cannot write to $dir. podman maps the student to you:" \
                "    make docker shell CONTAINER_ENGINE=podman" ;;
    esac
    if [ "$uid" -eq 0 ]; then
        user=${SUDO_UID:-$(id -u)}:${SUDO_GID:-$(id -g)}
        [ "$user" != 0:0 ] || user=1000:1000
        die "$dir belongs to root, and under Docker the student writes as its own uid:" \
            "Docker cannot map the student to root. Give the folder to a user, then build:" \
            "    sudo chown -R $user $dir && make docker && make shell" \
            "or use podman as root, which maps the student to root:" \
            "    sudo make docker shell CONTAINER_ENGINE=podman"
    fi
}

# print_command WORD...: the command on one line, each word that a shell would
# read otherwise in single quotes.
print_command() {
    local word line='' q="'"
    for word in "$@"; do
        case "$word" in
            '' | *[!A-Za-z0-9_./:=,@%+-]*)
                word=${word//$q/$q\\$q$q}
                word=$q$word$q ;;
        esac
        line="$line $word"
    done
    echo "${line# }"
}
