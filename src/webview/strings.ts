/**
 * The webview's words and numbers. Its sentences are written once, where they are shown, as
 * `l10n.t('English text', …)` (VS Code's way, @vscode/l10n): `configureL10n` loads the host's
 * `vscode.l10n.bundle` once per page load (the host sends it on `ready`), and English needs none. This
 * file formats numbers and durations for the host's locale and names the classes.
 */
import * as l10n from '@vscode/l10n';
import { CLASS_NAMES } from '../domain/classes';
import { durationParts } from '../domain/duration';

/** A label in a table written at load time: read when shown, so it is in the bundle's language. */
export type Label = () => string;

/** Loads the host's bundle (English text -> translation); none for English. */
export function configureL10n(bundle: Record<string, string> | undefined): void {
  l10n.config({ contents: bundle ?? {} });
}

function safeLocale(locale: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'en';
  } catch {
    return 'en';
  }
}

export class Strings {
  readonly locale: string;
  private readonly percent1: Intl.NumberFormat;
  private readonly percent0: Intl.NumberFormat;
  private readonly integer: Intl.NumberFormat;
  private readonly decimals: Map<number, Intl.NumberFormat> = new Map();

  constructor(locale: string) {
    this.locale = safeLocale(locale);
    this.percent1 = new Intl.NumberFormat(this.locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
    this.percent0 = new Intl.NumberFormat(this.locale, { style: 'percent', maximumFractionDigits: 0 });
    this.integer = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 0 });
  }

  /** The class's name in the bundle's language (the names are the keys of src/domain/classes.ts, as the host's are). */
  className(index: number): string {
    const translate = l10n.t;
    return index >= 0 && index < CLASS_NAMES.length ? translate(CLASS_NAMES[index]) : String(index);
  }

  /** 0.8812 -> "88.1%" (or "88%" with digits 0). */
  percent(fraction: number, digits: 0 | 1 = 1): string {
    if (!Number.isFinite(fraction)) return notAvailable();
    return (digits === 0 ? this.percent0 : this.percent1).format(fraction);
  }

  int(value: number): string {
    return Number.isFinite(value) ? this.integer.format(value) : notAvailable();
  }

  fixed(value: number, digits: number): string {
    if (!Number.isFinite(value)) return notAvailable();
    let format = this.decimals.get(digits);
    if (!format) {
      format = new Intl.NumberFormat(this.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
      this.decimals.set(digits, format);
    }
    return format.format(value);
  }

  /** Signed points, e.g. "+1.6" / "−0.4", for the over-fitting indicator. */
  signedPoints(points: number): string {
    if (!Number.isFinite(points)) return notAvailable();
    const text = this.fixed(Math.abs(points), 1);
    return points >= 0.05 ? `+${text}` : points <= -0.05 ? `−${text}` : text;
  }

  duration(seconds: number): string {
    if (!Number.isFinite(seconds) || seconds < 0) return notAvailable();
    const d = durationParts(seconds);
    if (d.unit === 'seconds') return l10n.t('{0} s', d.seconds);
    if (d.unit === 'minutes') return l10n.t('{0} min {1} s', d.minutes, d.seconds);
    return l10n.t('{0} h {1} min', d.hours, d.minutes);
  }

  bytes(count: number): string {
    if (count < 1024 * 1024) return `${this.fixed(count / 1024, 0)} KB`;
    return `${this.fixed(count / (1024 * 1024), 1)} MB`;
  }
}

function notAvailable(): string {
  return l10n.t('n/a');
}
