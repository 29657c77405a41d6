{{- define "parts-inventory.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "parts-inventory.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Common labels; pass (dict "root" $ "component" "api"). */}}
{{- define "parts-inventory.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{ include "parts-inventory.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{- define "parts-inventory.selectorLabels" -}}
app.kubernetes.io/name: {{ include "parts-inventory.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "parts-inventory.image" -}}
{{ printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) | quote }}
{{- end }}

{{/* RabbitMQ configured: jobs go to the worker Deployment. */}}
{{- define "parts-inventory.workerEnabled" -}}
{{- if and .Values.worker.enabled .Values.secrets.amqp.existingSecret }}true{{ end }}
{{- end }}

{{/*
Settings that are not secret, as NAME: "value" lines: the ConfigMap's data, and the hook
Job's env (the ConfigMap does not exist yet when a pre-install hook runs).
*/}}
{{- define "parts-inventory.settings" -}}
{{- $c := .Values.config -}}
LOG_LEVEL: {{ $c.logLevel | quote }}
CORS_ORIGINS: {{ $c.corsOrigins | quote }}
DATABASE_POOL_SIZE: {{ $c.databasePoolSize | quote }}
MAX_UPLOAD_BYTES: {{ $c.maxUploadBytes | int64 | quote }}
DATA_DIR: "/app/data"
S3_ENDPOINT: {{ $c.s3.endpoint | quote }}
S3_REGION: {{ $c.s3.region | quote }}
S3_FORCE_PATH_STYLE: {{ $c.s3.forcePathStyle | quote }}
S3_BUCKET_IMAGES: {{ $c.s3.bucketImages | quote }}
S3_BUCKET_DOCS: {{ $c.s3.bucketDocs | quote }}
AMQP_PREFIX: {{ $c.amqp.prefix | quote }}
AMQP_DELIVERY_LIMIT: {{ $c.amqp.deliveryLimit | quote }}
JOB_MAX_ATTEMPTS: {{ $c.jobs.maxAttempts | quote }}
JOB_RETRY_DELAYS_MS: {{ $c.jobs.retryDelaysMs | quote }}
JOB_LEASE_SECONDS: {{ $c.jobs.leaseSeconds | quote }}
JOB_RETENTION_DAYS: {{ $c.jobs.retentionDays | quote }}
JOB_CONCURRENCY_MEDIA: {{ $c.jobs.concurrencyMedia | quote }}
JOB_CONCURRENCY_AI: {{ $c.jobs.concurrencyAi | quote }}
JOB_CONCURRENCY_PLANS: {{ $c.jobs.concurrencyPlans | quote }}
OPENAI_BASE_URL: {{ $c.openai.baseUrl | quote }}
OPENAI_MODEL: {{ $c.openai.model | quote }}
PORT: {{ .Values.api.port | quote }}
WORKER_METRICS_PORT: {{ .Values.worker.metricsPort | quote }}
# Migrations run in the hook Job, never at start.
MIGRATE_ON_START: "false"
# The root filesystem is read-only: Bun's transpiler cache stays off.
BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0"
{{- range $name, $value := $c.extraEnv }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* One env entry from an existing Secret. */}}
{{- define "parts-inventory.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret | quote }}
      key: {{ .key | quote }}
{{- end }}

{{/* Credentials from the existing Secrets that are set; pass (dict "root" $ "amqp" true). */}}
{{- define "parts-inventory.secretsEnv" -}}
{{- $s := .root.Values.secrets -}}
{{ include "parts-inventory.secretEnv" (dict "name" "DATABASE_URL" "secret" $s.database.existingSecret "key" $s.database.urlKey) }}
{{ include "parts-inventory.secretEnv" (dict "name" "AWS_ACCESS_KEY_ID" "secret" $s.s3.existingSecret "key" $s.s3.accessKeyIdKey) }}
{{ include "parts-inventory.secretEnv" (dict "name" "AWS_SECRET_ACCESS_KEY" "secret" $s.s3.existingSecret "key" $s.s3.secretAccessKeyKey) }}
{{- if and .amqp $s.amqp.existingSecret }}
{{ include "parts-inventory.secretEnv" (dict "name" "AMQP_URL" "secret" $s.amqp.existingSecret "key" $s.amqp.urlKey) }}
{{- end }}
{{- if and .app $s.openai.existingSecret }}
{{ include "parts-inventory.secretEnv" (dict "name" "OPENAI_API_KEY" "secret" $s.openai.existingSecret "key" $s.openai.apiKeyKey) }}
{{- end }}
{{- if and .app $s.apiToken.existingSecret }}
{{ include "parts-inventory.secretEnv" (dict "name" "API_TOKEN" "secret" $s.apiToken.existingSecret "key" $s.apiToken.tokenKey) }}
{{- end }}
{{- end }}

{{/* Pod-level settings shared by every pod. */}}
{{- define "parts-inventory.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . | quote }}
{{- end }}
{{- end }}
{{- with .Values.serviceAccountName }}
serviceAccountName: {{ . | quote }}
{{- end }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
volumes:
  # The root filesystem is read-only: scratch space for uploads in transit, and DATA_DIR.
  - name: tmp
    emptyDir: {}
  - name: data
    emptyDir: {}
{{- end }}

{{- define "parts-inventory.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  - name: data
    mountPath: /app/data
{{- end }}

{{/* An HTTP probe; pass (dict "probe" .Values.api.livenessProbe "port" "http"). */}}
{{- define "parts-inventory.probe" -}}
httpGet:
  path: {{ .probe.path }}
  port: {{ .port }}
periodSeconds: {{ .probe.periodSeconds }}
timeoutSeconds: {{ .probe.timeoutSeconds }}
failureThreshold: {{ .probe.failureThreshold }}
{{- end }}

{{/* prometheus.io annotations for a pod serving /metrics on `port`. */}}
{{- define "parts-inventory.metricsAnnotations" -}}
{{- if .root.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end }}
