/**
 * A few lines of SVG writing for the exported charts: elements as text, every attribute value and every
 * piece of text XML-escaped, so a label (a class name, a translation, anything from data) is only ever text,
 * never markup. Numbers are written with at most two decimals, so the same chart gives the same bytes.
 */

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text as XML character data or an attribute value. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => XML_ESCAPES[character]);
}

/** A coordinate or length: rounded to hundredths, no trailing zeros ("12.5", not "12.500000001"). */
export function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export type Attributes = Record<string, string | number | undefined>;

function attributeText(attributes: Attributes): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`)
    .join('');
}

/** An element whose children are already SVG (from `element` or `text`); none makes it self-closing. */
export function element(name: string, attributes: Attributes, ...children: string[]): string {
  const open = `<${name}${attributeText(attributes)}`;
  return children.length === 0 ? `${open}/>` : `${open}>${children.join('')}</${name}>`;
}

/** A text element: `content` is escaped, whatever it holds. */
export function text(content: string, attributes: Attributes): string {
  return `<text${attributeText(attributes)}>${escapeXml(content)}</text>`;
}

/**
 * Fonts a reader has: matplotlib's DejaVu Sans, then the usual system sans-serifs, with CJK faces for the
 * Chinese labels (Noto Sans CJK on Linux, Microsoft YaHei on Windows, PingFang on macOS).
 */
export const FONT_FAMILY = "'DejaVu Sans', 'Segoe UI', 'Helvetica Neue', Arial, 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

/** Roughly how wide `content` is at `size` pixels (Latin about 0.6 em, CJK and full-width 1 em): for laying out a legend. */
export function textWidth(content: string, size: number): number {
  let ems = 0;
  for (const character of content) ems += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(character) ? 1 : 0.6;
  return ems * size;
}

/** The whole picture: a white background, a title for screen readers, then `body`, one part a line. */
export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  const attributes = { xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'font-family': FONT_FAMILY };
  return [`<svg${attributeText(attributes)}>`, element('title', {}, escapeXml(title)), element('rect', { width, height, fill: '#ffffff' }), ...body, '</svg>', ''].join('\n');
}
