import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { CHALLENGE_KIND } from '@flagstage/plugin-challenge-common';
import { contestApiRef } from '../api';
import { errorText, usePolledData } from '@flagstage/plugin-flagstage-react';
import { fromLocalInput } from './util';

type Option = {
  ref: string;
  title: string;
  category?: string;
  difficulty?: string;
};

function toOption(entity: Entity): Option {
  const spec = (entity.spec ?? {}) as {
    category?: string;
    difficulty?: string;
  };
  return {
    ref: stringifyEntityRef(entity),
    title: entity.metadata.title ?? entity.metadata.name,
    category: spec.category,
    difficulty: spec.difficulty,
  };
}

/** Picks a Challenge entity from the catalog and attaches it, hidden or published, with an optional release time. */
export function AttachChallengeForm(props: {
  slug: string;
  /** Entity refs already in the contest (left out of the picker). */
  attached: string[];
  disabled?: boolean;
  onAttached: () => Promise<void>;
}) {
  const api = useApi(contestApiRef);
  const catalogApi = useApi(catalogApiRef);
  const catalog = usePolledData(
    async () =>
      (
        await catalogApi.getEntities({
          filter: { kind: CHALLENGE_KIND },
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
            'spec.category',
            'spec.difficulty',
          ],
        })
      ).items
        .map(toOption)
        .sort((a, b) => a.title.localeCompare(b.title)),
    [catalogApi],
  );
  const attached = new Set(props.attached);
  const options = (catalog.value ?? []).filter(o => !attached.has(o.ref));
  const [choice, setChoice] = useState<Option | null>(null);
  const [publish, setPublish] = useState(false);
  const [releaseAt, setReleaseAt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const attach = async () => {
    if (!choice) return;
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const release = fromLocalInput(releaseAt);
      await api.attachChallenge(props.slug, {
        entityRef: choice.ref,
        hidden: !publish,
        ...(release ? { releaseAt: release } : {}),
      });
      setChoice(null);
      setReleaseAt('');
      await props.onAttached();
      setNotice(
        `Attached ${choice.title}${publish ? ', published' : ', hidden'}.`,
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title="Attach a challenge from the catalog">
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 12 }}
      >
        <Autocomplete
          id="attach-challenge"
          style={{ minWidth: 360 }}
          options={options}
          value={choice}
          loading={catalog.loading}
          disabled={props.disabled || busy}
          onChange={(_e, value) => setChoice(value)}
          getOptionLabel={o => `${o.title} (${o.ref})`}
          getOptionSelected={(a, b) => a.ref === b.ref}
          renderOption={o => (
            <Box>
              {o.title}
              <Box component="span" color="text.secondary" ml={1}>
                {[o.category, o.difficulty].filter(Boolean).join(' · ')} ·{' '}
                {o.ref}
              </Box>
            </Box>
          )}
          renderInput={params => (
            <TextField
              {...params}
              label="Challenge"
              variant="outlined"
              size="small"
            />
          )}
        />
        <TextField
          id="attach-release"
          label="Release at (optional)"
          type="datetime-local"
          variant="outlined"
          size="small"
          InputLabelProps={{ shrink: true }}
          value={releaseAt}
          disabled={props.disabled || busy}
          onChange={e => setReleaseAt(e.target.value)}
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={publish}
              disabled={props.disabled || busy}
              onChange={e => setPublish(e.target.checked)}
            />
          }
          label="Publish now"
        />
        <Button
          variant="contained"
          color="primary"
          disabled={props.disabled || busy || !choice}
          onClick={attach}
        >
          Attach
        </Button>
      </Box>
      {Boolean(catalog.error) && (
        <Box mt={2}>
          <Alert severity="error">
            Could not list challenges from the catalog:{' '}
            {errorText(catalog.error)}
          </Alert>
        </Box>
      )}
      {catalog.value && options.length === 0 && (
        <Box mt={2}>
          <Alert severity="info">
            Every Challenge in the catalog is already in this contest.
          </Alert>
        </Box>
      )}
      {error && (
        <Box mt={2}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
      {notice && (
        <Box mt={2}>
          <Alert severity="success">{notice}</Alert>
        </Box>
      )}
    </InfoCard>
  );
}
