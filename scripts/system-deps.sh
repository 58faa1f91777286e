#!/usr/bin/env bash
# System packages the platform needs beyond Python: a CJK font for PDFs (WeasyPrint
# renders certificates and reports in Chinese), Pango for WeasyPrint, poppler for PDF
# checks, and Debian's Chromium for the browser tests. Installs only what is missing.
set -euo pipefail
need=()
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v chromium >/dev/null || need+=(chromium)
command -v msgfmt >/dev/null || need+=(gettext)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi
echo "Installing system packages: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
