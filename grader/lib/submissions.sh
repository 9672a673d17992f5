# shellcheck shell=bash
# submissions.sh - the entries of a folder of submissions: which are there,
# the student each names, and how to unpack one. Sourced by grader/similarity
# (grade-all has the same rules: an entry is a folder, .tar.gz, .tgz or .zip).

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

# unpack_submission ENTRY DIR: copy a folder, or extract an archive, into DIR.
# Links are copied as links, never followed; tar and unzip refuse to write
# through a link that the archive itself made.
unpack_submission() {
    case "$1" in
        *.tar.gz|*.tgz) tar -xzf "$1" -C "$2" --no-same-owner --no-same-permissions ;;
        *.zip) unzip -q "$1" -d "$2" ;;
        *) [ -d "$1" ] || { echo "not a folder, .tar.gz, .tgz or .zip"; return 1; }
           cp -R "$1/." "$2/" ;;
    esac
}
