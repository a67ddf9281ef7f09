import { useParams } from 'react-router-dom';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Breadcrumbs,
  Link,
  Progress,
  TabbedLayout,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { contestApiRef } from '../api';
import { rootRouteRef } from '../routes';
import { AnnouncementsTab } from './AnnouncementsTab';
import { ChallengesTab } from './ChallengesTab';
import { ContestPhaseChip } from './ContestPhaseChip';
import { IncidentsTab } from './IncidentsTab';
import { ScoreboardTab } from './ScoreboardTab';
import { SettingsTab } from './SettingsTab';
import { SubmissionsTab } from './SubmissionsTab';
import { TeamsTab } from './TeamsTab';
import {
  errorText,
  formatTime,
  usePolledData,
} from '@flagstage/plugin-flagstage-react';

/** One contest: its window, and a tab for each part of running it. */
export function ContestDetailPage() {
  const { slug = '' } = useParams();
  const api = useApi(contestApiRef);
  const listLink = useRouteRef(rootRouteRef);
  const detail = usePolledData(() => api.getContest(slug), [api, slug]);

  if (!detail.value) {
    if (detail.loading) return <Progress />;
    return (
      <Box p={3}>
        <Alert severity="error">
          Could not load contest {slug}: {errorText(detail.error)}
        </Alert>
        {listLink && (
          <Box mt={2}>
            <Link to={listLink()}>All contests</Link>
          </Box>
        )}
      </Box>
    );
  }

  const { contest, challenges } = detail.value;
  return (
    <>
      <Box px={3} pt={2}>
        <Breadcrumbs aria-label="breadcrumb">
          {listLink ? <Link to={listLink()}>Contests</Link> : 'Contests'}
          <Typography>{contest.name}</Typography>
        </Breadcrumbs>
        <Box display="flex" alignItems="center" mt={1} style={{ gap: 12 }}>
          <Typography variant="h5" component="h1">
            {contest.name}
          </Typography>
          <ContestPhaseChip contest={contest} />
        </Box>
        <Typography variant="body2" color="textSecondary">
          <code>{contest.slug}</code> · {formatTime(contest.startsAt)} –{' '}
          {formatTime(contest.endsAt)}
          {contest.freezeAt
            ? ` · board freezes ${formatTime(contest.freezeAt)}`
            : ''}
        </Typography>
        {Boolean(detail.error) && (
          <Box mt={1}>
            <Alert severity="warning">
              Could not refresh: {errorText(detail.error)}
            </Alert>
          </Box>
        )}
      </Box>
      <TabbedLayout>
        <TabbedLayout.Route path="/" title="Settings">
          <SettingsTab contest={contest} onChanged={detail.refresh} />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/challenges" title="Challenges">
          <ChallengesTab
            slug={contest.slug}
            challenges={challenges}
            onChanged={detail.refresh}
          />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/teams" title="Teams">
          <TeamsTab slug={contest.slug} />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/submissions" title="Submissions">
          <SubmissionsTab slug={contest.slug} />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/incidents" title="Incidents">
          <IncidentsTab slug={contest.slug} />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/scoreboard" title="Scoreboard">
          <ScoreboardTab contest={contest} />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/announcements" title="Announcements">
          <AnnouncementsTab slug={contest.slug} />
        </TabbedLayout.Route>
      </TabbedLayout>
    </>
  );
}
