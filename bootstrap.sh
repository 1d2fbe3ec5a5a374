#!/usr/bin/env bash
# Set up cogov-sim in ./.venv and run it.
#
#   ./bootstrap.sh                 install (or check) the environment only
#   ./bootstrap.sh run [SCENARIO] [cogov run options...]
#                                  run SCENARIO (default: governance-partners) for 365 days
#                                  into results/<scenario>/
#   ./bootstrap.sh test [pytest options...]
#                                  run the test suite; as root on Debian/Ubuntu it first installs
#                                  chromium and fonts-noto-cjk for the dashboard's browser test
#   ./bootstrap.sh lint            check the code with ruff (`ruff check` and `ruff format --check`)
#   ./bootstrap.sh fonts           install a CJK font (Noto Sans CJK) for `cogov compare --lang zh`
#                                  (Debian/Ubuntu, as root or with sudo)
#
# Needs Python >= 3.12: found on PATH (python3.13, python3.12, python3, python)
# or among pyenv's installed versions. A second call is fast: the virtual
# environment is reused, and pip runs again only when pyproject.toml changes.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$(pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.cogov-install-stamp"
MIN_MAJOR=3
MIN_MINOR=12

say() { printf 'bootstrap: %s\n' "$*" >&2; }

usage() {
    sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# Succeeds if "$@" runs a Python >= 3.12 (pyenv shims that cannot run say "command not found" and fail).
python_ok() {
    "$@" -c "import sys; sys.exit(0 if sys.version_info >= ($MIN_MAJOR, $MIN_MINOR) else 1)" >/dev/null 2>&1
}

# Print the command (one word: a path) of a Python >= 3.12, or fail.
find_python() {
    local cand path root v
    for cand in python3.13 python3.12 python3 python; do
        path="$(command -v "$cand" 2>/dev/null)" || continue
        if python_ok "$path"; then
            printf '%s\n' "$path"
            return 0
        fi
    done
    # pyenv: its shims only run a version that is selected, so ask pyenv for the installed
    # versions (or look in its versions folder if only the shims are on PATH)
    local has_pyenv=""
    command -v pyenv >/dev/null 2>&1 && has_pyenv=1
    root="${PYENV_ROOT:-$HOME/.pyenv}"
    if [ -n "$has_pyenv" ] && v="$(pyenv root 2>/dev/null)" && [ -n "$v" ]; then
        root="$v"
    fi
    local versions
    versions="$({ if [ -n "$has_pyenv" ]; then pyenv versions --bare 2>/dev/null; else ls "$root/versions" 2>/dev/null; fi; } |
        grep -E '^3\.[0-9]+(\.[0-9]+)?$' | sort -t. -k1,1nr -k2,2nr -k3,3nr || true)"
    if [ -n "$versions" ]; then
        # plain CPython versions such as 3.13.0 or 3.12.1, newest first
        for v in $versions; do
            path="$root/versions/$v/bin/python"
            if [ -x "$path" ] && python_ok "$path"; then
                printf '%s\n' "$path"
                return 0
            fi
            if [ -n "$has_pyenv" ] && PYENV_VERSION="$v" python_ok pyenv exec python; then
                # resolve the real interpreter so the venv does not depend on PYENV_VERSION
                PYENV_VERSION="$v" pyenv exec python -c 'import sys; print(sys.executable)'
                return 0
            fi
        done
    fi
    return 1
}

