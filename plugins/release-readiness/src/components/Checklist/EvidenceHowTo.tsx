import { useState } from 'react';
import { configApiRef, useApiHolder } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { useReleaseReadinessTranslation } from '../../translation';

/** The config key of the link to the README's "CI pipelines" section. */
export const PIPELINE_DOCS_CONFIG_KEY = 'releaseReadiness.pipelineDocsUrl';

/**
 * The command a pipeline runs to post this item's evidence, with the
 * entity, release and type filled in; the status, metrics and run id are
 * the pipeline's to give.
 */
export function evidenceCommand(options: {
  entityRef: string;
  release: string;
  evidenceType: string;
}): string {
  const quote = (value: string) =>
    /^[\w.:/@+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
  return [
    'release-readiness evidence push',
    `--entity ${quote(options.entityRef)}`,
    `--release ${quote(options.release)}`,
    `--type ${quote(options.evidenceType)}`,
    '--status passed --run-id "$CI_RUN_ID"',
  ].join(' ');
}

/**
 * How an automated item's evidence arrives: the CLI command, copyable, and
 * where the pipeline setup is described.
 */
export function EvidenceHowTo(props: {
  itemId: string;
  entityRef: string;
  release: string;
  evidenceType: string;
  rule: string;
}) {
  const { t } = useReleaseReadinessTranslation();
  const { itemId, evidenceType, rule } = props;
  const config = useApiHolder().get(configApiRef);
  const docsUrl = config?.getOptionalString(PIPELINE_DOCS_CONFIG_KEY);
  const [copied, setCopied] = useState<'yes' | 'no'>();
  const command = evidenceCommand(props);
  const commandId = `evidence-command-${itemId}`;

  const copy = async () => {
    try {
      await window.navigator.clipboard.writeText(command);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };

  let copyStatus = '';
  if (copied === 'yes') copyStatus = t('evidenceHowTo.copied');
  else if (copied === 'no') copyStatus = t('evidenceHowTo.copyFailed');

  return (
    <Box mt={1} data-testid={`evidence-how-${itemId}`}>
      <Typography variant="body2">
        {t('evidenceHowTo.passesOn', {
          evidenceType,
          rule: <code>{rule}</code>,
        })}
      </Typography>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography
          variant="body2"
          component="code"
          id={commandId}
          style={{ wordBreak: 'break-all' }}
        >
          {command}
        </Typography>
        <Button
          size="small"
          variant="outlined"
          onClick={copy}
          aria-describedby={commandId}
        >
          {t('evidenceHowTo.copy')}
        </Button>
        <span role="status">{copyStatus}</span>
      </Box>
      <Typography variant="body2" color="textSecondary">
        {t('evidenceHowTo.setMetrics', {
          example: <code>--metric score=93</code>,
        })}{' '}
        {docsUrl ? (
          <Link href={docsUrl} target="_blank" rel="noopener">
            {t('evidenceHowTo.docsLink')}
          </Link>
        ) : (
          t('evidenceHowTo.docsText')
        )}
      </Typography>
    </Box>
  );
}
