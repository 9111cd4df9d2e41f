#!/usr/bin/env bash
# Debian packages the platform needs and installs itself:
#   fonts-noto-cjk      Chinese glyphs in matplotlib charts and in the browser
#   fonts-wqy-microhei  a small CJK fallback font
#   chromium            Debian's Chromium for the real-browser tests (Playwright drives it)
#   postgresql          PostgreSQL server (initdb, pg_ctl) for the records store's PostgreSQL tests
set -euo pipefail
packages=(fonts-noto-cjk fonts-wqy-microhei chromium postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "安装系统软件包 / installing system packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "缺少系统软件包且无 root 权限，请管理员安装：${missing[*]}" >&2
    echo "Missing system packages and no root; ask an administrator to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
