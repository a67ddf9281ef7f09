import { useApi } from '@backstage/frontend-plugin-api';
import { InfoCard } from '@backstage/core-components';
import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { errorText, usePolledData } from '@flagstage/plugin-flagstage-react';
import { observabilityApiRef } from '../api';
import { LogsViewer } from './LogsViewer';

/** Props of {@link InstanceLogs}. @public */
export type InstanceLogsProps = {
  instanceId: string;
  /** Lines of each pod log. Default 500. */
  tailLines?: number;
  /** Live tail polling interval of the Loki search. Default 2000 ms. */
  pollMs?: number;
};

function LogText(props: { text: string; label: string }) {
  return (
    <Box
      component="pre"
      aria-label={props.label}
      style={{
        fontFamily: 'monospace',
        whiteSpace: 'pre-wrap',
        maxHeight: 400,
        overflow: 'auto',
        margin: 0,
      }}
    >
      {props.text || '(empty)'}
    </Box>
  );
}

/**
 * The logs of one instance, for its page: the challenge pod's log and the
 * Argo start workflow's step logs from the Kubernetes API (each with a
 * Refresh), and a Loki search fixed to the instance.
 *
 * @public
 */
export function InstanceLogs(props: InstanceLogsProps) {
  const { instanceId, tailLines = 500, pollMs } = props;
  const api = useApi(observabilityApiRef);
  const pod = usePolledData(
    () => api.getPodLogs(instanceId, { tailLines }),
    [api, instanceId, tailLines],
  );
  const workflow = usePolledData(
    () => api.getWorkflowLogs(instanceId, { tailLines }),
    [api, instanceId, tailLines],
  );

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <InfoCard
        title="Challenge pod"
        subheader={
          pod.value
            ? `${pod.value.namespace} / ${pod.value.pod} (${pod.value.container})`
            : undefined
        }
        action={
          <Button onClick={() => pod.refresh()} disabled={pod.loading}>
            Refresh pod log
          </Button>
        }
      >
        {pod.error && <Alert severity="warning">{errorText(pod.error)}</Alert>}
        {pod.value && (
          <LogText text={pod.value.log} label="challenge pod log" />
        )}
      </InfoCard>
      <InfoCard
        title="Start workflow"
        subheader={workflow.value?.workflow}
        action={
          <Button
            onClick={() => workflow.refresh()}
            disabled={workflow.loading}
          >
            Refresh workflow logs
          </Button>
        }
      >
        {workflow.error && (
          <Alert severity="warning">{errorText(workflow.error)}</Alert>
        )}
        {workflow.value?.pods.length === 0 && (
          <Typography variant="body2">
            No workflow pods (the workflow has not run, or its pods were
            removed).
          </Typography>
        )}
        {workflow.value?.pods.map(p => (
          <Box key={p.pod} mb={2}>
            <Typography variant="subtitle2">
              {p.pod} ({p.container}){p.phase ? ` — ${p.phase}` : ''}
            </Typography>
            <LogText text={p.log} label={`log of ${p.pod}`} />
          </Box>
        ))}
      </InfoCard>
      <InfoCard title="Search (Loki)">
        <LogsViewer
          initialFilter={{ instance: instanceId }}
          fixed={['instance']}
          pollMs={pollMs}
        />
      </InfoCard>
    </Box>
  );
}
