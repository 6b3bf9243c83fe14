import { makeStyles } from '@material-ui/core/styles';
import { successText, warningText } from '../shared/accessibility';

/** The styles of the checklist and its rows. */
export const useStyles = makeStyles(theme => ({
  root: {
    '& .Mui-focusVisible, & button:focus-visible, & input:focus-visible': {
      outline: `3px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  category: {
    marginTop: theme.spacing(2),
  },
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  row: {
    padding: theme.spacing(1.5, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  titleLine: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(1),
  },
  status: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  statusIcon: { fontSize: '1.2rem' },
  passed: { color: successText(theme) },
  failed: { color: theme.palette.error.main },
  warn: { color: warningText(theme) },
  neutral: { color: theme.palette.text.secondary },
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  note: {
    minWidth: 240,
    flexGrow: 1,
  },
  alert: {
    marginTop: theme.spacing(1),
  },
}));
