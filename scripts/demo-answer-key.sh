#!/usr/bin/env bash
# Development only: prints the right answers of a quiz attempt as a submit body, read from the local
# database (the API never reveals them before a pass). It plays "a learner who studied" in docs/try-it.md.
#   scripts/demo-answer-key.sh <attemptId> > /tmp/right.json
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
attempt="${1:?usage: scripts/demo-answer-key.sh <attemptId>}"
[[ "$attempt" =~ ^[0-9a-fA-F-]{36}$ ]] || { echo "not an attempt id: $attempt" >&2; exit 2; }
as_postgres "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d courseplatform -Atq -c "
  SELECT json_build_object('answers', coalesce(json_agg(json_build_object(
           'questionId', q->>'questionId',
           'optionId', (SELECT o->>'optionId' FROM jsonb_array_elements(q->'options') o WHERE (o->>'isCorrect')::boolean LIMIT 1))), '[]'))
  FROM quiz_attempts a CROSS JOIN LATERAL jsonb_array_elements(a.questions) q
  WHERE a.id = '$attempt'"
