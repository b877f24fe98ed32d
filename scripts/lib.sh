# Shared by scripts/start and scripts/test: find Python >= 3.12 and keep .venv installed.
# shellcheck shell=bash

find_python() {
  local candidates=()
  [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
  candidates+=(python3.14 python3.13 python3.12 python3)
  local root
  for root in "${PYENV_ROOT:-}" "$HOME/.pyenv" "$(command -v pyenv >/dev/null 2>&1 && pyenv root 2>/dev/null)"; do
    [ -n "$root" ] || continue
    for dir in "$root"/versions/3.1[2-9]*; do
      [ -x "$dir/bin/python" ] && candidates+=("$dir/bin/python")
    done
  done
  local c
  for c in "${candidates[@]}"; do
    if "$c" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      command -v "$c" 2>/dev/null || echo "$c"
      return 0
    fi
  done
  return 1
}

# ensure_venv EXTRA: create .venv if needed and install the project (with [EXTRA] if given)
# again whenever pyproject.toml changed.
ensure_venv() {
  local extra="$1"
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    local py
    if ! py=$(find_python); then
      echo "Richtsnoer heeft Python 3.12 of nieuwer nodig, en die is niet gevonden." >&2
      echo "Installeer Python 3.12+ (of zet PYTHON=/pad/naar/python3.12) en probeer opnieuw." >&2
      exit 1
    fi
    echo "Python gevonden: $py ($("$py" --version 2>&1))"
    rm -rf .venv
    "$py" -m venv .venv
  fi
  local spec="."
  [ -n "$extra" ] && spec=".[$extra]"
  local stamp=".venv/.installed-${extra:-app}"
  local want
  want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Afhankelijkheden installeren ($spec)..."
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
    echo "$want" > "$stamp"
  fi
  export PATH="$PWD/.venv/bin:$PATH"
  ensure_pango
}

# WeasyPrint (the plan as PDF) needs Pango from the system. Installed with apt-get when
# missing and we may (root on Debian/Ubuntu); otherwise say what to install.
PANGO_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
ensure_pango() {
  .venv/bin/python -c 'import weasyprint' >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Pango installeren (nodig voor de pdf van het plan)..."
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PANGO_PACKAGES >/dev/null
  else
    echo "Let op: de pdf van het plan heeft Pango nodig. Installeer: $PANGO_PACKAGES" >&2
  fi
}
