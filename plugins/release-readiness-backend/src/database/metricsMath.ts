/*
 * The arithmetic of the metrics (metrics.ts): exact percentiles of lead
 * times by selection rather than sorting, and the lists of whole numbers the
 * database aggregates read without a string per value.
 */

/** The nearest rank (1..n) of the p-th percentile (0..1) of n values. */
const nearestRank = (n: number, p: number) => Math.max(1, Math.ceil(p * n));

/** The p-th percentile (0..1) of sorted values, by the nearest-rank method. */
export function percentile(
  sorted: ArrayLike<number>,
  p: number,
): number | null {
  if (!sorted.length) return null;
  return sorted[nearestRank(sorted.length, p) - 1];
}

/**
 * Rearranges `values[lo..hi]` so that `values[k]` holds the value a sort
 * would put there, none greater before it and none smaller after it
 * (Hoare's selection): a sort's answer for one rank without sorting.
 */
function selectRank(values: Float64Array, k: number, from: number, to: number) {
  let lo = from;
  let hi = to;
  while (hi - lo > 16) {
    // The median of the first, middle and last values as the pivot.
    const [, pivot] = [values[lo], values[(lo + hi) >>> 1], values[hi]].sort(
      (x, y) => x - y,
    );
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i++] = values[j];
        values[j--] = swap;
      }
    }
    // values[lo..j] <= pivot, values[i..hi] >= pivot, and the values between
    // are the pivot itself.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
  // A few values: sorted by insertion.
  for (let i = lo + 1; i <= hi; i++) {
    const value = values[i];
    let j = i - 1;
    while (j >= lo && values[j] > value) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = value;
  }
}

/**
 * The median and 90th percentile of `values[from..to)` in any order,
 * exactly as {@link median} and {@link percentile} give them of the sorted
 * values, by selection: a whole period's lead times need no sort. Reorders
 * that stretch of `values`, and nothing outside it.
 */
export function medianAndP90(
  values: Float64Array,
  from = 0,
  to = values.length,
): {
  median: number | null;
  p90: number | null;
} {
  const n = to - from;
  if (n <= 0) return { median: null, p90: null };
  const mid = from + (n >> 1);
  selectRank(values, mid, from, to - 1);
  let med = values[mid];
  if (n % 2 === 0) {
    // The value below the middle: the greatest of those before it.
    let below = values[from];
    for (let i = from + 1; i < mid; i++) {
      if (values[i] > below) below = values[i];
    }
    med = (below + med) / 2;
  }
  // Never before the middle: everything after it is at least as great.
  const p90Index = from + nearestRank(n, 0.9) - 1;
  if (p90Index > mid) selectRank(values, p90Index, mid + 1, to - 1);
  return { median: med, p90: values[p90Index] };
}

/** The median of sorted values: the mean of the two middle ones for an even count. */
export function median(sorted: ArrayLike<number>): number | null {
  if (!sorted.length) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** How many values a comma-separated list holds (none for an empty one). */
export function countOfList(list: unknown): number {
  if (list === null || list === undefined || list === '') return 0;
  const text = String(list);
  let count = 1;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 44) count += 1;
  }
  return count;
}

/**
 * Reads the whole numbers of a comma-separated list the database aggregated
 * into `into` from index `at` on, character by character (splitting would
 * make a string of each); returns the index after the last. `into` must have
 * room for {@link countOfList} values.
 */
export function readWholeNumbers(
  list: unknown,
  into: Float64Array,
  at: number,
): number {
  if (list === null || list === undefined || list === '') return at;
  const text = String(list);
  let n = at;
  let value = 0;
  let sign = 1;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? 44 : text.charCodeAt(i);
    if (c === 44) {
      into[n++] = sign * value;
      value = 0;
      sign = 1;
    } else if (c === 45) {
      sign = -1;
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
    } else {
      throw new Error(`Not a list of whole numbers: ${text.slice(0, 100)}`);
    }
  }
  return n;
}

/** The whole numbers of a comma-separated list the database aggregated. */
export function wholeNumbersOf(list: unknown): Float64Array {
  const values = new Float64Array(countOfList(list));
  readWholeNumbers(list, values, 0);
  return values;
}