no_python() {
    cat >&2 <<'EOF'
bootstrap: no Python >= 3.12 found (tried python3.13, python3.12, python3, python and pyenv).
Install one of these, then run ./bootstrap.sh again:
  - python.org:  https://www.python.org/downloads/  (3.12 or newer)
  - pyenv:       pyenv install 3.12   (https://github.com/pyenv/pyenv#installation)
  - Debian/Ubuntu (24.04 ships 3.12):  sudo apt-get install python3 python3-venv
    older releases:  sudo add-apt-repository ppa:deadsnakes/ppa &&
                     sudo apt-get install python3.12 python3.12-venv
  - macOS (Homebrew):  brew install python@3.12
EOF
    exit 1
}

venv_healthy() {
    [ -x "$VENV/bin/python" ] && python_ok "$VENV/bin/python" &&
        "$VENV/bin/python" -c "import pip" >/dev/null 2>&1
}

install_stamp() {
    # what the installed environment depends on: pyproject.toml and the interpreter
    {
        cat pyproject.toml
        "$VENV/bin/python" -c 'import sys; print(sys.version)'
    } | cksum
}

ensure_env() {
    if ! venv_healthy; then
        local py
        py="$(find_python)" || no_python
        if [ -e "$VENV" ]; then
            say "the existing .venv does not work; recreating it"
            rm -rf "$VENV"
        fi
        say "creating .venv with $py ($("$py" --version 2>&1))"
        "$py" -m venv "$VENV"
    fi
    local want
    want="$(install_stamp)"
    if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] &&
        "$VENV/bin/python" -c "
import importlib.util as u, sys
sys.exit(0 if all(u.find_spec(m) for m in ('sim', 'pytest', 'solara', 'playwright')) else 1)" >/dev/null 2>&1; then
        return 0
    fi
    say "installing cogov-sim, its test tools and dashboard into .venv (pip install -e \".[test,viz]\"; log in .venv/pip.log)"
    if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test,viz]" \
        >"$VENV/pip.log" 2>&1; then
        cat "$VENV/pip.log" >&2
        say "pip install failed; the messages above are also in .venv/pip.log"
        exit 1
    fi
    printf '%s\n' "$want" >"$STAMP"
}

# Debian's chromium and a CJK font for the dashboard's browser test (never a browser download:
# Playwright drives /usr/bin/chromium). Only as root with apt-get; otherwise that test is skipped.
ensure_browser() {
    local need=()
    [ -x /usr/bin/chromium ] || need+=(chromium)
    fc-list : family 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
    [ ${#need[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        say "not installing ${need[*]} (needs root and apt-get); the dashboard's browser test may be skipped"
        return 0
    fi
    say "installing ${need[*]} with apt-get (log in .venv/apt.log)"
    if apt-get update -qq >"$VENV/apt.log" 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" \
            >>"$VENV/apt.log" 2>&1; then
        rm -rf "${MPLCONFIGDIR:-$HOME/.cache/matplotlib}"  # matplotlib rebuilds its font list
    else
        say "apt-get install ${need[*]} failed (see .venv/apt.log); the dashboard's browser test may be skipped"
    fi
}

cmd="${1:-}"
case "$cmd" in
    -h | --help | help)
        usage
        exit 0
        ;;
    "" | run | test | lint) ;;
    fonts)
        if fc-list : family 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null; then
            say "a CJK font is installed"
        elif command -v apt-get >/dev/null 2>&1; then
            sudo_="" && [ "$(id -u)" -ne 0 ] && sudo_="sudo"
            $sudo_ apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq fonts-noto-cjk
            rm -rf "${MPLCONFIGDIR:-$HOME/.cache/matplotlib}"  # matplotlib rebuilds its font list
        else
            say "install a CJK font (Noto Sans CJK SC, Source Han Sans, WenQuanYi Zen Hei) with your package manager"
            exit 1
        fi
        exit 0
        ;;
    *)
        say "unknown command '$cmd'"
        usage >&2
        exit 2
        ;;
esac

ensure_env

case "$cmd" in
    "")
        say "ready: $VENV/bin/cogov --help   (or ./bootstrap.sh run | test)"
        ;;
    run)
        shift
        scenario="governance-partners"
        if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
            scenario="$1"
            shift
        fi
        name="$(basename "$scenario" .toml)"
        exec "$VENV/bin/cogov" run "$scenario" --ticks 365 --out "results/$name" "$@"
        ;;
    lint)
        # lint errors and unformatted files both fail (the tree is kept ruff-formatted)
        "$VENV/bin/ruff" check .
        "$VENV/bin/ruff" format --check .
        ;;
    test)
        shift
        ensure_browser
        exec "$VENV/bin/python" -m pytest "$@"
        ;;
esac
