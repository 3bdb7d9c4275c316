#!/usr/bin/env bash
# Installs PostgreSQL 15 and builds pgvector from Debian's source package when missing.
# Debian 12 does not package pgvector, so we build the trixie source package (about 30 s).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ ! -x "$PG_BIN/initdb" ]; then
  apt_install postgresql-15 postgresql-client-15
fi

if [ -f /usr/share/postgresql/15/extension/vector.control ]; then
  exit 0
fi

log "building pgvector from Debian source (once per machine)"
command -v make >/dev/null && command -v gcc >/dev/null || apt_install build-essential
[ -x /usr/lib/postgresql/15/bin/pg_config ] && [ -d /usr/include/postgresql/15/server ] || apt_install postgresql-server-dev-15

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/src"
echo "deb-src http://deb.debian.org/debian trixie main" >"$work/sources.list"
apt_opts=(-o APT::Sandbox::User=root -o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null" -o "Dir::State::Lists=$work/lists")
apt-get "${apt_opts[@]}" update -qq >/dev/null
(cd "$work/src" && apt-get "${apt_opts[@]}" source --download-only pgvector >/dev/null)
tarball=$(ls "$work"/src/pgvector_*.orig.tar.* | head -n1)
tar -xf "$tarball" -C "$work/src"
srcdir=$(find "$work/src" -maxdepth 1 -type d -name 'pgvector-*' | head -n1)
make -s -C "$srcdir" PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config OPTFLAGS="" >/dev/null
make -s -C "$srcdir" PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config install >/dev/null
log "pgvector installed: $(grep default_version /usr/share/postgresql/15/extension/vector.control)"
