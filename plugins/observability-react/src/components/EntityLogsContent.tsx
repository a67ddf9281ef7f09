import { useEntity } from '@backstage/plugin-catalog-react';
import { LogsViewer } from './LogsViewer';

/**
 * The "Logs" tab of a Challenge entity: the Loki search with the challenge
 * set to the entity's name (the `flagstage.io/challenge` label of its pods).
 *
 * @public
 */
export function EntityLogsContent(props: { pollMs?: number }) {
  const { entity } = useEntity();
  return (
    <LogsViewer
      initialFilter={{ challenge: entity.metadata.name }}
      fixed={['challenge']}
      pollMs={props.pollMs}
    />
  );
}
