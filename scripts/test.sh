#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every test
# through CTest. Usage: scripts/test.sh [extra CMake arguments]
#   ENVSTORE_SANITIZE=1 scripts/test.sh   builds with AddressSanitizer and UBSan.
set -euo pipefail
ENVSTORE_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ENVSTORE_ROOT/scripts/common.sh"

install_missing_packages

build_dir=${ENVSTORE_BUILD_DIR:-$ENVSTORE_ROOT/build/test}
sanitize=OFF
if [ "${ENVSTORE_SANITIZE:-0}" = 1 ]; then
    sanitize=ON
    build_dir=$ENVSTORE_ROOT/build/sanitize
    export LSAN_OPTIONS="suppressions=$ENVSTORE_ROOT/tests/lsan.supp:print_suppressions=0"
fi
configure_and_build "$build_dir" -DENVSTORE_WERROR=ON -DENVSTORE_SANITIZE=$sanitize "$@"

if [ ! -d "$ENVSTORE_ROOT/../shared/corpus" ]; then
    echo "note: ../shared/corpus is absent: the corpus tests will skip"
fi
echo "== running the tests"
cd "$build_dir"
ctest --output-on-failure -j "$(nproc)" --timeout 900
