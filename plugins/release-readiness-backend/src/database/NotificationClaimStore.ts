/**
 * Which reminders went out already, so that background work running on
 * several replicas sends each one once.
 */
export interface NotificationClaimStore {
  /** Records a reminder as sent; false when some replica sent it already. */
  claimNotification(options: { key: string }): Promise<boolean>;
}
