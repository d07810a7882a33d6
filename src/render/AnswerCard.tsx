import './render.css';
import { useId, useMemo } from 'react';
import { CopyButton } from './CopyButton.tsx';
import { MathView } from './MathView.tsx';
import { latexToText } from './plaintext.ts';

/** The final `\boxed{}` result, typeset in display mode, with copy buttons for LaTeX and plain text. */
export function AnswerCard({ latex }: { latex: string }) {
  const labelId = useId();
  const text = useMemo(() => latexToText(latex), [latex]);
  return (
    <section className="answer-card" aria-labelledby={labelId}>
      <div className="answer-card-bar">
        <span id={labelId} className="answer-card-label">
          Answer
        </span>
        <span className="answer-card-actions">
          <CopyButton text={latex} label="Copy LaTeX" />
          <CopyButton text={text} label="Copy text" />
        </span>
      </div>
      <MathView tex={latex} display source={latex} />
    </section>
  );
}
