# Shared by scripts/demo.sh and scripts/test.sh: install what is missing, then
# configure and build. Source it; do not run it.

ENVSTORE_PACKAGES="g++ cmake make pkg-config git libgit2-dev libyaml-cpp-dev libcli11-dev \
libfmt-dev nlohmann-json3-dev catch2 libmbedtls-dev clang-format ca-certificates python3 \
python3-yaml python3-pip"

# Installs the Debian packages that are not installed yet (as root, or through sudo).
install_missing_packages() {
    local missing=()
    for package in $ENVSTORE_PACKAGES; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0

    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; return 1; }
        sudo="sudo"
    fi
    echo "== installing: ${missing[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

# Configures and builds into $1 with any extra CMake arguments after it.
configure_and_build() {
    local build_dir=$1
    shift
    echo "== building in $build_dir"
    cmake -S "$ENVSTORE_ROOT" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
    # build_targets (optional, set by the caller): build only these targets.
    cmake --build "$build_dir" -j "$(nproc)" ${build_targets:+--target $build_targets}
}
