/** A duration as people read it, before wording: under a minute in seconds, under an hour in minutes and seconds, else hours and minutes. */
export type DurationParts =
  | { unit: 'seconds'; seconds: number }
  | { unit: 'minutes'; minutes: number; seconds: number }
  | { unit: 'hours'; hours: number; minutes: number };

/** 9 -> 9 s; 75 -> 1 min 15 s; 3725 -> 1 h 02 min (rounded to the second; negative counts as 0). */
export function durationParts(seconds: number): DurationParts {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return { unit: 'seconds', seconds: s };
  if (s < 3600) return { unit: 'minutes', minutes: Math.floor(s / 60), seconds: s % 60 };
  return { unit: 'hours', hours: Math.floor(s / 3600), minutes: Math.floor((s % 3600) / 60) };
}

/**
 * "10m", "90s", "1h30m", "2.5h", or a plain number of seconds, as seconds; undefined when the text is none
 * of these or comes to no time at all.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) > 0 ? Number(trimmed) : undefined;
  if (!/^(\d+(\.\d+)?[hms])+$/.test(trimmed)) return undefined;
  const factor: Record<string, number> = { h: 3600, m: 60, s: 1 };
  let seconds = 0;
  for (const [, amount, , unit] of trimmed.matchAll(/(\d+(\.\d+)?)([hms])/g)) seconds += Number(amount) * factor[unit];
  return seconds > 0 ? seconds : undefined;
}
