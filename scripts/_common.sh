# Shared by scripts/run.sh and scripts/test.sh (sourced, not run): root/sudo, apt, the venv.
# Works on a fresh Debian 12 with Python 3.11.

log() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else echo "error: need root (or sudo) to run: $*" >&2; return 1
    fi
}

# apt_ensure PKG...: install the Debian packages that are missing (apt-get update only then).
apt_ensure() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: missing packages (${missing[*]}) and no apt-get to install them" >&2
        return 1
    fi
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
}

pick_python() {
    local c
    for c in python3.11 python3; do
        if command -v "$c" >/dev/null 2>&1 &&
            "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$c"; return 0
        fi
    done
    echo "error: Python 3.11 or newer is needed (apt-get install python3)" >&2
    return 1
}

# venv_ensure REQUIREMENTS_FILE: .venv exists and works, and the file's packages are installed
# (pip runs only when the requirements changed since the last successful install).
venv_ensure() {
    local req=$1 py stamp
    if ! .venv/bin/python -c 'import sys' >/dev/null 2>&1; then
        py=$(pick_python)
        # Debian ships venv/ensurepip separately.
        "$py" -c 'import ensurepip, venv' >/dev/null 2>&1 || apt_ensure python3-venv
        log "creating .venv with $py"
        rm -rf .venv
        "$py" -m venv .venv
    fi
    stamp=".venv/.installed-$(basename "$req")"
    local want
    want=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        log "installing Python packages from $req"
        # Bytecode compiled afterwards on every CPU, not file by file by pip: 12 s → 5 s here.
        .venv/bin/python -m pip install -q --no-compile -r "$req"
        .venv/bin/python -m compileall -q -j0 \
            "$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
            >/dev/null || true  # as pip's own: a file that does not compile is not an error
        echo "$want" >"$stamp"
    fi
    # shellcheck disable=SC1091
    . .venv/bin/activate
}

compile_translations() {  # quiet unless pybabel fails
    [ -d translations ] || return 0
    local out
    if ! out=$(pybabel compile -d translations 2>&1); then echo "$out" >&2; return 1; fi
}
