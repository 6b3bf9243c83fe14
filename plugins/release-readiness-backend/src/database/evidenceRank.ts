/**
 * The rank of a fact among its release's facts of the same type and the
 * same "passed or not" (`per` status) or the same poster, newest first:
 * 1 for the newest. A fact observed after it was received counts as
 * received. Times are stored normalized (ISO 8601 in UTC on SQLite,
 * timestamptz on PostgreSQL), so both engines order them as instants.
 * `prefix` qualifies the evidence columns (`e.`) where the query needs it.
 * The evidence store's listNewestEvidence and a gate's locked read
 * (lockedGate.ts) rank by this one expression.
 */
export function newestEvidenceRank(
  per: 'status' | 'poster',
  prefix = '',
): string {
  const c = (column: string) => `${prefix}${column}`;
  const partition =
    per === 'poster'
      ? `${c('type')}, ${c('posted_by')}`
      : `${c('type')}, case when ${c('status')} = 'passed' then 1 else 0 end`;
  return `row_number() over (partition by ${partition} order by case when ${c(
    'observed_at',
  )} > ${c('received_at')} then ${c('received_at')} else ${c(
    'observed_at',
  )} end desc, ${c('received_at')} desc, ${c('id')} desc)`;
}
