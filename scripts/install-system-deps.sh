#!/usr/bin/env bash
# Debian packages the tests drive for real: Chromium (Playwright smoke journeys), Prometheus and
# its Pushgateway (metrics reporter, metrics checks), xmllint (JUnit schema validation) and
# PostgreSQL 15 (backup and restore checks). kubectl is expected on the machine (fidelity tests).
# Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v prometheus >/dev/null || missing+=(prometheus)
command -v promtool >/dev/null || missing+=(prometheus)
command -v prometheus-pushgateway >/dev/null || missing+=(prometheus-pushgateway)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v pg_ctl >/dev/null || command -v /usr/lib/postgresql/15/bin/pg_ctl >/dev/null || missing+=(postgresql-15)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's PostgreSQL keeps initdb/pg_ctl off PATH; the tests look on PATH first, then here.
if ! command -v pg_ctl >/dev/null && [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then
  echo "note: PostgreSQL server binaries are in /usr/lib/postgresql/15/bin (tests find them there)"
fi
echo "system packages ready: chromium prometheus prometheus-pushgateway xmllint postgresql"
