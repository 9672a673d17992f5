# csv.jq - read CSV text (RFC 4180: quoted fields may hold commas, quotes
# written twice, and newlines) into an array of rows, each an array of strings.
# Blank lines are skipped. Usage: jq -R -s -L DIR 'include "csv"; csv_rows' FILE

def csv_rows:
  if test("\\A\\s*\\z") then [] else
  [scan("(\"(?:[^\"]|\"\")*\"|[^,\r\n\"]*)(,|\r?\n|$)")]
  | reduce .[] as $token ({rows: [], row: []};
      ($token[0] | if startswith("\"") then .[1:-1] | gsub("\"\""; "\"") else . end) as $field
      | .row += [$field]
      | if $token[1] == "," then . else .rows += [.row] | .row = [] end)
  | .rows
  | map(select(. != [""]))
  end;
