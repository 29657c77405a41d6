#!/bin/sh
# CI for helm/parts-inventory: for every helm/ci/*.yaml, `helm lint --strict` and `helm
# template`, then scripts/validate-k8s.ts over the rendered objects (Kubernetes schemas,
# the kind counts in the file's "# expect:" line, hooks that need nothing the chart makes).
# Files named *.invalid.yaml must be refused (values.schema.json).
set -u
cd "$(dirname "$0")/.."
chart=helm/parts-inventory
status=0
rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT

sh scripts/helm.sh version --short >/dev/null || exit 1
app=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$chart/Chart.yaml")
pkg=$(sed -n 's/^  "version": "\([^"]*\)",$/\1/p' package.json)
if [ "$app" != "$pkg" ]; then
  echo "Chart.yaml appVersion $app differs from package.json version $pkg"
  status=1
fi

for values in helm/ci/*.yaml; do
  case "$values" in
    *.invalid.yaml)
      if sh scripts/helm.sh template ci "$chart" -f "$values" >/dev/null 2>&1; then
        echo "$values: accepted, but the schema must refuse it"
        status=1
      else
        echo "$values: refused, as it must be"
      fi
      ;;
    *)
      if ! out=$(sh scripts/helm.sh lint --strict "$chart" -f "$values" 2>&1); then
        echo "$out"
        echo "$values: helm lint failed"
        status=1
        continue
      fi
      if ! sh scripts/helm.sh template ci "$chart" -f "$values" --namespace inventory >"$rendered"; then
        echo "$values: helm template failed"
        status=1
        continue
      fi
      expect=$(sed -n 's/^# expect: //p' "$values")
      printf '%s: lint ok; ' "$values"
      sh scripts/bun.sh scripts/validate-k8s.ts "$rendered" --expect "$expect" || status=1
      ;;
  esac
done
exit $status
