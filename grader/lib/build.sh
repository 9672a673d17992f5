# shellcheck shell=bash
# build.sh - put a lab's build tree together and compile it by the manifest.
#
# The build tree (DIR/src, which the code under test can read but not change)
# holds the files the student writes, taken from the submission, and the
# grader's own pristine copy of every given file and header. A changed given
# file, an extra file or anything that is not a plain file changes nothing; it
# is reported (DIR/log/notices) so that the student learns why. The compiler
# writes into DIR/work (the sandbox user's); its messages are read back from
# there as the sandbox user would read them (read_untrusted).
# Sourced after common.sh and manifest.sh.

# sha256_of FILE
sha256_of() {
    sha256sum -- "$1" | cut -d ' ' -f 1
}

# pristine_given LAB FILE SHA256 CACHE: print the path of the grader's own copy
# of a given file: the package's grader/given/LAB/FILE, else labs/LAB/FILE,
# else the version in git's history, extracted into CACHE; each only when its
# checksum is the manifest's. Fails when no copy has it.
pristine_given() {
    local lab=$1 file=$2 sha=$3 cache=$4 candidate commit
    for candidate in "$GRADER_DIR/given/$lab/$file" "$ROOT_DIR/labs/$lab/$file"; do
        if [ -f "$candidate" ] && [ ! -L "$candidate" ] && [ "$(sha256_of "$candidate")" = "$sha" ]; then
            echo "$candidate"
            return 0
        fi
    done
    # A checkout whose copy was edited: the original is in git's history.
    git -C "$ROOT_DIR" rev-parse --git-dir >/dev/null 2>&1 || return 1
    candidate="$cache/$sha"
    if [ -f "$candidate" ]; then
        echo "$candidate"
        return 0
    fi
    mkdir -p "$cache"
    while read -r commit; do
        git -C "$ROOT_DIR" show "$commit:labs/$lab/$file" >"$candidate.part" 2>/dev/null || continue
        if [ "$(sha256_of "$candidate.part")" = "$sha" ]; then
            mv "$candidate.part" "$candidate"
            echo "$candidate"
            return 0
        fi
    done < <(git -C "$ROOT_DIR" log --format=%H -- "labs/$lab/$file" 2>/dev/null)
    rm -f "$candidate.part"
    return 1
}

