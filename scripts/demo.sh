#!/usr/bin/env bash
# Installs what is missing, builds envstore, and runs a short real session on
# a new workspace in a temporary folder, printing each command and its output.
set -euo pipefail
ENVSTORE_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ENVSTORE_ROOT/scripts/common.sh"

install_missing_packages
build_dir=${ENVSTORE_BUILD_DIR:-$ENVSTORE_ROOT/build/demo}
build_targets="envstore_cli envstore_curated" configure_and_build "$build_dir" >/dev/null
envstore_bin="$build_dir/envstore"

demo_dir=$(mktemp -d "${TMPDIR:-/tmp}/envstore-demo.XXXXXX")
trap 'rm -rf "$demo_dir"' EXIT
if ! git config user.name >/dev/null || ! git config user.email >/dev/null; then
    export GIT_AUTHOR_NAME="envstore demo" GIT_AUTHOR_EMAIL="demo@example.org"
    echo "(no Git identity configured: the demo signs as $GIT_AUTHOR_NAME)"
fi

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
envstore() { step "envstore $*"; "$envstore_bin" "$@"; }
# A command expected to fail: show its message and exit code, keep going.
envstore_fails() { step "envstore $*"; local code=0; "$envstore_bin" "$@" || code=$?; echo "(exit $code)"; }

cd "$demo_dir"
envstore --version
envstore init workspace
cd workspace
envstore create train-gpu --python 3.11
step "edit environments/train-gpu/environment.yaml"
cat > environments/train-gpu/environment.yaml <<'YAML'
name: train-gpu
description: PyTorch training on CUDA 12
runtime: python
platforms: [linux-64]
python:
  version: "3.11"
  channels: [conda-forge, nvidia]
  conda: ["numpy>=1.26", "pytorch=2.1.*"]
  pip: ["transformers>=4.35,<5", "accelerate[torch]==0.24.1"]
variables: {OMP_NUM_THREADS: "8", HF_TOKEN: "${HF_TOKEN}"}
docker:
  base_image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04
  gpu: true
metadata: {team: vision}
YAML
cat environments/train-gpu/environment.yaml
envstore validate
envstore status
envstore register train-gpu -m "First training environment"

step "a typo and an inline secret are refused, with file:line:column"
sed -i 's/^python:/pyhton:/; s/HF_TOKEN: "${HF_TOKEN}"/HF_TOKEN: "hf_abc123"/' \
    environments/train-gpu/environment.yaml
envstore_fails validate train-gpu
git checkout -q -- environments/train-gpu/environment.yaml

step "bump numpy and register again"
sed -i 's/numpy>=1.26/numpy>=2.0/' environments/train-gpu/environment.yaml
envstore register train-gpu -m "numpy 2"
envstore register train-gpu
envstore label train-gpu@v1 prod
envstore list
envstore log train-gpu
envstore show train-gpu@prod
envstore --json show train-gpu@v2
envstore_fails show train-gpu@v7

step "a serving environment builds on train-gpu@latest, dropping what it does not need"
mkdir -p environments/serve
cat > environments/serve/environment.yaml <<'YAML'
name: serve
description: Inference server on the training stack
extends: train-gpu@latest
python:
  pip: ["fastapi==0.115.5", "uvicorn==0.32.1"]
  remove: [accelerate]
variables: {OMP_NUM_THREADS: "2"}
YAML
cat environments/serve/environment.yaml
envstore resolve serve
envstore register serve -m "First serving environment"
step "train-gpu moves on; serve@v1 keeps the base it was registered with"
sed -i 's/pytorch=2.1.\*/pytorch=2.5.*/' environments/train-gpu/environment.yaml
envstore register train-gpu -m "pytorch 2.5"
envstore resolve serve@v1
step "git cat-file -p serve@v1 | grep Envstore-Base"; git cat-file -p serve@v1 | grep Envstore-Base

step "what changed, as an environment: field by field, and for pull requests"
envstore diff train-gpu@v2 train-gpu@v3
envstore diff --rev HEAD~1..HEAD --format markdown

step "who brought each package and setting into train-gpu, from its versions"
envstore blame train-gpu
step "an evaluation environment pinned to train-gpu@v2 is now behind its base"
mkdir -p environments/eval
printf 'name: eval\ndescription: Offline evaluation\nextends: train-gpu@v2\n' > environments/eval/environment.yaml
envstore register eval -m "Evaluation on train-gpu@v2"
envstore outdated

step "a team policy in envstore.yaml, applied to the resolved definition"
cp envstore.yaml envstore.yaml.orig
printf 'policy:\n  channels: [conda-forge, nvidia]\n  pinned_packages: [fastapi]\n  forbidden_packages: [accelerate, transformers]\n' >> envstore.yaml
tail -4 envstore.yaml
envstore_fails check
envstore_fails check --format github
mv envstore.yaml.orig envstore.yaml

step "from and to the files other tools read"
cat > "$demo_dir/environment.yml" <<'YAML'
name: etl
channels: [conda-forge, defaults]
dependencies:
  - python=3.10
  - pandas=2.2.2=py310h5eee18b_0
  - pyarrow>=15
  - pip
  - pip:
      - --extra-index-url https://pypi.example.org/simple
      - duckdb==1.1.3
variables:
  TZ: UTC
YAML
envstore import "$demo_dir/environment.yml"
envstore register etl -m "Imported from environment.yml"
envstore export serve@v1 --format conda
envstore export serve@v1 --format dockerfile --context "$demo_dir/serve-image"
step "git itself reads what envstore wrote"
step "git tag -n1"; git tag -n1
step "git show train-gpu@v1:environments/train-gpu/environment.yaml | head -3"
git show 'train-gpu@v1:environments/train-gpu/environment.yaml' | head -3
step "git fsck --strict"; git fsck --strict && echo "fsck: clean"

step "the curated catalog that ships with envstore: read-only, extended by name"
envstore curated list
envstore log curated/scientific
envstore_fails register curated/python-3.11

envstore rename train-gpu trainer
envstore list --all
envstore doctor
echo
echo "demo finished: the workspace lived in $demo_dir/workspace (removed on exit)"
