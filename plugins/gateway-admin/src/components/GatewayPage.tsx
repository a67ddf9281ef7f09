import Grid from '@material-ui/core/Grid';
import { Content } from '@backstage/core-components';
import { LimitsEditor } from './LimitsEditor';
import { LiveConnections } from './LiveConnections';
import { Revocations } from './Revocations';
import { TopTalkers } from './TopTalkers';

/** The Gateway page: limits, revocations, live connections, top talkers. */
export function GatewayPage() {
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <LimitsEditor />
        </Grid>
        <Grid item xs={12}>
          <Revocations />
        </Grid>
        <Grid item xs={12}>
          <LiveConnections />
        </Grid>
        <Grid item xs={12}>
          <TopTalkers />
        </Grid>
      </Grid>
    </Content>
  );
}
