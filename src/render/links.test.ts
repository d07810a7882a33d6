import { describe, expect, it } from 'vitest';
import { decodeEntities } from './entities.ts';
import { safeHref } from './links.ts';

describe('safeHref', () => {
  it('allows absolute http, https and mailto URLs, normalized', () => {
    expect(safeHref('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeHref('HTTP://Example.COM')).toBe('http://example.com/');
    expect(safeHref('mailto:someone@example.com')).toBe('mailto:someone@example.com');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\u0000javascript:alert(1)',
    '\u0001javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'javascript\r:alert(1)',
    '&#106;avascript:alert(1)',
    '&#x6A;avascript:alert(1)',
    'javascript&colon;alert(1)',
    'java&Tab;script:alert(1)',
    'java&#x09;script:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'DATA:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'VBScript:msgbox(1)',
    'file:///etc/passwd',
    'blob:https://example.com/uuid',
    '//evil.example/path',
    '/relative/path',
    '#fragment',
    'example.com',
    '',
  ])('rejects %j', (href) => {
    expect(safeHref(href)).toBeNull();
  });

  it('decodes entities before checking, as a browser would', () => {
    expect(safeHref('https&#58;//example.com')).toBe('https://example.com/');
  });
});

describe('decodeEntities', () => {
  it('decodes numeric and common named references, keeps unknown ones', () => {
    expect(decodeEntities('AT&amp;T &lt;b&gt; &#36;5 &#x263A; &bogus; & alone')).toBe('AT&T <b> $5 ☺ &bogus; & alone');
  });

  it('maps NUL, surrogates and out-of-range code points to U+FFFD', () => {
    expect(decodeEntities('&#0;&#xD800;&#x110000;')).toBe('\ufffd\ufffd\ufffd');
  });
});
