#!/usr/bin/env bash
# Fails (exit 1), naming file:line, when a C++ comment or a Markdown page points at method notes that are not in the
# repo: a notes file outside docs/methods/ (e.g. a bare `sre.md`), a docs/methods/<name>.md that does not exist, a
# "§N.M" that is not a numbered heading of that file, or a "pitfall N" that is not item N of its Pitfalls section.
# Pointer form: `docs/methods/sre.md §1.5`, `docs/methods/sre.md §1.3-1.6, §7.8`, `docs/methods/sre.md, pitfall 3`;
# every § and pitfall belongs to the nearest docs/methods/<name>.md before it on the same line.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

notes_dir=docs/methods
known=$(mktemp)
trap 'rm -f "$known"' EXIT

# What the notes define: "<name> file", "<name> §<id>" per numbered heading, "<name> pitfall <n>" per list item of
# the section whose "## N." heading mentions pitfalls.
for notes in "$notes_dir"/*.md; do
  [ -e "$notes" ] || continue
  awk -v name="$(basename "$notes" .md)" '
    BEGIN { print name " file" }
    /^##/ { inPitfalls = 0 }
    /^## [0-9]+\.? .*[Pp]itfall/ { inPitfalls = 1 }
    /^###?#? [0-9]+(\.[0-9]+)*\.?( |$)/ {
      id = $2; sub(/\.$/, "", id); print name " §" id
    }
    inPitfalls && /^[0-9]+\. / { n = $1; sub(/\.$/, "", n); print name " pitfall " n }
  ' "$notes" >>"$known"
done

mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h' '*.md' \
  | grep -v "^$notes_dir/" | sort -u)
[ ${#files[@]} -ne 0 ] || { echo "check-doc-pointers: no files to check" >&2; exit 1; }

awk -v notes_dir="$notes_dir" '
  function fail(msg) { print FILENAME ":" FNR ": " msg > "/dev/stderr"; bad++ }
  function checkSection(name, id) {
    if (!((name " §" id) in known)) fail(notes_dir "/" name ".md has no section §" id)
    else pointers++
  }
  function checkPitfall(name, n) {
    if (!((name " pitfall " n) in known)) fail(notes_dir "/" name ".md has no pitfall " n)
    else pointers++
  }
  FNR == NR && FILENAME == knownFile { known[$0] = 1; next }
  /sre\.md|denetdm\.md|[Pp]itfall|docs\/methods\// {
    line = $0
    # Markdown link targets: check that the file exists relative to the page, then drop them from the text.
    if (FILENAME ~ /\.md$/) {
      rest = line
      while (match(rest, /\]\([^)]*\)/)) {
        target = substr(rest, RSTART + 2, RLENGTH - 3); rest = substr(rest, RSTART + RLENGTH)
        sub(/#.*/, "", target)
        if (target ~ /(^|\/)methods\// && target !~ /^[a-z]+:/) {
          dir = FILENAME; if (dir ~ /\//) sub(/\/[^\/]*$/, "", dir); else dir = "."
          path = dir "/" target
          if ((getline probe < path) < 0) fail("link target " target " does not exist")
          close(path)
        }
      }
      gsub(/\]\([^)]*\)/, "]", line)
    }
    stray = line; gsub(/docs\/methods\/[A-Za-z0-9_-]+\.md/, "", stray)
    if (stray ~ /(sre|denetdm)\.md/) fail("points at method notes outside " notes_dir "/ (write " notes_dir "/<name>.md)")
    found = 0; rest = line
    while (match(rest, /docs\/methods\/[A-Za-z0-9_-]+\.md/)) {
      name = substr(rest, RSTART + 13, RLENGTH - 16); rest = substr(rest, RSTART + RLENGTH); found++
      segment = rest; if (match(segment, /docs\/methods\//)) segment = substr(segment, 1, RSTART - 1)
      if (!((name " file") in known)) { fail(notes_dir "/" name ".md does not exist"); continue }
      files++
      s = segment
      while (match(s, /§[0-9]+(\.[0-9]+)*(-(§)?[0-9]+(\.[0-9]+)*)?/)) {
        ref = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
        gsub(/§/, "", ref); n = split(ref, ends, "-")
        for (i = 1; i <= n; i++) checkSection(name, ends[i])
      }
      s = segment
      while (match(s, /[Pp]itfalls? [0-9]+((, | and )[0-9]+)*/)) {
        ref = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
        sub(/^[Pp]itfalls? /, "", ref); gsub(/ and /, ", ", ref); n = split(ref, ends, ", ")
        for (i = 1; i <= n; i++) checkPitfall(name, ends[i])
      }
    }
    if (!found && line ~ /[Pp]itfalls? [0-9]/) fail("pitfall without " notes_dir "/<name>.md before it on the same line")
  }
  END {
    if (bad) { print "check-doc-pointers: " bad " broken pointer(s)" > "/dev/stderr"; exit 1 }
    print "check-doc-pointers: " files " pointers to " notes_dir "/ (" pointers " sections/pitfalls), all found"
  }
' knownFile="$known" "$known" "${files[@]}"
