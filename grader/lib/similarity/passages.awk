# passages.awk - the text of passages of the students' extracted code.
#
# Usage: awk -f passages.awk WANTED
#   WANTED: lines "ID  FILE  FROM  TO  MAP" (tab-separated): lines FROM-TO of
#   FILE (a student's extracted code of a lab), whose MAP lists the student's
#   files in it as "OFFSET  LINES  NAME" (NAME's line n is line OFFSET + n).
# Prints, for every non-blank line of each passage, "ID  NAME  LINE  TEXT".

BEGIN { FS = OFS = "\t" }

{
    id = $1; file = $2; from = $3 + 0; to = $4 + 0; map = $5
    files = 0
    while ((getline entry < map) > 0) {
        split(entry, m, "\t")
        files++
        offset[files] = m[1] + 0
        name[files] = m[3]
    }
    close(map)
    n = 0
    while ((getline text < file) > 0) {
        n++
        if (n < from || text ~ /^[ \t]*$/)
            continue
        if (n > to)
            break
        for (k = files; k > 1 && offset[k] >= n; k--)
            ;
        print id, name[k], n - offset[k], text
    }
    close(file)
}
