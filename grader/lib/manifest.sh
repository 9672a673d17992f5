# shellcheck shell=bash
# manifest.sh - what a lab is made of, read from the grader's own files: the
# manifest grader/NN-name/lab.json (the files the student writes, the given
# files and their checksums, the targets to build, the Bats files) and the
# test declarations in the lab's Check suites and Bats files.
# Sourced after common.sh; not run on its own.
#
# Every function prints fields, one record per line, separated by tabs.

manifest_of() {
    echo "$GRADER_DIR/$1/lab.json"
}

# An instructor's private tests (grade --extra DIR): DIR/LAB/extra.json names
# their Check suites (targets) and Bats files, in the manifest's format; their
# sources are in DIR/LAB. They are graded like the lab's own tests, count in a
# private part of the total, and stay hidden from the student until the
# grades are published.
extra_manifest_of() {
    [ -n "${GRADER_EXTRA_DIR:-}" ] && [ -f "$GRADER_EXTRA_DIR/$1/extra.json" ] &&
        echo "$GRADER_EXTRA_DIR/$1/extra.json"
}

# manifests_of LAB: the lab's manifest, then its private tests' (if any).
manifests_of() {
    manifest_of "$1"
    extra_manifest_of "$1" || true
}

# suite_home LAB SUITE: the folder of a suite's sources (grader/LAB, or the
# private tests' folder).
suite_home() {
    if [ -n "$(extra_manifest_of "$1")" ] &&
       jq -e --arg name "$2" 'any(.targets[]?; .name == $name) or any(.bats[]?; . == $name)' \
           "$(extra_manifest_of "$1")" >/dev/null; then
        echo "$GRADER_EXTRA_DIR/$1"
    else
        echo "$GRADER_DIR/$1"
    fi
}

# suite_home_into VARIABLE LAB SUITE: suite_home's answer into VARIABLE,
# from the manifests read once (no subshell, no jq).
suite_home_into() {
    local -n home_into=$1
    local suite_list suite_kind suite_home suite_name
    # shellcheck disable=SC2034 # the caller's variable
    home_into=$GRADER_DIR/$2
    manifest_value suite_list "$2" suites || return 0
    # (The last that names it: the private tests' come after the lab's own.)
    # shellcheck disable=SC2034 # the caller's variable
    while IFS=$'\t' read -r suite_kind suite_home suite_name; do
        [ "$suite_name" != "$3" ] || [ -z "$suite_kind" ] || home_into=$suite_home
    done <<<"$suite_list"
}

# private_suites LAB: the names of the private tests' suites, one per line.
private_suites() {
    local manifest
    manifest=$(extra_manifest_of "$1") || return 0
    jq -r '(.targets // [] | .[].name), (.bats // [] | .[])' "$manifest"
}

