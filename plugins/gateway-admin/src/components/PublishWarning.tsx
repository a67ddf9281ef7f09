import Alert from '@material-ui/lab/Alert';
import type { GatewayPublishState } from '@flagstage/plugin-gateway-admin-common';

/** Says loudly when changes do not reach the gateways. */
export function PublishWarning(props: { state?: GatewayPublishState }) {
  const { state } = props;
  if (!state || state.published) return null;
  return (
    <Alert severity="warning" data-testid="publish-warning">
      <strong>Not published to the gateways.</strong>{' '}
      {state.warning ??
        'Changes are saved in the database but the gateways do not see them.'}
    </Alert>
  );
}