# assemble_lab LAB SUBMISSION DIR: fill DIR/src with the lab's build tree and
# write what was ignored or refused to DIR/log/notices (one line each). Fails,
# with the reason in DIR/log/build.log, when a given file has no pristine copy.
# A student file must be a plain file of at most 1 MiB in a folder that is no link.
assemble_lab() {
    local lab=$1 from=$2 dir=$3 file sha original path
    local -A known=()
    mkdir -p "$dir/src" "$dir/log"
    : >"$dir/log/notices"
    if [ -L "$from" ]; then
        echo "refused: the folder $lab is a link: the grader takes plain files in plain folders only" >>"$dir/log/notices"
        from=/nonexistent
    fi
    while read -r file; do
        known[$file]=1
        path="$from/$file"
        if [ -L "$path" ] || { [ -e "$path" ] && [ ! -f "$path" ]; } || [ -L "$(dirname "$path")" ]; then
            echo "refused: $file is not a plain file (a link, a folder or a device): the grader takes plain files only" >>"$dir/log/notices"
        elif [ -f "$path" ] && [ "$(stat -c %s -- "$path")" -gt 1048576 ]; then
            echo "refused: $file is larger than 1 MiB" >>"$dir/log/notices"
        elif [ -f "$path" ]; then
            mkdir -p "$dir/src/$(dirname "$file")"
            cat -- "$path" >"$dir/src/$file"
        fi
    done < <(student_files "$lab")
    while IFS=$'\t' read -r file sha; do
        known[$file]=1
        if ! original=$(pristine_given "$lab" "$file" "$sha" "$ROOT_DIR/build/given-cache/$lab"); then
            {
                echo "the grader has no original of the given file $file (checksum $sha in grader/$lab/lab.json)."
                echo "In a clone of the repository, restore it with: git checkout -- labs/$lab/$file"
            } >>"$dir/log/build.log"
            return 1
        fi
        mkdir -p "$dir/src/$(dirname "$file")"
        cat -- "$original" >"$dir/src/$file"
        path="$from/$file"
        if [ -L "$path" ] || { [ -e "$path" ] && [ ! -f "$path" ]; }; then
            echo "ignored: $file is a given file, and the submission's is not a plain file: the grader used the original" >>"$dir/log/notices"
        elif [ -f "$path" ] && [ "$(sha256_of "$path")" != "$sha" ]; then
            echo "ignored: $file is a given file and differs from the original: the grader used the original" >>"$dir/log/notices"
        fi
    done < <(given_files "$lab")
    # Anything else in the submission's folder is not built.
    [ -d "$from" ] || return 0
    local extra=0
    while IFS= read -r -d '' path; do
        file=${path#"$from"/}
        [ -n "${known[$file]:-}" ] && continue
        extra=$((extra + 1))
        [ "$extra" -le 20 ] || continue
        case "$file" in *[![:print:]]*) file=$(printf '%q' "$file") ;; esac
        echo "ignored: $file is not one of the lab's files (the grader builds only the files you write)" >>"$dir/log/notices"
    done < <(find "$from" -mindepth 1 ! -type d -print0 2>/dev/null | head -z -n 1000 | sort -z)
    [ "$extra" -le 20 ] || echo "ignored: $((extra - 20)) more files that are not the lab's" >>"$dir/log/notices"
    return 0
}

# build_lab LAB DIR [tools]: compile every target of the manifest in DIR/src,
# side by side, into DIR/work/bin, with the compiler's messages in
# DIR/log/build.log. A program or a Check suite that does not compile fails the
# build (status 1); a probe that does not compile leaves its messages in
# DIR/work/bin/NAME.log for the tests that use it. Tools (the grader's own
# programs, such as the benchmark's cross-check) are built only when asked
# for. Objects come from the cache (lib/compile-target) unless the code is
# untrusted (--sandbox). Each student file may define only the global symbols
# the manifest lists for it, and no code that runs before main or after exit.
# With TESTS (a file of selected tests, as lab_tests prints them: grade
# --tests), only what they need is built: the Check suites they are in, and
# the programs and probes when a Bats test is among them.
build_lab() {
    local lab=$1 dir=$2 with_tools=${3:-} tests=${4:-} kind name status=0 cache headers suites=''
    local -a command targets=()
    [ -z "$tests" ] || suites=" $(cut -f 4 "$tests" | sort -u | paste -s -d ' ') "
    mkdir -p "$dir/work/bin" "$dir/work/tmp" "$dir/log"
    cache=$(object_cache)
    student_symbols "$lab" >"$dir/src/.symbols"
    chmod 644 "$dir/src/.symbols"      # (the sandbox user's compiler reads it)
    headers=$(headers_digest "$lab" "$dir")
    while IFS=$'\t' read -r kind name; do
        [ "$kind" != tool ] || [ "$with_tools" = tools ] || continue
        if [ -n "$suites" ]; then
            case "$kind" in
                check) [[ $suites == *" $name "* ]] || continue ;;
                program|probe) [[ $suites == *".bats "* ]] || continue ;;
            esac
        fi
        targets+=("$kind	$name")
        mapfile -t command < <(compile_command "$lab" "$dir" "$kind" "$name")
        # (The time limit is root's, outside the sandbox.)
        (cd "$dir/src" && timeout --kill-after=10 $((120 * TIMEOUT_SCALE)) \
            "$GRADER_DIR/lib/isolate" "$dir/log/left.build.$name" \
            env TMPDIR="$dir/work/tmp" GRADER_SYMBOLS="$dir/src/.symbols" \
                "$GRADER_DIR/lib/compile-target" "$dir/work/bin/$name" "$cache" "$headers" \
                "${command[@]}" >"$dir/log/build.$name.log" 2>&1
         echo $? >"$dir/log/build.$name.status") &
    done < <(lab_targets "$lab")
    wait
    # A probe's messages are there for the tests that use it ($LAB_BUILD_LOGS).
    mkdir -p "$dir/src/.build-logs"
    for name in ${targets[@]+"${targets[@]}"}; do
        kind=${name%%	*}
        name=${name#*	}
        head -c 100000 "$dir/log/build.$name.log" >"$dir/src/.build-logs/$name.log"
        [ "$(cat "$dir/log/build.$name.status" 2>/dev/null)" != 0 ] || continue
        case "$kind" in
            probe|tool) echo "(the $kind $name did not compile; the tests that use it fail)" >>"$dir/log/build.log" ;;
            *) # One target's messages: the others that share its files say the same.
               [ "$status" -eq 1 ] || head -c 100000 "$dir/log/build.$name.log" >>"$dir/log/build.log"
               status=1 ;;
        esac
    done
    return "$status"
}

