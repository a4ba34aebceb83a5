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
