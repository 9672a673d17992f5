# shellcheck shell=bash
# assertions.bash - bats-support and bats-assert (fail, assert_output, ...),
# loaded without starting a single process.
#
# Their load.bash files run dirname once for each file they source (15 in
# all), and Bats sources a test file anew for every test: on a machine where
# starting a process takes 5 to 15 ms, that was a quarter of a second per
# test, half of what a failing test costs. Here the same files are sourced,
# in the order their load.bash gives, with paths made by bash itself. A
# load.bash of another shape is loaded the usual way (bats_load_library).
#
# Load it in a .bats file:   load ../lib/assertions   (helpers.bash does it)

# load_assertion_library NAME: source the files that NAME's load.bash sources.
load_assertion_library() {
    local name=$1 dir='' candidate line files=()
    local -a folders
    IFS=: read -r -a folders <<<"${BATS_LIB_PATH:-/usr/lib/bats}"
    for candidate in ${folders[@]+"${folders[@]}"}; do
        if [ -f "$candidate/$name/load.bash" ]; then
            dir=$candidate/$name
            break
        fi
    done
    if [ -n "$dir" ]; then
        while IFS= read -r line; do
            if [[ $line =~ ^source\ \"\$\(dirname\ \"\$\{BASH_SOURCE\[0\]\}\"\)/(src/[A-Za-z0-9_]+\.bash)\"$ ]]; then
                files+=("$dir/${BASH_REMATCH[1]}")
            elif [[ $line =~ ^[[:space:]]*(#.*)?$ ]]; then
                continue
            else
                files=()     # (a shape this loader does not know)
                break
            fi
        done <"$dir/load.bash"
    fi
    if [ ${#files[@]} -eq 0 ]; then
        bats_load_library "$name"
        return
    fi
    for line in "${files[@]}"; do
        # shellcheck source=/dev/null
        source "$line"
    done
}

load_assertion_library bats-support
load_assertion_library bats-assert
