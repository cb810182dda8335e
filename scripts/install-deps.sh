#!/usr/bin/env bash
# Installs exactly the Debian 12 packages matchguard's build and tests need. Idempotent: when every
# package is present it changes nothing and returns at once.
set -euo pipefail
packages=(
  cmake g++ make pkg-config git
  clang libclang-rt-14-dev            # libFuzzer targets
  libssl-dev                          # OpenSSL 3: SHA-256, HMAC, HKDF, AES-GCM, Ed25519
  libutf8proc-dev                     # Unicode normalisation
  libcli11-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev
  libsqlite3-dev sqlite3 libtbb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-cryptography        # end-to-end tests' checkers; an independent OpenToken AES-GCM decryptor
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "make deps: installing ${missing[*]}"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