# load_manifest LAB: read the lab's manifests (its own, then its private
# tests', manifests_of) once, with one jq, into MANIFEST_READ. The functions
# below answer from there (manifest_answer), so a grading run that calls it
# first starts no jq for them; in a subshell started before it, each reads
# the manifests itself.
declare -gA MANIFEST_READ=()
load_manifest() {
    local lab=$1 key value manifests
    mapfile -t manifests < <(manifests_of "$lab")
    # (KEY NUL VALUE NUL, the value being what the function prints. The
    # private tests add targets and Bats files; the rest is the lab's own.)
    while IFS= read -r -d '' key && IFS= read -r -d '' value; do
        MANIFEST_READ["$lab $key"]=$value
    done < <(jq -j -n --arg home "$GRADER_DIR/$lab" --arg extra_home "${GRADER_EXTRA_DIR:-}/$lab" '
        def lines: map(. + "\n") | add // "";
        [inputs] as $all | [$home, $extra_home] as $homes | $all[0] |
        . as $lab |
        ["student_files", (.student_files | lines)],
        ["student_symbols", (.student_symbols // {} | to_entries | map("\(.key) \(.value | join(" "))") | lines)],
        ["given_files", (.given_files | to_entries | map("\(.key)\t\(.value)") | lines)],
        ["lab_targets", ([$all[] | .targets // [] | .[] | "\(.kind)\t\(.name)"] | lines)],
        ["include_dirs", (["."] + (.include_dirs // []) | lines)],
        ["run_alone", (.run_alone // [] | lines)],
        ["bats_files", ([$all[] | .bats // [] | .[]] | lines)],
        ["review_allow", (.review_allow // [] | lines)],
        # KIND<TAB>FOLDER<TAB>NAME of every suite (lab_tests).
        ["suites", ([range($all | length) as $i | $all[$i] |
                     ((.targets // [])[] | select(.kind == "check") | "check\t\($homes[$i])\t\(.name)"),
                     ((.bats // [])[] | "bats\t\($homes[$i])\t\(.)")] | lines)],
        # What compile_commands needs of every target, fields joined by
        # \u001f, lists by \u001e: the folder of its suite, kind, name,
        # cflags (the lab'"'"'s, then its own), grader_sources, sources, ldlibs.
        ["compile", ([range($all | length) as $i | $all[$i] | (.targets // [])[] | . as $t |
                      [$homes[$i], $t.kind, $t.name,
                       (($lab.cflags // []) + ($t.cflags // []) | join("\u001e")),
                       ($t.grader_sources // [] | join("\u001e")),
                       ($t.sources // [] | join("\u001e")),
                       (($lab.ldlibs // []) + ($t.ldlibs // []) | join("\u001e"))] | join("\u001f")] | lines)]
        | "\(.[0])\u0000\(.[1])\u0000"' "${manifests[@]}")
}

# manifest_answer LAB KEY: what load_manifest read for KEY (reading the
# manifests first if it has not); fails when they could not be read.
manifest_answer() {
    [ -n "${MANIFEST_READ["$1 $2"]+set}" ] || load_manifest "$1"
    [ -n "${MANIFEST_READ["$1 $2"]+set}" ] || return 1
    printf '%s' "${MANIFEST_READ["$1 $2"]}"
}

# manifest_value VARIABLE LAB KEY: the same answer into VARIABLE, without
# the subshell of $(...) (a grading run asks often).
manifest_value() {
    local -n value_into=$1
    [ -n "${MANIFEST_READ["$2 $3"]+set}" ] || load_manifest "$2"
    [ -n "${MANIFEST_READ["$2 $3"]+set}" ] || return 1
    # shellcheck disable=SC2034 # the caller's variable
    value_into=${MANIFEST_READ["$2 $3"]}
}

# The files the student writes, one per line.
student_files() {
    manifest_answer "$1" student_files
}

# student_symbols LAB: FILE SYMBOL... per student file: the global symbols
# that file may define (the functions and variables the lab's headers
# declare for it). Anything else in a student's object is refused.
student_symbols() {
    manifest_answer "$1" student_symbols
}

# The given files: PATH<TAB>SHA256, one per line.
given_files() {
    manifest_answer "$1" given_files
}

# The targets: KIND<TAB>NAME, one per line, in build order.
# KIND is program (built from the lab's files), check (the Check suite
# grader/LAB/NAME.c with the lab's files), probe (grader sources with the
# lab's files; a probe that does not build fails only the tests that use it)
# or tool (a grader program that only grade --build-only builds).
lab_targets() {
    manifest_answer "$1" lab_targets
}

# The lab's include folders inside its build tree (. first), one per line.
include_dirs() {
    manifest_answer "$1" include_dirs
}

# suite_runs_alone LAB SUITE: does the manifest say that SUITE (a Check
# suite's or a Bats file's name) must not run beside another (timing tests)?
suite_runs_alone() {
    local alone
    alone=$(manifest_answer "$1" run_alone) || return 1
    [[ $'\n'$alone$'\n' == *$'\n'"$2"$'\n'* ]]
}

# The Bats files of the lab, one per line, in the order their tests are listed.
bats_files() {
    manifest_answer "$1" bats_files
}

# lab_tests LAB: every test of the lab, in order (the Check suites in the
# manifest's order, then the Bats files), as read from their declarations:
# NAME<TAB>POINTS<TAB>SECTION<TAB>SUITE<TAB>TIMEOUT<TAB>HINT
# SUITE is the Check suite's name or the Bats file's name; TIMEOUT is the
# declared seconds (0: the default); HINT, last because it may be empty, is
# the test's own short hint. A declaration the grader cannot read is
# written to stderr and makes the status 1 (grader/lint reports it).
lab_tests() {
    local lab=$1 kind home name status=0 suites checks=() bats=()
    manifest_value suites "$lab" suites || return 1
    while IFS=$'\t' read -r kind home name; do
        case "$kind" in
            check) checks+=("$home/$name.c") ;;
            bats) bats+=("$home/$name") ;;
        esac
    done <<<"$suites"
    # (One grep for every Check suite, one awk for every Bats file.)
    [ ${#checks[@]} -eq 0 ] || check_declarations "${checks[@]}" || status=1
    [ ${#bats[@]} -eq 0 ] || bats_declarations "${bats[@]}" || status=1
    return "$status"
}

# check_declarations FILE...: the tests that these Check suites (grader/LAB/SUITE.c)
# declare, in order: LAB_TEST(name, points, "section", "hint") or
# LAB_TEST_WITH_TIMEOUT(name, points, "section", "hint", seconds), one a line.
check_declarations() {
    local file suite line status=0
    local pattern='^LAB_TEST(_WITH_TIMEOUT)?\(([A-Za-z0-9_]+), *([0-9]+), *"([0-9.]+)", *"([^"\\]*)"(, *([^)]+))?\)$'
    # (grep -Z: each line comes after its file's name and a NUL.)
    while IFS= read -r -d '' file && IFS= read -r line; do
        suite=${file##*/}
        suite=${suite%.c}
        if [[ $line =~ $pattern ]]; then
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" \
                "${BASH_REMATCH[4]}" "$suite" "${BASH_REMATCH[7]:-0}" "${BASH_REMATCH[5]}"
        else
            echo "${file#"$ROOT_DIR"/}: cannot read the declaration: $line" >&2
            status=1
        fi
    done < <(grep -HZE '^[[:space:]]*(LAB_TEST|START_TEST)' -- "$@")
    return "$status"
}

# bats_declarations FILE...: the tests of these Bats files, in order. Before
# each @test: "# bats test_tags=points:N,section:N_M" and, optionally,
# "# hint: TEXT" (in either order). One awk for them all: bash reading them a
# line at a time took a second of CPU for the six labs.
bats_declarations() {
    awk -v root="$ROOT_DIR/" '
        FNR == 1 {
            file = FILENAME
            if (index(file, root) == 1) file = substr(file, length(root) + 1)
            suite = FILENAME
            sub(/.*\//, "", suite)
            points = section = hint = ""
        }
        /^# bats test_tags=/ {
            count = split(substr($0, 18), tags, ",")
            for (i = 1; i <= count; i++) {
                if (tags[i] ~ /^points:/) points = substr(tags[i], 8)
                else if (tags[i] ~ /^section:/) { section = substr(tags[i], 9); gsub(/_/, ".", section) }
            }
            next
        }
        /^# hint: / { hint = substr($0, 9); next }
        /^@test "[^"]*"/ {
            match($0, /^@test "[^"]*"/)
            name = substr($0, 8, RLENGTH - 8)
            if (points !~ /^[0-9]+$/ || section !~ /^[0-9]+(\.[0-9]+)*$/) {
                print file ": the test " name " has no \047# bats test_tags=points:N,section:N_M\047 line above it" >"/dev/stderr"
                status = 1
            } else {
                printf "%s\t%s\t%s\t%s\t0\t%s\n", name, points, section, suite, hint
            }
            points = section = hint = ""
            next
        }
        !/^#/ { points = section = hint = "" }
        END { exit status }' "$@"
}

# The names of a lab's tests, one per line.
lab_test_names() {
    lab_tests "$1" 2>/dev/null | cut -f 1
}

# section_titles LAB: NUMBER<TAB>TITLE of every numbered section of the lab's
# handout, from its headings ("## 3 Title", "### 3.4 Title"), without Markdown
# code marks; from grader/LAB/sections.tsv where the handouts are not shipped
# (the Gradescope package).
section_titles() {
    local handout="$ROOT_DIR/handouts/$1.md"
    if [ -f "$handout" ]; then
        handout_sections "$handout"
    elif [ -f "$GRADER_DIR/$1/sections.tsv" ]; then
        cat "$GRADER_DIR/$1/sections.tsv"
    fi
}

# handout_sections FILE: NUMBER<TAB>TITLE for every numbered heading of a handout.
handout_sections() {
    # (One sed: a heading becomes NUMBER<TAB>TITLE, then loses its code marks.)
    sed -n -e 's/^##\{1,3\} \([0-9][0-9.]*[0-9]\)\.\{0,1\} \(.*\)$/\1\t\2/' -e 't found' \
           -e 's/^##\{1,3\} \([0-9]\)\.\{0,1\} \(.*\)$/\1\t\2/' -e 't found' -e d \
           -e ':found' -e 's/`//g' -e p "$1"
}
