// Marked tokens → React elements. Model text only ever becomes text nodes or attribute values
// React escapes; the one exception is KaTeX's own output inside MathView.

import { Fragment, type CSSProperties, type ReactNode } from 'react';
import { CodeBlock } from './CodeBlock.tsx';
import { decodeEntities } from './entities.ts';
import { isMathToken, type MarkedToken, type Token, type Tokens } from './lexer.ts';
import { safeHref } from './links.ts';
import { MathView } from './MathView.tsx';


function Checkbox({ checked }: { checked: boolean }) {
  return <input type="checkbox" className="md-task" checked={checked} disabled readOnly />;
}

function inlineToken(token: Token, key: number): ReactNode {
  if (isMathToken(token)) return <MathView key={key} tex={token.tex} display={token.display} source={token.raw} />;
  const t = token as MarkedToken;
  switch (t.type) {
    case 'text':
      return t.tokens ? <Fragment key={key}>{renderInline(t.tokens)}</Fragment> : decodeEntities(t.text);
    case 'escape':
      return t.text;
    case 'strong':
      return <strong key={key}>{renderInline(t.tokens)}</strong>;
    case 'em':
      return <em key={key}>{renderInline(t.tokens)}</em>;
    case 'del':
      return <del key={key}>{renderInline(t.tokens)}</del>;
    case 'codespan':
      return <code key={key}>{t.text}</code>;
    case 'br':
      return <br key={key} />;
    case 'checkbox':
      return <Checkbox key={key} checked={t.checked} />;
    case 'link': {
      const href = safeHref(t.href);
      const children = renderInline(t.tokens);
      if (href === null) {
        return (
          <span key={key} className="md-link-blocked" title="Not a link: only http, https and mailto addresses open">
            {children}
          </span>
        );
      }
      return (
        <a key={key} href={href} title={t.title ?? undefined} target="_blank" rel="noopener noreferrer">
          {children}
        </a>
      );
    }
    case 'image': {
      // Never loaded: the app is offline and private, and an image URL is a request to a third party.
      const label = `[image${t.text ? `: ${t.text}` : ''}]`;
      const href = safeHref(t.href);
      return href === null ? (
        <span key={key} className="md-image">
          {label}
        </span>
      ) : (
        <a key={key} className="md-image" href={href} title="Image not loaded; opens in a new tab" target="_blank" rel="noopener noreferrer">
          {label}
        </a>
      );
    }
    default:
      // Anything else (raw HTML included) is shown exactly as written.
      return t.raw;
  }
}

export function renderInline(tokens: Token[]): ReactNode[] {
  return tokens.map(inlineToken);
}

const align = (a: Tokens.TableCell['align']): CSSProperties | undefined => (a ? { textAlign: a } : undefined);

function blockToken(token: Token, key: number): ReactNode {
  if (isMathToken(token)) return <MathView key={key} tex={token.tex} display source={token.raw} />;
  const t = token as MarkedToken;
  switch (t.type) {
    case 'space':
    case 'def':
      return null;
    case 'paragraph':
      return <p key={key}>{renderInline(t.tokens)}</p>;
    case 'text':
      // Tight list items hold their inline content in block-level text tokens.
      return t.tokens ? <Fragment key={key}>{renderInline(t.tokens)}</Fragment> : decodeEntities(t.text);
    case 'heading': {
      const Heading = `h${Math.min(Math.max(t.depth, 1), 6)}` as 'h1';
      return <Heading key={key}>{renderInline(t.tokens)}</Heading>;
    }
    case 'code':
      return <CodeBlock key={key} code={t.text} lang={t.lang?.split(/\s/)[0] ?? ''} />;
    case 'blockquote':
      return <blockquote key={key}>{renderBlocks(t.tokens)}</blockquote>;
    case 'hr':
      return <hr key={key} />;
    case 'checkbox':
      return <Checkbox key={key} checked={t.checked} />;
    case 'list': {
      const items = t.items.map((item, i) => <li key={i}>{renderBlocks(item.tokens)}</li>);
      return t.ordered ? (
        <ol key={key} start={t.start === '' || t.start === 1 ? undefined : t.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'table':
      return (
        <div key={key} className="md-table-wrap">
          <table>
            <thead>
              <tr>
                {t.header.map((cell, i) => (
                  <th key={i} scope="col" style={align(cell.align)}>
                    {renderInline(cell.tokens)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {t.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => (
                    <td key={i} style={align(cell.align)}>
                      {renderInline(cell.tokens)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    default:
      return <p key={key}>{t.raw}</p>;
  }
}

export function renderBlocks(tokens: Token[]): ReactNode[] {
  return tokens.map(blockToken);
}
