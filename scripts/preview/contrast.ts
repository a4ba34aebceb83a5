/**
 * The preview's contrast check, run in the page (bundled for the browser by bundles.ts; the screenshots
 * call `window.__lowContrastText()`): every visible text (and ✓ ✗ ⚠ ▲ ● glyph) whose colour against its composited background
 * falls below WCAG's 4.5:1 (3:1 for large text and for the glyphs, which are icons). Disabled controls are
 * exempt, as in WCAG. Returns one line per offending element.
 */
function lowContrastText(): string[] {
  type Rgba = number[];
  const parse = (value: string): Rgba | null => {
    const rgb = value.match(/^rgba?\(([^)]+)\)$/);
    if (rgb) {
      const [r, g, b, a = '1'] = rgb[1].split(/[\s,/]+/).filter(Boolean);
      return [Number(r), Number(g), Number(b), Number(a)];
    }
    const srgb = value.match(/^color\(srgb ([^)]+)\)$/);
    if (srgb) {
      const [r, g, b, a = '1'] = srgb[1].split(/[\s/]+/).filter(Boolean);
      return [Number(r) * 255, Number(g) * 255, Number(b) * 255, Number(a)];
    }
    return null;
  };
  const over = (top: Rgba, under: Rgba): Rgba => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  const background = (element: Element): Rgba => {
    const layers: Rgba[] = [];
    for (let e: Element | null = element; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) layers.push(c);
      if (c && c[3] >= 1) break;
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const luminance = ([r, g, b]: Rgba): number => {
    const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const ratio = (a: Rgba, b: Rgba): number => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const found: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set<Element>();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent ?? '').trim();
    const element = node.parentElement;
    if (!text || !element || seen.has(element)) continue;
    seen.add(element);
    if (element.closest('.visually-hidden, [disabled], option, script, style')) continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || !element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const style = getComputedStyle(element);
    const fg = parse(style.color);
    if (!fg) continue;
    const bg = background(element);
    const glyph = /^[✓✗⚠▲●ℹ‹›↓→\s·]+$/u.test(text);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const need = glyph || large ? 3 : 4.5;
    const got = ratio(over(fg, bg), bg);
    if (got < need) found.push(`${element.tagName.toLowerCase()}.${[...element.classList].join('.')} "${text.slice(0, 40)}" ${got.toFixed(2)}:1 (needs ${need}:1)`);
  }
  return found;
}

declare global {
  interface Window {
    __lowContrastText: () => string[];
  }
}

window.__lowContrastText = lowContrastText;

export {};
