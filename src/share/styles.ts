// The app's stylesheets as one CSS text for the HTML export, with KaTeX's fonts inlined as data:
// URLs (woff2 only, every current browser reads it) so the file renders math offline. Browser-only.

async function dataUrl(url: string): Promise<string | null> {
  try {
    const response = await fetch(url);
    if (!response.ok) return null;
    const bytes = new Uint8Array(await response.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return `data:font/woff2;base64,${btoa(binary)}`;
  } catch {
    return null;
  }
}

const WOFF2 = /url\(\s*["']?([^"')]+\.woff2)["']?\s*\)\s*format\(\s*["']?woff2["']?\s*\)/;

/** A @font-face rule with its woff2 source inlined; without one (offline, no cache), it is dropped. */
async function inlineFontFace(rule: CSSFontFaceRule, base: string): Promise<string> {
  const source = WOFF2.exec(rule.style.getPropertyValue('src'));
  const data = source?.[1] ? await dataUrl(new URL(source[1], base).href) : null;
  if (!data) return '';
  return rule.cssText.replace(/src\s*:[^;]+;/, `src: url("${data}") format("woff2");`);
}

export async function collectStyles(): Promise<string> {
  const parts: Promise<string>[] = [];
  for (const sheet of Array.from(document.styleSheets)) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue; // a cross-origin sheet (none today) cannot be read
    }
    const base = sheet.href ?? document.baseURI;
    for (const rule of Array.from(rules)) {
      parts.push(rule instanceof CSSFontFaceRule ? inlineFontFace(rule, base) : Promise.resolve(rule.cssText));
    }
  }
  return (await Promise.all(parts)).filter(Boolean).join('\n');
}
