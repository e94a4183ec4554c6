#!/usr/bin/env bash
# Print the path of a Python interpreter that is 3.12 or newer, or explain what is missing.
#
# Order: $PYTHON if set, then python3.13, python3.12 and python3 on PATH, then any pyenv
# installation (under `pyenv root`, then ~/.pyenv). Each candidate is executed, because a
# pyenv shim can exist on PATH and still fail to run.
set -uo pipefail

MIN_MAJOR=3
MIN_MINOR=12

found_versions=()

# Print "<major>.<minor>.<micro> <absolute path>" for a working interpreter, nothing otherwise.
probe() {
    "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3], sys.executable)' 2>/dev/null
}

check() {
    local candidate=$1 out version path major minor
    out=$(probe "$candidate") || return 1
    [ -n "$out" ] || return 1
    version=${out%% *}
    path=${out#* }
    major=${version%%.*}
    minor=${version#*.}
    minor=${minor%%.*}
    if [ "$major" -gt "$MIN_MAJOR" ] || { [ "$major" -eq "$MIN_MAJOR" ] && [ "$minor" -ge "$MIN_MINOR" ]; }; then
        printf '%s\n' "${path:-$candidate}"
        return 0
    fi
    found_versions+=("$version ($candidate)")
    return 1
}

if [ -n "${PYTHON:-}" ]; then
    if check "$PYTHON"; then
        exit 0
    fi
    echo "find-python: PYTHON=$PYTHON is not a working Python ${MIN_MAJOR}.${MIN_MINOR}+; looking elsewhere." >&2
fi

for name in python3.14 python3.13 python3.12 python3; do
    if command -v "$name" >/dev/null 2>&1 && check "$name"; then
        exit 0
    fi
done

pyenv_roots=()
if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root 2>/dev/null) && [ -n "$root" ] && pyenv_roots+=("$root")
fi
pyenv_roots+=("${PYENV_ROOT:-$HOME/.pyenv}" "$HOME/.pyenv")

for root in "${pyenv_roots[@]}"; do
    # Newest first: sort the version directories by version number, descending.
    while IFS= read -r candidate; do
        [ -x "$candidate" ] && check "$candidate" && exit 0
    done < <(ls -d "$root"/versions/3.1[2-9]*/bin/python3 "$root"/versions/3.[2-9][0-9]*/bin/python3 2>/dev/null | sort -V -r)
done

{
    echo "Engage needs Python ${MIN_MAJOR}.${MIN_MINOR} or newer."
    if [ ${#found_versions[@]} -gt 0 ]; then
        echo "Found only: ${found_versions[*]}."
    else
        echo "Found no working Python at all."
    fi
    echo "Install Python ${MIN_MAJOR}.${MIN_MINOR}+ (for example with pyenv, or your system's package manager),"
    echo "or point PYTHON at one: make venv PYTHON=/path/to/python3.13"
} >&2
exit 1
