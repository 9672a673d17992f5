#!/usr/bin/env bash
# setup.sh - Gradescope runs this once, as root, when it builds the autograder
# image: install the Debian/Ubuntu packages that grading needs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
grader/install-deps grade
