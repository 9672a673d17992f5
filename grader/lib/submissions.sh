# shellcheck shell=bash
# submissions.sh - the entries of a folder of submissions: which are there,
# the student each names, and how to unpack one (an entry is a folder, .tar.gz,
# .tgz or .zip). Sourced by grade-all and grader/similarity, after common.sh.

# submission_entries DIR: the entries of DIR, NUL-separated, in name order
# (hidden entries are left out).
submission_entries() {
    find "$1" -mindepth 1 -maxdepth 1 ! -name '.*' -print0 | sort -z
}

# submission_name ENTRY: the student an entry names (its name less the extension).
submission_name() {
    local name=${1%/}
    name=${name##*/}
    name=${name%.tar.gz}
    name=${name%.tgz}
    name=${name%.zip}
    printf '%s\n' "$name"
}

# unpack_submission ENTRY DIR [UID]: copy a folder, or extract an archive,
# into DIR, keeping only plain files and folders (lib/unpack: by the user UID
# when given, under limits). What was left out is said on stdout.
unpack_submission() {
    "$GRADER_DIR/lib/unpack" "$@"
}
