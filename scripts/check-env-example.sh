#!/usr/bin/env bash
# Fail if a variable the settings read from the environment is missing from .env.example.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=0
for name in $(cat config/settings/*.py | tr '\n' ' ' \
    | grep -oE 'env_(str|bool|int|list)\(\s*"[A-Z0-9_]+"' | grep -oE '"[A-Z0-9_]+"' | tr -d '"' | sort -u); do
    if ! grep -qE "^#? ?${name}=" .env.example; then
        echo ".env.example does not document $name (read in config/settings/)." >&2
        missing=1
    fi
done
exit "$missing"
