{{/* The chart's Argo templates and RBAC name the namespaces flagstage, argo and
flagstage-gateway literally (they are plain files, shared with the worker's tests),
so the release must go to flagstage. */}}
{{- define "flagstage.checkNamespace" -}}
{{- if ne .Release.Namespace "flagstage" -}}
{{- fail (printf "install this chart into the namespace flagstage (helm install -n flagstage), not %q: the Argo RBAC and policies name it" .Release.Namespace) -}}
{{- end -}}
{{- end -}}

{{- define "flagstage.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: flagstage
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Values.image.tag | default .root.Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "flagstage.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "flagstage.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .component.image.repository (.root.Values.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{/* Pod-level security: the node user of the node images (uid/gid 1000). */}}
{{- define "flagstage.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{- define "flagstage.containerSecurityContext" -}}
allowPrivilegeEscalation: false
privileged: false
runAsNonRoot: true
readOnlyRootFilesystem: {{ .readOnly }}
capabilities: { drop: [ALL] }
seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{/* Spread replicas over nodes and zones (soft: a small cluster still schedules). */}}
{{- define "flagstage.spread" -}}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "flagstage.selector" . | nindent 8 }}
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "flagstage.selector" . | nindent 8 }}
{{- end -}}

{{- define "flagstage.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* Env from a Secret key. */}}
{{- define "flagstage.secretEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef: { name: {{ .secret }}, key: {{ .key }} }
{{- end -}}

{{/* The env both Backstage processes read through app-config.production.yaml. */}}
{{- define "flagstage.backstageEnv" -}}
{{- $s := .Values.secrets -}}
- name: APP_BASE_URL
  value: https://{{ .Values.domain }}
- name: BACKEND_BASE_URL
  value: https://{{ .Values.domain }}
- name: GATEWAY_DOMAIN
  value: {{ .Values.gatewayDomain | quote }}
{{ include "flagstage.secretEnv" (dict "env" "AMQP_URL" "secret" $s.rabbitmq "key" "url") }}
{{ include "flagstage.secretEnv" (dict "env" "BACKEND_SECRET" "secret" $s.backend "key" "secret") }}
{{- end -}}

{{/* Config of each Backstage process: the image's app-config.yaml and
app-config.production.yaml, then this chart's overlay from the ConfigMap. */}}
{{- define "flagstage.configArgs" -}}
{{- /* The image's CMD with the overlay appended (args replace CMD; the node
image's entrypoint would read a leading --config as a node flag). */ -}}
- node
- {{ .entry }}
{{- range .files }}
- --config
- {{ . }}
{{- end }}
- --config
- /app/config/app-config.kubernetes.yaml
{{- end -}}

{{/* Egress peers + ports: one NetworkPolicy rule. */}}
{{- define "flagstage.egressRule" -}}
- to:
    {{- toYaml .peers | nindent 4 }}
  ports:
    {{- range .ports }}
    - { protocol: TCP, port: {{ . }} }
    {{- end }}
{{- end -}}

{{- define "flagstage.dnsEgress" -}}
- to:
    {{- toYaml .Values.networkPolicy.dns.peers | nindent 4 }}
  ports:
    {{- range .Values.networkPolicy.dns.ports }}
    - { protocol: UDP, port: {{ . }} }
    - { protocol: TCP, port: {{ . }} }
    {{- end }}
{{- end -}}

{{- define "flagstage.ipBlocks" -}}
{{- range . }}
- ipBlock: { cidr: {{ . }} }
{{- end }}
{{- end -}}