# object_cache: the folder of cached objects (GRADER_CACHE_DIR, default
# build/cache/objects), or - where there is none: for untrusted code (a
# sandboxed submission must not read or write what other runs compile), or
# where it cannot be written. Objects unused for a day are removed.
object_cache() {
    local cache=${GRADER_CACHE_DIR:-$ROOT_DIR/build/cache/objects}
    if [ -n "${GRADER_SANDBOX_UID:-}" ] || ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
        echo -
        return
    fi
    find "$cache" -name '*.o' -mmin +1440 -delete 2>/dev/null || true
    echo "$cache"
}

# headers_digest LAB DIR: one digest of the compiler, Check, the symbols the
# student's files may define, and every header that a source of the lab may
# include (the build tree's and the grader's).
headers_digest() {
    {
        "${CC:-gcc}" --version | head -n 1
        pkg-config --modversion check
        cat "$2/src/.symbols"
        find "$2/src" "$GRADER_DIR/lib" "$GRADER_DIR/$1" ${GRADER_EXTRA_DIR:+"$GRADER_EXTRA_DIR/$1"} \
            -name '*.h' -type f -print0 2>/dev/null | sort -z |
            xargs -0 -r sha256sum
    } 2>/dev/null | sha256sum | cut -d ' ' -f 1
}

# compile_command LAB DIR KIND NAME: the words that lib/compile-target takes
# for a target, one per line: the compiler and its flags, --, the sources, --,
# the link flags. Everything is compiled with the same warnings; a Check suite
# finds the grader's headers (grader/lib, grader/LAB) before the lab's, and
# <check.h> only where Check put it.
compile_command() {
    local lab=$1 dir=$2 kind=$3 name=$4 item
    printf '%s\n' "${CC:-gcc}" -std=gnu11 -Wall -Wextra -Werror -Og -g
    target_field "$lab" "$name" cflags
    local home
    home=$(suite_home "$lab" "$name")
    if [ "$kind" != program ]; then
        printf '%s\n' -iquote "$GRADER_DIR/lib" -iquote "$GRADER_DIR/$lab" -iquote "$home"
    fi
    while read -r item; do printf '%s\n' -I "$item"; done < <(include_dirs "$lab")
    [ "$kind" != check ] || pkg-config --cflags check | tr ' ' '\n' | sed '/^$/d'
    echo --
    if [ "$kind" = check ]; then
        printf '%s\n' "$home/$name.c" "$GRADER_DIR/lib/labcheck.c"
    fi
    while read -r item; do echo "$home/$item"; done < <(target_field "$lab" "$name" grader_sources)
    target_field "$lab" "$name" sources
    echo --
    target_field "$lab" "$name" ldlibs
    [ "$kind" != check ] || pkg-config --libs check | tr ' ' '\n' | sed '/^$/d'
}
