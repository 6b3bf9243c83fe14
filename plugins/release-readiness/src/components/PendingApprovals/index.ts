export {
  PendingApprovals,
  type PendingApprovalsProps,
} from './PendingApprovals';
