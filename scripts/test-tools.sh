#!/bin/sh
# Installs the external tools the test suite runs against, when they are missing:
#   - Debian: libsisimai-perl and libmail-deliverystatus-bounceparser-perl (bounce classifiers
#     that mail operators use), python3 (its standard `email` package reads our DSNs back),
#     faketime (the tests that touch time run again with the clock 400 days ahead), chromium
#     (headless: the consumer test's browser bundle, the docs site's playground).
#   - Debian's postfix, with no configuration (the probe's tests run their own instance with its
#     own configuration directory; nothing is written to /etc/postfix and nothing is started).
#   - Haraka, the exact version of scripts/haraka/, in a cache folder (scripts/install-haraka.sh).
# Tests that need a tool fail, never skip, when it is missing: this script is how they get it.
set -eu

need=""
perl -MSisimai -e1 2>/dev/null || need="$need libsisimai-perl"
perl -MMail::DeliveryStatus::BounceParser -e1 2>/dev/null || need="$need libmail-deliverystatus-bounceparser-perl"
command -v python3 >/dev/null 2>&1 || need="$need python3"
command -v faketime >/dev/null 2>&1 || need="$need faketime"
[ -x /usr/bin/chromium ] || need="$need chromium"

if [ -n "$need" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test-tools: missing Debian packages:$need" >&2
    echo "test-tools: install them (apt-get install$need) and run the tests again" >&2
    exit 1
  fi
  echo "test-tools: installing$need" >&2
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

# ---- AWS CLI v2 (send-bounce parity tests, the shorthand differential test) -------------------
# Debian's awscli package is the AWS CLI v2 at /usr/bin/aws. Not the pip/pyenv `aws` that may be
# earlier on PATH: that is v1, which lacks --cli-input-yaml.
if [ ! -x /usr/bin/aws ] || ! /usr/bin/aws --version 2>/dev/null | grep -q '^aws-cli/2\.'; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test-tools: the AWS CLI v2 is missing at /usr/bin/aws: install Debian's awscli package (apt-get install awscli)" >&2
    exit 1
  fi
  echo "test-tools: installing awscli (AWS CLI v2)" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends awscli >/dev/null
fi

# ---- Postfix (dsnkit probe's tests) --------------------------------------------------------------
# "No configuration": the package installs its programs and leaves /etc/postfix without main.cf and
# the service stopped; test/probe/mta/postfix.ts starts a private instance on 127.0.0.1.
if [ ! -x /usr/sbin/postfix ] || [ ! -x /usr/lib/postfix/sbin/master ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test-tools: Postfix is missing: install Debian's postfix package with no configuration (apt-get install postfix)" >&2
    exit 1
  fi
  echo "test-tools: installing postfix (no configuration)" >&2
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postfix >/dev/null
fi

# ---- Haraka (dsnkit probe's tests) ---------------------------------------------------------------
sh "$(dirname "$0")/install-haraka.sh" >/dev/null
