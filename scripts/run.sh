#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, builds, and
# starts replyd on 127.0.0.1:8080 with the bundled packs (the agent console
# demo is at http://127.0.0.1:8080/). Extra arguments go to replyd.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
exec ./build/server/replyd --listen 127.0.0.1:8080 --packs . --db replyd-feedback.db "$@"
