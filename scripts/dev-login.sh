#!/usr/bin/env bash
# Signs in as any email through the real Google sign-in code path against the local stand-in, and
# prints the token response (JSON). For local development only: ./run.sh must be serving.
# Learner accounts only: a staff account (or one with a password) is never linked by email; use /auth/login.
#   scripts/dev-login.sh learner.a@example.com
#   TOKEN=$(scripts/dev-login.sh learner.a@example.com | jq -r .accessToken)
set -euo pipefail
email="${1:?usage: scripts/dev-login.sh <email> [api base, default http://localhost:7071/api]}"
api="${2:-http://localhost:7071/api}"
frontend="http://localhost:5173/signed-in"   # an allowed redirect origin of the sample settings; nothing needs to listen there

jar=$(mktemp); trap 'rm -f "$jar"' EXIT   # the start sets a cookie that binds the sign-in to this "browser"
location() { curl -s -b "$jar" -c "$jar" -o /dev/null -w '%{redirect_url}' "$@"; }
query() { sed -n "s/.*[?&]$1=\([^&]*\).*/\1/p" <<<"$2"; }

# PKCE between the frontend and the app: the start carries the challenge, the exchange the verifier.
read -r verifier challenge < <(python3 -c 'import base64,hashlib,secrets
v=secrets.token_urlsafe(32)
print(v, base64.urlsafe_b64encode(hashlib.sha256(v.encode()).digest()).rstrip(b"=").decode())')
to_provider=$(location -G --data-urlencode "redirect=$frontend" --data-urlencode "login_hint=$email" \
  --data-urlencode "code_challenge=$challenge" "$api/auth/google/start")
[ -n "$to_provider" ] || { echo "sign-in start failed: is ./run.sh serving on $api?" >&2; exit 1; }
to_callback=$(location "$to_provider")          # the stand-in approves login_hint at once
# The app finishes the flow and redirects the frontend with a one-time code, or answers why not (problem+json).
answer=$(curl -s -b "$jar" -c "$jar" -w '\n%{redirect_url}' "$to_callback")
to_frontend=$(tail -n 1 <<<"$answer")
code=$(query code "$to_frontend")
[ -n "$code" ] || { echo "sign-in failed: ${to_frontend:-$(sed '$d' <<<"$answer")}" >&2; exit 1; }
curl -s -X POST "$api/auth/exchange" -H 'Content-Type: application/json' -d "{\"code\":\"$code\",\"codeVerifier\":\"$verifier\"}"
echo
