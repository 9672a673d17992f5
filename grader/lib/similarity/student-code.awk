# student-code.awk - keep only what the student wrote in the files of a lab.
#
# Usage: awk -v map=MAP -f student-code.awk NAME STUB SUBMISSION [NAME STUB SUBMISSION]...
#
# Prints each SUBMISSION (the student's file NAME) with every other line
# blanked, one after the other, and writes to MAP one line per file:
# "OFFSET<tab>LINES<tab>NAME" (NAME's line n is printed line OFFSET + n).
#
# A line is the student's when the stub does not have it: inside the TODO
# region number k (from a line with a comment that starts with "/* TODO" to a
# line "/* END TODO */"), when the stub's region k does not have it; elsewhere
# (helpers the student added), when the stub has it nowhere. When the
# submission's regions do not pair with the stub's (a marker was deleted),
# every line is compared with the whole stub. Lines are compared without their
# blanks.

function key(line) {
    gsub(/[ \t\r\f\v]+/, "", line)
    return line
}

function starts_region(line) {
    return index(line, "/* TODO") > 0
}

function ends_region(line) {
    return line ~ /^[ \t]*\/\* END TODO \*\/[ \t\r]*$/
}

# Read the stub: stub_has[KEY], region_has[K, KEY], stub_regions.
function read_stub(file,    text, region) {
    split("", stub_has)
    split("", region_has)
    stub_regions = 0
    region = 0
    while ((getline text < file) > 0) {
        stub_has[key(text)] = 1
        if (region && ends_region(text)) {
            region = 0
        } else if (!region && starts_region(text)) {
            region = ++stub_regions
        } else if (region) {
            region_has[region, key(text)] = 1
        }
    }
    close(file)
}

# Print the student's lines of file, blank the others; return how many lines.
function print_student_lines(file,    text, lines, n, k, region, regions, paired, mine) {
    split("", line)
    split("", in_region)
    region = regions = lines = 0
    while ((getline text < file) > 0) {
        line[++lines] = text
        if (region && ends_region(text)) {
            region = 0
            in_region[lines] = -1
        } else if (!region && starts_region(text)) {
            region = ++regions
            in_region[lines] = -1
        } else {
            in_region[lines] = region
        }
    }
    close(file)
    paired = (regions == stub_regions)
    for (n = 1; n <= lines; n++) {
        k = key(line[n])
        if (k == "" || in_region[n] < 0) {
            mine = 0
        } else if (paired && in_region[n] > 0) {
            mine = !((in_region[n], k) in region_has)
        } else {
            mine = !(k in stub_has)
        }
        text = line[n]
        sub(/\r$/, "", text)
        print (mine ? text : "")
    }
    return lines
}

BEGIN {
    offset = 0
    for (a = 1; a + 2 < ARGC; a += 3) {
        read_stub(ARGV[a + 1])
        lines = print_student_lines(ARGV[a + 2])
        printf "%d\t%d\t%s\n", offset, lines, ARGV[a] > map
        offset += lines
    }
    exit
}
