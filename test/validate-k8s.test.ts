// scripts/validate-k8s.ts, the chart check's last step: it must refuse what the Kubernetes
// API would refuse, kinds it has no schema for, and hooks that need the chart's objects.
import { describe, expect, test } from "bun:test";
import { validateManifests } from "../scripts/validate-k8s";

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  LOG_LEVEL: info
`;

const job = (envFrom: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: "parts-inventory:0.1.0"
          ${envFrom}
          env:
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef: { name: existing-db, key: DATABASE_URL }
`;

const deployment = (replicas: string, port: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: "parts-inventory:0.1.0"
          ports:
            - containerPort: ${port}
`;

describe("validate-k8s", () => {
  test("valid objects pass and are counted by kind", async () => {
    const result = await validateManifests(
      [configMap, job(""), deployment("2", "3000")].join("---\n"),
    );
    expect(result.problems).toEqual([]);
    expect(result.objects).toBe(3);
    expect(Object.fromEntries(result.kinds)).toEqual({ ConfigMap: 1, Job: 1, Deployment: 1 });
  });

  test("a field of the wrong type is refused, naming the object and the field", async () => {
    const result = await validateManifests(deployment('"two"', '"http"'));
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toStartWith("Deployment/api: ");
    expect(result.problems[0]).toContain("replicas must be integer");
    expect(result.problems[0]).toContain("containerPort must be integer");
  });

  test("a required field missing is refused", async () => {
    const result = await validateManifests(
      deployment("2", "3000").replace(/ {2}selector:\n.*\n/, ""),
    );
    expect(result.problems.join("\n")).toContain("spec must have required property selector");
  });

  test("a kind without a schema (a CRD, a typo) is refused", async () => {
    const result = await validateManifests(
      "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: { name: m }\n---\napiVersion: apps/v1\nkind: Deploymnet\nmetadata: { name: d }\n",
    );
    expect(result.problems).toEqual([
      "ServiceMonitor/m: unknown kind monitoring.coreos.com/v1 ServiceMonitor",
      "Deploymnet/d: unknown kind apps/v1 Deploymnet",
    ]);
  });

  test("a pre-install hook that needs an object the chart creates is refused", async () => {
    const envFrom = "envFrom:\n            - configMapRef: { name: settings }";
    const result = await validateManifests([configMap, job(envFrom)].join("---\n"));
    expect(result.problems).toEqual([
      "Job/migrate: a pre-install hook needs ConfigMap/settings, which the chart creates only after its hooks ran",
    ]);
  });
});
