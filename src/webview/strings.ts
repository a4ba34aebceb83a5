/**
 * Looks up the strings the host sent (keyed by DASHBOARD_STRING_KEYS) and formats numbers for the
 * host's locale. A missing key is shown as the key itself in brackets, so a gap is seen, not hidden.
 */
import type { DashboardStrings } from '../protocol/webview';
import type { DashboardStringKey } from '../protocol/dashboardStringKeys';
import { durationParts } from '../domain/duration';

export type StringArg = string | number;

/** Fills `{0}`, `{1}`… with the arguments; a placeholder without an argument stays as it is. */
export function fillPlaceholders(template: string, args: StringArg[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
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

  constructor(
    private readonly dictionary: DashboardStrings,
    locale: string,
  ) {
    this.locale = safeLocale(locale);
    this.percent1 = new Intl.NumberFormat(this.locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
    this.percent0 = new Intl.NumberFormat(this.locale, { style: 'percent', maximumFractionDigits: 0 });
    this.integer = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 0 });
  }

  t(key: DashboardStringKey, ...args: StringArg[]): string {
    const template = this.dictionary[key];
    return typeof template === 'string' ? fillPlaceholders(template, args) : `⟦${key}⟧`;
  }

  className(index: number): string {
    return index >= 0 && index <= 9 ? this.t(`class${index}` as DashboardStringKey) : String(index);
  }

  /** 0.8812 -> "88.1%" (or "88%" with digits 0). */
  percent(fraction: number, digits: 0 | 1 = 1): string {
    if (!Number.isFinite(fraction)) return this.t('notAvailable');
    return (digits === 0 ? this.percent0 : this.percent1).format(fraction);
  }

  int(value: number): string {
    return Number.isFinite(value) ? this.integer.format(value) : this.t('notAvailable');
  }

  fixed(value: number, digits: number): string {
    if (!Number.isFinite(value)) return this.t('notAvailable');
    let format = this.decimals.get(digits);
    if (!format) {
      format = new Intl.NumberFormat(this.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
      this.decimals.set(digits, format);
    }
    return format.format(value);
  }

  /** Signed points, e.g. "+1.6" / "−0.4", for the over-fitting indicator. */
  signedPoints(points: number): string {
    if (!Number.isFinite(points)) return this.t('notAvailable');
    const text = this.fixed(Math.abs(points), 1);
    return points >= 0.05 ? `+${text}` : points <= -0.05 ? `−${text}` : text;
  }

  duration(seconds: number): string {
    if (!Number.isFinite(seconds) || seconds < 0) return this.t('notAvailable');
    const d = durationParts(seconds);
    if (d.unit === 'seconds') return this.t('durationSeconds', d.seconds);
    if (d.unit === 'minutes') return this.t('durationMinutes', d.minutes, d.seconds);
    return this.t('durationHours', d.hours, d.minutes);
  }

  bytes(count: number): string {
    if (count < 1024 * 1024) return `${this.fixed(count / 1024, 0)} KB`;
    return `${this.fixed(count / (1024 * 1024), 1)} MB`;
  }
}
