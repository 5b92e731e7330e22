#!/bin/sh
# Probes Exim with dsnkit probe and writes its findings into docs/conformance/exim.md.
# Not run in CI. Debian's exim4 packages conflict with postfix (which the tests need), so Exim is
# not installed: `apt-get download` fetches exim4-daemon-light and `dpkg -x` unpacks it into a
# work folder. Outside it, the script adds only the system user Debian-exim (the binary was built
# to run as it) and, when missing, the libidn12 library it links.
#
#   sh scripts/probe-exim.sh            build first (npx tsc -b); runs as root on Debian bookworm
#   DSNKIT_EXIM_DIR=DIR                 the work folder (default /tmp/dsnkit-exim)
#
# Exim listens on 127.0.0.1:2727, the probe's remote and return servers on 2728 and 2729. The
# routing is what `dsnkit probe --print-config exim --temp-failures` prints (PROBE_TARGETS.exim).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${DSNKIT_EXIM_DIR:-/tmp/dsnkit-exim}
submit=2727 remote=2728 back=2729

[ -f "$repo/packages/cli/dist/bin.js" ] || { echo "probe-exim: build first: npx tsc -b" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "probe-exim: run as root (Exim's daemon starts as root)" >&2; exit 2; }

rm -rf "$work"
mkdir -p "$work/debs" "$work/root" "$work/spool" "$work/log"
chmod 755 "$work"
(cd "$work/debs" && apt-get download exim4-daemon-light >/dev/null 2>&1) || { echo "probe-exim: apt-get download failed (run apt-get update?)" >&2; exit 1; }
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/root"; done
exim="$work/root/usr/sbin/exim4"
# Its libraries must be where the loader looks without LD_LIBRARY_PATH: Exim re-executes itself for
# every delivery and bounce with a clean environment. All are in a bookworm base system but
# libidn12, a plain library that conflicts with nothing.
dpkg -s libidn12 >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libidn12 >/dev/null
id Debian-exim >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin --user-group Debian-exim
chown Debian-exim:Debian-exim "$work/spool" "$work/log"

# The probe's lines for Exim, section by section, from the target data.
node --input-type=module -e '
  const { PROBE_TARGETS, fillRouting } = await import(process.argv[1]);
  const t = PROBE_TARGETS.exim;
  const routing = { domain: "probe.test", returnDomain: "return.probe.test", remoteHost: "127.0.0.1", remotePort: Number(process.argv[2]), returnHost: "127.0.0.1", returnPort: Number(process.argv[3]) };
  const part = (word) => [...t.config, ...t.tempFailures].filter((c) => c.file.includes(word)).map((c) => fillRouting(c.text, routing)).join("");
  const fs = await import("node:fs");
  for (const word of ["main", "routers", "transports", "retry"]) fs.writeFileSync(`${process.argv[4]}/${word}.part`, part(word));
' "$repo/packages/testing/dist/index.js" "$remote" "$back" "$work"

cat > "$work/exim.conf" <<CONF
# The dsnkit probe's Exim (written by scripts/probe-exim.sh).
exim_path = $exim
keep_environment =
spool_directory = $work/spool
log_file_path = $work/log/%slog
primary_hostname = mta.exim.probe.test
qualify_domain = mta.exim.probe.test
daemon_smtp_ports = $submit
local_interfaces = 127.0.0.1
tls_advertise_hosts =
smtputf8_advertise_hosts = *
message_size_limit = 1M
acl_smtp_rcpt = acl_rcpt
$(cat "$work/main.part")
begin acl
acl_rcpt:
  accept hosts = 127.0.0.1
  deny message = relay not permitted

begin routers
$(cat "$work/routers.part")
nowhere:
  driver = redirect
  data = :fail: the probe's Exim routes only the probe's domains

begin transports
$(cat "$work/transports.part")

begin retry
$(cat "$work/retry.part")
CONF

"$exim" -C "$work/exim.conf" -bdf -q2s >"$work/daemon.out" 2>&1 &
daemon=$!
stop() {
  kill "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  # Delivery processes re-executed with this configuration, if any are left: by their ids.
  for pid in $(pgrep -f -- "-C $work/exim.conf" || true); do kill "$pid" 2>/dev/null || true; done
}
trap stop EXIT INT TERM
sleep 2
kill -0 "$daemon" 2>/dev/null || { cat "$work/daemon.out" >&2; echo "probe-exim: Exim did not start" >&2; exit 1; }
version=$("$exim" -C "$work/exim.conf" -bV 2>/dev/null | sed -n 's/^Exim version \([^ ]*\).*/\1/p')
echo "probe-exim: Exim $version on 127.0.0.1:$submit; probing" >&2

status=0
node "$repo/packages/cli/dist/bin.js" probe --submit "smtp://127.0.0.1:$submit" --target exim --remote-port "$remote" --return-port "$back" \
  --temp-failures --settle 600ms --timeout 20s --shrink-runs 20 --budget 40m --runs "${DSNKIT_EXIM_RUNS:-100}" --json --out "$work/exim.json" || status=$?
[ -f "$work/exim.json" ] || { echo "probe-exim: the probe wrote no report (exit $status)" >&2; exit 1; }
node "$repo/scripts/conformance-page.mjs" "$work/exim.json" "$repo/docs/conformance/exim.md"
echo "probe-exim: Exim $version: report in $work/exim.json, docs/conformance/exim.md updated" >&2
