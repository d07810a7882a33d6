import 'katex/dist/katex.min.css'; // bundled by Vite with its fonts; nothing loads from a CDN
import { memo } from 'react';
import { typeset } from './typeset.ts';

interface MathViewProps {
  tex: string;
  display: boolean;
  /** What the model wrote, delimiters included: shown instead when the TeX does not parse. */
  source: string;
}

/** One formula. Memoized: a settled formula inside the streaming block is not re-rendered. */
export const MathView = memo(function MathView({ tex, display, source }: MathViewProps) {
  const result = typeset(tex, display);
  if (!result.ok) {
    return (
      <code className={display ? 'md-math-error md-math-error--display' : 'md-math-error'} title={result.error}>
        {source}
        <span className="md-sr-only"> (this formula could not be rendered)</span>
      </code>
    );
  }
  // The only injected HTML in the renderer: KaTeX's own output for untrusted TeX with trust:false,
  // which has no links, images, scripts or event handlers.
  return <span className={display ? 'md-math md-math--display' : 'md-math'} dangerouslySetInnerHTML={{ __html: result.html }} />;
});
