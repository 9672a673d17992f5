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
    local line
    line=$(sha256sum -- "$1") || return 1
    echo "${line%% *}"
}

# first_words: the first word of each line of standard input, as cut -d ' ' -f 1
# prints them (of sha256sum's lines: the checksums), without starting a process.
first_words() {
    local word rest
    while read -r word rest; do
        echo "$word"
    done
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

# checksums_of SET FILE...: SET[FILE] = the sha256 of each FILE that can be
# read, all with one sha256sum (--zero: names come back as they are, unescaped).
checksums_of() {
    local -n checksum_set=$1        # (a name reference: fills the caller's array)
    local entry
    shift
    [ $# -gt 0 ] || return 0
    while IFS= read -r -d '' entry; do
        # shellcheck disable=SC2034
        checksum_set[${entry:66}]=${entry:0:64}
    done < <(sha256sum --zero -- "$@" 2>/dev/null)
}

# copy_under BASE DEST FILE...: copy each FILE (a path relative to BASE) to
# DEST/FILE, making its folders; one cp for all.
copy_under() {
    local base=$1 dest=$2
    shift 2
    [ $# -gt 0 ] || return 0
    (cd -- "$base" && exec cp --parents -- "$@" "$dest/")
}

# assemble_lab LAB SUBMISSION DIR: fill DIR/src with the lab's build tree and
# write what was ignored or refused to DIR/log/notices (one line each). Fails,
# with the reason in DIR/log/build.log, when a given file has no pristine copy.
# A student file must be a plain file of at most 1 MiB in a folder that is no link.
# (A handful of processes for the whole lab: starting one costs 5-15 ms here.)
assemble_lab() {
    local lab=$1 from=$2 dir=$3 file sha original path candidate size entry
    local -A known=() expected=() original_sum=() offered_sum=() size_of=()
    local -a students=() plain=() taken=() given=() candidates=() offered=() from_package=() from_labs=()
    mkdir -p "$dir/src" "$dir/log"
    : >"$dir/log/notices"
    if [ -L "$from" ]; then
        echo "refused: the folder $lab is a link: the grader takes plain files in plain folders only" >>"$dir/log/notices"
        from=/nonexistent
    fi
    while read -r file; do
        known[$file]=1
        students+=("$file")
        path="$from/$file"
        if [ -L "$path" ] || { [ -e "$path" ] && [ ! -f "$path" ]; } || [ -L "${path%/*}" ]; then
            size_of[$file]='link'
        elif [ -f "$path" ]; then
            plain+=("$file")
        fi
    done < <(student_files "$lab")
    if [ ${#plain[@]} -gt 0 ]; then
        while IFS= read -r -d '' entry; do
            size_of[${entry#*$'\t'}]=${entry%%$'\t'*}
        done < <(cd -- "$from" && exec stat --printf '%s\t%n\0' -- "${plain[@]}" 2>/dev/null)
    fi
    for file in ${students[@]+"${students[@]}"}; do
        size=${size_of[$file]:-}
        if [ "$size" = link ]; then
            echo "refused: $file is not a plain file (a link, a folder or a device): the grader takes plain files only" >>"$dir/log/notices"
        elif [ -z "$size" ]; then
            continue                    # (not there: the tests say what is missing)
        elif [ "$size" -gt 1048576 ]; then
            echo "refused: $file is larger than 1 MiB" >>"$dir/log/notices"
        else
            taken+=("$file")
        fi
    done
    copy_under "$from" "$dir/src" ${taken[@]+"${taken[@]}"}

    # The given files: the grader's own copies, checked against the manifest.
    while IFS=$'\t' read -r file sha; do
        known[$file]=1
        given+=("$file")
        expected[$file]=$sha
        for candidate in "$GRADER_DIR/given/$lab/$file" "$ROOT_DIR/labs/$lab/$file"; do
            if [ -f "$candidate" ] && [ ! -L "$candidate" ]; then candidates+=("$candidate"); fi
        done
        path="$from/$file"
        if [ -f "$path" ] && [ ! -L "$path" ]; then offered+=("$path"); fi
    done < <(given_files "$lab")
    checksums_of original_sum ${candidates[@]+"${candidates[@]}"}
    checksums_of offered_sum ${offered[@]+"${offered[@]}"}
    for file in ${given[@]+"${given[@]}"}; do
        sha=${expected[$file]}
        if [ "${original_sum[$GRADER_DIR/given/$lab/$file]:-}" = "$sha" ]; then
            from_package+=("$file")
        elif [ "${original_sum[$ROOT_DIR/labs/$lab/$file]:-}" = "$sha" ]; then
            from_labs+=("$file")
        elif original=$(pristine_given "$lab" "$file" "$sha" "$ROOT_DIR/build/given-cache/$lab"); then
            [[ $file != */* ]] || mkdir -p "$dir/src/${file%/*}"
            cat -- "$original" >"$dir/src/$file"
        else
            {
                echo "the grader has no original of the given file $file (checksum $sha in grader/$lab/lab.json)."
                echo "In a clone of the repository, restore it with: git checkout -- labs/$lab/$file"
            } >>"$dir/log/build.log"
            return 1
        fi
        path="$from/$file"
        if [ -L "$path" ] || { [ -e "$path" ] && [ ! -f "$path" ]; }; then
            echo "ignored: $file is a given file, and the submission's is not a plain file: the grader used the original" >>"$dir/log/notices"
        elif [ -f "$path" ] && [ "${offered_sum[$path]:-}" != "$sha" ]; then
            echo "ignored: $file is a given file and differs from the original: the grader used the original" >>"$dir/log/notices"
        fi
    done
    copy_under "$GRADER_DIR/given/$lab" "$dir/src" ${from_package[@]+"${from_package[@]}"}
    copy_under "$ROOT_DIR/labs/$lab" "$dir/src" ${from_labs[@]+"${from_labs[@]}"}
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
# for. Objects and programs come from the cache (lib/compile-target) unless the code is
# untrusted (--sandbox). Each student file may define only the global symbols
# the manifest lists for it, and no code that runs before main or after exit.
# With TESTS (a file of selected tests, as lab_tests prints them: grade
# --tests), only what they need is built: the Check suites they are in, and
# the programs and probes when a Bats test is among them.
build_lab() {
    local lab=$1 dir=$2 with_tools=${3:-} tests=${4:-} kind name key status=0 cache headers suites=''
    local line given_objects=''
    local -a command targets=() lines=()
    [ -z "$tests" ] || suites=" $(cut -f 4 "$tests" | sort -u | paste -s -d ' ') "
    mkdir -p "$dir/work/bin" "$dir/work/tmp" "$dir/log"
    cache=$(object_cache)
    student_symbols "$lab" >"$dir/src/.symbols"
    chmod 644 "$dir/src/.symbols"      # (the sandbox user's compiler reads it)
    headers=$(headers_digest "$lab" "$dir")
    mapfile -t lines < <(compile_commands "$lab")
    # Sandboxed: root compiles the given files from its own copies first.
    [ "$cache" != - ] || given_objects=$(compile_given_objects "$lab" "$dir" "$headers" "$suites" "$with_tools" "${lines[@]}")
    for line in ${lines[@]+"${lines[@]}"}; do
        IFS=$'\t' read -r -a command <<<"$line"
        kind=${command[0]} name=${command[1]}
        command=("${command[@]:2}")
        wanted_target "$kind" "$name" "$suites" "$with_tools" || continue
        targets+=("$kind	$name")
        # A program whose every input is that of one built before (trusted
        # code only) is taken from the cache: no compiler, no linker.
        if [ "$cache" != - ]; then
            (cd "$dir/src" && program_key "$headers" "${command[@]}") >"$dir/log/key.$name"
            key=$(cat "$dir/log/key.$name")
            if [ -f "$cache/$key.prog" ] && cp "$cache/$key.prog" "$dir/work/bin/$name" 2>/dev/null; then
                touch "$cache/$key.prog"
                : >"$dir/log/build.$name.log"
                echo 0 >"$dir/log/build.$name.status"
                continue
            fi
        fi
        # (The time limit is root's, outside the sandbox.)
        (cd "$dir/src" && timeout --kill-after=10 $((120 * TIMEOUT_SCALE)) \
            "$GRADER_DIR/lib/isolate" "$dir/log/left.build.$name" \
            env TMPDIR="$dir/work/tmp" GRADER_SYMBOLS="$dir/src/.symbols" GRADER_GIVEN_OBJECTS="$given_objects" \
                "$GRADER_DIR/lib/compile-target" "$dir/work/bin/$name" "$cache" "$headers" \
                "${command[@]}" >"$dir/log/build.$name.log" 2>&1
         echo $? >"$dir/log/build.$name.status") &
    done
    wait
    # A probe's messages are there for the tests that use it ($LAB_BUILD_LOGS).
    mkdir -p "$dir/src/.build-logs"
    for name in ${targets[@]+"${targets[@]}"}; do
        kind=${name%%	*}
        name=${name#*	}
        head -c 100000 "$dir/log/build.$name.log" >"$dir/src/.build-logs/$name.log"
        if [ "$(cat "$dir/log/build.$name.status" 2>/dev/null)" = 0 ]; then
            [ "$cache" = - ] || cache_program "$cache" "$dir" "$name"
            continue
        fi
        case "$kind" in
            probe|tool) echo "(the $kind $name did not compile; the tests that use it fail)" >>"$dir/log/build.log" ;;
            *) # One target's messages: the others that share its files say the same.
               [ "$status" -eq 1 ] || head -c 100000 "$dir/log/build.$name.log" >>"$dir/log/build.log"
               status=1 ;;
        esac
    done
    return "$status"
}

# wanted_target KIND NAME SUITES WITH_TOOLS: is this target built? Tools only
# when asked for; with SUITES (" NAME NAME ... ", from a test filter) only the
# Check suites among them, and the programs and probes when a Bats file is.
wanted_target() {
    local kind=$1 name=$2 suites=$3 with_tools=$4
    [ "$kind" != tool ] || [ "$with_tools" = tools ] || return 1
    [ -n "$suites" ] || return 0
    case "$kind" in
        check) [[ $suites == *" $name "* ]] ;;
        program|probe) [[ $suites == *".bats "* ]] ;;
    esac
}

# compile_given_objects LAB DIR HEADERS SUITES WITH_TOOLS LINE...: for a
# sandboxed build, where nothing is cached: compile, as root and from the
# cache of given objects (given_object_cache), every source of the targets
# (LINEs of compile_commands) that is not one of the student's files, into
# DIR/objects, which the sandbox user may read, and print that folder; the
# sandboxed compile-target takes them from there (GRADER_GIVEN_OBJECTS). The
# build tree holds the grader's own copies of the given files and headers,
# and the submission cannot write it. Prints nothing where no such cache can
# be kept (not root): the sandboxed build then compiles everything itself.
compile_given_objects() {
    local lab=$1 dir=$2 headers=$3 suites=$4 with_tools=$5 line word part trusted
    local -A student=()
    local -a command flags sources
    shift 5
    [ -n "${GRADER_SANDBOX_UID:-}" ] && [ "$(id -u)" -eq 0 ] || return 0
    trusted=$(given_object_cache) || return 0
    while read -r word; do student[$word]=1; done < <(student_files "$lab")
    mkdir -p "$dir/objects"
    for line in "$@"; do
        IFS=$'\t' read -r -a command <<<"$line"
        wanted_target "${command[0]}" "${command[1]}" "$suites" "$with_tools" || continue
        flags=() sources=() part=0
        for word in "${command[@]:2}"; do
            if [ "$word" = -- ]; then
                part=$((part + 1))
            elif [ "$part" -eq 0 ]; then
                flags+=("$word")
            elif [ "$part" -eq 1 ] && [ -z "${student[$word]:-}" ]; then
                sources+=("$word")
            fi
        done
        [ ${#sources[@]} -gt 0 ] || continue
        (cd "$dir/src" && "$GRADER_DIR/lib/compile-target" --objects "$dir/objects" "$trusted" "$headers" \
            "${flags[@]}" -- "${sources[@]}" -- >/dev/null 2>&1) &
    done
    wait
    chgrp -R "$GRADER_SANDBOX_UID" "$dir/objects"
    chmod 750 "$dir/objects"
    find "$dir/objects" -type f -exec chmod 640 {} +
    echo "$dir/objects"
}

# given_object_cache: the folder where root keeps the objects of given files
# and of the grader's sources for sandboxed builds (GRADER_CACHE_DIR/given):
# root's alone, and only ever written by root. Fails where it cannot be so.
given_object_cache() {
    local cache=${GRADER_CACHE_DIR:-$ROOT_DIR/build/cache/objects}/given
    mkdir -p "$cache" 2>/dev/null && [ ! -L "$cache" ] && [ "$(stat -c %u "$cache")" = 0 ] || return 1
    chmod 700 "$cache"
    find "$cache" -name '*.o' -mmin +1440 -delete 2>/dev/null || true
    echo "$cache"
}

# program_key HEADERS WORD...: the cache key of the program that
# lib/compile-target builds from these words (run in the build tree): a digest
# of the headers' digest, the words, the text of each source and of
# compile-target itself.
program_key() {
    local headers=$1 word part=0
    local -a sources=()
    shift
    for word in "$@"; do
        if [ "$word" = -- ]; then
            part=$((part + 1))
        elif [ "$part" -eq 1 ]; then
            sources+=("$word")
        fi
    done
    { printf '%s\0' "$headers" "$@"
      sha256sum -- "${sources[@]}" "$GRADER_DIR/lib/compile-target" | first_words
    } | sha256sum | first_words
}

# cache_program CACHE DIR NAME: keep the program NAME that DIR just built under
# its key (DIR/log/key.NAME), unless the cache has it already.
cache_program() {
    local cache=$1 dir=$2 name=$3 key staged
    key=$(cat "$dir/log/key.$name" 2>/dev/null) || return 0
    [ -n "$key" ] && [ ! -f "$cache/$key.prog" ] || return 0
    # (A unique temporary name: runs side by side build the same programs.)
    staged=$(mktemp "$cache/$key.prog.XXXXXX") || return 0
    if ! { cp "$dir/work/bin/$name" "$staged" && chmod 755 "$staged" && mv -f "$staged" "$cache/$key.prog"; }; then
        rm -f "$staged"
    fi
}

# object_cache: the folder of cached objects and programs (GRADER_CACHE_DIR,
# default build/cache/objects), or - where there is none: for untrusted code
# (a sandboxed submission must not read or write what other runs compile), or
# where it cannot be written. What was not used for a day is removed.
object_cache() {
    local cache=${GRADER_CACHE_DIR:-$ROOT_DIR/build/cache/objects}
    if [ -n "${GRADER_SANDBOX_UID:-}" ] || ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
        echo -
        return
    fi
    find "$cache" \( -name '*.o' -o -name '*.prog' \) -mmin +1440 -delete 2>/dev/null || true
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
        # (The build tree's by their names in it: every run has a folder of its own.)
        (cd "$2/src" && find . -name '*.h' -type f -print0 | sort -z | xargs -0 -r sha256sum)
        find "$GRADER_DIR/lib" "$GRADER_DIR/$1" ${GRADER_EXTRA_DIR:+"$GRADER_EXTRA_DIR/$1"} \
            -name '*.h' -type f -print0 2>/dev/null | sort -z |
            xargs -0 -r sha256sum
    } 2>/dev/null | sha256sum | first_words
}

# compile_commands LAB: one line per target, in build order: its kind, its
# name and the words that lib/compile-target takes for it (the compiler and its
# flags, --, the sources, --, the link flags), separated by tabs. Everything is
# compiled with the same warnings (the lab's cflags and ldlibs before the
# target's own); a Check suite finds the grader's headers (grader/lib,
# grader/LAB, its own folder) before the lab's, and <check.h> only where Check
# put it. (One jq for every target: a grading run reads the manifest once.)
compile_commands() {
    local lab=$1 extra='{}' line home kind name cflags grader_sources sources ldlibs
    local -a includes check_cflags check_libs words items
    if [ -n "$(extra_manifest_of "$lab")" ]; then
        extra=$(cat "$(extra_manifest_of "$lab")")
    fi
    mapfile -t includes < <(include_dirs "$lab")
    read -r -a check_cflags < <(pkg-config --cflags check)
    read -r -a check_libs < <(pkg-config --libs check)
    while IFS= read -r line; do
        IFS=$'\x1f' read -r home kind name cflags grader_sources sources ldlibs <<<"$line"
        words=("$kind" "$name" "${CC:-gcc}" -std=gnu11 -Wall -Wextra -Werror -Og -g)
        IFS=$'\x1e' read -r -a items <<<"$cflags"
        words+=(${items[@]+"${items[@]}"})
        [ "$kind" = program ] || words+=(-iquote "$GRADER_DIR/lib" -iquote "$GRADER_DIR/$lab" -iquote "$home")
        for item in "${includes[@]}"; do words+=(-I "$item"); done
        [ "$kind" != check ] || words+=(${check_cflags[@]+"${check_cflags[@]}"})
        words+=(--)
        [ "$kind" != check ] || words+=("$home/$name.c" "$GRADER_DIR/lib/labcheck.c")
        IFS=$'\x1e' read -r -a items <<<"$grader_sources"
        for item in ${items[@]+"${items[@]}"}; do words+=("$home/$item"); done
        IFS=$'\x1e' read -r -a items <<<"$sources"
        words+=(${items[@]+"${items[@]}"} --)
        IFS=$'\x1e' read -r -a items <<<"$ldlibs"
        words+=(${items[@]+"${items[@]}"})
        [ "$kind" != check ] || words+=(${check_libs[@]+"${check_libs[@]}"})
        (IFS=$'\t'; echo "${words[*]}")
    done < <(jq -r --arg home "$GRADER_DIR/$lab" --arg extra_home "${GRADER_EXTRA_DIR:-}/$lab" \
                --argjson extra "$extra" '
        . as $lab
        | ([.targets // [] | .[] | {home: $home, target: .}] +
           [$extra.targets // [] | .[] | {home: $extra_home, target: .}])[]
        | .target as $t
        | [.home, $t.kind, $t.name,
           (($lab.cflags // []) + ($t.cflags // []) | join("\u001e")),
           ($t.grader_sources // [] | join("\u001e")),
           ($t.sources // [] | join("\u001e")),
           (($lab.ldlibs // []) + ($t.ldlibs // []) | join("\u001e"))]
        | join("\u001f")' "$(manifest_of "$lab")")
}
