# shellcheck shell=bash
# build.sh - put a lab's build tree together and compile it by the manifest.
#
# The build tree (DIR/src, which the code under test can read but not change)
# holds the files the student writes, taken from the submission, and the
# grader's own pristine copy of every given file and header. A changed given
# file, an extra file or anything that is not a plain file changes nothing; it
# is reported (DIR/log/notices) so that the student learns why. The compiler
# writes into DIR/work (the sandbox user's); its messages go to files of
# root's, opened by root.
# Sourced after common.sh and manifest.sh.

# sha256_of FILE
sha256_of() {
    local line
    line=$(sha256sum -- "$1") || return 1
    echo "${line%% *}"
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
    if [ ! -d "$dir/src" ] || [ ! -d "$dir/log" ]; then mkdir -p "$dir/src" "$dir/log"; fi
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
# The targets that are not in the cache compile side by side in one isolated
# run (lib/isolate, under root's time limit): each one's messages go to a
# file of root's that root opened for it (DIR/log/build.NAME.log), and its
# exit status to DIR/log/build.status.
build_lab() {
    local lab=$1 dir=$2 with_tools=${3:-} tests=${4:-} kind name key status=0 cache headers suites=''
    local line given_objects='' suite compile fd target_status
    local -a command targets=() lines=() compiled=() cached=() fds=()
    local -A key_of=() status_of=()
    if [ -n "$tests" ]; then
        # " NAME NAME ... ": the suites of the selected tests.
        while IFS=$'\t' read -r _ _ _ suite _; do
            [[ "$suites " == *" $suite "* ]] || suites+=" $suite"
        done <"$tests"
        suites+=' '
    fi
    if [ ! -d "$dir/work/bin" ] || [ ! -d "$dir/work/tmp" ]; then
        mkdir -p "$dir/work/bin" "$dir/work/tmp" "$dir/log"
    fi
    object_cache cache
    student_symbols "$lab" >"$dir/src/.symbols"
    # (The sandbox user's compiler reads it; elsewhere the umask let it.)
    [ -z "${GRADER_SANDBOX_UID:-}" ] || chmod 644 "$dir/src/.symbols"
    headers_digest headers "$lab" "$dir"
    compile_commands lines "$lab"
    # Sandboxed: root compiles the given files from its own copies first.
    [ "$cache" != - ] || given_objects=$(compile_given_objects "$lab" "$dir" "$headers" "$suites" "$with_tools" "${lines[@]}")
    # The words of each wanted target (KIND NAME WORDS..., a tab between two).
    for line in ${lines[@]+"${lines[@]}"}; do
        IFS=$'\t' read -r -a command <<<"$line"
        wanted_target "${command[0]}" "${command[1]}" "$suites" "$with_tools" || continue
        targets+=("$line")
    done
    # A program whose every input is that of one built before (trusted code
    # only) is taken from the cache: no compiler, no linker.
    [ "$cache" = - ] || program_keys key_of "$dir" "$headers" ${targets[@]+"${targets[@]}"}
    : >"$dir/log/build.status"
    compile="$dir/log/build.list"
    local errors="$dir/log/build.errors" status_fd
    : >"$compile"
    for line in ${targets[@]+"${targets[@]}"}; do
        IFS=$'\t' read -r -a command <<<"$line"
        name=${command[1]}
        key=${key_of[$name]:-}
        if [ -n "$key" ] && [ -f "$cache/$key.prog" ] && cp "$cache/$key.prog" "$dir/work/bin/$name" 2>/dev/null; then
            cached+=("$cache/$key.prog")
            : >"$dir/log/build.$name.log"
            echo "$name 0" >>"$dir/log/build.status"
            continue
        fi
        # (Each target's messages go to a file only root can write, opened here.)
        exec {fd}>"$dir/log/build.$name.log"
        fds+=("$fd")
        compiled+=("$name")
        (IFS=$'\t'; echo "$fd	$name	$dir/work/bin/$name	$cache	$headers	${command[*]:2}") >>"$compile"
    done
    # (Recently used: the pruning keeps them.)
    [ ${#cached[@]} -eq 0 ] || touch -- "${cached[@]}"
    if [ ${#compiled[@]} -gt 0 ]; then
        exec {status_fd}>>"$dir/log/build.status"
        # (The time limit is root's, outside the sandbox.)
        (cd "$dir/src" && exec timeout --kill-after=10 $((120 * TIMEOUT_SCALE)) \
            "$GRADER_DIR/lib/isolate" "$dir/log/left.build" \
            env TMPDIR="$dir/work/tmp" GRADER_SYMBOLS="$dir/src/.symbols" GRADER_GIVEN_OBJECTS="$given_objects" \
                "$GRADER_DIR/lib/compile-target" --each "$status_fd" <"$compile" >"$errors" 2>&1) || true
        for fd in "${fds[@]}" "$status_fd"; do exec {fd}>&-; done
    fi
    while read -r name target_status; do
        status_of[$name]=$target_status
    done <"$dir/log/build.status"
    # A target that did not finish (its time ran out, or the isolated run
    # failed) gets what was said outside the compiler.
    for name in ${compiled[@]+"${compiled[@]}"}; do
        [ -z "${status_of[$name]:-}" ] || continue
        { echo "(the build of $name did not finish)"; head -c 10000 "$errors"; } >>"$dir/log/build.$name.log"
    done
    # A probe's messages are there for the tests that use it ($LAB_BUILD_LOGS).
    [ -d "$dir/src/.build-logs" ] || mkdir -p "$dir/src/.build-logs"
    for line in ${targets[@]+"${targets[@]}"}; do
        kind=${line%%	*}
        name=${line#*	}
        name=${name%%	*}
        if [ -s "$dir/log/build.$name.log" ]; then
            head -c 100000 "$dir/log/build.$name.log" >"$dir/src/.build-logs/$name.log"
        else
            : >"$dir/src/.build-logs/$name.log"
        fi
        if [ "${status_of[$name]:-}" = 0 ]; then
            [ "$cache" = - ] || [[ " ${compiled[*]-} " != *" $name "* ]] ||
                cache_program "$cache" "$dir" "$name" "${key_of[$name]:-}"
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
    [ -n "${GRADER_SANDBOX_UID:-}" ] && [ "$EUID" -eq 0 ] || return 0
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
    # (-O: owned by root, who runs this.)
    { [ -d "$cache" ] || mkdir -p "$cache" 2>/dev/null; } && [ ! -L "$cache" ] && [ -O "$cache" ] || return 1
    chmod 700 "$cache"
    prune_cache "$cache" -name '*.o'
    echo "$cache"
}

# prune_cache CACHE FIND-TEST...: remove what FIND-TEST selects in CACHE and
# was not used for a day; at most once an hour (CACHE/.pruned holds when it
# was last done), not a walk of the whole cache on every run.
prune_cache() {
    local cache=$1 now last=0
    shift
    printf -v now '%(%s)T' -1
    [ ! -f "$cache/.pruned" ] || read -r last <"$cache/.pruned" || true
    [[ $last =~ ^[0-9]+$ ]] || last=0
    [ $((now - last)) -ge 3600 ] || return 0
    echo "$now" >"$cache/.pruned" 2>/dev/null || true
    find "$cache" \( "$@" \) -mmin +1440 -delete 2>/dev/null || true
}

# program_keys SET DIR HEADERS LINE...: SET[NAME] = the cache key of the
# program that lib/compile-target builds from each LINE (KIND NAME WORDS...,
# tab-separated, as compile_commands prints them; run in DIR/src): a digest
# of the headers' digest, the words, the text of each source and of
# compile-target itself. (Two sha256sum for every target together: one for
# the sources, one for the keys; the words go to DIR/log/key.NAME.)
program_keys() {
    local -n keys_into=$1
    local dir=$2 headers=$3 line word part entry name
    local -a words sources=() files=()
    local -A digest=() seen=()
    shift 3
    for line in "$@"; do
        IFS=$'\t' read -r -a words <<<"$line"
        part=0
        for word in "${words[@]:2}"; do
            if [ "$word" = -- ]; then
                part=$((part + 1))
            elif [ "$part" -eq 1 ] && [ -z "${seen[$word]:-}" ]; then
                seen[$word]=1
                sources+=("$word")
            fi
        done
    done
    [ $# -gt 0 ] || return 0
    # (--zero: names come back as they are, unescaped.)
    while IFS= read -r -d '' entry; do
        digest[${entry:66}]=${entry:0:64}
    done < <(cd "$dir/src" && exec sha256sum --zero -- "${sources[@]}" "$GRADER_DIR/lib/compile-target")
    for line in "$@"; do
        IFS=$'\t' read -r -a words <<<"$line"
        name=${words[1]}
        {
            printf '%s\0' "$headers" "${words[@]:2}"
            part=0
            for word in "${words[@]:2}"; do
                if [ "$word" = -- ]; then
                    part=$((part + 1))
                elif [ "$part" -eq 1 ]; then
                    echo "${digest[$word]:-}"
                fi
            done
            echo "${digest[$GRADER_DIR/lib/compile-target]:-}"
        } >"$dir/log/key.$name"
        files+=("$dir/log/key.$name")
    done
    while IFS= read -r -d '' entry; do
        name=${entry:66}
        # shellcheck disable=SC2034 # the caller's array
        keys_into[${name#"$dir/log/key."}]=${entry:0:64}
    done < <(sha256sum --zero -- "${files[@]}")
}

# cache_program CACHE DIR NAME KEY: keep the program NAME that DIR just built
# under its KEY, unless the cache has it already.
cache_program() {
    local cache=$1 dir=$2 name=$3 key=$4 staged
    [ -n "$key" ] && [ ! -f "$cache/$key.prog" ] || return 0
    # (A unique temporary name: runs side by side build the same programs.)
    staged="$cache/$key.prog.$BASHPID.$SRANDOM"
    if ! { install -m 755 -- "$dir/work/bin/$name" "$staged" && mv -f -- "$staged" "$cache/$key.prog"; }; then
        rm -f -- "$staged"
    fi
}

# object_cache VARIABLE: set VARIABLE to the folder of cached objects and
# programs (GRADER_CACHE_DIR, default build/cache/objects), or - where there
# is none: for untrusted code (a sandboxed submission must not read or write
# what other runs compile), or where it cannot be written. What was not used
# for a day is removed (prune_cache).
object_cache() {
    local -n cache_into=$1
    local object_folder=${GRADER_CACHE_DIR:-$ROOT_DIR/build/cache/objects}
    # shellcheck disable=SC2034 # (cache_into is the caller's variable)
    cache_into=-
    [ -z "${GRADER_SANDBOX_UID:-}" ] || return 0
    { [ -d "$object_folder" ] || mkdir -p "$object_folder" 2>/dev/null; } && [ -w "$object_folder" ] || return 0
    prune_cache "$object_folder" -name '*.o' -o -name '*.prog'
    # shellcheck disable=SC2034
    cache_into=$object_folder
}

# toolchain_facts: set CC_VERSION (the compiler's first line of --version),
# CHECK_VERSION, CHECK_CFLAGS and CHECK_LIBS (pkg-config's answers for Check)
# once per run. Fails when pkg-config does not know Check.
toolchain_facts() {
    [ -z "${CHECK_VERSION:-}" ] || return 0
    CHECK_VERSION=$(pkg-config --modversion check 2>/dev/null) || return 1
    read -r -a CHECK_CFLAGS < <(pkg-config --cflags check)
    read -r -a CHECK_LIBS < <(pkg-config --libs check)
    read -r CC_VERSION < <("${CC:-gcc}" --version 2>/dev/null)
}

# headers_digest VARIABLE LAB DIR: set VARIABLE to one digest of the compiler,
# Check, the symbols the student's files may define, and every header that a
# source of the lab may include (the build tree's, by their names in it, and
# the grader's).
headers_digest() {
    local -n digest_into=$1
    local lab=$2 dir=$3 file
    local -a tree=() grader=() restore=()
    toolchain_facts || true
    shopt -q globstar || restore+=(globstar)
    shopt -q nullglob || restore+=(nullglob)
    shopt -s globstar nullglob
    for file in "$dir/src"/**/*.h; do [ ! -f "$file" ] || tree+=("${file#"$dir/src/"}"); done
    for file in "$GRADER_DIR/lib"/**/*.h "$GRADER_DIR/$lab"/**/*.h \
                ${GRADER_EXTRA_DIR:+"$GRADER_EXTRA_DIR/$lab"/**/*.h}; do
        [ ! -f "$file" ] || grader+=("$file")
    done
    [ ${#restore[@]} -eq 0 ] || shopt -u "${restore[@]}"
    # shellcheck disable=SC2034 # the caller's variable
    read -r digest_into _ < <({
        printf '%s\n' "${CC_VERSION:-}" "${CHECK_VERSION:-}"
        (cd "$dir/src" && exec sha256sum -- .symbols ${tree[@]+"${tree[@]}"} ${grader[@]+"${grader[@]}"})
    } 2>/dev/null | sha256sum)
}

# compile_commands LAB: one line per target, in build order: its kind, its
# name and the words that lib/compile-target takes for it (the compiler and its
# flags, --, the sources, --, the link flags), separated by tabs. Everything is
# compiled with the same warnings (the lab's cflags and ldlibs before the
# target's own); a Check suite finds the grader's headers (grader/lib,
# grader/LAB, its own folder) before the lab's, and <check.h> only where Check
# put it. (One jq for every target: a grading run reads the manifest once.)
compile_commands() {
    local -n commands_into=$1
    local lab=$2 line home kind name cflags grader_sources sources ldlibs text
    local -a includes=() check_cflags check_libs words items
    commands_into=()
    toolchain_facts || true
    check_cflags=(${CHECK_CFLAGS[@]+"${CHECK_CFLAGS[@]}"})
    check_libs=(${CHECK_LIBS[@]+"${CHECK_LIBS[@]}"})
    manifest_value text "$lab" include_dirs
    while IFS= read -r line; do [ -z "$line" ] || includes+=("$line"); done <<<"$text"
    manifest_value text "$lab" compile
    while IFS= read -r line; do
        [ -n "$line" ] || continue
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
        printf -v line '%s\t' "${words[@]}"
        commands_into+=("${line%$'\t'}")
    done <<<"$text"
}
