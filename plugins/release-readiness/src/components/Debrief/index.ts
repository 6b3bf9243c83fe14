export { DebriefCard, DebriefDialogButton } from './DebriefCard';
