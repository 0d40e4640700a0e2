#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, builds, and
# suggests replies for a sample buyer message about a sample order.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
exec ./build/tools/replyctl suggest "怎么还不发货？能换成L码吗" \
  --order docs/examples/order_overdue.json --now 2026-11-23T10:00:00+08:00 "$@"
