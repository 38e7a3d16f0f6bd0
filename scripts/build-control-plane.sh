#!/usr/bin/env bash
# Builds the real Kubernetes control plane used by the real-backend tests (lab/real/):
# etcd, kube-apiserver and kube-controller-manager, from the Go module in tools/controlplane/
# (it depends on k8s.io/kubernetes and go.etcd.io/etcd/server/v3 as modules; nothing of
# theirs is copied here). Binaries go to .cache/controlplane/<version>/ and are reused
# when present, so only the first run on a machine pays for the build.
# Usage: scripts/build-control-plane.sh   → prints the binaries' folder on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
src=$root/tools/controlplane
k8s_version=$(awk '$1=="k8s.io/kubernetes"{print $2; exit}' "$src/go.mod")
out=$root/.cache/controlplane/$k8s_version
go=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
bins=(etcd kube-apiserver kube-controller-manager)

have_all() { for b in "${bins[@]}"; do [[ -x $out/$b ]] || return 1; done; }
if have_all && [[ $out/.stamp -nt $src/go.mod && $out/.stamp -nt $src/go.sum ]]; then
  echo "control plane $k8s_version: reusing $out" >&2
  echo "$out"; exit 0
fi
[[ -x $go ]] || { echo "build-control-plane: Go not found (set GO= or install Go ≥ 1.24)" >&2; exit 2; }

minor=${k8s_version#v1.}; minor=${minor%%.*}
# kubectl and clients read the server's version from these (without them it says v0.0.0).
pkg=k8s.io/component-base/version
ldflags="-s -w -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor \
-X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
mkdir -p "$out"
start=$(date +%s)
echo "control plane $k8s_version: building into $out (cold build: tens of minutes on 2 cores)" >&2
cd "$src"
# nice: the build shares the machine with running tests.
nice -n 10 "$go" build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$out/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
nice -n 10 "$go" build -trimpath -buildvcs=false -ldflags "-s -w" -o "$out/etcd" ./etcd
touch "$out/.stamp"
echo "control plane $k8s_version: built in $(( $(date +%s) - start ))s" >&2
echo "$out"
